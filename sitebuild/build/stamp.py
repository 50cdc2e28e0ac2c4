"""The publish stamp: written last into a production build's staging folder, it names the
build (production, SITEURL) and the SHA-256 of every file, which deploy checks
(deploy/verify.py) before it ships. No time stamp: builds stay identical."""

import hashlib
import json
import os
from pathlib import Path

STAMP_NAME = ".publish-stamp.json"


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


def built_for(root: Path) -> str | None:
    """The origin a production build in ``root`` was made for; None for anything else."""
    try:
        stamp = json.loads((Path(root) / STAMP_NAME).read_text(encoding="utf-8"))
        return stamp["siteurl"] if stamp["production"] else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
