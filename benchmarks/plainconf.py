"""Plain Pelican with its built-in ``simple`` theme: the baseline this site's build is measured against.

Pelican's defaults (URL scheme, Markdown extensions, no plugins, no content cache)
except where the site would otherwise build a different set of pages from the same
corpus: the same page size for listings, the same Atom feeds (all, per category, per
tag, none per author) and the same year and month archives. Categories are Pelican's
own: "Category: a, b" is one category here, several on the site.
"""

SITENAME = "Plain Pelican baseline"
SITEURL = ""
TIMEZONE = "UTC"
THEME = "simple"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["extra"]
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
# The site's 404 page names a template of the site's theme, which `simple` lacks.
IGNORE_FILES = [".*", "404.md"]
