"""The search page in a real browser, under the site's Content-Security-Policy."""

import pytest
from browserhelpers import STORY, axe_violations, open_page

pytestmark = pytest.mark.browser

STORY_TITLE = "Linux 3.0 full support for Xen dom0"


def search(page, words):
    page.get_by_label("Words to find in posts and pages").fill(words)


def test_typing_linus_finds_the_story(browser, served):
    with open_page(browser) as (page, problems):
        page.goto(served.siteurl + "/search/")
        search(page, "Linus")
        result = page.locator("#search-results li").filter(has_text=STORY_TITLE)
        result.wait_for()
        assert result.locator("h2 a").get_attribute("href") == served.siteurl + STORY
        assert result.locator("mark").first.inner_text() == "Linus"
        assert page.locator("#search-status").inner_text().startswith("1 result for “Linus”")
        assert problems.messages == []


def test_a_word_in_no_post_says_no_results(browser, served):
    with open_page(browser) as (page, problems):
        page.goto(served.siteurl + "/search/")
        search(page, "zyzzogeton")
        status = page.locator("#search-status")
        status.filter(has_text="No results").wait_for()
        assert status.inner_text().startswith("No results for “zyzzogeton”")
        assert page.locator("#search-results li").count() == 0
        assert problems.messages == []


def test_a_search_address_can_be_shared(browser, served):
    with open_page(browser) as (page, _):
        page.goto(served.siteurl + "/search/?q=Fitzhardinge")
        page.locator("#search-results li a", has_text=STORY_TITLE).wait_for()
        assert page.get_by_label("Words to find in posts and pages").input_value() == "Fitzhardinge"


def test_without_javascript_the_page_says_so_and_links_the_lists(browser, served):
    with open_page(browser, java_script_enabled=False) as (page, _):
        page.goto(served.siteurl + "/search/")
        message = page.locator("main .search-message")
        assert message.is_visible()
        assert message.inner_text().startswith("Search needs JavaScript, which is turned off")
        links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".search-message a").all()}
        assert links == {"archives": served.siteurl + "/archives/", "tags": served.siteurl + "/tags/"}


def test_with_javascript_the_no_javascript_message_is_hidden(browser, served):
    with open_page(browser) as (page, _):
        page.goto(served.siteurl + "/search/")
        # With scripting on, a <noscript>'s content is never parsed into elements.
        assert page.locator("main .search-message").count() == 0
        assert page.get_by_role("search").get_by_label("Words to find in posts and pages").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_accessible_in_both_schemes(browser, served, scheme):
    with open_page(browser, color_scheme=scheme) as (page, _):
        page.goto(served.siteurl + "/search/?q=dom0")
        page.locator("#search-results li mark").first.wait_for()
        assert axe_violations(page) == []


def test_results_come_five_at_a_time_and_more_moves_focus_to_the_next(browser, tmp_path):
    """Each result shown fetches its excerpt: a first search asks for five, not twenty."""
    from conftest import new_content, run_build

    from devtools.serving import serving

    content = new_content(tmp_path)
    for number in range(7):
        (content / "articles" / f"post-{number}.md").write_text(
            f"Title: Hypercall note {number}\nDate: 2011-06-{number + 1:02d}\nCategory: xen\n\n"
            f"A hypercall is how a guest asks Xen for something (note {number}).\n",
            encoding="utf-8",
        )
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", content=content, siteurl=base_url)
        assert result.returncode == 0, result.stderr
        with open_page(browser) as (page, problems):
            fragments = []
            page.on("request", lambda request: "/fragment/" in request.url and fragments.append(request.url))
            page.goto(base_url + "/search/")
            search(page, "hypercall")
            status = page.locator("#search-status")
            status.filter(has_text="5 shown").wait_for()
            assert status.inner_text() == "7 results for “hypercall”, 5 shown."
            assert page.locator("#search-results li").count() == 5 and len(fragments) == 5
            more = page.get_by_role("button", name="More results")
            more.click()
            status.filter(has_text="7 results for “hypercall”.").wait_for()
            assert page.locator("#search-results li").count() == 7 and more.is_hidden()
            focused = page.evaluate(
                "document.activeElement.closest('li') === document.querySelectorAll('#search-results li')[5]"
            )
            assert focused, "focus did not move to the first new result"
            assert problems.messages == []


def test_a_first_search_stays_within_the_budget(browser):
    """The benchmark's own measurement, on a small corpus (docs/performance.md has 5,000 posts)."""
    from benchmarks.search_weight import MAX_KIB, MAX_REQUESTS, measure

    loaded = measure(60, "buffer", browser)
    assert any("/pagefind/fragment/" in url for url, _ in loaded), loaded
    assert len(loaded) <= MAX_REQUESTS, loaded
    assert sum(size for _, size in loaded) <= MAX_KIB * 1024, loaded
