"""Production settings: only what differs from pelicanconf.py.

SITEURL comes from the environment so `invoke publish --siteurl …` can build the same
site for another origin (a local audit, a staging host) without editing this file.
"""

import os

from pelicanconf import *  # noqa: F401,F403

SITEURL = os.environ.get("SITEURL", "https://dom0-dispatch.example").rstrip("/")
# Absolute links everywhere: feeds, sitemap and shared links must work out of context.
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
PRODUCTION = True
# Production never publishes drafts; development shows them under drafts/.
# (Pelican writes drafts to DRAFT_SAVE_AS; an empty value turns that off.)
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# A draft in another language than DEFAULT_LANG is saved by these instead.
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# Finishing (sitebuild/build/finishing.py) and the search index (sitebuild/build/search.py).
MINIFY = True
PRECOMPRESS = True
# The published site is always searchable, whatever development builds do.
SEARCH_INDEX = True
# A release never depends on an earlier build: every post is read from its source and
# every page rendered afresh.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
REUSE_UNCHANGED_PAGES = False

# Pelican run by hand on this file stops with the command to use instead: only
# sitebuild/ finishes, indexes and stamps a production site (plugins/sitebuild_only.py).
PLUGINS = [*PLUGINS, "plugins.sitebuild_only"]  # noqa: F405
