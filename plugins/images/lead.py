"""A post's lead picture (``Image:``, ``Image_alt:``, ``Image_caption:`` and ``Image_credit:``)
and the image its links preview with."""

import logging
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .body import resolve
from .cards import HEIGHT, WIDTH, font_for

PREFIX = "{static}"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShareImage:
    """og:image: ``path`` is its address below the site root, percent-encoded (templates put
    SITEURL before it)."""

    path: str
    width: int
    height: int
    mime: str
    alt: str

    @classmethod
    def of(cls, lead):
        chosen = lead.share
        return cls(chosen.address, chosen.width, chosen.height, chosen.mime, lead.alt)


def lead_image(content, post: str, pictures):
    """The ResponsiveImage of the ``Image:`` field, or None (after logging, when it is wrong)."""
    target = (content.metadata.get("image") or "").strip()
    alt = text(content, "image_alt")
    if not target:
        for field in ("image_alt", "image_caption", "image_credit"):
            if text(content, field):
                name = field.capitalize()
                pictures.error(post, f"has {name} but no Image. Add the Image: field or remove {name}.")
        return None
    if not target.startswith(PREFIX):
        pictures.error(post, f"has Image: {target}; write it as {written(target, content.settings)}.")
        return None
    if not alt:
        pictures.error(
            post,
            "has an Image but no Image_alt. Describe the picture for readers who cannot "
            "see it (Image_alt: …).",
        )
        return None
    if not text(content, "image_credit"):
        # A warning, not an error: a photo the site took itself may need no credit line.
        log.warning("%s: the lead photo has no Image_credit. Name its photographer or source.", post)
    relative = resolve(target[len(PREFIX) :], posixpath.dirname(post))
    return pictures.picture(post, target, relative, alt)


def written(target: str, settings) -> str:
    """The {static} form of an Image given as a path under content/ ("images/x.jpg"), if it is one."""
    path = posixpath.normpath(target.lstrip("/")) if target.strip("/") else ""
    if path and not path.startswith("..") and (Path(settings["PATH"]) / path).is_file():
        return f"{PREFIX}/{path}"
    return f"{PREFIX}/images/name.jpg (a path under content/)"


def text(content, field: str) -> str:
    """A one-line front matter field, its spaces collapsed ("" when absent)."""
    return " ".join(str(content.metadata.get(field) or "").split())


def card_image(title: str, pictures) -> ShareImage:
    """The drawn card for ``title`` (cards.py), made or on its way (card_files.py)."""
    site_name = pictures.settings["SITENAME"]
    return ShareImage(pictures.cards.path(title), WIDTH, HEIGHT, "image/png", f"{title} · {site_name}")


def undrawable_letters(text: str) -> str:
    """The letters of ``text`` no font has (Arabic, Hebrew…): without them a card would show
    another title. A symbol or emoji left out leaves the words as written."""
    return "".join(dict.fromkeys(c for c in text if c.isalpha() and not c.isascii() and font_for(c) is None))
