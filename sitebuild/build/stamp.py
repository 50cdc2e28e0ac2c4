"""The publish stamp: written last into a production build's staging folder, it names the
build (production, SITEURL) and the SHA-256 of every file, which deploy checks
(deploy/verify.py) before it ships. No time stamp: builds stay identical."""

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

STAMP_NAME = ".publish-stamp.json"
NOT_A_FILE = "not a file"  # in place of a digest: never equal to one


def all_files(folder: Path) -> list[Path]:
    return sorted(Path(parent, name) for parent, _, names in os.walk(folder) for name in names)


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root`` but the stamp, by POSIX relative path."""
    digests = {path.relative_to(root).as_posix(): _digest(path) for path in all_files(root)}
    digests.pop(STAMP_NAME, None)
    return dict(sorted(digests.items()))


def _digest(path: Path) -> str:
    """SHA-256 of a regular file; NOT_A_FILE for a symbolic link (no build writes one: it would
    ship as a link to a path of this machine) or a special file, which is never read (a pipe
    would wait for a writer, a device might never end)."""
    if os.path.islink(path) or not os.path.isfile(path):
        return NOT_A_FILE
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


@contextmanager
def source_map(output: Path, content: str):
    """While Pelican writes: which post or page each written file shows, so that
    `invoke check` can name the Markdown file to fix rather than only the page."""
    from pelican import signals

    found: dict[str, str] = {}

    def written(path, context=None, **_):
        shown = (context or {}).get("article") or (context or {}).get("page")
        if getattr(shown, "source_path", None):
            page = os.path.relpath(path, output).replace(os.sep, "/")
            found[page] = os.path.relpath(shown.source_path, content).replace(os.sep, "/")

    with signals.content_written.connected_to(written):
        yield found


def write_stamp(root: Path, settings: dict, sources: dict[str, str]) -> None:
    """Record a finished production build; call only once nothing else will write to ``root``.
    ``sources``: the source, relative to content/, of each page that shows a post or page."""
    stamp = {
        "production": bool(settings.get("PRODUCTION")),
        "siteurl": settings["SITEURL"],
        "files": file_digests(root),
        "sources": dict(sorted(sources.items())),
    }
    (Path(root) / STAMP_NAME).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
