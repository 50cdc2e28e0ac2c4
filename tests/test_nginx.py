"""deploy/nginx.conf under real nginx: status codes, headers, precompressed files, and CSP in Chromium.

The site is built once for this module for the origin nginx serves it at
(http://127.0.0.1:PORT), so that its absolute links stay on the server under test.
"""

import fnmatch
import gzip
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import run_build
from required import tool
from sitebuild import nginx

ROOT = Path(__file__).resolve().parent.parent
HEADERS_FILE = ROOT / "deploy" / "_headers"
STORY = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
PAGES = {
    "home": "/", "article": STORY, "page": "/about/", "tag": "/tag/xen/", "tags": "/tags/",
    "category": "/category/xen/", "categories": "/categories/", "archives": "/archives/",
    "year archive": "/2011/", "month archive": "/2011/06/",
}
MISSING = "/no-such-page/"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
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


class Served:
    def __init__(self, root: Path, origin: str):
        self.root, self.origin = root, origin

    def get(self, path, **headers):
        parts = urlsplit(self.origin)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def file(self, path):
        target = self.root / path.lstrip("/")
        return target / "index.html" if path.endswith("/") else target

    def stylesheet(self):
        return "/" + next(self.root.glob("theme/site.*.css")).relative_to(self.root).as_posix()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tool("nginx", "nginx-light")
    folder = tmp_path_factory.mktemp("nginx")
    port = nginx.free_port()
    origin = f"http://127.0.0.1:{port}"
    built = run_build(folder / "output", siteurl=origin)
    assert built.returncode == 0, built.stderr
    with nginx.running(folder / "output", folder / "server", port=port) as running_origin:
        yield Served(folder / "output", running_origin)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_is_served_as_built(served, path):
    status, headers, body = served.get(path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == served.file(path).read_bytes()


def test_assets_and_feeds_are_served_with_their_types(served):
    expected = {served.stylesheet(): "text/css; charset=utf-8",
                "/feeds/all.atom.xml": "application/atom+xml; charset=utf-8",
                "/feeds/tag/xen.atom.xml": "application/atom+xml; charset=utf-8",
                "/favicon.svg": "image/svg+xml; charset=utf-8", "/favicon.ico": "image/x-icon",
                "/robots.txt": "text/plain; charset=utf-8", "/sitemap.xml": "text/xml; charset=utf-8"}
    for path, content_type in expected.items():
        status, headers, body = served.get(path)
        assert (status, headers["Content-Type"]) == (200, content_type), path
        assert body == served.file(path).read_bytes(), path


@pytest.mark.parametrize("path", [MISSING, "/2011/06/no-such-post/", "/404.html", "/.publish-stamp.json"])
def test_a_missing_path_gets_status_404_and_the_sites_404_page(served, path):
    status, headers, body = served.get(path)
    assert status == 404
    assert body == (served.root / "404.html").read_bytes()
    assert b"<h1>Page not found</h1>" in body


def test_a_directory_without_its_slash_redirects_on_the_same_origin(served):
    status, headers, _ = served.get("/archives")
    assert status == 301 and headers["Location"] == "/archives/"


def security_header_cases():
    return {"page": STORY, "404": MISSING, "feed": "/feeds/all.atom.xml", "redirect": "/archives"}


@pytest.mark.parametrize("path", security_header_cases().values(), ids=security_header_cases().keys())
def test_every_response_carries_the_security_headers(served, path):
    _, headers, _ = served.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get_all(name) == [value], name
    assert "nginx/" not in headers["Server"]  # no version for scanners


def test_stylesheet_is_cached_for_a_year_and_pages_and_feeds_briefly(served):
    assert served.get(served.stylesheet())[1]["Cache-Control"] == YEAR
    for path in (STORY, "/", "/feeds/all.atom.xml", "/sitemap.xml", MISSING):
        assert served.get(path)[1].get_all("Cache-Control") == [SHORT], path


def nginx_cache_rules():
    """The Cache-Control map of deploy/nginx.conf as (regex, value) pairs, in order."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$uri \$\w+ \{(.*?)\n\}", text, re.S).group(1)
    rules = re.findall(r'^\s*(\S+)\s+"([^"]+)";', block, re.M)
    return [(pattern, value) for pattern, value in rules]


def nginx_cache_control(path):
    rules = nginx_cache_rules()
    default = dict(rules)["default"]
    return next((value for pattern, value in rules if pattern.startswith("~") and re.search(pattern[1:], path)),
                default)


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
    from_headers_file = [h["Cache-Control"] for pattern, h in headers_file_rules()
                         if "Cache-Control" in h and fnmatch.fnmatchcase(path, pattern)]
    # The _headers hosts fall back to their own short caching where no rule matches.
    assert from_headers_file == ([YEAR] if expected == YEAR else [])


def test_pagefind_files_are_cached_as_their_names_allow(served):
    index = sorted(served.root.glob("pagefind/**/*.pf_*"))
    if not index:
        pytest.skip("the build has no /pagefind/ search index yet: only the rules are checked, above")
    assert served.get("/" + index[0].relative_to(served.root).as_posix())[1]["Cache-Control"] == YEAR
    assert served.get("/pagefind/pagefind.js")[1]["Cache-Control"] == SHORT


def test_headers_file_sends_what_nginx_sends(served):
    every_path = [headers for pattern, headers in headers_file_rules() if pattern == "/*"]
    _, headers, _ = served.get(STORY)
    assert every_path == [{name: headers[name] for name in SECURITY_HEADERS}]


def precompressed(served, path):
    candidate = Path(str(served.file(path)) + ".gz")
    if not any(served.root.rglob("*.gz")):
        # No fake .gz files here: the check must be of what the production build writes.
        pytest.xfail("LEAD: the production build writes no .gz files yet (precompression is not merged); "
                     "this test runs for real once it does")
    assert candidate.is_file(), f"the production build did not precompress {path}"
    return candidate.read_bytes()


@pytest.mark.parametrize("kind", ["article", "stylesheet", "feed"])
def test_a_gzip_request_gets_the_precompressed_file(served, kind):
    path = {"article": STORY, "stylesheet": served.stylesheet(), "feed": "/feeds/all.atom.xml"}[kind]
    on_disk = precompressed(served, path)
    status, headers, body = served.get(path, **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert "Accept-Encoding" in headers["Vary"]
    assert body == on_disk  # byte for byte: not compressed again on the fly
    assert gzip.decompress(body) == served.file(path).read_bytes()
    plain = served.get(path)
    assert plain[1]["Content-Encoding"] is None and plain[2] == served.file(path).read_bytes()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`));
"""
# A control page that breaks the policy three ways, to prove the browser check can fail.
CONTROL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP control</title>
<style>body { color: red }</style></head>
<body><p>control</p><script>document.title = "inline ran";</script>
<img src="https://elsewhere.invalid/pixel.png" alt=""></body></html>
"""


@pytest.fixture(scope="module")
def browser(served, tmp_path_factory):
    tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path="/usr/bin/chromium",
            headless=True, args=CHROMIUM_ARGS)
        context.add_init_script(RECORD_VIOLATIONS)
        yield context
        context.close()


def visit(browser, url, search=False):
    """Load ``url``; return the CSP violations and console errors it caused."""
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        response = page.goto(url, wait_until="load")
        if search:  # Pagefind loads its WebAssembly on the first query
            page.fill(".pagefind-ui__search-input", "xen")
            page.wait_for_selector(".pagefind-ui__message", timeout=15000)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        stylesheets = page.evaluate("document.styleSheets.length")
        return response.status, violations, errors, stylesheets
    finally:
        page.close()


def browser_cases():
    cases = dict(PAGES, **{"404": MISSING, "search": "/search/"})
    return cases


@pytest.mark.browser
@pytest.mark.parametrize("path", browser_cases().values(), ids=browser_cases().keys())
def test_no_page_type_violates_the_content_security_policy(served, browser, path):
    if path == "/search/" and not served.file(path).is_file():
        pytest.skip("the build has no /search/ page yet; it is checked here (with a query) once it does")
    search = path == "/search/" and "pagefind-ui" in served.file(path).read_text()
    status, violations, errors, stylesheets = visit(browser, served.origin + path, search=search)
    assert status == (404 if path == MISSING else 200)
    assert violations == []
    if path == MISSING:  # the browser reports the 404 status of the document itself
        errors = [e for e in errors if "status of 404" not in e]
    assert errors == []
    assert stylesheets == 1  # the site's stylesheet was allowed to load


@pytest.mark.browser
def test_the_csp_check_catches_inline_script_and_style_and_foreign_images(served, browser):
    control = served.root / "csp-control" / "index.html"
    control.parent.mkdir(exist_ok=True)
    control.write_text(CONTROL_PAGE)
    try:
        _, violations, errors, _ = visit(browser, served.origin + "/csp-control/")
    finally:
        control.unlink()
    assert {v.split()[0] for v in violations} == {"style-src-elem", "script-src-elem", "img-src"}
    assert len([e for e in errors if "Content Security Policy" in e]) == 3
