"""Resized copies of one source image, encoded the same way on every machine and cached.

The key covers the source's bytes, width, format, encoder settings, this file's code and
the Pillow and codec versions, so no entry is stale (picture_cache.py keeps them)."""

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps, features

from .picture_cache import load, store

# The formats authors may use; anything else (GIF, SVG, HEIC…) is refused by name.
SOURCE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
# A JPEG holding more pictures (what many phones save): published from its first, primary one.
SAME_AS = {"MPO": "JPEG"}
# The longest side JPEG can hold (AVIF a little more): a taller copy cannot be encoded.
MAX_SIDE = 65_500
SCALE_IT_DOWN = "Scale it down (or raise IMAGE_MAX_PIXELS in pelicanconf.py)."
MODERN = ("AVIF", "avif", "image/avif")
# Fixed encoder settings: the same on every machine, whatever its number of cores.
ENCODER = {
    "AVIF": {"quality": 50, "speed": 6, "max_threads": 1, "subsampling": "4:2:0"},
    "JPEG": {"quality": 78, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}
CODE_DIGEST = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
VERSIONS = [PIL.__version__, features.version("avif"), features.version("jpg"), features.version("zlib")]


class ImageProblem(Exception):
    """A source image the build cannot publish; the message says why and what to do."""


@dataclass(frozen=True)
class Source:
    path: Path
    digest: str
    format: str  # "JPEG" or "PNG": the fallback is written in the source's own format
    width: int  # upright, after the camera's orientation tag
    height: int

    @property
    def extension(self):
        return SOURCE_FORMATS[self.format][0]

    @property
    def mime(self):
        return SOURCE_FORMATS[self.format][1]


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    mime: str
    data: bytes

    @property
    def name_digest(self):
        return hashlib.blake2b(self.data, digest_size=5).hexdigest()


def open_source(path: Path, max_pixels: int) -> Source:
    """Read the header and refuse what is not a JPEG or PNG of a sane size."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageProblem("does not exist. Put the file under content/images/ and check the path.") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = SAME_AS.get(image.format, image.format), image.size
                orientation = image.getexif().get(0x0112, 1)
                animated = kind == "PNG" and getattr(image, "is_animated", False)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"has more pixels than the limit of {max_pixels:,}. {SCALE_IT_DOWN}") from None
    except (Image.UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageProblem("is not an image the build can read. Export it again as JPEG or PNG.") from None
    if kind not in SOURCE_FORMATS:
        raise ImageProblem(
            f"is a {kind} image; only JPEG (photographs) and PNG (screenshots, drawings) "
            "are published. Convert it."
        )
    if animated:  # its variants would be still: readers would see only the first frame
        raise ImageProblem(
            "is an animated PNG; pictures are published still, so readers would see only its first "
            "frame. Export the frame to show as a PNG or JPEG."
        )
    if width * height > max_pixels:
        raise ImageProblem(
            f"has more pixels ({width}×{height}) than the limit of {max_pixels:,}. {SCALE_IT_DOWN}"
        )
    if orientation in (5, 6, 7, 8):  # turned a quarter: the upright picture is the other way round
        width, height = height, width
    return Source(path, hashlib.blake2b(data, digest_size=16).hexdigest(), kind, width, height)


def decode(source: Source) -> Image.Image:
    """The whole picture, upright, in sRGB, with no metadata left to leak into variants."""
    try:
        with Image.open(source.path) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError):
        raise ImageProblem("is damaged (truncated or corrupt). Export it again.") from None
    if image.mode.startswith("I;16"):  # 16-bit grey: convert() would clip every shade above 255 to white
        shades = image.convert("I").point(lambda value: value / 257 + 0.5).convert("L")
        if "transparency" in image.info:  # the grey value drawn see-through, in 16 bits
            shades.info["transparency"] = round(image.info["transparency"] / 257)
        image = shades
    profile = image.info.get("icc_profile")
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    if profile:  # a camera's Display P3 shown as sRGB would look washed out
        try:
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError):
            raise ImageProblem(
                "has a colour profile the build cannot read. Export it again as sRGB."
            ) from None
    image = image.convert(mode)
    image.info.clear()
    return image


def widths_for(source: Source, widths) -> list[int]:
    """The requested widths narrower than the source, and the source's own width when it is
    narrower than the widest: never an enlarged copy."""
    chosen = sorted({w for w in widths if w < source.width})
    if source.width <= max(widths) and source.width not in chosen:
        chosen.append(source.width)
    return chosen or [source.width]


def height_for(source: Source, width: int) -> int:
    return max(1, round(source.height * width / source.width))


def encode(image: Image.Image, kind: str) -> bytes:
    if max(image.size) > MAX_SIDE:
        raise ImageProblem(
            f"would need a copy of {image.width:,}×{image.height:,} pixels, longer than the "
            f"{MAX_SIDE:,} pixels a side AVIF and JPEG can hold. Crop it or split it into several pictures."
        )
    if kind == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, kind, **ENCODER[kind])
    return buffer.getvalue()


def cache_key(source: Source, width: int, kind: str) -> str:
    parts = [source.digest, width, kind, ENCODER[kind], CODE_DIGEST, VERSIONS]
    return hashlib.blake2b(json.dumps(parts, sort_keys=True).encode(), digest_size=16).hexdigest()


def variants(source: Source, widths, cache: Path | None) -> dict[str, list[Variant]]:
    """{"modern": [...], "fallback": [...]}, narrowest first; the source is decoded only
    when some variant is not in the cache."""
    kinds = {"modern": (MODERN[0], MODERN[2]), "fallback": (source.format, source.mime)}
    image = None
    found = {}
    for role, (kind, mime) in kinds.items():
        found[role] = []
        for width in widths_for(source, widths):
            entry = cache / cache_key(source, width, kind) if cache else None
            data = load(entry)
            if data is None:
                if image is None:
                    image = decode(source)
                size = (width, height_for(source, width))
                resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
                data = encode(resized, kind)
                if entry:
                    store(entry, data)
            found[role].append(Variant(width, height_for(source, width), mime, data))
    return found
