"""The sitemap as a search engine reads it (theme/templates/sitemap.xml), from a production build
of made-up posts published under a path: which addresses it lists, their dates, language
versions, and addresses as the protocol requires them (no character that needs escaping)."""

import re

import pytest
from conftest import new_content, run_build
from lxml import etree
from test_errors import write

SITEURL = "https://example.org/project"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
# Every character a URL or Save_as may hold (lint refuses the others: tests/test_url_safety.py).
SAFE_PATH = "Notes_v1.2~x/Index-A.html"
POSTS = {
    "plain.md": "Title: Plain\nDate: 2011-06-01 09:00\nSeries: A saga\nSeries_part: 1\n",
    "updated.md": "Title: Updated\nDate: 2011-06-02 09:00\nModified: 2011-06-10 10:30\nAuthor: Ada Example\n",
    "corrected.md": "Title: Corrected\nDate: 2011-06-03 09:00\n",
    "bilingual.md": "Title: Bilingual\nDate: 2011-06-04 09:00\nSlug: two_languages\n",
    "bilingual-de.md": "Title: Zweisprachig\nDate: 2011-06-05 09:00\nSlug: two_languages\nLang: de\n",
    # Newer than every listed post: their dates must not date the listings either.
    "hidden.md": "Title: Hidden\nDate: 2011-06-20 09:00\nStatus: hidden\n",
    "draft.md": "Title: Draft\nDate: 2011-06-21 09:00\nStatus: draft\n",
}
PAGES = {
    "dated.md": "Title: Dated page\nDate: 2011-05-01\nModified: 2011-05-03\n",
    "hidden.md": "Title: Hidden page\nStatus: hidden\n",
    "safe.md": f"Title: Safe page\nDate: 2011-05-02\nURL: {SAFE_PATH}\nSave_as: {SAFE_PATH}\n",
    "draft.md": "Title: Draft page\nStatus: draft\n",
}
CORRECTION = "\n/// correction | Correction, 12 June 2011\nA wrong date.\n///\n"
# The corrected post's last change, the newest of any published post's: the date of every page
# that has none of its own.
SITE_CHANGED = "2011-06-12T00:00:00+00:00"
DATED = {
    "2011/06/plain/": "2011-06-01T09:00:00+00:00",
    "2011/06/updated/": "2011-06-10T10:30:00+00:00",
    "2011/06/corrected/": SITE_CHANGED,
    "2011/06/two_languages/": "2011-06-04T09:00:00+00:00",
    "2011/06/two_languages/de/": "2011-06-05T09:00:00+00:00",
    "dated-page/": "2011-05-03T00:00:00+00:00",
    SAFE_PATH: "2011-05-02T00:00:00+00:00",
}
UNDATED = [
    "",
    "archives/",
    "authors/",
    "categories/",
    "tags/",
    "search/",
    "corrections/",
    "follow/",
    "2011/",
    "2011/06/",
    "corrections-policy/",
    "series/a-saga/",
    "author/dom0-dispatch-editors/",
    "author/ada-example/",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The output folder, and the sitemap's entries: {loc: (lastmod, [(rel, hreflang, href)])}."""
    folder = tmp_path_factory.mktemp("sitemap")
    content = new_content(folder)
    for name, front_matter in POSTS.items():
        body = "\nText.\n" + (CORRECTION if name == "corrected.md" else "")
        write(content, f"articles/{name}", f"{front_matter}Category: xen\n{body}")
    for name, front_matter in PAGES.items():
        write(content, f"pages/{name}", f"{front_matter}\nText.\n")
    output = folder / "output"
    result = run_build(output, content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    entries = {}
    for url in etree.parse(output / "sitemap.xml").getroot().iterfind("s:url", NS):
        links = [(a.get("rel"), a.get("hreflang"), a.get("href")) for a in url.iterfind("xhtml:link", NS)]
        entries[url.findtext("s:loc", namespaces=NS)] = (
            url.findtext("s:lastmod", namespaces=NS),
            sorted(links),
        )
    return output, entries


def test_it_lists_published_posts_pages_listings_series_and_authors_and_nothing_else(built):
    _, entries = built
    assert sorted(entries) == sorted(f"{SITEURL}/{path}" for path in [*DATED, *UNDATED])


def test_a_file_in_content_named_like_the_sitemap_or_robots_txt_is_refused(tmp_path):
    """Pelican would take it for the theme's template and publish it in its place."""
    content = new_content(tmp_path)
    write(content, "sitemap.xml", "<urlset>not the site's</urlset>\n")
    (content / "robots.txt").mkdir()  # Pelican would try to read a folder too, and fail
    output = tmp_path / "output"
    result = run_build(output, content=content, siteurl=SITEURL)
    assert result.returncode != 0 and not output.exists()
    for name in ("sitemap.xml", "robots.txt"):
        assert f"{name}: would replace the theme's template for {name}: edit the theme's" in result.stderr


def test_hidden_and_draft_posts_and_pages_are_left_out(built):
    output, entries = built
    # Production writes a hidden post and page (for whoever has the link), never a draft.
    assert (output / "2011/06/hidden/index.html").is_file() and (output / "hidden-page/index.html").is_file()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    for slug in ("/hidden/", "/hidden-page/", "/draft/", "/draft-page/", "drafts/"):
        assert slug not in sitemap


def test_each_date_is_the_content_s_last_change_never_the_build_s(built):
    """A post's Modified or its last correction, else its Date; a page with no date of its own
    is as new as the newest published post."""
    _, entries = built
    assert {loc: lastmod for loc, (lastmod, _) in entries.items()} == {
        **{f"{SITEURL}/{path}": lastmod for path, lastmod in DATED.items()},
        **{f"{SITEURL}/{path}": SITE_CHANGED for path in UNDATED},
    }


def test_a_translation_and_its_original_each_list_both_by_hreflang_and_href(built):
    _, entries = built
    english, german = f"{SITEURL}/2011/06/two_languages/", f"{SITEURL}/2011/06/two_languages/de/"
    versions = [("alternate", "de", german), ("alternate", "en", english)]
    assert entries[english][1] == entries[german][1] == versions
    assert [loc for loc, (_, links) in entries.items() if links and loc not in (english, german)] == []


def test_every_address_is_written_as_the_protocol_requires_with_nothing_to_escape(built):
    """Sitemaps take URL-escaped addresses only: lint refuses a Slug, URL or Save_as with anything
    else, and what it allows reaches the sitemap as typed."""
    output, entries = built
    addresses = [*entries, *(href for _, links in entries.values() for _, _, href in links)]
    assert [a for a in addresses if not re.fullmatch(r"https://[A-Za-z0-9._~/:-]+", a)] == []
    assert f"<loc>{SITEURL}/{SAFE_PATH}</loc>" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert (output / SAFE_PATH).is_file()
