"""Dom0 Dispatch's build. ``Build`` describes one build; build/pipeline.py runs it, and hands
it to the plugins as the one setting ``SITEBUILD``, which they read with ``build_of``."""

import contextlib
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTING = "SITEBUILD"
IMAGE_CACHE = "images"  # below the cache folder: pictures and cards, shared by every build


def _as_typed(path: str) -> str:
    """``path``, in the project, as the author types it where they are: relative in the project's
    root, else whole. make.py runs its tasks in the root, and says in MAKE_PY_CWD where it was run from."""
    with contextlib.suppress(OSError):  # a working folder since deleted
        if Path(os.environ.get("MAKE_PY_CWD") or Path.cwd()) == ROOT:
            return path
    return shlex.quote(str(ROOT / path))


# The commands advice names. BUILD_COMMAND: a build with an option `make.py build` does not take
# (--content, --output, --cache), in the environment make.py made. MAKE_COMMAND: make.py's, before a task.
BUILD_COMMAND = f"{_as_typed('.venv/bin/python')} -m sitebuild"
MAKE_COMMAND = f"python3 {_as_typed('make.py')}"


@dataclass(frozen=True)
class Build:
    """What one build reads, where it writes and for whom. ``content`` and ``cache``: None
    for the settings file's. ``fingerprint`` (sitebuild/build/cache.py) is set by build() and keys
    every cache; it is empty when Pelican runs by hand, without sitebuild."""

    output: Path = ROOT / "output"
    content: Path | None = None
    production: bool = False
    siteurl: str | None = None
    cache: Path | None = None
    overrides: dict = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def by_sitebuild(self) -> bool:
        return bool(self.fingerprint)

    @property
    def content_folder(self) -> Path:
        """The folder this build reads (absolute): ``content``, else the settings file's."""
        return Path(os.path.abspath(self.content)) if self.content else ROOT / "content"

    @property
    def image_cache(self) -> Path | None:
        """The pictures' and cards' cache, shared by development and production builds."""
        return self.cache / IMAGE_CACHE if self.by_sitebuild and self.cache else None

    def settings(self, staging: Path | None = None) -> dict:
        """Pelican's settings for this build, writing into ``staging`` (default: the output)."""
        from pelican.settings import read_settings

        override = {**self.overrides, "OUTPUT_PATH": str(staging or self.output)}
        if self.content:
            override["PATH"] = str(Path(self.content).resolve())
        if self.cache:
            override["CACHE_PATH"] = str(Path(self.cache).resolve())
        if self.siteurl is not None:
            override.update(SITEURL=self.siteurl.rstrip("/"), FEED_DOMAIN=self.siteurl.rstrip("/"))
        path = ROOT / ("publishconf.py" if self.production else "pelicanconf.py")
        return read_settings(str(path), override=override)


BY_HAND = Build()


def build_of(settings: dict) -> Build:
    """The build Pelican runs in; ``BY_HAND`` when Pelican runs without sitebuild."""
    return settings.get(SETTING) or BY_HAND
