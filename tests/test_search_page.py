"""The search page in a real browser, under the site's Content-Security-Policy."""

from collections import Counter
from datetime import datetime
from urllib.parse import urlencode

import pytest
from browserhelpers import STORY, answer_from, axe_violations_in_both_schemes, module_tab, open_page
from conftest import new_content, run_build
from sitehelpers import build_search_index

from devtools.serving import serving

pytestmark = pytest.mark.browser

STORY_TITLE = "Linux 3.0 full support for Xen dom0"


def search(page, words):
    page.get_by_label("Words to find in posts and pages").fill(words)


@pytest.fixture(scope="module")
def tab(browser):
    """The tab the module's tests load their pages in (browserhelpers.Tab)."""
    with module_tab(browser) as opened:
        yield opened


@pytest.fixture(scope="module")
def newsroom_tab(browser, newsroom):
    """A Tab for the session's newsroom build (conftest.newsroom_content: two years, three
    sections), served on 127.0.0.1 as `invoke serve` serves it, CSP and all, and answering
    its own address from there (answer_from)."""
    with serving(newsroom.root) as base_url, module_tab(browser) as opened:
        answer_from(opened.page, newsroom.siteurl, base_url)
        yield opened


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


def test_typing_linus_finds_the_story(tab, served):
    tab.load(served.siteurl + "/search/")
    page = tab.page
    search(page, "Linus")
    result = page.locator("#search-results li").filter(has_text=STORY_TITLE)
    result.wait_for()
    assert result.locator("h2 a").get_attribute("href") == served.siteurl + STORY
    assert result.locator("mark").first.inner_text() == "Linus"
    assert page.locator("#search-status").inner_text().startswith("1 result for “Linus”")
    assert result.locator(".search-about").inner_text() == "1 June 2011 · Linux"
    assert tab.problems.messages == []


def test_a_word_in_no_post_says_no_results(tab, served):
    tab.load(served.siteurl + "/search/")
    page = tab.page
    search(page, "zyzzogeton")
    status = page.locator("#search-status")
    status.filter(has_text="No results").wait_for()
    assert status.inner_text().startswith("No results for “zyzzogeton”")
    assert page.locator("#search-results li").count() == 0
    assert tab.problems.messages == []


def test_a_search_address_can_be_shared(tab, served):
    tab.load(served.siteurl + "/search/?q=Fitzhardinge")
    tab.page.locator("#search-results li a", has_text=STORY_TITLE).wait_for()
    assert tab.page.get_by_label("Words to find in posts and pages").input_value() == "Fitzhardinge"


def test_without_javascript_the_page_says_so_and_links_the_lists(browser, served):
    with open_page(browser, java_script_enabled=False) as (page, _):
        page.goto(served.siteurl + "/search/")
        message = page.locator("main .search-message")
        assert message.is_visible()
        assert message.inner_text().startswith("Search needs JavaScript, which is turned off")
        links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".search-message a").all()}
        assert links == {"archives": served.siteurl + "/archives/", "tags": served.siteurl + "/tags/"}


def test_with_javascript_the_no_javascript_message_is_hidden(tab, served):
    tab.load(served.siteurl + "/search/")
    # With scripting on, a <noscript>'s content is never parsed into elements.
    assert tab.page.locator("main .search-message").count() == 0
    assert tab.page.get_by_role("search").get_by_label("Words to find in posts and pages").is_visible()


