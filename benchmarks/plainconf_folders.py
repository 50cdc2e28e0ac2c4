"""Plain Pelican as in plainconf.py, with the site's folder-per-page addresses.

Not a baseline: it shows what making those folders costs the file system (benchmarks/scale.py).
"""

from benchmarks.plainconf import *  # noqa: F403
from pelicanconf import (  # noqa: F401
    ARCHIVES_SAVE_AS,
    ARCHIVES_URL,
    ARTICLE_SAVE_AS,
    ARTICLE_URL,
    AUTHOR_SAVE_AS,
    AUTHOR_URL,
    AUTHORS_SAVE_AS,
    AUTHORS_URL,
    CATEGORIES_SAVE_AS,
    CATEGORIES_URL,
    CATEGORY_SAVE_AS,
    CATEGORY_URL,
    PAGE_SAVE_AS,
    PAGE_URL,
    PAGINATION_PATTERNS,
    TAG_SAVE_AS,
    TAG_URL,
    TAGS_SAVE_AS,
    TAGS_URL,
)
