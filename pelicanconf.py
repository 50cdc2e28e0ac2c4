"""Development settings. Every setting that differs from Pelican's default says why.

publishconf.py imports this and overrides only what production changes.
"""

from pathlib import Path

# Lower case: Pelican reads an upper-case SLUG_SUBSTITUTIONS as a retired setting.
from plugins.capped_slugs import SLUG_SUBSTITUTIONS as slug_substitutions
from plugins.code_labels import LanguageLabelFormatter

ROOT = Path(__file__).resolve().parent

# --- Identity -------------------------------------------------------------------
SITENAME = "Dom0 Dispatch"
SITE_DESCRIPTION = "News and background on Xen, dom0 and the Linux kernel."
# The site's own byline: the stories are written by its editors, not by the people quoted.
AUTHOR = "Dom0 Dispatch editors"
SITEURL = ""  # root-relative links, so the development server works on any port
# Feeds need absolute links; in development they point at the preview server.
FEED_DOMAIN = "http://127.0.0.1:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# Days first, month spelled out: unambiguous for readers everywhere.
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Content --------------------------------------------------------------------
PATH = str(ROOT / "content")
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["extra"]  # published whole, linked or not, a draft's files too
# Files under extra/ are served from the site root (favicon, etc.).
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/favicon.ico": {"path": "favicon.ico"},
}
# Pelican matches IGNORE_FILES against base names, so its default "**/.*" (which
# contains a slash) matches nothing. Hidden files, editor backups and lock files must
# never be published.
IGNORE_FILES = [".*", "*~", "#*#", "*.swp", "*.swo", "*.bak", "*.orig", "*.tmp"]
# A post without a category would land in a catch-all nobody chose; the name says so.
DEFAULT_CATEGORY = "uncategorized"
# Pelican otherwise names the category after the post's folder: every post without one
# in content/articles/2011/ would be filed under "2011".
USE_FOLDER_AS_CATEGORY = False
# Summaries are plain text, escaped where shown (plugins/plain_summary.py).
FORMATTED_FIELDS = []
SUMMARY_MAX_LENGTH = 50
# Future-dated posts are scheduled: drafts until their date.
WITH_FUTURE_DATES = False
# Slugs come from titles only. A slug names one post and its translations (Pelican's
# ARTICLE_TRANSLATION_ID), so plugins/content_checks.py refuses two posts of one language with one.
SLUGIFY_SOURCE = "title"
# Version numbers stay readable: "Xen 4.1 ships" gives xen-4-1-ships (plugins/capped_slugs.py).
SLUG_REGEX_SUBSTITUTIONS = slug_substitutions
# Slugs made from titles stop at a word boundary within this length (plugins/capped_slugs.py):
# readable addresses, and never a file name longer than the filesystem allows.
SLUG_MAX_LENGTH = 80
# Limits on a post (sitebuild/checks/lint.py, field_values.py), far above any real one, so that a
# paste accident is refused by name rather than failing as a file name the disk refuses or a
# build that runs for minutes. Each refusal names the setting that raises it.
POST_MAX_BYTES = 1_000_000  # the whole file: about 150,000 words
FIELD_MAX_LENGTH = 1_000  # characters in one front matter field (Title, Summary…)
NAMES_MAX_COUNT = 50  # names in one Tags, Category or Authors field: each name is a page
NAME_MAX_LENGTH = 100  # characters in one of those names: it becomes a file name

# --- Markdown -------------------------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        # Pygments highlights fenced code at build time; CSS classes, not inline styles,
        # so one stylesheet can carry the light and dark palettes.
        # plugins/code_labels.py labels each block with its fence's language.
        "markdown.extensions.codehilite": {
            "css_class": "highlight",
            "guess_lang": False,
            "pygments_formatter": LanguageLabelFormatter,
        },
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": "#", "permalink_title": "Link to this section"},
        "markdown.extensions.meta": {},
        # Curly quotes, dashes and ellipses in prose; code spans and blocks are left as
        # typed. Titles and summaries get the same (plugins/typography.py).
        "markdown.extensions.smarty": {},
        "pymdownx.blocks.caption": {},
        # Notes and warnings ("/// note", "/// warning | Title"), and a post's update and
        # correction notes ("/// update | …", "/// correction"), in the same block syntax as
        # quotes and captions; "!!!" blocks are refused by sitebuild/checks/body_syntax.py.
        "pymdownx.blocks.admonition": {
            "types": [
                "note",
                "attention",
                "caution",
                "danger",
                "error",
                "tip",
                "hint",
                "warning",
                "important",
                "update",
                "correction",
            ]
        },
        "plugins.attributed_quote": {},
    },
    "output_format": "html",
}

