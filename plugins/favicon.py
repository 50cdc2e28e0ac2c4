"""Give the templates the site's icon from the content folder being built, ``FAVICON_DATA_URI``:
pages link it as a data: URI, so a browser makes no request for it (the article page's budget is
two: the HTML and the stylesheet). The home page links the file, published as /favicon.svg,
because that is where search engines look for a crawlable favicon. A folder without one: none."""

import logging
from urllib.parse import quote

from pelican import signals

from sitebuild import build_of

ICON = "extra/favicon.svg"
log = logging.getLogger(__name__)


def inline_favicon(generators):
    """Before any page is written: the generators share one template context."""
    path = build_of(generators[0].settings).content_folder / ICON
    if not path.is_file():
        # Not another folder's icon: the pages would show a site that is not this one.
        log.warning("%s does not exist, so the pages show no icon: put the site's icon (SVG) there", path)
        generators[0].context["FAVICON_DATA_URI"] = ""
        return
    icon = path.read_text(encoding="utf-8").strip()
    generators[0].context["FAVICON_DATA_URI"] = "data:image/svg+xml," + quote(icon, safe="/:=.,")


def register():
    signals.all_generators_finalized.connect(inline_favicon)
