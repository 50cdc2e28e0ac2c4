"""Reading a built site the way a reader's browser would: parsed pages (links resolve
with sitebuild.checks.site.Site)."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

from sitebuild.build.search import indexing, start_pagefind, wait_for_pagefind
from sitebuild.build.stamp import all_files


@dataclass(frozen=True)
class Post:
    """A post as its page shows it (article_header.html): the headline, the kicker over it
    (its section), the date in the byline, and the body text."""

    url: str  # the URL path, "/2011/06/slug/"
    title: str
    section: str
    sections: tuple[str, ...]  # the kicker's, then every other it is posted in (its footer's links)
    shown_date: str  # "5 November 2010"
    text: str

    @property
    def date(self) -> date:
        return datetime.strptime(self.shown_date, "%d %B %Y").date()

    @property
    def about(self) -> str:
        """The "date · section" line a search result shows."""
        return f"{self.shown_date} · {self.section}"


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

    def posts(self) -> list[Post]:
        """Every post page of the site (a headline under a kicker), as a reader sees it."""
        posts = []
        for path in self.html_files():
            soup = self.soup(path.relative_to(self.root).as_posix())
            header = soup.select_one("article.post > header.post-header")
            if header is None or header.select_one(".kicker") is None:
                continue  # a listing, or a page (about, policy): no section, no date
            posts.append(
                Post(
                    url=self.url_of(path).removeprefix(self.siteurl),
                    title=header.select_one("h1").get_text(strip=True),
                    section=header.select_one(".kicker").get_text(strip=True),
                    sections=tuple(
                        dict.fromkeys(
                            term.get_text(strip=True)
                            for term in soup.select("header .kicker, .post-footer a[href*='/category/']")
                        )
                    ),
                    shown_date=header.select_one(".byline time").get_text(strip=True),
                    text=soup.select_one("article.post > .post-body").get_text(" ", strip=True),
                )
            )
        return posts


def digest(root: Path) -> dict[str, str]:
    """{path: SHA-256} of every file under ``root``: two equal digests are byte-identical trees."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }


def run_pagefind(site: Path, bundle: Path) -> None:
    """Pagefind on ``site`` alone, as a build starts and checks it."""
    wait_for_pagefind(start_pagefind(site, bundle), site, bundle)


def build_search_index(output_dir: Path, *, required: bool = True) -> None:
    """The search index of ``output_dir``'s marked pages, as a build writes it."""
    with indexing(output_dir, all_files(output_dir), required=required):
        pass