# --- URLs: directory style, so addresses never show a file extension ------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
# A translation (Lang) in a folder under its original's address, named by its language:
# Pelican's defaults would write it beside the home page, as slug-fr.html.
ARTICLE_LANG_URL = ARTICLE_URL + "{lang}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
DRAFT_LANG_URL = DRAFT_URL + "{lang}/"
DRAFT_LANG_SAVE_AS = DRAFT_LANG_URL + "index.html"
PAGE_LANG_URL = PAGE_URL + "{lang}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"
DRAFT_PAGE_LANG_URL = DRAFT_PAGE_URL + "{lang}/"
DRAFT_PAGE_LANG_SAVE_AS = DRAFT_PAGE_LANG_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
SEARCH_URL = "search/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
# A series of posts (plugins/series.py): its parts in order, and their feed.
SERIES_URL = "series/{slug}/"
SERIES_SAVE_AS = SERIES_URL + "index.html"
CORRECTIONS_URL = "corrections/"
CORRECTIONS_SAVE_AS = CORRECTIONS_URL + "index.html"
# content/pages/corrections-policy.md, linked from every page's footer.
CORRECTIONS_POLICY_URL = "corrections-policy/"
FOLLOW_URL = "follow/"
FOLLOW_SAVE_AS = FOLLOW_URL + "index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
# Pelican's default pattern writes tag/xen2.html, which collides with a tag "xen2";
# a page/ segment cannot collide with any slug.
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# Archives list titles only, so a page holds more of them; at thousands of posts a
# single archive page would run to megabytes.
PAGINATED_TEMPLATES = {
    "index": None,
    "tag": None,
    "category": None,
    "author": None,
    "archives": 100,
    "period_archives": 100,
}

# --- Feeds: Atom for the site, each category and tag; the whole site also as RSS 2.0
# and JSON Feed 1.1 (plugins/json_feed.py), for readers that take only those.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_ALL_JSON = "feeds/all.json"
# Full posts in RSS, as in Atom and JSON Feed (Pelican's default is the summary only).
RSS_FEED_SUMMARY_ONLY = False
# Pelican gives the feeds this as their description (Atom subtitle, RSS description).
SITESUBTITLE = SITE_DESCRIPTION
# Pelican's defaults put category and author feeds at the same feeds/{slug}.atom.xml.
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
# Each author's posts (the author page links it).
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
# Every correction on the site, newest first (plugins/corrections.py).
CORRECTIONS_FEED_ATOM = "feeds/corrections.atom.xml"
SERIES_FEED_ATOM = "feeds/series/{slug}.atom.xml"
# Production only (plugins/news_sitemap.py): the posts of the last two days, for news readers.
NEWS_SITEMAP_SAVE_AS = "news-sitemap.xml"
FEED_MAX_ITEMS = 20

# --- Theme ----------------------------------------------------------------------
THEME = str(ROOT / "theme")
# The theme's CSS is concatenated and fingerprinted by plugins/stylesheet.py; the only
# file copied verbatim is the search page's script (to /theme/search.js).
THEME_STATIC_PATHS = ["static/js/search.js"]
STYLESHEET_SOURCES = [
    "tokens.css",
    "base.css",
    "layout.css",
    "teaser.css",
    "article.css",
    "code.css",
    "quote.css",
    "images.css",
    "search.css",
    "print.css",
]
# Pelican's list plus the search page (theme/templates/search.html), the corrections log
# (corrections.html) and the page on following the site (follow.html).
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search", "corrections", "follow"]
# WCAG AA contrast in both schemes (accessible-pygments).
PYGMENTS_STYLES = ("a11y-light", "a11y-dark")
JINJA_ENVIRONMENT = {
    # Metadata is text: escape it by default, mark only rendered bodies as safe.
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    # Pelican makes a new environment for every run, so a template cannot change under
    # one; checking its file before each use ({% include %} in a loop) is wasted work.
    "auto_reload": False,
}
# Menu: the pages in content/pages, in this order, after the fixed links.
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False

# The sitemap for search engines (theme/templates/sitemap.xml): posts, pages, listings, series
# and author pages, not tag or category pages; robots.txt names it.
SITEMAP_SAVE_AS = "sitemap.xml"
# Files made from theme templates. robots.txt is one so production can allow crawling and name
# the sitemap while development builds shut crawlers out. Pelican looks for each in content/
# first, so sitebuild/checks/lint.py refuses a file there of the same name.
TEMPLATE_PAGES = {"robots.txt": "robots.txt", "sitemap.xml": SITEMAP_SAVE_AS}

