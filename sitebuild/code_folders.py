"""The code a build depends on besides its content, named once: the development cache's
fingerprint (cache.py), and the live preview's watcher and its restart (preview/live.py)
all take it from here."""

import sysconfig
from pathlib import Path

from . import ROOT

SETTINGS_FILES = ("pelicanconf.py", "publishconf.py")
# The installed packages: an install or upgrade renames a package's record at their top level.
PACKAGE_FOLDERS = sorted({Path(sysconfig.get_paths()[name]) for name in ("purelib", "platlib")})


def code_folders(settings: dict | None = None, root: Path = ROOT) -> list[Path]:
    """The theme (where ``settings`` put it), the plugins and sitebuild/."""
    theme = Path(settings["THEME"]) if settings else root / "theme"
    return [theme, root / "plugins", root / "sitebuild"]


def code_files(folders: list[Path], root: Path = ROOT) -> list[Path]:
    """Every file in ``folders`` (compiled bytecode aside), then the settings files."""
    found = [
        p
        for folder in folders
        for p in Path(folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return sorted(found) + [root / name for name in SETTINGS_FILES]
