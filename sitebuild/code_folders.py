"""The code a build depends on besides its content, named once (build_code) and digested: for the
development cache's fingerprint (build/cache.py), the live preview's watcher and its restart."""

import hashlib
import sysconfig
from pathlib import Path

from . import ROOT

# The installed packages: an install or upgrade renames a package's record at their top level.
PACKAGE_FOLDERS = sorted({Path(sysconfig.get_paths()[name]) for name in ("purelib", "platlib")})


def build_code(theme=None) -> tuple[list[Path], list[Path], list[Path]]:
    """Folders of code (``theme``'s too, if given), settings files, folders of installed packages."""
    folders = [Path(folder) for folder in (theme, ROOT / "plugins", ROOT / "sitebuild") if folder]
    return folders, [ROOT / "pelicanconf.py", ROOT / "publishconf.py"], PACKAGE_FOLDERS


def code_digest(theme=None) -> str:
    """A digest of build_code(``theme``): files (bytecode aside), and names atop package folders."""
    folders, settings, packages = build_code(theme)
    files = sorted(p for f in folders for p in f.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    names = [p.name for folder in packages for p in sorted(folder.iterdir())]
    digest = hashlib.blake2b("\0".join(names).encode(), digest_size=16)
    for path in files + settings:
        data = path.read_bytes() if path.is_file() else b""
        digest.update(f"{path}\0{len(data) if path.is_file() else 'missing'}\0".encode() + data)
    return digest.hexdigest()
