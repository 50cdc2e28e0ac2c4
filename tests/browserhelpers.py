"""Driving Debian's headless Chromium (Playwright) and the npm tools the tests use.

A missing browser or tool skips the test with the reason on a developer's machine and
fails it in CI (CI=true), where .ci/run must have installed everything.
"""

import contextlib
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(reason: str):
    """Fail in CI, skip elsewhere: a tool CI should have installed is not there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


def require_file(path: Path, how: str) -> Path:
    if not path.is_file():
        missing(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} is missing; {how}")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("java is not installed (apt-get install default-jre-headless)")
    return java


def require_chromium() -> None:
    """Playwright and Debian's Chromium, for a test that drives a browser itself or through a benchmark."""
    from devtools.browser import CHROMIUM

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright is not installed (pip install -r requirements-test.txt)")
    require_file(CHROMIUM, "apt-get install chromium")


@contextlib.contextmanager
def started_browser():
    require_chromium()
    from devtools.browser import chromium

    with chromium() as browser:
        yield browser


class PageProblems:
    """Console errors, uncaught exceptions and failed requests seen while a page was open."""

    def __init__(self, page):
        self.messages = []
        page.on("console", lambda m: m.type == "error" and self.messages.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.messages.append(f"exception: {e}"))
        page.on("requestfailed", lambda r: self.messages.append(f"request failed: {r.url}"))


class PageRequests:
    """Every request a page makes, so that a test can wait until all of them have finished
    (or failed): what networkidle waits for, without its 500 ms of quiet after the last one."""

    def __init__(self, page):
        self.page, self.pending = page, set()
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def settle(self, timeout=15):
        """Return once every request made so far has finished, and the tasks the page queued
        meanwhile (securitypolicyviolation events, console messages) have run."""
        deadline = time.monotonic() + timeout
        while True:
            while self.pending:
                assert time.monotonic() < deadline, f"requests still open: {[r.url for r in self.pending]}"
                self.page.wait_for_timeout(10)  # Playwright dispatches the page's events while it waits
            self.page.evaluate("() => new Promise(resolve => setTimeout(resolve))")
            if not self.pending:  # else a queued task started another request: wait for it too
                return


def answer_from(page, origin: str, local: str) -> None:
    """Answer ``page``'s requests to ``origin`` (the address a build was made for) from the
    server at ``local`` serving that build, with the server's status and headers (its CSP)."""

    def forward(route):
        parts = urlsplit(route.request.url)
        url = local + parts.path + (f"?{parts.query}" if parts.query else "")
        route.fulfill(response=route.fetch(url=url, max_redirects=0))

    page.context.route(origin + "/**", forward)


@contextlib.contextmanager
def open_page(browser, **context_options):
    """(page, its PageProblems) in a fresh context, so no cache or state leaks between tests."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)  # local pages: anything slower is a failure
    try:
        page = context.new_page()
        yield page, PageProblems(page)
    finally:
        context.close()


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # a new context's, unless told otherwise


class Tab:
    """A browser tab that the tests of a module load their pages in, one after the other
    (module_tab): ``load(url)`` fetches the page and all it asks for anew (the tab's HTTP
    cache is off) and empties ``problems``, so each page is seen as a fresh tab would see
    it. A tab of each test's own costs it a renderer process and its context a storage
    partition; the site keeps no cookies or storage that one page could leave the next."""

    def __init__(self, page, problems):
        self.page, self.problems, self.requests = page, problems, PageRequests(page)
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})

    @contextlib.contextmanager
    def noting(self, event):
        """The list of what the page emits as ``event`` ("request", "response") in the block,
        from after the page before has had all its answers (nothing of it is noted)."""
        self.requests.settle()
        noted = []

        def note(what):
            noted.append(what)

        self.page.on(event, note)
        try:
            yield noted
        finally:
            self.page.remove_listener(event, note)

    def load(self, url, viewport=DEFAULT_VIEWPORT, color_scheme="light", **goto_options):
        """The response to ``url``, loaded in the tab at that viewport and colour scheme
        (as a new context would have them: Playwright's default, or the test's own). The
        page before is left for a blank one first, so that nothing of it, nor a picture it
        would fetch for the new viewport, reaches the next."""
        self.requests.settle()
        self.page.goto("about:blank")
        self.problems.messages.clear()
        self.page.set_viewport_size(viewport)
        self.page.emulate_media(color_scheme=color_scheme)
        return self.page.goto(url, **goto_options)


@contextlib.contextmanager
def module_tab(browser, **context_options):
    """A Tab in a context of its own (open_page), for a module fixture."""
    with open_page(browser, **context_options) as (page, problems):
        yield Tab(page, problems)


def axe_violations(page) -> list[str]:
    """Run axe-core (node_modules, exact pin in package-lock.json) on the loaded page.

    Injected through the DevTools protocol, which the page's Content-Security-Policy
    does not govern, so the page is checked as it is served.
    """
    inject_axe(page)
    return run_axe(page)


def inject_axe(page) -> None:
    page.evaluate(require_file(AXE, "run npm ci").read_text(encoding="utf-8"))


def run_axe(page) -> list[str]:
    """axe_violations() on a page axe has been injected into (inject_axe)."""
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


def in_both_schemes(page, look) -> dict:
    """{scheme: look(page)} of the loaded page in the light colour scheme, then in the dark
    one: the same page switched with emulate_media, so its styles are recomputed for
    prefers-color-scheme without a second load."""
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # Nothing may still be fading from one scheme's colours to the other's.
        page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark == (scheme == "dark"), f"the page is not in the {scheme} scheme"
        found[scheme] = look(page)
    return found


def axe_violations_in_both_schemes(page) -> dict[str, list[str]]:
    """{scheme: axe_violations} of the loaded page in each colour scheme (in_both_schemes)."""
    inject_axe(page)  # once: the page is not reloaded between the runs
    return in_both_schemes(page, run_axe)


STORY = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
# One page of each type the site has; the 404 page as a reader meets it, at a bad address.
PAGE_TYPES = {
    "home": "/",
    "article": STORY,
    "page": "/about/",
    "tag": "/tag/xen/",
    "tags": "/tags/",
    "category": "/category/xen/",
    "categories": "/categories/",
    "archives": "/archives/",
    "search": "/search/",
    "404": "/no-such-page/",
}
