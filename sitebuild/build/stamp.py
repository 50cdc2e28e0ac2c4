"""The publish stamp: written last into a production build's staging folder, it names the
build (production, SITEURL) and the SHA-256 of every file, so deploy ships only a whole,
unchanged production build for the origin named. No time stamp: builds stay identical."""

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

STAMP_NAME = ".publish-stamp.json"


class StampError(Exception):
    """The output folder is not exactly what a successful production build wrote."""


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root`` but the stamp, by POSIX relative path."""
    digests = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if relative != STAMP_NAME:
                with open(path, "rb") as handle:
                    digests[relative] = hashlib.sha256(handle.read()).hexdigest()
    return dict(sorted(digests.items()))


class SourceMap:
    """While Pelican writes: which post or page each written file shows, so that
    `invoke check` can name the Markdown file to fix rather than only the page."""

    def __init__(self, output: Path, content: str):
        self.output, self.content = str(output), content
        self.found: dict[str, str] = {}

    def __enter__(self):
        from pelican import signals

        signals.content_written.connect(self._written, weak=False)
        return self

    def __exit__(self, *exc_info):
        from pelican import signals

        signals.content_written.disconnect(self._written)

    def _written(self, path, context=None, **_):
        shown = (context or {}).get("article") or (context or {}).get("page")
        if getattr(shown, "source_path", None):
            page = os.path.relpath(path, self.output).replace(os.sep, "/")
            self.found[page] = os.path.relpath(shown.source_path, self.content).replace(os.sep, "/")


def write_stamp(root: Path, settings: dict, sources: dict[str, str] | None = None) -> Path:
    """Record a finished production build; call only once nothing else will write to ``root``.
    ``sources``: the source, relative to content/, of each page that shows a post or page."""
    stamp = {
        "production": bool(settings.get("PRODUCTION")),
        "siteurl": settings["SITEURL"],
        "files": file_digests(root),
        "sources": dict(sorted((sources or {}).items())),
    }
    path = Path(root) / STAMP_NAME
    path.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def verified_stamp(root: Path, siteurl: str | None = None) -> dict:
    """The stamp of ``root`` if it is an unchanged production build for ``siteurl`` (when
    None: for the origin it was built for, unless that is a local preview's); else StampError."""
    root = Path(root)
    path = root / STAMP_NAME
    if not root.is_dir():
        raise StampError(f"{root} does not exist: run `python3 make.py publish` first")
    if not path.is_file():
        raise StampError(
            f"{root} was not written by a successful `python3 make.py publish` (no {STAMP_NAME})"
        )
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        recorded, built_for, production = stamp["files"], stamp["siteurl"], stamp["production"]
    except (ValueError, KeyError, TypeError) as error:
        raise StampError(f"{path} is unreadable ({error}): run `python3 make.py publish` again") from None
    if not production:
        raise StampError(f"{root} is a development build: run `python3 make.py publish`")
    if siteurl is None and is_local(built_for):
        raise StampError(
            f"{root} was built for {built_for!r}, a preview on this machine: run "
            f"`python3 make.py publish --siteurl URL` with the address the site is served from"
        )
    if siteurl is not None and built_for != siteurl.rstrip("/"):
        raise StampError(
            f"{root} was built for {built_for!r}, not {siteurl!r}: run `python3 make.py publish "
            f"--siteurl {siteurl}` first, or name no origin (no --siteurl, no SITEURL in the "
            f"environment) to deploy it for {built_for}"
        )
    problems = changed_files(recorded, file_digests(root))
    if problems:
        listed = "\n  ".join(problems[:20]) + ("\n  …" if len(problems) > 20 else "")
        raise StampError(f"{root} changed after `python3 make.py publish`; run it again:\n  {listed}")
    return stamp


def built_for(root: Path) -> str | None:
    """The origin a production build in ``root`` was made for; None for anything else."""
    try:
        stamp = json.loads((Path(root) / STAMP_NAME).read_text(encoding="utf-8"))
        return stamp["siteurl"] if stamp["production"] else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_local(siteurl: str) -> bool:
    """Whether ``siteurl`` is served from this machine only (a preview, an audit)."""
    host = urlsplit(siteurl).hostname or ""
    return host == "localhost" or host.endswith(".localhost") or host.startswith("127.") or host == "::1"


def changed_files(recorded: dict, actual: dict) -> list[str]:
    problems = [f"missing: {name}" for name in recorded if name not in actual]
    problems += [f"not from the build: {name}" for name in actual if name not in recorded]
    problems += [
        f"modified: {name}" for name in recorded if name in actual and actual[name] != recorded[name]
    ]
    return sorted(problems, key=lambda line: line.split(": ", 1)[1])
