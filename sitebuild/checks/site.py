"""Check a built site before it is published: ``python -m sitebuild.checks.site OUTPUT [SITEURL]``.

Reports broken or off-site internal links, fragments naming no element, malformed feeds or
enclosures, sitemap addresses that are no page of the site, leaked drafts and Nu HTML Checker
errors; exits 1 on any problem."""

import functools
import json
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .. import MAKE_COMMAND, ROOT
from ..build.stamp import STAMP_NAME

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
JSON_FEED = "https://jsonfeed.org/version/"
OUTSIDE = "outside"
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}


@dataclass
class Page:
    links: list = field(default_factory=list)
    ids: set = field(default_factory=set)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.page.ids.add(attrs[name])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and attrs.get(attribute):
            self.page.links.append(attrs[attribute])


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


class Site:
    def __init__(self, root: Path, siteurl: str = ""):
        self.root = Path(root)
        self.siteurl = siteurl.rstrip("/")
        self.prefix = urlsplit(self.siteurl).path + "/"  # "/" at a domain's root, or "/project/"
        self._pages = {}

    def page(self, path: Path) -> Page:
        if path not in self._pages:
            self._pages[path] = parse_page(path)
        return self._pages[path]

    def url_of(self, path: Path) -> str:
        relative = path.relative_to(self.root).as_posix().removesuffix("index.html")
        return f"{self.siteurl}/{relative}"

    def resolve(self, url: str, base: str) -> tuple[Path, str] | str | None:
        """The file and fragment a same-site URL points to, None for other sites, or
        OUTSIDE for an address on the same host outside the site's path."""
        parts = urlsplit(urljoin(base, url))
        site = urlsplit(self.siteurl + "/")
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
        if not (parts.path + "/").startswith(self.prefix):
            return OUTSIDE
        target = self.root / unquote(parts.path[len(self.prefix) :])
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target, parts.fragment


def link_problems(site: Site) -> list[str]:
    problems = []
    for path in sorted(site.root.rglob("*.html")):
        base = site.url_of(path)
        for url in site.page(path).links:
            resolved = site.resolve(url, base)
            if resolved is None:
                continue
            where = path.relative_to(site.root)
            if resolved == OUTSIDE:
                problems.append(f"{where}: link to {url} leads outside the site's address {site.siteurl}/")
                continue
            target, fragment = resolved
            if not target.is_file():
                problems.append(f"{where}: link to missing {url}")
            elif fragment and target.suffix == ".html" and fragment not in site.page(target).ids:
                problems.append(f"{where}: link to missing anchor {url}")
    return problems


@functools.cache
def feeds_that_may_be_empty() -> set[str]:
    """Feeds with nothing to say until something happens (the corrections feed, as the
    settings name it); any other feed without entries lost them."""
    from pelican.settings import read_settings

    return {read_settings(str(ROOT / "pelicanconf.py"))["CORRECTIONS_FEED_ATOM"]}


