"""Reading a built site the way a reader's browser would: parsed pages (links resolve
with sitebuild.check.Site)."""

import hashlib
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup


class BuiltSite:
    def __init__(self, root: Path, siteurl: str):
        self.root = Path(root)
        self.siteurl = siteurl.rstrip("/")

    def html_files(self):
        return sorted(self.root.rglob("*.html"))

    def url_of(self, path: Path) -> str:
        relative = path.relative_to(self.root).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        return f"{self.siteurl}/{relative}"

    @cache  # noqa: B019 - one BuiltSite per test session; its pages are parsed once
    def soup(self, relative: str) -> BeautifulSoup:
        """Parse the page at a URL path such as '2011/06/slug/' or 'index.html'."""
        return BeautifulSoup(self.file_for(relative).read_text(encoding="utf-8"), "lxml")

    def file_for(self, relative: str) -> Path:
        path = self.root / relative.lstrip("/")
        if relative.endswith("/") or relative == "" or path.is_dir():
            path = path / "index.html"
        return path

    def text(self, relative: str) -> str:
        return self.file_for(relative).read_text(encoding="utf-8")


def digest(root: Path) -> dict[str, str]:
    """{path: SHA-256} of every file under ``root``: two equal digests are byte-identical trees."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }
