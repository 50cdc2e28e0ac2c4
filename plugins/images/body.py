"""Markdown images in a post's body become ``<picture>`` elements.

An image is recognised by its ``{static}`` placeholder, before Pelican resolves it.
"""

import posixpath
import re
from html import escape
from html.parser import HTMLParser

# Its attributes are read by HTMLParser: a value may hold the other quote (``Ada's rack.jpg``).
IMG = re.compile(r"<img\s[^>]*>")
# Attributes the rewriter writes itself; an author's own (title, class, id from attr_list) are kept.
REPLACED = {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"}


def attributes(tag: str) -> dict:
    found = {}

    class Reader(HTMLParser):
        def handle_starttag(self, name, attrs):
            found.update((key, value or "") for key, value in attrs)

    Reader(convert_charrefs=True).feed(tag)
    return found


def resolve(target: str, here: str) -> str | None:
    """The content-relative path of a ``{static}`` target, or None when it leaves content/."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    resolved = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(here, path))
    return None if resolved == ".." or resolved.startswith(("../", "/")) else resolved


def rewrite(body: str, here: str, publish, *, first_is_eager: bool) -> str:
    """``publish(relative_path, alt)`` returns a ResponsiveImage, or None after logging why
    it cannot (then the ``<img>`` is left as the author wrote it)."""
    eager = [first_is_eager]

    def replace(match):
        attrs = attributes(match.group(0))
        src = attrs.get("src", "").strip()
        if not src.startswith("{static}"):
            return match.group(0)
        image = publish(resolve(src[len("{static}") :], here), attrs.get("alt", ""), src)
        if image is None:
            return match.group(0)
        extra = "".join(f' {key}="{escape(value)}"' for key, value in attrs.items() if key not in REPLACED)
        lazy, eager[0] = not eager[0], False
        return image.html(lazy=lazy, extra=extra)

    return IMG.sub(replace, body)