@pytest.fixture(scope="module")
def results_axe_found():
    """{scheme: axe violations} of one page of results, checked in both schemes
    (axe_violations_in_both_schemes) for the tests of each."""
    return {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_accessible_in_both_schemes(tab, served, results_axe_found, scheme):
    if not results_axe_found:
        tab.load(served.siteurl + "/search/?q=dom0")
        tab.page.locator("#search-results li mark").first.wait_for()
        assert tab.page.get_by_label("Section", exact=True).is_visible()  # the filters are checked too
        results_axe_found.update(axe_violations_in_both_schemes(tab.page))
    assert results_axe_found[scheme] == []


def test_results_come_five_at_a_time_and_more_moves_focus_to_the_next(tab, tmp_path):
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
        page = tab.page
        with tab.noting("request") as requests:
            tab.load(base_url + "/search/")
            search(page, "hypercall")
            status = page.locator("#search-status")
            status.filter(has_text="5 shown").wait_for()
            assert status.inner_text() == "7 results for “hypercall”, 5 shown."
            fragments = [request.url for request in requests if "/fragment/" in request.url]
            assert page.locator("#search-results li").count() == 5 and len(fragments) == 5
        more = page.get_by_role("button", name="More results")
        more.click()
        status.filter(has_text="7 results for “hypercall”.").wait_for()
        assert page.locator("#search-results li").count() == 7 and more.is_hidden()
        focused = page.evaluate(
            "document.activeElement.closest('li') === document.querySelectorAll('#search-results li')[5]"
        )
        assert focused, "focus did not move to the first new result"
        assert tab.problems.messages == []


def test_a_first_search_stays_within_the_budget(browser):
    """The benchmark's own measurement, on a small corpus (docs/performance.md has 5,000 posts)."""
    from benchmarks.search_weight import MAX_KIB, MAX_REQUESTS, measure

    loaded = measure(60, "buffer", browser)
    assert any("/pagefind/fragment/" in url for url, _ in loaded), loaded
    assert len(loaded) <= MAX_REQUESTS, loaded
    assert sum(size for _, size in loaded) <= MAX_KIB * 1024, loaded


def all_shown(page):
    """shown(page) once "More results" has been pressed until every result is shown."""
    more = page.get_by_role("button", name="More results")
    while more.is_visible():
        count = page.locator("#search-results li").count()
        more.click()
        page.locator("#search-results li").nth(count).wait_for()
    return shown(page)


def count_in(status):
    """The number of results a status line gives ("7 results for …", "1 result in …")."""
    return int(status.split(" ", 1)[0])


def as_shown(posts):
    """(title, "date · section") of each post, as a result for it shows them."""
    return {(post.title, post.about) for post in posts}


def dates_of(results):
    return [datetime.strptime(about.split(" · ")[0], "%d %B %Y") for _, about in results]


def section_and_year(site, words):
    """A section of the site's posts that say ``words``, and a year: the first section (by
    name) whose posts saying them are of more than one year, and the earliest of its years,
    so that each narrows the results. Returns (posts saying words, section, year)."""
    matching = [post for post in site.posts() if words in post.text.lower()]
    years = {}
    for post in matching:
        for section in post.sections:
            years.setdefault(section, set()).add(post.date.year)
    section = min(name for name, found in years.items() if len(found) > 1)
    return matching, section, str(min(years[section]))


def test_results_narrow_by_section_and_year_and_sort_by_date(newsroom, newsroom_tab):
    posts = newsroom.posts()
    matching, chosen_section, chosen_year = section_and_year(newsroom, "made-up")
    in_section = [post for post in matching if chosen_section in post.sections]  # its second too
    in_year = [post for post in in_section if str(post.date.year) == chosen_year]
    page, problems = newsroom_tab.page, newsroom_tab.problems
    newsroom_tab.load(newsroom.siteurl + "/search/")
    search(page, "made-up")
    status_says(page, "results for “made-up”")  # posts, and any page that says it
    section, year, order = (page.get_by_label(name, exact=True) for name in ("Section", "Year", "Order"))
    sections = sorted({name for post in posts for name in post.sections}, key=str.lower)  # as Jinja sorts
    assert section.locator("option").all_inner_texts() == ["All sections", *sections]
    years = sorted({str(post.date.year) for post in posts}, reverse=True)
    assert year.locator("option").all_inner_texts() == ["All years", *years]
    section.select_option(chosen_section)
    assert count_in(status_says(page, f"for “made-up” in {chosen_section}")) == len(in_section)
    year.select_option(chosen_year)
    status = status_says(page, f"from {chosen_year}")
    assert count_in(status) == len(in_year)
    assert f"for “made-up” in {chosen_section} from {chosen_year}" in status
    results = all_shown(page)
    assert len(results) == len(in_year) and set(results) == as_shown(in_year)
    year.select_option("")
    order.select_option("asc")
    status = status_says(page, "oldest posts first")
    assert count_in(status) == len(in_section) and f"for “made-up” in {chosen_section}," in status
    results = all_shown(page)
    assert len(results) == len(in_section) and set(results) == as_shown(in_section)
    assert dates_of(results) == sorted(dates_of(results))
    order.select_option("desc")
    status_says(page, "newest posts first")
    results = all_shown(page)
    assert len(results) == len(in_section) and set(results) == as_shown(in_section)
    assert dates_of(results) == sorted(dates_of(results), reverse=True)
    query = urlencode({"q": "made-up", "section": chosen_section, "sort": "desc"})
    assert page.url.endswith(f"/search/?{query}")
    assert problems.messages == []


def test_a_result_in_another_language_than_the_page_s_says_its_own(newsroom, newsroom_tab):
    """The German translation's title and excerpt are marked German on the English search
    page, as in every other list (plugins/languages.py); an English post's are not marked."""
    page, problems = newsroom_tab.page, newsroom_tab.problems
    newsroom_tab.load(newsroom.siteurl + "/search/")
    search(page, "übersetzt")
    status_says(page, "1 result")
    results = page.locator("#search-results li")
    assert [results.locator(part).get_attribute("lang") for part in ("h2 a", "p >> nth=-1")] == ["de", "de"]
    search(page, "Linus")
    status_says(page, "for “Linus”")
    assert page.locator("#search-results li [lang]").count() == 0 < results.count()
    assert problems.messages == []


def test_a_result_written_right_to_left_runs_right_to_left(tab, tmp_path):
    """An Arabic translation's title and excerpt are laid out right to left on the English
    search page, as on its own page: lang alone left its punctuation and marks running the
    wrong way, since a browser lays out text by dir."""
    content = new_content(tmp_path)
    english = (
        "Title: Hypercalls explained\nDate: 2011-06-01\nCategory: xen\nSlug: hypercalls\n\n"
        "How a guest asks Xen.\n"
    )
    arabic = (
        "Title: شرح الاستدعاءات الفائقة\nDate: 2011-06-01\nCategory: xen\nSlug: hypercalls\nLang: ar\n\n"
        "كيف يطلب الضيف شيئًا من زين (Xen).\n"
    )
    (content / "articles" / "hypercalls.md").write_text(english, encoding="utf-8")
    (content / "articles" / "hypercalls-ar.md").write_text(arabic, encoding="utf-8")
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", content=content, siteurl=base_url)
        assert result.returncode == 0, result.stderr
        tab.load(base_url + "/search/")
        page = tab.page
        search(page, "الضيف")
        status_says(page, "1 result")
        found = page.locator("#search-results li")
        marked = [
            (found.locator(part).get_attribute("lang"), found.locator(part).get_attribute("dir"))
            for part in ("h2 a", "p >> nth=-1")
        ]
        assert marked == [("ar", "rtl"), ("ar", "rtl")]
        assert found.locator(".search-about").get_attribute("dir") is None
        search(page, "guest")
        status_says(page, "for “guest”")
        assert page.locator("#search-results li [dir]").count() == 0 < found.count()
        assert tab.problems.messages == []


def test_a_section_alone_lists_its_posts(newsroom, newsroom_tab):
    """Every post posted in the section (the section with the fewest posts), whatever its words,
    its kicker's or not; a translation too, indexed as English (test_search_index.py)."""
    posts = newsroom.posts()
    counts = Counter(section for post in posts for section in post.sections)
    chosen = min(counts, key=lambda name: (counts[name], name))
    in_section = [post for post in posts if chosen in post.sections]
    page, problems = newsroom_tab.page, newsroom_tab.problems
    newsroom_tab.load(newsroom.siteurl + "/search/")
    page.get_by_label("Words to find in posts and pages").focus()
    page.get_by_label("Section", exact=True).select_option(chosen)
    assert count_in(status_says(page, f"in {chosen}")) == len(in_section)
    results = all_shown(page)
    assert len(results) == len(in_section) and set(results) == as_shown(in_section)
    assert problems.messages == []


def test_every_section_and_year_the_index_holds_is_offered(tab, tmp_path):
    """A section that is only ever a post's second category (its footer's, never a kicker), and
    the year of a translation dated after its original's, are values of the index's filters:
    the Section and Year lists offer them too."""
    content = new_content(tmp_path)
    posts = {
        "patch": "Title: The patch\nDate: 2011-06-01\nCategory: xen, security\n\nA patch of Xen.\n",
        "release": "Title: The release\nSlug: release\nDate: 2011-12-30\nCategory: xen\n\nXen 4.1.\n",
        "release-fr": "Title: La version\nSlug: release\nLang: fr\nDate: 2012-01-02\nCategory: xen\n\nXen.\n",
    }
    for name, text in posts.items():
        (content / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", content=content, siteurl=base_url)
        assert result.returncode == 0, result.stderr
        tab.load(base_url + "/search/")
        page = tab.page
        section, year = (page.get_by_label(name, exact=True) for name in ("Section", "Year"))
        assert section.locator("option").all_inner_texts() == ["All sections", "security", "Xen"]
        assert year.locator("option").all_inner_texts() == ["All years", "2012", "2011"]
        page.get_by_label("Words to find in posts and pages").focus()
        section.select_option("security")
        assert count_in(status_says(page, "in security")) == 1
        assert shown(page)[0][0] == "The patch"
        section.select_option("")
        year.select_option("2012")
        assert count_in(status_says(page, "from 2012")) == 1
        assert shown(page)[0][0] == "La version"
        assert tab.problems.messages == []


def test_a_filtered_search_address_can_be_shared(newsroom, newsroom_tab):
    matching, section, year = section_and_year(newsroom, "made-up")
    expected = [post for post in matching if section in post.sections and str(post.date.year) == year]
    query = urlencode({"q": "made-up", "section": section, "year": year, "sort": "asc"})
    page, problems = newsroom_tab.page, newsroom_tab.problems
    newsroom_tab.load(f"{newsroom.siteurl}/search/?{query}")
    status = status_says(page, "oldest posts first")
    assert count_in(status) == len(expected)
    assert f"for “made-up” in {section} from {year}" in status
    assert set(all_shown(page)) == as_shown(expected)
    assert page.get_by_label("Section", exact=True).input_value() == section
    assert page.get_by_label("Year", exact=True).input_value() == year
    assert page.get_by_label("Order", exact=True).input_value() == "asc"
    assert problems.messages == []


def test_a_development_build_is_searchable(tab, dev_site):
    """`build` then `serve`, as the quick start has a new user do: search works there too
    (the session's development build of the real content, conftest.dev_site)."""
    with serving(dev_site.root) as base_url:
        tab.load(base_url + "/search/")
        search(tab.page, "Linus")
        found = tab.page.locator("#search-results li").filter(has_text=STORY_TITLE)
        found.wait_for()
        assert found.locator("h2 a").get_attribute("href") == base_url + STORY
        assert tab.problems.messages == []


def test_a_new_sites_first_preview_searches_its_own_pages(tab, tmp_path):
    """Before any post, a preview is searchable all the same: the Follow page is indexed."""
    content = new_content(tmp_path)
    (content / "pages" / "corrections-policy.md").unlink()
    with serving(tmp_path / "output") as base_url:
        result = run_build(tmp_path / "output", production=False, siteurl=None, content=content)
        assert result.returncode == 0, result.stderr
        tab.load(base_url + "/search/")
        search(tab.page, "feed reader")
        assert status_says(tab.page, "result").startswith("1 result for “feed reader”")


def test_a_development_build_with_nothing_to_index_writes_no_index(tmp_path):
    """A theme or site with no marked page: a development build writes no index rather than failing."""
    (tmp_path / "index.html").write_text("<html lang=en><body><main><p>No marks.</p></main></body></html>")
    build_search_index(tmp_path, required=False)
    assert not (tmp_path / "pagefind").exists()
