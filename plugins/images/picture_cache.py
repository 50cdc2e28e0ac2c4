"""The picture cache (``cache/images/``): each entry is its bytes behind their digest, written
under a temporary name and renamed, so an entry cut, emptied or replaced is made again, never
published. After a build, what killed processes left goes, and so do entries the build did not
use that were made long ago: a change of colours, code or Pillow leaves a whole set behind."""

import contextlib
import hashlib
import os
import re
import time
from pathlib import Path

DIGEST_SIZE = 16
STALE_TEMPORARY_SECONDS = 600  # a live one is milliseconds old (store)
# Making an entry again costs only its drawing or encoding.
UNUSED_SECONDS = 30 * 24 * 3600
used: set[Path] = set()  # the entries this process's build read or wrote (load, store)
# The names store() writes (a key; a card's key and .png; either's temporary name): a cache
# folder may be shared with other programs (--cache ~/.cache), whose files are theirs.
OWN_NAME = re.compile(r"[0-9a-f]{32}(\.png)?(\.[0-9]+\.tmp)?")


def sealed(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest() + data


def store(path: Path, data: bytes) -> None:
    """Keep ``data`` under ``path``, behind its digest; a temporary name and a rename, so
    a killed build leaves no half entry."""
    used.add(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(sealed(data))
    temporary.replace(path)


def load(path: Path | None) -> bytes | None:
    """The bytes kept under ``path``, or None when there are none or they are not what
    was stored (empty, cut, or other bytes): the caller makes them again."""
    if path:
        used.add(path)
    try:
        entry = path.read_bytes() if path else b""
    except OSError:
        return None
    data = entry[DIGEST_SIZE:]
    return data if data and sealed(data) == entry else None


def tidy(cache: Path) -> None:
    """Remove the temporary files of processes killed before their rename, and the entries
    this build did not use (``used``) that were made more than UNUSED_SECONDS ago."""
    now = time.time()
    try:
        entries = [*cache.glob("*"), *cache.glob("*/*")]
    except OSError:  # a folder of it removed meanwhile (invoke clean): nothing left to tidy there
        return
    for entry in entries:
        temporary = entry.name.endswith(".tmp")
        if not OWN_NAME.fullmatch(entry.name) or (entry in used and not temporary):
            continue
        with contextlib.suppress(OSError):  # gone meanwhile, or a read-only cache: only clutter
            limit = STALE_TEMPORARY_SECONDS if temporary else UNUSED_SECONDS
            if now - entry.lstat().st_mtime > limit and not entry.is_dir():
                entry.unlink()
