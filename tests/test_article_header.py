"""A post's header as a reader gets it: kicker, headline, standfirst, byline, the date it
was published and, when `Modified` is set, when it was updated; update and correction
notes in the body; a long quoted comment names its author before its text."""

import json

import feedparser
import pytest
from browserhelpers import in_both_schemes, inject_axe, open_page, run_axe
from conftest import SITEURL, new_content, run_build
from imagehelpers import save_photo
from sitehelpers import BuiltSite

from devtools.serving import serving

STORY = "2011/06/linux-3-0-full-support-for-xen-dom0/"
UPDATED_POST = """Title: Xen 4.1 released
Date: 2011-03-25 09:00
Modified: 2011-03-28 14:30
Category: xen
Summary: The hypervisor's new release brings the xl toolstack.

The first paragraph of the post.

/// update | Update, 28 March 2011
The release notes now list **xl** as the default.
///

/// correction | Correction, 26 March 2011
An earlier version of this post gave the wrong release date.
///
"""
UNSUMMARISED_POST = """Title: A post without a summary
Date: 2011-03-20 09:00
Category: linux

Only a first paragraph, which the lists use as the summary.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The posts above, built for the address they are served at (BuiltSite)."""
    folder = tmp_path_factory.mktemp("header")
    content = new_content(folder)
    (content / "articles" / "updated.md").write_text(UPDATED_POST, encoding="utf-8")
    (content / "articles" / "unsummarised.md").write_text(UNSUMMARISED_POST, encoding="utf-8")
    with serving(folder / "output") as base_url:
        result = run_build(folder / "output", content=content, siteurl=base_url)
        assert result.returncode == 0, result.stderr
        yield BuiltSite(folder / "output", base_url)


def post(built, slug):
    return built.soup(f"2011/03/{slug}/")


def test_story_header_has_kicker_headline_standfirst_byline_and_date(site):
    header = site.soup(STORY).select_one("article > header")
    kicker = header.select_one(".kicker a")
    assert kicker.get_text() == "Linux" and kicker["href"] == f"{site.siteurl}/category/linux/"
    assert header.find("h1").get_text() == "Linux 3.0 full support for Xen dom0"
    assert header.select_one(".standfirst").get_text().startswith("The last pieces needed to run Xen as dom0")
    byline = header.select_one(".byline")
    assert " ".join(byline.get_text().split()).startswith("By Dom0 Dispatch editors · 1 June 2011")
    assert byline.find("a")["href"] == f"{site.siteurl}/author/dom0-dispatch-editors/"
    assert "Updated" not in header.get_text()


def test_a_modified_post_says_when_it_was_updated(built):
    header = post(built, "xen-4-1-released").select_one("article > header")
    updated = header.select_one(".updated")
    assert " ".join(updated.get_text().split()) == "Updated 28 March 2011"
    assert updated.find("time")["datetime"] == "2011-03-28T14:30:00+00:00"
    assert header.select("time")[0]["datetime"] == "2011-03-25T09:00:00+00:00"


def test_the_byline_sets_each_of_its_parts_apart(built):
    """A template comment that ate the space before it printed "20 March 2011· 1 min read"."""
    bylines = {
        slug: " ".join(post(built, slug).select_one("article > header .byline").get_text().split())
        for slug in ("xen-4-1-released", "a-post-without-a-summary")
    }
    assert bylines == {
        "xen-4-1-released": "By Dom0 Dispatch editors · 25 March 2011 · Updated 28 March 2011 · 1 min read",
        "a-post-without-a-summary": "By Dom0 Dispatch editors · 20 March 2011 · 1 min read",
    }


def test_update_and_correction_notes_are_marked_as_such(built):
    body = post(built, "xen-4-1-released").select_one(".post-body")
    update, correction = body.select_one(".admonition.update"), body.select_one(".admonition.correction")
    assert update.select_one(".admonition-title").get_text() == "Update, 28 March 2011"
    assert update.find("strong").get_text() == "xl"
    assert correction.select_one(".admonition-title").get_text() == "Correction, 26 March 2011"
    assert "wrong release date" in correction.get_text()


def test_a_summary_cut_from_the_first_paragraph_is_not_printed_twice(built):
    soup = post(built, "a-post-without-a-summary")
    assert not soup.select(".standfirst")
    assert soup.find(string=lambda text: "Only a first paragraph" in text)
    assert post(built, "xen-4-1-released").select_one(".standfirst").get_text().startswith("The hypervisor")


