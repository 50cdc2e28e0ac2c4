"""deploy/nginx.conf under real nginx: status codes, headers, precompressed files, and CSP in Chromium.

The site is built once for this module for the origin nginx serves it at
(http://127.0.0.1:PORT), so that its absolute links stay on the server under test.
"""

import fnmatch
import gzip
import re
import shutil
from pathlib import Path

import brotli
import pytest
from browserhelpers import PAGE_TYPES, STORY, module_tab
from conftest import run_build
from serverhelpers import RECORD_VIOLATIONS, get, require_nginx

from devtools import nginx
from sitebuild.preview.server import CONTENT_SECURITY_POLICY, DOT_PATH, XML_CONTENT_SECURITY_POLICY, XML_PATH

ROOT = Path(__file__).resolve().parent.parent
HEADERS_FILE = ROOT / "deploy" / "_headers"
MISSING = PAGE_TYPES["404"]
PAGES = {kind: path for kind, path in PAGE_TYPES.items() if kind != "404"}
PAGES.update({"year archive": "/2011/", "month archive": "/2011/06/"})
# The policy previews and browser tests already run under (sitebuild/preview/server.py) is the
# one nginx must send.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
}
YEAR, SHORT = "public, max-age=31536000, immutable", "public, max-age=300"
# Pagefind names its index files by content hash; its entry files keep fixed names.
CACHE_BY_PATH = {
    "/theme/site.0123456789.css": YEAR,
    "/pagefind/pagefind.en_7ca666cbeb.pf_meta": YEAR,
    "/pagefind/fragment/en_1cee9a3.pf_fragment": YEAR,
    "/pagefind/index/en_3f6a1b2.pf_index": YEAR,
    "/pagefind/filter/en_9e0c4d1.pf_filter": YEAR,
    "/pagefind/pagefind.js": SHORT,
    "/pagefind/pagefind-entry.json": SHORT,
    "/pagefind/wasm.en.pagefind": SHORT,
    "/theme/site.css": SHORT,
}


