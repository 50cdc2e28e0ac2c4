"""Accessibility in a real browser: axe-core on every page type in both colour schemes,
and the keyboard: every link and control reachable, visibly focused, skip link first."""

import contextlib
import time
from urllib.parse import urlsplit

import pytest
from browserhelpers import PAGE_TYPES, axe_violations, axe_violations_in_both_schemes, module_tab

pytestmark = pytest.mark.browser

# Every element a keyboard user can reach, in document order, that is rendered.
FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => !el.disabled && el.getClientRects().length > 0)
  .map((el, i) => { el.dataset.focusIndex = i; return i; })"""
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    index: el.dataset.focusIndex ?? null,
    tag: el.tagName, text: el.textContent.trim().slice(0, 40), id: el.id,
    outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
             && box.top < innerHeight + scrollY && box.left < innerWidth,
  };
}"""

# How many rules each stylesheet the page links has (none: it did not load).
STYLESHEET_RULES = "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.sheet?.cssRules.length)"

HOWTO = "/2011/06/is-this-kernel-ready-for-dom0/"  # a post with code blocks
# The newsroom's pages, on the real site.
NEWS_PAGES = {
    "series": "/series/the-road-to-dom0/",
    "author": "/author/dom0-dispatch-editors/",
    "corrections": "/corrections/",
    "follow": "/follow/",
    "corrections policy": "/corrections-policy/",
}
# Pages of the newsroom fixture (conftest.py) the real content has no example of: a lead
# photo with caption and credit, two bylines, a profile with portrait, a full corrections log,
# a translation (its words in German, its link to the original).
NEWSROOM_PAGES = {
    "photo and two bylines": "/2011/07/made-up-report-27/",
    "translation": "/2011/07/a-test-post-with-code-headings-and-two-categories/de/",
    "corrected post": "/2011/07/a-test-post-with-an-update-and-a-correction/",
    "author with portrait": "/author/ada-testwriter/",
    "series": "/series/a-made-up-saga/",
    "corrections log": "/corrections/",
    "home": "/",
}


@pytest.fixture(scope="module")
def axe_found():
    """{(site, kind): {scheme: violations}}: each page is loaded once, for the tests of both
    schemes, and axe runs on it in each (axe_violations_in_both_schemes)."""
    return {}


@pytest.fixture(scope="module")
def tab(browser):
    """``tab(url, route=None)``: the page at ``url``, loaded afresh in the light scheme in
    the module's browserhelpers.Tab for its site (one tab per site goes from page to page:
    every test here reads or types into a static page, loaded anew for it). ``route``:
    (pattern, handler) answering the site's requests."""
    with contextlib.ExitStack() as opened:
        tabs = {}

        def load(url, route=None):
            site = route and route[0]
            if site not in tabs:
                tabs[site] = opened.enter_context(module_tab(browser))
                if route:
                    tabs[site].page.route(*route)
            tabs[site].load(url)
            return tabs[site].page

        yield load


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", {**PAGE_TYPES, **NEWS_PAGES})
def test_axe_finds_no_violations(served, axe_found, tab, kind, scheme):
    if ("served", kind) not in axe_found:
        page = tab(served.siteurl + {**PAGE_TYPES, **NEWS_PAGES}[kind])
        axe_found["served", kind] = axe_violations_in_both_schemes(page)
    assert axe_found["served", kind][scheme] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", NEWSROOM_PAGES)
def test_axe_finds_no_violations_in_the_newsroom(newsroom, axe_found, tab, kind, scheme):
    """The newsroom build's absolute links are answered from its folder, as its server would."""

    def answer(route):
        found = newsroom.file_for(urlsplit(route.request.url).path)
        route.fulfill(path=found) if found.is_file() else route.fulfill(status=404)

    if ("newsroom", kind) not in axe_found:
        page = tab(newsroom.siteurl + NEWSROOM_PAGES[kind], (newsroom.siteurl + "/**", answer))
        assert [bool(rules) for rules in page.evaluate(STYLESHEET_RULES)] == [True]
        axe_found["newsroom", kind] = axe_violations_in_both_schemes(page)
    assert axe_found["newsroom", kind][scheme] == []


def test_a_code_block_that_scrolls_on_a_phone_is_in_the_keyboard_s_reach(served, tab):
    """On a phone the how-to's code blocks scroll sideways: axe found them out of the keyboard's
    reach (scrollable-region-focusable), as they are in browsers that focus no scrolling element."""
    page = tab(served.siteurl + HOWTO)
    page.set_viewport_size({"width": 360, "height": 740})
    scrolling = page.locator("pre").evaluate_all(
        "blocks => blocks.map((b, i) => b.scrollWidth > b.clientWidth ? i : -1).filter(i => i >= 0)"
    )
    assert scrolling, "no code block scrolls on the phone: the test tests nothing"
    assert axe_violations(page) == []
    block = page.locator("pre").nth(scrolling[0])
    block.focus()
    page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + 5  # the browser scrolls smoothly, over a few frames
    while block.evaluate("pre => pre.scrollLeft") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert block.evaluate("pre => pre.scrollLeft") > 0


def test_axe_reports_what_it_should(served, tab):
    """The check can fail: unlabelled input, low contrast and an image without text."""
    page = tab(served.siteurl + "/about/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<input type="text"><p class="low">faint</p><img src="/favicon.svg">')""")
    page.evaluate("() => { const p = document.querySelector('.low'); p.style.color = '#ddd'; }")
    found = " ".join(axe_violations(page))
    for rule in ("label", "color-contrast", "image-alt"):
        assert rule in found


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_tab_reaches_every_link_and_control_with_a_visible_focus(served, tab, kind):
    page = tab(served.siteurl + PAGE_TYPES[kind])
    focusable = page.evaluate(FOCUSABLE)
    assert len(focusable) > 5
    reached, unmarked = [], []
    for _ in focusable:
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused["index"])
        if not (focused["outline"] > 0 or focused["shadow"]) or not focused["visible"]:
            unmarked.append(focused)
    assert reached == [str(i) for i in focusable], "Tab order skips or repeats elements"
    assert unmarked == [], "focused but not visibly marked"


@pytest.mark.parametrize("kind", ["home", "article", "search"])
def test_skip_link_is_first_shows_on_focus_and_moves_to_main(served, tab, kind):
    page = tab(served.siteurl + PAGE_TYPES[kind])
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0, "visible before focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0 and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert first_in_main, "the next Tab after the skip link should land inside <main>"
