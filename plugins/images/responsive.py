"""A published image: its variants named by content, and the HTML that offers them.

``images/<source path>.<width>.<digest>.<ext>``: a new picture is a new address, so every
file can be cached forever, and the name still says what the picture is.
"""

import posixpath
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from .variants import Source, Variant, variants

# Link previews show pictures at most about this wide (Open Graph's large card).
SHARE_WIDTH = 1200


@dataclass(frozen=True)
class Candidate:
    path: str  # relative to the site root
    width: int
    height: int
    mime: str
    length: int  # bytes of the published file (feed enclosures give it)

    @property
    def address(self) -> str:
        """``path`` as a URL carries it: a space, "%", "," or "é" of a file's name percent-encoded,
        so that a srcset still splits into candidates and every address is valid."""
        return quote(self.path)


@dataclass(frozen=True)
class ResponsiveImage:
    """What templates need: ``src``/``srcset`` in the source's format, ``sources`` in modern
    formats (type, srcset), intrinsic ``width``/``height`` (the widest variant), ``alt``."""

    siteurl: str
    alt: str
    sizes: str
    fallback: tuple[Candidate, ...]
    modern: tuple[Candidate, ...]

    def _url(self, candidate):
        return f"{self.siteurl}/{candidate.address}"

    @property
    def src(self):
        # Browsers without srcset get a mid-sized copy, not the widest.
        return self._url(self.share)

    @property
    def srcset(self):
        return srcset(self.fallback, self._url)

    @property
    def sources(self):
        return ((self.modern[0].mime, srcset(self.modern, self._url)),)

    @property
    def avif(self):
        return srcset(self.modern, self._url)

    @property
    def width(self):
        return self.fallback[-1].width

    @property
    def height(self):
        return self.fallback[-1].height

    @property
    def share(self):
        """The copy link previews use (og:image): 1200 px wide, or the widest below it, in a
        format every preview bot reads."""
        fitting = [c for c in self.fallback if c.width <= SHARE_WIDTH]
        return fitting[-1] if fitting else self.fallback[0]

    def html(self, *, lazy: bool, extra: str = "") -> str:
        loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
        sources = "".join(
            f'<source type="{kind}" srcset="{escape(urls)}" sizes="{escape(self.sizes)}">'
            for kind, urls in self.sources
        )
        return (
            f'<picture>{sources}<img src="{escape(self.src)}" srcset="{escape(self.srcset)}" '
            f'sizes="{escape(self.sizes)}" width="{self.width}" height="{self.height}" '
            f'alt="{escape(self.alt)}"{extra}{loading} decoding="async"></picture>'
        )


def srcset(candidates, url) -> str:
    return ", ".join(f"{url(c)} {c.width}w" for c in candidates)


EXTENSIONS = {"image/avif": "avif", "image/jpeg": "jpg", "image/png": "png"}
# How output_name ends a variant's file name, for the build's alone: originals.py refuses a
# linked file so named, which would replace the variant. The digest is as long as a variant's.
VARIANT_NAME = re.compile(
    rf"(?P<width_digest>\.\d+\.[0-9a-f]{{{len(Variant(1, 1, 'image/png', b'').name_digest)}}})"
    rf"(?P<extension>\.(?:{'|'.join(EXTENSIONS.values())}))$"
)


def output_name(relative: str, variant: Variant) -> str:
    """``relative``: the source's path under content/, e.g. images/2024/rack.jpg."""
    stem = posixpath.splitext(relative)[0]
    return f"{stem}.{variant.width}.{variant.name_digest}.{EXTENSIONS[variant.mime]}"


def publish(source: Source, relative: str, alt: str, settings: dict, cache, outputs: dict) -> ResponsiveImage:
    """Make (or take from the cache) every variant of ``source``, record each file in
    ``outputs`` ({path in the site: bytes}) and return the image's description."""
    made = variants(source, settings["IMAGE_WIDTHS"], cache)
    roles = {}
    for role, found in made.items():
        roles[role] = []
        for variant in found:
            path = output_name(relative, variant)
            outputs[path] = variant.data
            roles[role].append(
                Candidate(path, variant.width, variant.height, variant.mime, len(variant.data))
            )
    return ResponsiveImage(
        settings["SITEURL"], alt, settings["IMAGE_SIZES"], tuple(roles["fallback"]), tuple(roles["modern"])
    )
