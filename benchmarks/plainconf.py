"""Plain Pelican with its ``simple`` theme: the baseline this site's build is measured against.

Pelican's defaults, except what would build a different set of pages from the same corpus
(page size, feeds, archives), taken from pelicanconf.py so the two cannot drift apart.
"""

from pelicanconf import (  # noqa: F401
    AUTHOR_FEED_ATOM,
    AUTHOR_FEED_RSS,
    CATEGORY_FEED_ATOM,
    DEFAULT_PAGINATION,
    FEED_ALL_ATOM,
    FEED_MAX_ITEMS,
    MONTH_ARCHIVE_SAVE_AS,
    TAG_FEED_ATOM,
    TRANSLATION_FEED_ATOM,
    YEAR_ARCHIVE_SAVE_AS,
)

SITENAME = "Plain Pelican baseline"
SITEURL = ""
TIMEZONE = "UTC"
THEME = "simple"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["extra"]
# The site's 404 page names a template of the site's theme, which `simple` lacks.
IGNORE_FILES = [".*", "404.md"]

# Namespace plugins installed beside Pelican (pelican-neighbors here) load
# automatically unless PLUGINS is set: the baseline runs none.
PLUGINS = []
