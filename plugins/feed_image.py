"""A post's lead image as the feeds give it: an absolute URL and a MIME type.

Not a plugin (it registers nothing): the JSON Feed (json_feed.py) and the Atom and RSS
enclosures (site_writer.py) read the image the same way. A post has one when a plugin
gives it ``lead_image``: a URL, or an object with a ``url``; a URL without a scheme is
on this site (Pelican's ``url`` or a path from the root), and feeds need it absolute.
"""

import mimetypes
from urllib.parse import urlsplit


def lead_image(item, base: str) -> tuple[str, str] | None:
    """(absolute URL, MIME type) of ``item``'s lead image, or None; ``base`` is the
    site's absolute address (FEED_DOMAIN)."""
    image = getattr(item, "lead_image", None)
    url = str(getattr(image, "url", image) or "")
    if not url:
        return None
    if not urlsplit(url).scheme:
        url = f"{base.rstrip('/')}/{url.lstrip('/')}"
    kind = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return url, kind
