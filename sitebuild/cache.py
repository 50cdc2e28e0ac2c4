"""What a development build may take from the one before it, made safe to trust.

Pelican's content cache keys each post on its path and modification time only, and
knows nothing of the settings, the plugins or the installed Markdown extensions that
turned it into HTML: a plugin or ``MARKDOWN`` edit kept serving the old HTML. So:

- The cache lives in ``CACHE_PATH/<fingerprint>/``, where the fingerprint covers every
  setting, the bytes of the project's code (theme, plugins, sitebuild/, the settings
  files), the installed packages and their versions, and the Python version. Any change
  to them starts an empty cache; folders of other fingerprints are removed.
- Posts are compared by content (``CHECK_MODIFIED_METHOD`` in pelicanconf.py), not time.
- Pelican writes its cache files in place, so a build killed while writing one leaves it
  damaged. After every successful build the digest of each file is recorded; a file that
  no longer matches is set aside with a warning before Pelican could trip over it.

Production builds use no cache at all (publishconf.py): a release renders from sources.
The fingerprint also keys page reuse (plugins/speed_kit/page_reuse.py).
"""

import hashlib
import importlib.metadata
import json
import logging
import re
import shutil
import sys
from pathlib import Path

from .code_folders import code_files, code_folders

ROOT = Path(__file__).resolve().parent.parent
RECORD = "intact.json"
IMAGES = "images"
# Settings that say where this build reads and writes, not what it makes.
PLACE_SETTINGS = {"OUTPUT_PATH", "PAGE_REUSE_FROM", "CACHE_PATH"}
FINGERPRINT = re.compile(r"[0-9a-f]{32}")

log = logging.getLogger(__name__)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(settings: dict) -> str:
    """A digest of everything besides the content that can change a build's output."""
    packages = sorted((d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions())
    code = [[str(path), _digest(path.read_bytes())] for path in code_files(code_folders(settings))]
    chosen = {name: value for name, value in settings.items() if name not in PLACE_SETTINGS}
    return _digest(
        json.dumps([sys.version, packages, code, chosen], sort_keys=True, default=_as_data).encode()
    )


def _as_data(value):
    """JSON for setting values that are not JSON: the same in every run."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if callable(value):  # a function's code is covered by the code files
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return re.sub(r" at 0x[0-9a-f]+", "", f"{type(value).__name__}:{value!r}")


def cache_folder(root: Path, key: str) -> Path:
    """``root/key``, with the damaged files of a killed build set aside, and the folders
    of other fingerprints removed."""
    root = Path(root)
    for other in root.glob("*"):
        if other.is_dir() and FINGERPRINT.fullmatch(other.name) and other.name != key:
            shutil.rmtree(other, ignore_errors=True)
    folder = root / key
    folder.mkdir(parents=True, exist_ok=True)
    recorded = _read_record(folder)
    for path in sorted(folder.iterdir()):
        if path.name != RECORD and path.is_file() and recorded.get(path.name) != _digest(path.read_bytes()):
            log.warning(
                "ignoring the damaged cache file %s (a build was stopped while writing it); "
                "this build reads every post again",
                path,
            )
            path.unlink()
    return folder


def _read_record(folder: Path) -> dict:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        return record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def record_intact(folder: Path) -> None:
    """After a successful build: remember every cache file as it is now."""
    folder = Path(folder)
    record = {
        p.name: _digest(p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file() and p.name != RECORD
    }
    temporary = folder / (RECORD + ".tmp")
    temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    temporary.replace(folder / RECORD)