class NginxSite:
    def __init__(self, root: Path, origin: str):
        self.root, self.origin = root, origin

    def get(self, path, **headers):
        return get(self.origin + path, **headers)

    def file(self, path):
        target = self.root / path.lstrip("/")
        return target / "index.html" if path.endswith("/") else target

    def stylesheet(self):
        return "/" + next(self.root.glob("theme/site.*.css")).relative_to(self.root).as_posix()


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory):
    require_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    port = nginx.free_port()
    origin = f"http://127.0.0.1:{port}"
    built = run_build(folder / "output", siteurl=origin)
    assert built.returncode == 0, built.stderr
    with nginx.running(folder / "output", folder / "server", port=port) as running_origin:
        yield NginxSite(folder / "output", running_origin)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_is_served_as_built(nginx_site, path):
    status, headers, body = nginx_site.get(path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == nginx_site.file(path).read_bytes()


def test_assets_and_feeds_are_served_with_their_types(nginx_site):
    expected = {
        nginx_site.stylesheet(): "text/css; charset=utf-8",
        "/feeds/all.atom.xml": "application/atom+xml; charset=utf-8",
        "/feeds/tag/xen.atom.xml": "application/atom+xml; charset=utf-8",
        "/favicon.svg": "image/svg+xml; charset=utf-8",
        "/favicon.ico": "image/x-icon",
        "/robots.txt": "text/plain; charset=utf-8",
        "/sitemap.xml": "text/xml; charset=utf-8",
    }
    for path, content_type in expected.items():
        status, headers, body = nginx_site.get(path)
        assert (status, headers["Content-Type"]) == (200, content_type), path
        assert body == nginx_site.file(path).read_bytes(), path


@pytest.mark.parametrize("path", [MISSING, "/2011/06/no-such-post/", "/404.html", "/.publish-stamp.json"])
def test_a_missing_path_gets_status_404_and_the_sites_404_page(nginx_site, path):
    status, headers, body = nginx_site.get(path)
    assert status == 404
    assert body == (nginx_site.root / "404.html").read_bytes()
    assert b"<h1>Page not found</h1>" in body


def as_read(headers, body):
    """The body as the client reads it, after undoing a Content-Encoding."""
    decode = {None: bytes, "gzip": gzip.decompress, "br": brotli.decompress}[headers["Content-Encoding"]]
    return decode(body)


def location_folders():
    """The folders deploy/nginx.conf has a prefix location for, e.g. / and /feeds/."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    prefixes = re.findall(r"^\s*location\s+(?:\^~\s+)?(/[^\s{]*)\s*\{", text, re.M)
    return [prefix for prefix in prefixes if prefix.endswith("/")]


SECRET = b"not for readers\n"


def plant(root: Path, path: str, body: bytes = SECRET) -> None:
    """A file at URL ``path``, with the .gz and .br copies a production build would write beside it."""
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    Path(f"{target}.gz").write_bytes(gzip.compress(body))
    Path(f"{target}.br").write_bytes(brotli.compress(body))


@pytest.fixture
def dot_files(nginx_site):
    """URLs of a dot-file and of a file in a dot-folder in every top folder of the site and every
    location's folder, each with precompressed copies; removed after the test."""
    root = nginx_site.root
    folders = {"/"} | {f"/{folder.name}/" for folder in root.iterdir() if folder.is_dir()}
    assert set(location_folders()) <= folders, "a location serves a folder the build does not make"
    urls = []
    for folder in sorted(folders):
        plant(root, folder + ".hidden")
        plant(root, folder + ".git/config")
        urls += [folder + ".hidden", folder + ".git/config", folder + "%2Ehidden"]
    yield urls
    for folder in folders:
        for planted in (root / folder.lstrip("/")).glob(".hidden*"):
            planted.unlink()
        shutil.rmtree(root / folder.lstrip("/") / ".git")


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br"])
def test_dot_files_are_404_under_every_location_even_precompressed(nginx_site, dot_files, encoding):
    not_found = (nginx_site.root / "404.html").read_bytes()
    answers = {}
    for url in dot_files:
        status, headers, body = nginx_site.get(url, **{"Accept-Encoding": encoding})
        answers[url] = (status, as_read(headers, body) == not_found)
    assert answers == {url: (404, True) for url in dot_files}


def test_previews_refuse_the_dot_paths_nginx_refuses():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.findall(r'^\s*if \(\$uri ~ "(.*)"\) \{\n\s*return 404;', text, re.M) == [DOT_PATH]


def test_a_folder_without_an_index_gets_the_404_page_not_a_listing(nginx_site):
    root = nginx_site.root
    folders = sorted(
        f"/{folder.relative_to(root).as_posix()}/"
        for folder in root.rglob("*")
        if folder.is_dir() and not (folder / "index.html").exists()
    )
    assert {"/theme/", "/feeds/", "/pagefind/"} <= set(folders)
    not_found = root.joinpath("404.html").read_bytes()
    for folder in folders:
        for encoding in ("identity", "gzip"):
            status, headers, body = nginx_site.get(folder, **{"Accept-Encoding": encoding})
            assert (status, as_read(headers, body) == not_found) == (404, True), (folder, encoding)


def test_well_known_is_served_for_an_acme_webroot(nginx_site):
    token = "/.well-known/acme-challenge/evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
    body = b"evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpkFZQJlXA2wS8ex0DtJ0e_vD1jOh4ajazS3YPA"
    plant(nginx_site.root, token, body)
    plant(nginx_site.root, "/.well-known/acme-challenge/.hidden")
    try:
        status, _, served = nginx_site.get(token)
        assert (status, served) == (200, body)
        for url in ("/.well-known/acme-challenge/.hidden", "/.well-known/", "/.well-known/acme-challenge/"):
            status, _, served = nginx_site.get(url)
            assert (status, served) == (404, (nginx_site.root / "404.html").read_bytes()), url
    finally:
        shutil.rmtree(nginx_site.root / ".well-known")


def test_a_directory_without_its_slash_redirects_on_the_same_origin(nginx_site):
    status, headers, _ = nginx_site.get("/archives")
    assert status == 301 and headers["Location"] == "/archives/"


def security_header_cases():
    return {"page": STORY, "404": MISSING, "feed": "/feeds/all.atom.xml", "redirect": "/archives"}


@pytest.mark.parametrize("path", security_header_cases().values(), ids=security_header_cases().keys())
def test_every_response_carries_the_security_headers(nginx_site, path):
    _, headers, _ = nginx_site.get(path)
    expected = dict(SECURITY_HEADERS)
    if path.endswith(".xml"):
        expected["Content-Security-Policy"] = XML_CONTENT_SECURITY_POLICY
    for name, value in expected.items():
        assert headers.get_all(name) == [value], name
    assert "nginx/" not in headers["Server"]  # no version for scanners


def test_stylesheet_is_cached_for_a_year_and_pages_and_feeds_briefly(nginx_site):
    assert nginx_site.get(nginx_site.stylesheet())[1]["Cache-Control"] == YEAR
    for path in (STORY, "/", "/feeds/all.atom.xml", "/sitemap.xml", MISSING):
        assert nginx_site.get(path)[1].get_all("Cache-Control") == [SHORT], path


def nginx_cache_rules():
    """The Cache-Control map of deploy/nginx.conf as (regex, value) pairs, in order."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$uri \$\w+ \{(.*?)\n\}", text, re.S).group(1)
    rules = re.findall(r'^\s*(\S+)\s+"([^"]+)";', block, re.M)
    return [(pattern, value) for pattern, value in rules]


def nginx_cache_control(path):
    rules = nginx_cache_rules()
    default = dict(rules)["default"]
    return next(
        (value for pattern, value in rules if pattern.startswith("~") and re.search(pattern[1:], path)),
        default,
    )


def headers_file_rules():
    """deploy/_headers as [(path pattern, {header: value})]."""
    rules = []
    for line in HEADERS_FILE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name] = value.strip()
    return rules


@pytest.mark.parametrize("path, expected", CACHE_BY_PATH.items())
def test_fingerprinted_names_and_only_those_are_immutable(path, expected):
    assert nginx_cache_control(path) == expected
    from_headers_file = [
        h["Cache-Control"]
        for pattern, h in headers_file_rules()
        if "Cache-Control" in h and fnmatch.fnmatchcase(path, pattern)
    ]
    # The _headers hosts fall back to their own short caching where no rule matches.
    assert from_headers_file == ([YEAR] if expected == YEAR else [])


def test_pagefind_files_are_cached_as_their_names_allow(nginx_site):
    index = sorted(nginx_site.root.glob("pagefind/**/*.pf_*"))
    assert index, "the production build has no Pagefind index"
    assert nginx_site.get("/" + index[0].relative_to(nginx_site.root).as_posix())[1]["Cache-Control"] == YEAR
    assert nginx_site.get("/pagefind/pagefind.js")[1]["Cache-Control"] == SHORT


def test_headers_file_sends_what_nginx_sends(nginx_site):
    every_path = [headers for pattern, headers in headers_file_rules() if pattern == "/*"]
    _, headers, _ = nginx_site.get(STORY)
    assert every_path == [{name: headers[name] for name in SECURITY_HEADERS}]
    xml = [headers for pattern, headers in headers_file_rules() if pattern == "/*.xml"]
    _, headers, _ = nginx_site.get("/feeds/all.atom.xml")
    assert xml == [{"Content-Security-Policy": headers["Content-Security-Policy"]}]


def test_nginx_and_the_previews_give_xml_documents_the_same_policy():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$uri \$dom0_dispatch_content_security_policy \{(.*?)\n\}", text, re.S).group(1)
    rules = dict(re.findall(r'^\s*(\S+)\s+"([^"]+)";', block, re.M))
    assert rules == {
        "default": CONTENT_SECURITY_POLICY,
        "~" + XML_PATH.pattern: XML_CONTENT_SECURITY_POLICY,
    }


def precompressed(nginx_site, path):
    candidate = Path(str(nginx_site.file(path)) + ".gz")
    assert candidate.is_file(), f"the production build did not precompress {path}"
    return candidate.read_bytes()


@pytest.mark.parametrize("kind", ["article", "stylesheet", "feed"])
def test_a_gzip_request_gets_the_precompressed_file(nginx_site, kind):
    path = {"article": STORY, "stylesheet": nginx_site.stylesheet(), "feed": "/feeds/all.atom.xml"}[kind]
    on_disk = precompressed(nginx_site, path)
    status, headers, body = nginx_site.get(path, **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert "Accept-Encoding" in headers["Vary"]
    assert body == on_disk  # byte for byte: not compressed again on the fly
    assert gzip.decompress(body) == nginx_site.file(path).read_bytes()
    plain = nginx_site.get(path)
    assert plain[1]["Content-Encoding"] is None and plain[2] == nginx_site.file(path).read_bytes()


# A control page that breaks the policy three ways, to prove the browser check can fail.
CONTROL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP control</title>
<style>body { color: red }</style></head>
<body><p>control</p><script>document.title = "inline ran";</script>
<img src="https://elsewhere.invalid/pixel.png" alt=""></body></html>
"""


@pytest.fixture(scope="module")
def tab(browser):
    """The tab the module's browser tests load their pages in (browserhelpers.Tab), each
    page's CSP violations recorded from before its first script runs."""
    with module_tab(browser) as opened:
        opened.page.add_init_script(RECORD_VIOLATIONS)
        yield opened


def visit(tab, url, wait_for=None):
    """Load ``url`` under nginx's headers; return its status, CSP violations and console errors."""
    response = tab.load(url, wait_until="load")
    if wait_for:
        tab.page.locator(wait_for).first.wait_for()
    tab.requests.settle()  # every request it made has been answered or refused
    violations = tab.page.evaluate("window.__cspViolations")
    stylesheets = tab.page.evaluate("document.styleSheets.length")
    return response.status, violations, list(tab.problems.messages), stylesheets


# The search page loads Pagefind, and compiles its WebAssembly, only for a query.
BROWSER_CASES = {**PAGES, "404": MISSING, "search with a query": "/search/?q=dom0"}


@pytest.mark.browser
@pytest.mark.parametrize("path", BROWSER_CASES.values(), ids=BROWSER_CASES.keys())
def test_no_page_type_violates_the_content_security_policy(nginx_site, tab, path):
    wait_for = "#search-results li mark" if "?q=" in path else None
    status, violations, problems, stylesheets = visit(tab, nginx_site.origin + path, wait_for)
    assert status == (404 if path == MISSING else 200)
    assert violations == []
    if path == MISSING:  # the browser reports the 404 status of the document itself
        problems = [p for p in problems if "status of 404" not in p]
    assert problems == []
    assert stylesheets == 1  # the site's stylesheet was allowed to load


@pytest.mark.browser
def test_the_csp_check_catches_inline_script_and_style_and_foreign_images(nginx_site, tab):
    control = nginx_site.root / "csp-control" / "index.html"
    control.parent.mkdir(exist_ok=True)
    control.write_text(CONTROL_PAGE)
    try:
        _, violations, problems, _ = visit(tab, nginx_site.origin + "/csp-control/")
    finally:
        shutil.rmtree(control.parent)  # the module's site is shared: leave it as built
    assert {v.split()[0] for v in violations} == {"style-src-elem", "script-src-elem", "img-src"}
    assert len([p for p in problems if "Content Security Policy" in p]) == 3


# Chromium shows a document served as XML (the sitemap; feeds from the preview) with its
# own XML viewer, and one served as Atom, RSS or JSON Feed (feeds from nginx) as text.
OPENED_IN_A_BROWSER = {
    "Atom": "/feeds/all.atom.xml",
    "RSS": "/feeds/all.rss.xml",
    "JSON Feed": "/feeds/all.json",
    "tag feed": "/feeds/tag/xen.atom.xml",
    "sitemap": "/sitemap.xml",
}
STORY_TEXT = {"sitemap": STORY}


def assert_shows_its_text(tab, url, expected):
    """Opened in Chromium, ``url`` shows ``expected``, with nothing of the browser's own viewer blocked."""
    assert tab.load(url, wait_until="load").status == 200
    tab.requests.settle()
    text = tab.page.evaluate("document.body.innerText")
    assert tab.problems.messages == []
    as_tree = "This XML file does not appear to have any style information" in text
    assert as_tree or text.startswith(("<?xml", "{"))  # the viewer's tree, or the text as served
    assert expected in text


@pytest.mark.browser
@pytest.mark.parametrize("kind", OPENED_IN_A_BROWSER)
def test_a_feed_or_the_sitemap_opened_in_chromium_shows_it(nginx_site, tab, kind):
    expected = STORY_TEXT.get(kind, "Linux 3.0 full support for Xen dom0")
    assert_shows_its_text(tab, nginx_site.origin + OPENED_IN_A_BROWSER[kind], expected)


@pytest.mark.browser
@pytest.mark.parametrize("kind", OPENED_IN_A_BROWSER)
def test_a_feed_or_the_sitemap_opened_from_the_preview_shows_it(served, tab, kind):
    expected = STORY_TEXT.get(kind, "Linux 3.0 full support for Xen dom0")
    assert_shows_its_text(tab, served.siteurl + OPENED_IN_A_BROWSER[kind], expected)


def test_the_previews_404_page_keeps_the_page_policy_at_an_xml_address(served):
    status, headers, _ = get(served.siteurl + "/feeds/no-such-feed.xml")
    assert (status, headers["Content-Security-Policy"]) == (404, CONTENT_SECURITY_POLICY)
