"""The Pagefind index of the production build: what it holds, and that a failed indexing
stops the build. (That it is reproducible: test_assets.py, with every other file.)"""

import gzip
import json
import re
import shutil
from collections import Counter
from datetime import datetime
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

import pytest
from newsroomdata import DRAFT, SCHEDULED, generated_urls
from sitehelpers import build_search_index, run_pagefind

from sitebuild.build import search, search_order
from sitebuild.build.errors import BuildError
from sitebuild.build.stamp import all_files


def indexed_pages(root, bundle=None):
    """{url: page} for every page in the index, read from Pagefind's fragment files."""
    pages = {}
    for fragment in ((bundle or root / "pagefind") / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data
    return pages


def test_only_article_and_page_bodies_are_indexed_with_their_titles(site):
    pages = indexed_pages(site.root)
    expected = {}
    for path in site.html_files():
        soup = site.soup(path.relative_to(site.root).as_posix())
        heading = soup.select_one("article.post > header > h1")  # a post or page of its own
        if heading:
            expected[site.url_of(path).removeprefix(site.siteurl)] = heading.get_text(strip=True)
    assert "/2011/06/linux-3-0-full-support-for-xen-dom0/" in expected and "/about/" in expected
    assert {url: page["meta"]["title"] for url, page in pages.items()} == expected


def test_index_holds_the_body_text_only(site):
    story = indexed_pages(site.root)["/2011/06/linux-3-0-full-support-for-xen-dom0/"]
    assert "Jeremy Fitzhardinge" in story["content"]
    for chrome in ("Skip to content", "Posted in", "Permalink", "Atom feed"):
        assert chrome not in story["content"]
    assert all(
        not anchor["text"].endswith("#")
        for page in indexed_pages(site.root).values()
        for anchor in page["anchors"]
    )


def test_excerpts_hold_prose_only(site):
    """Footnote markers glued a "1" to the word before them; a table became a run of cells."""
    pages = indexed_pages(site.root)
    howto = pages["/2011/06/is-this-kernel-ready-for-dom0/"]["content"]
    assert "CONFIG_IKCONFIG_PROC also expose" in howto and "↩" not in howto
    assert "General setup" in howto  # the footnote's own text stays searchable
    background = pages["/2011/06/what-dom0-is-and-why-it-had-to-be-upstream/"]["content"]
    assert "split drivers" in background.lower() and "block frontend" not in background


def test_paragraphs_stay_separate_words_in_the_index(site):
    """Pagefind reads pages as rendered: in minified HTML (no space between </p><p>) it
    joined the last word of a paragraph to the first of the next."""
    story = indexed_pages(site.root)["/2011/06/linux-3-0-full-support-for-xen-dom0/"]["content"]
    assert "it’s now included. " in story
    assert re.findall(r"[a-z][.?!][A-Z]", story) == []


def test_only_the_files_the_search_page_uses_are_published(site):
    bundle = site.root / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not list(bundle.glob("*ui*")) and not (bundle / "pagefind-highlight.js").exists()


def test_only_marked_pages_are_indexed(tmp_path):
    for name, mark in (("marked", " data-pagefind-body"), ("listing", "")):
        page = tmp_path / name / "index.html"
        page.parent.mkdir()
        page.write_text(f'<html lang="en"><body><main{mark}><h1>{name}</h1><p>Text.</p></main></body></html>')
    build_search_index(tmp_path)
    assert list(indexed_pages(tmp_path)) == ["/marked/"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["listing", "marked", "pagefind"]


def processes_reading(folder: Path) -> list[str]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in command:
            found.append(command)
    return found


def test_a_step_failing_while_pagefind_indexes_stops_it_and_removes_its_links(tmp_path):
    """A publish finishes the other files while Pagefind reads links to the marked pages: a
    failure there ends Pagefind at once and leaves no link folder (pipeline.py)."""
    site = tmp_path / "site"
    for number in range(300):  # enough for Pagefind to be still at work when the step fails
        page = site / f"post-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        body = f"<main data-pagefind-body><p>Post {number}.</p></main>"
        page.write_text(f'<html lang="en"><body>{body}</body></html>')
    with pytest.raises(RuntimeError), search.indexing(site, all_files(site)) as marked:
        assert len(marked) == 300 and processes_reading(site / search.PAGEFIND_INPUT)
        raise RuntimeError("finishing failed")
    assert processes_reading(site) == []
    assert not (site / search.PAGEFIND_INPUT).exists()


def test_indexing_a_folder_without_pages_fails_the_build(tmp_path):
    with pytest.raises(BuildError) as failure:
        build_search_index(tmp_path)
    assert "the site has no post or page to index" in str(failure.value)


def test_a_pagefind_failure_fails_the_build(tmp_path):
    with pytest.raises(BuildError) as failure:
        run_pagefind(tmp_path, tmp_path / "bundle")
    assert "search index: Pagefind failed" in str(failure.value)
    assert "did not contain any html files" in str(failure.value)


def emptied(path):
    path.write_bytes(b"")


def cut_short(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    "name, damage",
    [
        ("pagefind.js", emptied),
        ("*.pf_fragment", cut_short),
        ("*.pf_meta", Path.unlink),
        ("pagefind-entry.json", cut_short),
    ],
)
def test_an_index_pagefind_did_not_write_whole_is_refused(tmp_path, name, damage):
    """Pagefind does not report a failed write (tests/test_full_disk.py): its bundle is
    checked file by file, and a damaged one is refused by name."""
    page = tmp_path / "site" / "post" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="en"><body><main data-pagefind-body><p>Some text.</p></main></body></html>')
    bundle = tmp_path / "bundle"
    run_pagefind(tmp_path / "site", bundle)
    search.check_bundle(bundle)  # whole as written
    [path] = bundle.rglob(name)
    damage(path)
    with pytest.raises(BuildError, match=re.escape(path.name)) as failure:
        search.check_bundle(bundle)
    assert "search index: " in str(failure.value) and "is the disk full?" in str(failure.value)


def test_the_whole_site_is_one_index(site):
    """One Pagefind bundle: a reader's first search loads one set of chunks, not one per part."""
    bundle = site.root / "pagefind"
    assert not (bundle / "parts.json").exists() and not list(bundle.glob("part-*"))
    assert len(list(bundle.glob("pagefind-entry.json"))) == 1


def test_pages_with_any_name_are_indexed(tmp_path):
    """A name with glob syntax in it is neither lost nor taken as a pattern."""
    names = ["plain-post", "c++ {and} [more]", "what's-new"]
    for number, name in enumerate(names):
        page = tmp_path / name / "index.html"
        page.parent.mkdir()
        page.write_text(
            f'<html lang="en"><body><main data-pagefind-body><h1>Post {number}</h1>'
            f"<p>Words of post {number}.</p></main></body></html>"
        )
    build_search_index(tmp_path)
    titles = sorted(page["meta"]["title"] for page in indexed_pages(tmp_path).values())
    assert titles == ["Post 0", "Post 1", "Post 2"]


@pytest.fixture(scope="module")
def tab(browser):
    """The tab the module's browser tests load their pages in (browserhelpers.Tab)."""
    from browserhelpers import module_tab

    with module_tab(browser) as opened:
        yield opened


def pagefind_in_chromium(tab, site, script):
    """``script`` (an async function of Pagefind's JS API) run on ``site``, served locally."""
    from devtools.serving import serving

    with serving(site.root) as base_url:
        tab.load(base_url + "/about/")
        return tab.page.evaluate(
            f"async () => {{ const pagefind = await import('/pagefind/pagefind.js'); await pagefind.init();"
            f" return ({script})(pagefind); }}"
        )


@pytest.mark.browser
def test_the_index_narrows_by_each_posts_section_and_year(newsroom, tab):
    """Each post counts once under each section it is posted in (its footer; the kicker shows
    the first) and the year of the date under its headline, as the post pages show them; a draft or a
    scheduled post has no page, so no count. The German translation of a Xen post counts
    with the English posts: base.html declares it English (<html lang> is DEFAULT_LANG), so
    Pagefind indexes it with them."""
    posts = newsroom.posts()
    urls = {post.url for post in posts}
    assert {f"/{url}" for url in generated_urls()} <= urls
    assert not any(slug in url for url in urls for slug in (DRAFT, SCHEDULED))
    assert any(post.url.endswith("/de/") and post.section == "Xen" for post in posts)
    filters = pagefind_in_chromium(tab, newsroom, "(pagefind) => pagefind.filters()")
    assert filters == {
        "section": dict(Counter(section for post in posts for section in post.sections)),
        "year": dict(Counter(str(post.date.year) for post in posts)),
    }


@pytest.mark.browser
def test_the_index_sorts_posts_by_date_and_gives_each_its_date_and_section(newsroom, tab):
    """The posts that say "made-up", narrowed to the section most of them are in, come newest
    first, each with the title, date and section its own page shows."""
    matching = [post for post in newsroom.posts() if "made-up" in post.text.lower()]
    [(section, _)] = Counter(section for post in matching for section in post.sections).most_common(1)
    script = """async (pagefind) => {
        const options = { filters: { section: SECTION }, sort: { date: "desc" } };
        const found = await pagefind.search("made-up", options);
        const pages = await Promise.all(found.results.map((result) => result.data()));
        return pages.map((page) => [page.url, page.meta.title, page.meta.date, page.meta.section]);
    }""".replace("SECTION", json.dumps(section))
    found = pagefind_in_chromium(tab, newsroom, script)
    pages = {post.url: post for post in matching if section in post.sections}
    assert sorted(url for url, *_ in found) == sorted(pages)
    assert [shown for _, *shown in found] == [
        [pages[url].title, pages[url].shown_date, pages[url].section] for url, *_ in found
    ]
    dates = [datetime.strptime(shown_date, "%d %B %Y") for _, _, shown_date, _ in found]
    assert all(date >= later for date, later in pairwise(dates)), dates


FILTERED_PAGE = (
    '<html lang="en"><body><main data-pagefind-body><h1>{title}</h1>'
    '<p data-pagefind-filter="section">{section}</p><p data-pagefind-filter="year">{year}</p>'
    "<p>Words about dom0 and Xen.</p></main></body></html>"
)


def test_the_same_pages_give_the_same_index_whatever_order_pagefind_wrote(tmp_path):
    """Pagefind writes filter values in a different order on each run: put in order, the
    index is the same bytes every time (sitebuild/build/search_order.py)."""
    site = tmp_path / "site"
    for number, (section, year) in enumerate(
        [("Xen", 2010), ("Linux", 2011), ("Security", 2011), ("Xen", 2011)]
    ):
        page = site / f"post-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(FILTERED_PAGE.format(title=f"Post {number}", section=section, year=year))
    bundles = []
    for run in range(4):
        copy = tmp_path / f"run-{run}"
        shutil.copytree(site, copy)
        build_search_index(copy)
        bundles.append(
            {p.relative_to(copy).as_posix(): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
        )
    assert all(bundle == bundles[0] for bundle in bundles[1:])
    entry = json.loads(bundles[0]["pagefind/pagefind-entry.json"])
    meta = search_order.read(
        tmp_path / "run-0" / "pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    )
    filters = {
        name: search_order.read(tmp_path / "run-0" / "pagefind" / "filter" / f"{hashed}.pf_filter")
        for name, hashed in meta[3]
    }
    assert [value for value, _ in filters["section"][1]] == ["Linux", "Security", "Xen"]
    assert [value for value, _ in filters["year"][1]] == ["2010", "2011"]


def test_search_order_reads_the_installed_pagefinds_index():
    assert version("pagefind") == search_order.PAGEFIND_CHECKED, (
        "sitebuild/build/search_order.py reads Pagefind's filter index as "
        f"{search_order.PAGEFIND_CHECKED} writes it: check the format of {version('pagefind')}"
        ", then update PAGEFIND_CHECKED (or drop the module if Pagefind now writes in order)"
    )


def test_a_hidden_post_or_page_is_published_but_never_found_by_search(tmp_path):
    """`Status: hidden` is published, not listed: a search result lists it to every reader."""
    from conftest import new_content, run_build

    content = new_content(tmp_path)
    for folder, name, status in [("articles", "listed", "published"), ("articles", "unlisted", "hidden")]:
        (content / folder / f"{name}.md").write_text(
            f"Title: The {name} post\nDate: 2011-06-01\nStatus: {status}\n\nAbout {name} things.\n"
        )
    (content / "pages" / "private.md").write_text("Title: The private page\nStatus: hidden\n\nFor some.\n")
    output = tmp_path / "output"
    result = run_build(output, content=content)
    assert result.returncode == 0, result.stderr
    assert (output / "2011" / "06" / "the-unlisted-post" / "index.html").is_file()
    assert (output / "the-private-page" / "index.html").is_file()
    titles = {page["meta"]["title"] for page in indexed_pages(output).values()}
    assert "The listed post" in titles
    assert not {"The unlisted post", "The private page"} & titles
