"""Files published as they are (``extra/``, ``{static}`` links) must not carry what a camera
or an editor writes into a picture, nor be named as the build names its resized copies of
pictures: such a file is refused by name. A file outside STATIC_PATHS linked only from pages
the build does not write (a draft's) is left out.
"""

import logging
import os
import posixpath
import struct
from pathlib import Path

from PIL import Image

from .responsive import VARIANT_NAME

log = logging.getLogger(__name__)

GPS, EXIF_DETAILS, MAKE, MODEL, ARTIST = 0x8825, 0x8769, 0x010F, 0x0110, 0x013B
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA = {b"eXIf": "EXIF", b"tEXt": "text", b"zTXt": "text", b"iTXt": "text or XMP"}
INFO_METADATA = {"xmp": "XMP", "photoshop": "IPTC", "comment": "a comment"}


def png_metadata(path: Path) -> list[str]:
    """The PNG's metadata chunks, read from the chunk headers alone: Pillow finds those after
    the pixels only by decoding them, on every build of the live preview."""
    found = []
    with path.open("rb") as file:
        file.seek(len(PNG_SIGNATURE))
        while header := file.read(8):
            if len(header) < 8:
                break
            length, kind = struct.unpack(">I4s", header)
            if kind in PNG_METADATA and PNG_METADATA[kind] not in found:
                found.append(PNG_METADATA[kind])
            file.seek(length + 4, 1)  # the data and its CRC
    return found


def metadata(path: Path) -> list[str]:
    """What in ``path`` could tell where, when or with what it was made; [] for a file
    that is not a picture or carries nothing of the kind."""
    with path.open("rb") as file:
        if file.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE:
            return png_metadata(path)
    try:
        with Image.open(path) as image:
            exif, info = image.getexif(), image.info
    except (Image.UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return []
    found = []
    if exif.get_ifd(GPS) or GPS in exif:
        found.append("location (GPS)")
    # A TIFF's own tags are its layout: only those that describe the shot or its maker count.
    if info.get("exif") or any(tag in exif for tag in (EXIF_DETAILS, MAKE, MODEL, ARTIST)):
        found.append("EXIF")
    found += [name for key, name in INFO_METADATA.items() if info.get(key)]
    return found


def publish_originals(generator) -> None:
    leave_out_unwritten_links(generator)
    refuse_revealing_originals(generator)
    refuse_variant_names(generator)


def leave_out_unwritten_links(generator) -> None:
    """Pelican copies every file a post or page links with ``{static}``, a draft's too where
    its page is not written (Pelican's issue #3371): keep only those under STATIC_PATHS and
    those a written page links."""
    paths, excluded = generator.settings["STATIC_PATHS"], generator.settings["STATIC_EXCLUDES"]
    kept = set(generator.get_files(paths, exclude=excluded, extensions=False))
    for content in generator.context["generated_content"].values():  # every post and page, drafts too
        # Only a draft's page can be unwritten (as in written()); a published post's save_as
        # would be worked out here for nothing.
        if content.status != "draft" or content.save_as:
            kept.update(posixpath.normpath(path) for path in content.get_static_links())
    generator.staticfiles[:] = [
        static for static in generator.staticfiles if Path(static.relative_source_path).as_posix() in kept
    ]


def refuse_revealing_originals(generator) -> None:
    """Log an error (which fails the build) for each published original carrying metadata."""
    for static in generator.staticfiles:
        if not os.path.isfile(static.source_path):
            continue  # a link to a missing file: content_checks.py names it
        found = metadata(Path(static.source_path))
        if found:
            relative = Path(static.relative_source_path).as_posix()
            log.error(
                "%s: the file carries %s, which would be published with it. Put a picture under "
                "content/images/ (only clean copies are published from there), or remove them "
                "from the file (e.g. exiftool -all= content/%s).",
                relative,
                " and ".join(found),
                relative,
            )


def refuse_variant_names(generator) -> None:
    """Log an error for each published file named as a picture's resized copy: Pelican copies
    it after the copies are written, over the one of its name, and readers get it instead."""
    for static in generator.staticfiles:
        path = posixpath.normpath(static.save_as)
        if found := VARIANT_NAME.search(path):
            log.error(
                "%s: would be published at %s, named as the build names its resized copies of pictures "
                "(name.width.digest%s): it would replace the copy of that name. Rename the file "
                "(without its %s), and change its links.",
                Path(static.relative_source_path).as_posix(),
                path,
                found["extension"],
                found["width_digest"],
            )
