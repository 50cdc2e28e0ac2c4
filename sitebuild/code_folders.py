"""The code a build depends on besides its content, named and digested once: for the
development cache's fingerprint (build/cache.py), the live preview's watcher and its restart."""

import hashlib
import sysconfig
from pathlib import Path

from . import ROOT

CODE_FOLDERS = (ROOT / "plugins", ROOT / "sitebuild")  # and the theme, where the settings put it
SETTINGS_FILES = ("pelicanconf.py", "publishconf.py")
# The installed packages: an install or upgrade renames a package's record at their top level.
PACKAGE_FOLDERS = sorted({Path(sysconfig.get_paths()[name]) for name in ("purelib", "platlib")})


def code_digest(*folders: Path) -> str:
    """A digest of every file in ``folders`` and CODE_FOLDERS (bytecode aside), the settings
    files, and the names at the top of PACKAGE_FOLDERS."""
    found = (p for folder in [*folders, *CODE_FOLDERS] for p in Path(folder).rglob("*") if p.is_file())
    files = sorted(p for p in found if "__pycache__" not in p.parts) + [ROOT / f for f in SETTINGS_FILES]
    names = [p.name for folder in PACKAGE_FOLDERS for p in sorted(folder.iterdir())]
    digest = hashlib.blake2b("\0".join(names).encode(), digest_size=16)
    for path in files:
        data = path.read_bytes() if path.is_file() else b""
        digest.update(f"{path}\0{len(data) if path.is_file() else 'missing'}\0".encode() + data)
    return digest.hexdigest()
