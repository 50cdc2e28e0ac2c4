"""The search page in a real browser, under the site's Content-Security-Policy."""

import pytest
from browserhelpers import STORY, axe_violations, open_page
from conftest import new_content, newsroom_content, run_build
from sitehelpers import BuiltSite

from devtools.serving import serving

pytestmark = pytest.mark.browser

STORY_TITLE = "Linux 3.0 full support for Xen dom0"
CORRECTED = "A test post corrected twice"
EARLIER = "A test post from an earlier year"


def search(page, words):
    page.get_by_label("Words to find in posts and pages").fill(words)


@pytest.fixture(scope="module")
def served_newsroom(tmp_path_factory):
    """The newsroom (conftest.newsroom_content: two years, three sections) built for and
    served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("served-newsroom")
    content = newsroom_content(folder)
    with serving(folder / "output") as base_url:
        result = run_build(folder / "output", content=content, siteurl=base_url)
        assert result.returncode == 0, result.stderr
        yield BuiltSite(folder / "output", base_url)


def shown(page):
    """(title, "date · section") of each result shown."""
    return [
        (item.locator("h2").inner_text(), item.locator(".search-about").inner_text())
        for item in page.locator("#search-results li").all()
    ]


def status_says(page, text):
    status = page.locator("#search-status")
    status.filter(has_text=text).wait_for()
    return status.inner_text()


def test_typing_linus_finds_the_story(browser, served):
    with open_page(browser) as (page, problems):
        page.goto(served.siteurl + "/search/")
        search(page, "Linus")
        result = page.locator("#search-results li").filter(has_text=STORY_TITLE)
        result.wait_for()
        assert result.locator("h2 a").get_attribute("href") == served.siteurl + STORY
        assert result.locator("mark").first.inner_text() == "Linus"
        assert page.locator("#search-status").inner_text().startswith("1 result for “Linus”")
        assert result.locator(".search-about").inner_text() == "1 June 2011 · Linux"
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
        assert page.get_by_label("Section", exact=True).is_visible()  # the filters are checked too
        assert axe_violations(page) == []


def test_results_come_five_at_a_time_and_more_moves_focus_to_the_next(browser, tmp_path):
    """Each result shown fetches its excerpt: a first search asks for five, not twenty."""
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


def test_results_narrow_by_section_and_year_and_sort_by_date(browser, served_newsroom):
    with open_page(browser) as (page, problems):
        page.goto(served_newsroom.siteurl + "/search/")
        search(page, "made-up")
        status_says(page, "results for “made-up”")
        section, year, order = (page.get_by_label(name, exact=True) for name in ("Section", "Year", "Order"))
        sections = ["All sections", "Linux", "News VPS hosting", "Xen"]
        assert section.locator("option").all_inner_texts() == sections
        assert year.locator("option").all_inner_texts() == ["All years", "2011", "2010"]
        section.select_option("Linux")
        assert status_says(page, "in Linux") == "2 results for “made-up” in Linux."
        year.select_option("2010")
        assert status_says(page, "from 2010") == "1 result for “made-up” in Linux from 2010."
        assert shown(page) == [(EARLIER, "5 November 2010 · Linux")]
        year.select_option("")
        order.select_option("asc")
        assert status_says(page, "oldest") == "2 results for “made-up” in Linux, oldest posts first."
        assert shown(page) == [(EARLIER, "5 November 2010 · Linux"), (CORRECTED, "1 July 2011 · Linux")]
        order.select_option("desc")
        status_says(page, "newest posts first")
        assert shown(page) == [(CORRECTED, "1 July 2011 · Linux"), (EARLIER, "5 November 2010 · Linux")]
        assert page.url.endswith("/search/?q=made-up&section=Linux&sort=desc")
        assert problems.messages == []


def test_a_section_alone_lists_its_posts(browser, served_newsroom):
    with open_page(browser) as (page, problems):
        page.goto(served_newsroom.siteurl + "/search/")
        page.get_by_label("Words to find in posts and pages").focus()
        page.get_by_label("Section", exact=True).select_option("News VPS hosting")
        assert status_says(page, "in News") == "1 result in News VPS hosting."
        assert shown(page) == [("A test post with a lead photo", "1 July 2011 · News VPS hosting")]
        assert problems.messages == []


def test_a_filtered_search_address_can_be_shared(browser, served_newsroom):
    with open_page(browser) as (page, problems):
        page.goto(served_newsroom.siteurl + "/search/?q=made-up&section=Linux&year=2010&sort=asc")
        assert status_says(page, "result") == "1 result for “made-up” in Linux from 2010, oldest posts first."
        assert page.get_by_label("Section", exact=True).input_value() == "Linux"
        assert page.get_by_label("Year", exact=True).input_value() == "2010"
        assert page.get_by_label("Order", exact=True).input_value() == "asc"
        assert problems.messages == []


def test_a_development_build_is_searchable(browser, tmp_path):
    """`build` then `serve`, as the quick start has a new user do: search works there too."""
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", production=False, siteurl=None)
        assert result.returncode == 0, result.stderr
        with open_page(browser) as (page, problems):
            page.goto(base_url + "/search/")
            search(page, "Linus")
            found = page.locator("#search-results li").filter(has_text=STORY_TITLE)
            found.wait_for()
            assert found.locator("h2 a").get_attribute("href") == base_url + STORY
            assert problems.messages == []


def test_a_development_build_with_nothing_to_index_says_search_is_unavailable(browser, tmp_path):
    """A new site's first preview, before any post: built, without an index."""
    content = new_content(tmp_path)
    (content / "pages" / "corrections-policy.md").unlink()  # nothing at all to index
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", production=False, siteurl=None, content=content)
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "output" / "pagefind").exists()
        with open_page(browser) as (page, _):
            page.goto(base_url + "/search/?q=Linus")
            assert status_says(page, "unavailable").startswith("Search is unavailable")