def test_a_long_quoted_comment_names_its_author_before_its_text(site):
    figure = site.soup(STORY).select_one("figure.quote-comment")
    first, second = [child for child in figure.children if getattr(child, "name", None)]
    assert (first.name, second.name) == ("figcaption", "blockquote")
    assert " ".join(first.get_text().split()) == "Jeremy Fitzhardinge, in a comment on Slashdot:"


NOTE_STYLE = """(selector) => { const note = getComputedStyle(document.querySelector(selector));
  const title = getComputedStyle(document.querySelector(selector + ' .admonition-title'));
  return {rule: note.borderLeftColor, background: note.backgroundColor, title: title.color}; }"""


@pytest.fixture(scope="module")
def notes_in_each_scheme():
    """{scheme: (update's style, correction's style, axe violations)} of the updated post,
    loaded once for the tests of both schemes (in_both_schemes)."""
    return {}


def notes_and_violations(page):
    return page.evaluate(NOTE_STYLE, ".update"), page.evaluate(NOTE_STYLE, ".correction"), run_axe(page)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_correction_looks_apart_from_an_update_in_both_schemes(
    browser, built, notes_in_each_scheme, scheme
):
    if not notes_in_each_scheme:
        with open_page(browser, color_scheme="light") as (page, _):
            page.goto(f"{built.siteurl}/2011/03/xen-4-1-released/")
            inject_axe(page)
            notes_in_each_scheme.update(in_both_schemes(page, notes_and_violations))
    update, correction, violations = notes_in_each_scheme[scheme]
    assert update["rule"] != correction["rule"]
    assert update["background"] != correction["background"]
    assert update["title"] != correction["title"]
    assert violations == []


OPENING = "The booth's doors opened at nine."
SHOWN = "The booth’s doors opened at nine."  # typeset, as the body and the summary show it
PICTURE = "![Servers]({static}/images/photo.jpg)\n\n/// caption\nRacks at the booth.\n///\n\n"
# A post's front matter and body: (its header's standfirst, its description everywhere else).
STANDFIRSTS = {
    "captioned": ("", PICTURE + OPENING, (None, SHOWN)),
    "quoted": ("", f"/// quote | Ada Example\nQuoted words.\n///\n\n{OPENING}", (None, SHOWN)),
    "blockquoted": ("", f"> Quoted words.\n\n{OPENING}", (None, SHOWN)),
    "written": ("Summary: Xen ships xl.\n", PICTURE + OPENING, ("Xen ships xl.", "Xen ships xl.")),
    "written-as-its-opening": (f"Summary: {OPENING}\n", f"{PICTURE}{OPENING} Queues formed.", (None, SHOWN)),
}


def test_the_header_shows_a_standfirst_only_where_the_body_does_not_open_with_it(tmp_path):
    content = new_content(tmp_path)
    save_photo(content / "images" / "photo.jpg", 800, 600)
    for slug, (fields, body, _) in STANDFIRSTS.items():
        (content / "articles" / f"{slug}.md").write_text(
            f"Title: {slug}\nDate: 2011-06-01 09:00\n{fields}\n{body}\n", encoding="utf-8"
        )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    built = BuiltSite(tmp_path / "output", SITEURL)
    for slug, (*_, (standfirst, description)) in STANDFIRSTS.items():
        page = built.soup(f"2011/06/{slug}/")
        shown = page.select_one("article > header .standfirst")
        assert (shown and shown.get_text()) == standfirst, slug
        assert page.select_one(".post-body").find(string=lambda text: SHOWN in text), slug
        assert page.find("meta", attrs={"name": "description"})["content"] == description, slug
    described = {
        f"{SITEURL}/2011/06/{slug}/": description for slug, (*_, (_, description)) in STANDFIRSTS.items()
    }
    teasers = built.soup("").select(".teaser")
    assert {t.h2.a["href"]: t.select_one(".standfirst").get_text() for t in teasers} == described
    for feed in ("all.atom.xml", "category/uncategorized.atom.xml"):
        entries = feedparser.parse((built.root / "feeds" / feed).read_bytes()).entries
        assert {entry.link: entry.summary for entry in entries} == described, feed
    items = json.loads((built.root / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]
    assert {item["url"]: item["summary"] for item in items} == described
