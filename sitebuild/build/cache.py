"""The development cache, safe to trust: it lives in ``CACHE_PATH/<fingerprint>/`` (every
setting, the project's code, the installed packages, Python), and each file's digest is
recorded after a build, so one a killed build cut short is set aside, never read. The
cache only speeds builds up: one that cannot be recorded is emptied with a warning."""

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from .. import BUILD_COMMAND
from ..code_folders import code_digest
from .errors import BuildError

RECORD = "intact.json"
# Settings that say where this build reads and writes, not what it makes.
PLACE_SETTINGS = {"OUTPUT_PATH", "CACHE_PATH", "SITEBUILD"}
FINGERPRINT = re.compile(r"[0-9a-f]{32}")
NOT_A_FOLDER = (
    "cache: {} is not a folder: move that file aside (the cache only speeds builds up, and is "
    f"made again), or choose another cache folder ({BUILD_COMMAND} --cache DIR)"
)

CANNOT_WRITE = (
    "cache: {} cannot be written (read-only, or not yours): make it writable, or choose another "
    f"cache folder ({BUILD_COMMAND} --cache DIR; the cache only speeds builds up, and is made again)"
)
log = logging.getLogger(__name__)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(settings: dict) -> str:
    """A digest of everything besides the content that can change a build's output."""
    chosen = {name: value for name, value in settings.items() if name not in PLACE_SETTINGS}
    facts = [sys.version, code_digest(Path(settings["THEME"])), chosen]
    return _digest(json.dumps(facts, sort_keys=True, default=_as_data).encode())


def _as_data(value):
    """JSON for setting values that are not JSON: the same in every run."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if callable(value):  # a function's code is covered by the code files
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return re.sub(r" at 0x[0-9a-f]+", "", f"{type(value).__name__}:{value!r}")


def make_root(root: Path) -> None:
    """Create the cache folder; refuse by name a file in its place or a folder that cannot be written."""
    try:
        Path(root).mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise BuildError([NOT_A_FOLDER.format(root)]) from error
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
    if not os.access(root, os.W_OK | os.X_OK):  # also where it could not be made
        raise BuildError([CANNOT_WRITE.format(root)])


def cache_folder(root: Path, key: str) -> Path:
    """``root/key``, the files a killed build cut short set aside; other fingerprints' folders removed."""
    for other in root.glob("*"):
        if other.is_dir() and FINGERPRINT.fullmatch(other.name) and other.name != key:
            shutil.rmtree(other, ignore_errors=True)
    folder = root / key
    folder.mkdir(parents=True, exist_ok=True)
    try:
        recorded = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}  # none, or cut short: no file is known whole
    for name, digest in _digests(folder).items():
        if not isinstance(recorded, dict) or recorded.get(name) != digest:  # a killed build's, cut short
            log.warning("ignoring the damaged cache file %s (a build stopped writing it)", folder / name)
            (folder / name).unlink()
    return folder


def _digests(folder: Path) -> dict[str, str]:
    files = (path for path in sorted(folder.iterdir()) if path.is_file() and path.name != RECORD)
    return {path.name: _digest(path.read_bytes()) for path in files}


@contextmanager
def recording(folder: Path):
    """Record the cache files as the block leaves them, unless it was stopped or failed on
    a fault in the code, either of which may have cut a file short."""
    unsaved = []

    def note_unsaved(record) -> bool:  # Pelican warns of a cache file it could not save, cut short
        if str(record.msg).startswith("Could not save cache") and record.args:
            unsaved.append(Path(record.args[0]))
        return True

    logging.getLogger("pelican.cache").addFilter(note_unsaved)
    try:
        yield
    except Exception as error:
        if not (isinstance(error, BuildError) and error.fault):
            record_intact(folder, unsaved)
        raise
    else:
        record_intact(folder, unsaved)
    finally:
        logging.getLogger("pelican.cache").removeFilter(note_unsaved)


def record_intact(folder: Path, unsaved: list[Path]) -> None:
    """Remember every cache file as it is now, and remove those Pelican could not save."""
    folder = Path(folder)
    try:
        for path in unsaved:
            path.unlink(missing_ok=True)
        temporary = folder / (RECORD + ".tmp")
        temporary.write_text(json.dumps(_digests(folder), sort_keys=True), encoding="utf-8")
        temporary.replace(folder / RECORD)
    except OSError as error:
        log.warning("could not record the cache in %s (%s): emptied it", folder, error)
        shutil.rmtree(folder, ignore_errors=True)
