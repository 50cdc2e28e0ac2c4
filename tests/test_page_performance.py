"""What pages cost in a real browser: no JavaScript outside the search page, no layout
shift, and the article page within its page-weight budget (benchmarks/page_weight.py)."""

import shutil
import subprocess
import sys
import time

import pytest
from browserhelpers import PAGE_TYPES, ROOT, STORY, module_tab, require_chromium

pytestmark = pytest.mark.browser
PHONE = {"width": 412, "height": 823}

# Every layout shift from navigation start (buffered), summed as Chromium reports them.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
  }).observe({type: 'layout-shift', buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(total), 300)));
})"""


@pytest.fixture(scope="module")
def tab(browser):
    """The tab the module's browser tests load their pages in (browserhelpers.Tab)."""
    with module_tab(browser) as opened:
        yield opened


def script_bytes(tab, url):
    with tab.noting("response") as responses:
        tab.load(url, wait_until="load")
        tab.requests.settle()  # every script the page asked for, answered
    assert tab.problems.messages == []
    return sum(len(r.body()) for r in responses if r.request.resource_type in ("script", "worker"))


@pytest.mark.parametrize("kind", ["article", "tag", "category", "archives", "home", "page"])
def test_no_javascript_is_loaded(tab, served, kind):
    assert script_bytes(tab, served.siteurl + PAGE_TYPES[kind]) == 0


def test_only_the_search_page_loads_javascript(tab, served):
    assert script_bytes(tab, served.siteurl + "/search/") > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_page_does_not_shift(tab, served, scheme):
    tab.load(served.siteurl + STORY, viewport=PHONE, color_scheme=scheme, wait_until="load")
    assert tab.page.evaluate(LAYOUT_SHIFT) == 0


def test_search_page_does_not_shift_when_its_script_shows_the_filters(tab, served):
    """As on a slow phone: the page is painted before its script has run."""
    slowly = "**/search.js"
    tab.page.route(slowly, lambda route: (time.sleep(0.5), route.continue_()))
    try:
        tab.load(served.siteurl + "/search/", viewport=PHONE, wait_until="load")
        tab.page.locator("#search-section").wait_for(state="visible")  # search.js has shown the filters
        assert tab.page.evaluate(LAYOUT_SHIFT) == 0
    finally:
        tab.page.unroute(slowly)


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 720}], ids=["phone", "desktop"])
def test_search_results_arriving_do_not_shift_the_page(tab, served, viewport):
    """A shared search address shows its results once the index has answered, after the
    page is painted: they pushed the footer down the screen as they came."""
    tab.load(served.siteurl + "/search/?q=Xen", viewport=viewport, wait_until="load")
    tab.page.locator("#search-status").filter(has_text="for “Xen”").wait_for()
    assert tab.page.locator("#search-results li").count() > 0
    assert tab.page.evaluate(LAYOUT_SHIFT) == 0


def test_layout_shift_is_measured(tab, served):
    """The measurement can fail: a block pushed in above the text after load shifts it."""
    tab.load(served.siteurl + STORY, wait_until="load")
    tab.page.evaluate("""() => setTimeout(() => {
        const block = document.createElement('div');
        block.textContent = 'pushed in';
        block.style.height = '300px';
        document.querySelector('main').prepend(block);
    }, 50)""")
    assert tab.page.evaluate(LAYOUT_SHIFT) > 0


def page_weight(site, page, *extra):
    require_chromium()  # the benchmark launches its own
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.page_weight", str(site), page, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_story_page_is_within_its_budget(browser, site):
    """The benchmark's own measurement and budget, in the session's browser; the test below
    runs the command itself."""
    from benchmarks.page_weight import Budget, measure, report

    resources = measure(str(site.root), STORY, browser)
    shown = report(STORY, resources)
    assert Budget().problems(resources) == [], shown
    assert "total: 2 requests" in shown


def test_page_weight_fails_a_page_over_budget(site, tmp_path):
    heavy = tmp_path / "site"
    shutil.copytree(site.root, heavy)
    page = heavy / STORY.strip("/") / "index.html"
    (heavy / "theme" / "extra.js").write_text("console.log('%s');\n" % ("x" * 4000))
    padding = " ".join(f"word{i}" for i in range(3000))
    page.write_text(
        page.read_text().replace("</main>", f'<p>{padding}</p><script src="/theme/extra.js"></script></main>')
    )
    result = page_weight(heavy, STORY)
    assert result.returncode == 1
    assert "requests, over the budget of 2" in result.stdout
    assert "bytes of JavaScript, over the budget of 0" in result.stdout
    assert "bytes brotli in total, over the budget of 7,168" in result.stdout
