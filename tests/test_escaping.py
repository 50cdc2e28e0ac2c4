"""Metadata with markup characters renders as text in every context it reaches."""

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import run_build

from plugins.typography import smart

TITLE = 'Xen & "dom0" <b>bold</b> </script><script>alert(1)</script> it\'s'
SUMMARY = 'A summary with <em>tags</em> & "quotes" </script>'
TAG = "C<sharp> & 'friends'"
CATEGORY = 'Ops "&" <i>'
AUTHOR = "Ada <b>Ex</b> & co"
SERIES = 'Saga <s>one</s> & "two"'
# As readers get them: with curly quotes (plugins/typography.py), and nothing else changed.
SHOWN_TITLE, SHOWN_SUMMARY = smart(TITLE), smart(SUMMARY)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    post = folder / "content" / "articles" / "hostile.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        f"Title: {TITLE}\nDate: 2011-06-01\nCategory: {CATEGORY}\nTags: {TAG}\nAuthor: {AUTHOR}\n"
        f"Series: {SERIES}\nSeries_part: 1\nSummary: {SUMMARY}\n\n"
        "Body with <mark>raw HTML</mark>, which authors are trusted with.\n"
    )
    (folder / "content" / "pages").mkdir()
    result = run_build(folder / "output", content=folder / "content")
    assert result.returncode == 0, result.stderr
    return folder / "output"


def article(root):
    return next(root.glob("2011/06/*/index.html"))


def test_article_page_shows_the_text_as_written(hostile):
    html = article(hostile).read_text()
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("h1").get_text() == SHOWN_TITLE
    assert soup.title.get_text().startswith(SHOWN_TITLE)
    assert soup.find("meta", attrs={"name": "description"})["content"] == SHOWN_SUMMARY
    assert soup.find("meta", property="og:title")["content"].startswith(SHOWN_TITLE)
    footer = soup.select_one("article > footer").get_text()
    assert TAG in footer and CATEGORY in footer
    # Only the site's own JSON-LD (the article, its breadcrumbs); nothing from the title became markup.
    scripts = [script["type"] for script in soup.find_all("script")]
    assert scripts == ["application/ld+json"] * 2 and not soup.find("b") and not soup.find("i")
    assert soup.find("mark").get_text() == "raw HTML"


def test_json_ld_keeps_the_text_and_cannot_close_its_script(hostile):
    html = article(hostile).read_text()
    soup = BeautifulSoup(html, "lxml")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["headline"] == SHOWN_TITLE
    assert data["keywords"] == [TAG] and data["articleSection"] == [CATEGORY]
    bodies = re.findall(r"<script[^>]*ld\+json[^>]*>(.*?)</script>", html, re.S)
    assert len(bodies) == 2 and not any("<" in body for body in bodies)


def test_lists_tags_and_categories_show_the_text(hostile):
    home = BeautifulSoup((hostile / "index.html").read_text(), "lxml")
    # The only post leads the home page: kicker (its category), headline, standfirst.
    assert home.select_one("main .kicker").get_text() == CATEGORY
    assert home.select_one("main .headline a").get_text() == SHOWN_TITLE
    assert home.select_one("main .standfirst").get_text() == SHOWN_SUMMARY
    tags = BeautifulSoup((hostile / "tags" / "index.html").read_text(), "lxml")
    assert tags.select_one("main li a").get_text() == TAG


def test_feeds_carry_the_text_as_written(hostile):
    parsed = feedparser.parse((hostile / "feeds" / "all.atom.xml").read_bytes())
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.title == SHOWN_TITLE
    assert BeautifulSoup(entry.summary, "lxml").get_text() == SHOWN_SUMMARY
    assert {t.term for t in entry.tags} == {TAG, CATEGORY}


def test_rss_carries_the_text_as_written(hostile):
    parsed = feedparser.parse((hostile / "feeds" / "all.rss.xml").read_bytes())
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.title == SHOWN_TITLE
    assert {t.term for t in entry.tags} == {TAG, CATEGORY}
    # The post's HTML (feedparser's sanitizer drops <mark>, which it does not know).
    assert BeautifulSoup(entry.description, "lxml").get_text().startswith("Body with raw HTML,")


def test_json_feed_carries_the_text_as_written(hostile):
    item = json.loads((hostile / "feeds" / "all.json").read_text(encoding="utf-8"))["items"][0]
    # Plain-text members keep the characters; only content_html is HTML.
    assert (item["title"], item["summary"]) == (SHOWN_TITLE, SHOWN_SUMMARY)
    assert set(item["tags"]) == {TAG, CATEGORY}
    assert BeautifulSoup(item["content_html"], "lxml").find("mark").get_text() == "raw HTML"


def test_each_feed_of_a_tag_category_author_or_series_is_titled_with_its_name_as_written(hostile):
    """Pelican strips anything tag-like from a feed's title: the feed of the tag “C<sharp>”
    was titled “C & 'friends'”, and a reader subscribed to it saw that."""
    titles = {}
    for kind in ("tag", "category", "author", "series"):
        (feed,) = (hostile / "feeds" / kind).glob("*.atom.xml")
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo
        titles[kind] = parsed.feed.title
    site = "Dom0 Dispatch - "
    assert titles == {
        "tag": site + TAG,
        "category": site + CATEGORY,
        "author": site + AUTHOR,
        "series": site + SERIES,
    }