def feed_problems(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.xml")):
        try:
            tree = ElementTree.parse(path)
        except ElementTree.ParseError as error:
            problems.append(f"{path.relative_to(root)}: not well-formed XML ({error})")
            continue
        if path.name.endswith(".atom.xml"):
            feed = tree.getroot()
            if feed.tag != f"{ATOM}feed" or feed.find(f"{ATOM}id") is None:
                problems.append(f"{path.relative_to(root)}: not an Atom feed")
            elif (
                not feed.findall(f"{ATOM}entry")
                and path.relative_to(root).as_posix() not in feeds_that_may_be_empty()
            ):
                problems.append(f"{path.relative_to(root)}: feed has no entries")
        elif path.name.endswith(".rss.xml") and (tree.getroot().tag != "rss" or tree.find("channel") is None):
            problems.append(f"{path.relative_to(root)}: not an RSS feed")
    return problems + json_feed_problems(root)


def json_feed_problems(root: Path) -> list[str]:
    problems = []
    for path in sorted((root / "feeds").glob("*.json")):
        try:
            feed = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            problems.append(f"{path.relative_to(root)}: not valid JSON ({error})")
            continue
        if not (
            isinstance(feed, dict)
            and str(feed.get("version", "")).startswith(JSON_FEED)
            and isinstance(feed.get("items"), list)
        ):
            problems.append(f"{path.relative_to(root)}: not a JSON Feed")
    return problems


def feed_attachments(path: Path) -> list[tuple[str, str | None]]:
    """(URL, stated length or None) of every image and enclosure a feed names."""
    if path.suffix == ".json":
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        images = [(item[key], None) for item in items for key in ("image", "banner_image") if item.get(key)]
        return images + [
            (a["url"], a.get("size_in_bytes")) for item in items for a in item.get("attachments", [])
        ]
    root = ElementTree.parse(path).getroot()
    atom = [(e.get("href"), e.get("length")) for e in root.iter(f"{ATOM}link") if e.get("rel") == "enclosure"]
    return atom + [(e.get("url"), e.get("length")) for e in root.iter("enclosure")]


def attachment_problems(site: Site) -> list[str]:
    """A feed reader fetches these with no page around them: each must be a built file."""
    problems = []
    for path in sorted(feed_files(site.root)):
        where = path.relative_to(site.root)
        try:
            attachments = feed_attachments(path)
        except (ElementTree.ParseError, ValueError, LookupError, TypeError, AttributeError):
            continue  # not a well-formed feed: feed_problems says so
        for url, length in attachments:
            resolved = site.resolve(str(url), site.url_of(path))
            if not isinstance(resolved, tuple) or not resolved[0].is_file():
                problems.append(f"{where}: image or enclosure {url} is not a file of this site")
            elif length is not None and str(length) != str(size := resolved[0].stat().st_size):
                problems.append(f"{where}: enclosure {url} says {length} bytes, its file has {size}")
    return problems


def sitemap_problems(site: Site) -> list[str]:
    """A search engine fetches each address a sitemap lists: each must be a page of this site."""
    problems = []
    for path in sorted(site.root.glob("*sitemap.xml")):
        try:
            tree = ElementTree.parse(path)
        except ElementTree.ParseError:
            continue  # not well-formed: feed_problems says so
        addresses = [loc.text or "" for loc in tree.iter(f"{SITEMAP}loc")]
        addresses += [link.get("href") or "" for link in tree.iter(f"{XHTML}link")]  # language versions
        for url in addresses:
            resolved = site.resolve(url.strip(), site.url_of(path))
            if not isinstance(resolved, tuple) or not resolved[0].is_file():
                problems.append(f"{path.relative_to(site.root)}: {url} is not a page of this site")
    return problems


def feed_files(root: Path) -> list[Path]:
    return [*root.rglob("*.atom.xml"), *root.rglob("*.rss.xml"), *(root / "feeds").glob("*.json")]


def draft_problems(root: Path) -> list[str]:
    return [f"{p.relative_to(root)}: drafts are published" for p in [root / "drafts"] if p.exists()]


def validity_problems(root: Path) -> list[str]:
    from .html_validity import CheckerMissing, html_errors

    try:
        errors = html_errors(sorted(root.rglob("*.html")))
    except CheckerMissing as error:
        return [f"HTML not validated: {error}"]
    return [
        f"{Path(page).relative_to(root.resolve())}: {message}"
        for page, messages in sorted(errors.items())
        for message in messages
    ]


def run_checks(root: Path, siteurl: str = "", validate_html: bool = True) -> list[str]:
    site = Site(root, siteurl)
    problems = link_problems(site) + feed_problems(root) + attachment_problems(site) + sitemap_problems(site)
    problems += draft_problems(root)
    return problems + (validity_problems(root) if validate_html else [])


class _CanonicalParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "canonical" in (attrs.get("rel") or "").split() and not self.href:
            self.href = attrs.get("href") or ""


def siteurl_of(root: Path) -> str:
    """The SITEURL a build used, read back from its canonical link on the home page.

    Parsed, not searched for as text: minified HTML drops quotes and reorders attributes.
    """
    parser = _CanonicalParser()
    parser.feed((Path(root) / "index.html").read_text(encoding="utf-8"))
    return parser.href.rstrip("/")


def sources_of(root: Path) -> dict[str, str]:
    """Output page → Markdown source, as the production build recorded in its stamp."""
    try:
        return json.loads((Path(root) / STAMP_NAME).read_text(encoding="utf-8")).get("sources", {})
    except (OSError, ValueError, AttributeError):
        return {}


def built_for(root: Path) -> str | None:
    """The origin a production build in ``root`` was made for; None for anything else."""
    try:
        stamp = json.loads((Path(root) / STAMP_NAME).read_text(encoding="utf-8"))
        return stamp["siteurl"] if stamp["production"] else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def by_source(problems: list[str], sources: dict[str, str]) -> list[str]:
    """Name the Markdown file to fix first: "articles/x.md (2011/06/x/index.html): …"."""
    named = []
    for problem in problems:
        page, separator, rest = problem.partition(": ")
        named.append(f"{sources[page]} ({page}): {rest}" if separator and page in sources else problem)
    return named


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else "output")
    if len(argv) > 2:  # a path split at its spaces: the first part is no site
        print(f"check: takes OUTPUT [SITEURL], not {argv}: quote a path that holds spaces")
        return 1
    if not (root / "index.html").is_file():  # else "0 pages … are fine"
        print(f"check: {root} holds no built site (no index.html): run {MAKE_COMMAND} check, which builds it")
        return 1
    siteurl = argv[1] if len(argv) > 1 else siteurl_of(root)
    problems = by_source(run_checks(root, siteurl), sources_of(root))
    pages = len(list(root.rglob("*.html")))
    feeds = len(feed_files(root))
    if problems:
        print(f"check: {len(problems)} problem(s) in {root}:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(f"check: {pages} pages and {feeds} feeds in {root}: links, anchors, feeds and HTML are fine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