# --- Plugins --------------------------------------------------------------------
PLUGINS = [
    "plugins.multi_category",
    "plugins.term_pages",
    "plugins.stylesheet",
    # FAVICON_DATA_URI, from the content folder being built.
    "plugins.favicon",
    "pelican.plugins.neighbors",
    "plugins.capped_slugs",
    # Before images, so that share cards draw the title as readers see it, and before
    # plain_summary, which compares a written summary with the body's opening as shown.
    "plugins.typography",
    "plugins.plain_summary",
    "plugins.site_writer",
    # Before the checks, so they read each URL once computed rather than recompute it.
    "plugins.speed_kit",
    # Before content_checks, so that a root-relative link is reported with its problems.
    "plugins.site_links",
    "plugins.content_checks",
    "plugins.reading_aids",
    "plugins.display_names",
    "plugins.languages",
    "plugins.json_feed",
    "plugins.news_sitemap",
    "plugins.images",
    # After content_checks, so that a broken link in a correction is reported as such.
    "plugins.corrections",
    # After images, whose pipeline makes the portraits.
    "plugins.series",
    "plugins.authors",
]
# The speed kit (plugins/speed_kit/) makes builds faster without changing a byte of them:
# URLs computed once, one Markdown instance whose inline passes skip text they cannot
# change, unchanged pages reused, Pygments' style tables built once per style. Off, Pelican
# builds as it does without it (tests/test_plugins_speed_kit_builds.py compares the two).
SPEED_KIT = True

# --- Build behaviour ------------------------------------------------------------
# Pagefind indexes the rendered HTML (sitebuild/build/search.py) in every build, so that the
# preview's search page works as the published one does (its cost: docs/performance.md).
SEARCH_INDEX = True
# sitebuild/ builds into a fresh folder and swaps it in; Pelican must not delete anything.
DELETE_OUTPUT_DIRECTORY = False
# Reusing parsed content keeps rebuilds of a large archive fast. Pelican needs both:
# CACHE_CONTENT writes the cache (off by default), LOAD_CONTENT_CACHE reads it.
# sitebuild/build/cache.py keys the cache folder on the code, settings and packages, so it is
# never stale; production (publishconf.py) uses none.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# A post is read again when its bytes change, not its modification time: an edit that
# keeps the size and restores the time (an editor, a checkout, `touch -r`) still counts.
CHECK_MODIFIED_METHOD = "blake2b"
# Gzipping the cache slows every build to save disk space nobody is short of.
GZIP_CACHE = False
CACHE_PATH = str(ROOT / "cache")
# The cache skips reading posts, but Pelican still renders every page; a rebuild renders
# again only the pages an edit can have changed and links the rest from the previous
# build (plugins/speed_kit/page_reuse.py). Production builds start from nothing.
REUSE_UNCHANGED_PAGES = True
# Development builds are for previewing: show drafts and the development-only robots.txt.
PRODUCTION = False

# --- Reading aids and metadata ----------------------------------------------------
# Bylines that are a team, not a person: JSON-LD calls them an Organization.
ORGANIZATION_AUTHORS = [AUTHOR]
RELATED_POSTS_MAX = 3
# A table of contents is worth its space from three sections up.
TOC_MIN_HEADINGS = 3

# --- Front page and masthead (theme) ----------------------------------------------
# How readers see each category, keyed by slug: the slug keeps the page and feed
# addresses, the display name is only printed (plugins/display_names.py). A category
# not named here shows its name as written in front matter.
CATEGORY_DISPLAY_NAMES = {
    "xen": "Xen",
    "linux": "Linux",
    "operating-system": "Operating system",
    "news-vps-hosting": "News VPS hosting",
}
# The masthead's section links, in this order (slugs; a category with no posts is left out).
MENU_SECTIONS = ["xen", "linux", "operating-system", "news-vps-hosting"]

# --- Following the site (theme/templates/follow.html) -------------------------------
# An optional email sign-up through an RSS-to-email provider: None, or
# {"name": "Provider", "action": "https://provider.example/subscribe", "method": "post" | "link"}.
# "post" prints a form whose only field is the reader's address, sent to ``action``; the
# Content-Security-Policy must then allow that origin in form-action (docs/deploy.md).
# "link" prints a link to the provider's sign-up page, which needs no change to the policy.
NEWSLETTER = None

# --- Authors (plugins/authors.py) ------------------------------------------------
# Profiles (bio, portrait, links, fediverse handle), relative to content/.
AUTHORS_FILE = "authors.toml"

# --- Images (plugins/images/) ------------------------------------------------------
# Widths of the copies made of each picture. A phone 390 CSS px wide at 3 device pixels
# per px shows a full-width picture 358 px wide and takes the 1200 copy; 1600 serves
# the 640-px column on 2x screens.
IMAGE_WIDTHS = (480, 800, 1200, 1600)
# How wide a picture is shown: the column (--measure, 42rem, less 1rem of padding a
# side) on wide screens, the viewport less that padding below.
IMAGE_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
# A source bigger than this is refused (Pillow would otherwise decode a 50,000 x 50,000
# "decompression bomb" into 10 GB); 60 megapixels is above any camera an author has.
IMAGE_MAX_PIXELS = 60_000_000
# The credit under a lead photo, on its page and in feeds ({} is Image_credit).
IMAGE_CREDIT_LINE = "Photo: {}"
