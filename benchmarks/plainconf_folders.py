"""Plain Pelican as in plainconf.py, but with the site's addresses: a folder per page
(``/2011/06/slug/``, ``/tag/xen/page/2/``) instead of Pelican's default ``slug.html``.

Not a target's baseline (the targets compare with plainconf.py): it shows how much of
the site's build time is the file system's work of making those folders, which plain
Pelican's defaults do not do (benchmarks/scale.py, docs/performance.md).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.plainconf import *  # noqa: E402,F403
from pelicanconf import (  # noqa: E402,F401
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
