"""Feeds: Atom for the site, each category and each tag; RSS 2.0 and JSON Feed 1.1 for
the site; all valid, all linked from every page."""

import gzip
import json
import re
from datetime import datetime
from types import SimpleNamespace

import brotli
import feedparser
import pytest
from conftest import new_content, run_build
from frontmatter import published_posts, terms
from lxml import etree
from pluginhelpers import generators, post

from sitebuild.checks.site import feeds_that_may_be_empty

STORY_TITLE = "Linux 3.0 full support for Xen dom0"


def all_feeds(site):
    return sorted((site.root / "feeds").rglob("*.atom.xml"))


def test_every_category_and_tag_has_a_feed(site):
    names = {p.relative_to(site.root / "feeds").as_posix() for p in all_feeds(site)}
    categories = {c for post in published_posts() for c in terms(post, "category")}
    tags = {t for post in published_posts() for t in terms(post, "tags")}
    assert "all.atom.xml" in names
    assert len([n for n in names if n.startswith("category/")]) == len(categories)
    assert len([n for n in names if n.startswith("tag/")]) == len(tags)


def test_every_feed_is_well_formed_atom(site):
    for path in all_feeds(site):
        root = etree.parse(str(path)).getroot()  # raises on malformed XML
        assert root.tag == "{http://www.w3.org/2005/Atom}feed", path
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        # The real site has no correction yet: that feed may wait for its first.
        assert parsed.entries or path.relative_to(site.root).as_posix() in feeds_that_may_be_empty(), path
        for entry in parsed.entries:
            assert entry.link.startswith(site.siteurl + "/"), entry.link


def test_site_feed_holds_the_story(site):
    parsed = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    story = next(e for e in parsed.entries if e.title == STORY_TITLE)
    assert story.link == f"{site.siteurl}/2011/06/linux-3-0-full-support-for-xen-dom0/"
    assert "Xen is a total mess" in story.content[0].value
    assert len(parsed.entries) == len(published_posts())


@pytest.mark.parametrize(
    "feed", ["category/news-vps-hosting.atom.xml", "category/operating-system.atom.xml", "tag/lkml.atom.xml"]
)
def test_story_is_in_its_category_and_tag_feeds(site, feed):
    parsed = feedparser.parse((site.root / "feeds" / feed).read_bytes())
    assert STORY_TITLE in [e.title for e in parsed.entries]


def test_a_category_feed_is_titled_with_the_name_its_page_shows(site):
    """CATEGORY_DISPLAY_NAMES names a category on its page; its feed says the same (Pelican
    would give the category's own name)."""
    for slug, shown in [("linux", "Linux"), ("operating-system", "Operating system")]:
        parsed = feedparser.parse((site.root / "feeds" / "category" / f"{slug}.atom.xml").read_bytes())
        assert parsed.feed.title == f"Dom0 Dispatch - {shown}"
        heading = site.soup(f"category/{slug}/").h1.get_text(" ", strip=True)
        assert shown in heading, heading
    tag = feedparser.parse((site.root / "feeds" / "tag" / "lkml.atom.xml").read_bytes())
    assert tag.feed.title == "Dom0 Dispatch - lkml"


def test_a_site_with_no_post_yet_dates_its_feeds_by_no_clock(tmp_path):
    """feedgenerator dates an empty feed by the build's clock: two builds would differ."""
    output = tmp_path / "output"
    result = run_build(output, content=new_content(tmp_path), production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    for name in ("all.atom.xml", "all.rss.xml", "corrections.atom.xml"):
        parsed = feedparser.parse((output / "feeds" / name).read_bytes())
        assert not parsed.bozo and parsed.entries == [], name
        assert parsed.feed.get("updated_parsed")[:3] == (1970, 1, 1), (name, parsed.feed.get("updated"))


# --- The whole site as RSS 2.0 and JSON Feed 1.1, beside Atom ------------------------

SITE_FEEDS = {
    "application/atom+xml": "feeds/all.atom.xml",
    "application/rss+xml": "feeds/all.rss.xml",
    "application/feed+json": "feeds/all.json",
}
DESCRIPTION = "News and background on Xen, dom0 and the Linux kernel."
JSON_FEED_1_1 = "https://jsonfeed.org/version/1.1"
# https://jsonfeed.org/version/1.1: every member the spec defines; names starting "_" are extensions.
TOP_LEVEL = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "author",
    "language",
    "expired",
    "hubs",
    "items",
}
ITEM = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "author",
    "tags",
    "language",
    "attachments",
}
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def json_feed(site):
    return json.loads((site.root / "feeds/all.json").read_text(encoding="utf-8"))


def known_members(data, defined):
    return {name for name in data if name not in defined and not name.startswith("_")}


def is_author(author):
    """An author object: optional members, but at least one of them."""
    return (
        isinstance(author, dict)
        and bool({"name", "url", "avatar"} & author.keys())
        and all(isinstance(value, str) for value in author.values())
    )


def test_json_feed_has_what_version_1_1_requires_and_recommends(site):
    feed = json_feed(site)
    assert next(iter(feed)) == "version" and feed["version"] == JSON_FEED_1_1  # "at the very top"
    assert known_members(feed, TOP_LEVEL) == set()
    assert feed["title"] == "Dom0 Dispatch"
    # "optional but strongly recommended": considered required on the public web.
    assert feed["home_page_url"] == f"{site.siteurl}/"
    assert feed["feed_url"] == f"{site.siteurl}/feeds/all.json"
    assert feed["description"] == DESCRIPTION
    assert feed["language"] == "en"
    assert feed["authors"] and all(is_author(a) for a in feed["authors"])
    assert isinstance(feed["items"], list)


def test_json_feed_items_follow_version_1_1(site):
    items = json_feed(site)["items"]
    assert len(items) == len(published_posts())
    for item in items:
        assert known_members(item, ITEM) == set(), item["id"]
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
        assert item["url"].startswith(site.siteurl + "/")
        assert site.file_for(item["url"].removeprefix(site.siteurl)).is_file()
        assert isinstance(item["title"], str) and isinstance(item["summary"], str)
        assert "<" not in item["summary"]  # plain text: HTML is allowed only in content_html
        for name in ("date_published", "date_modified"):
            if name in item:
                assert RFC_3339.match(item[name]), (name, item[name])
        assert item["tags"] and all(isinstance(tag, str) for tag in item["tags"])
        assert all(is_author(a) for a in item.get("authors", []))
    assert len({item["id"] for item in items}) == len(items)
    dates = [datetime.fromisoformat(item["date_published"]) for item in items]
    assert dates == sorted(dates, reverse=True)


def test_json_feed_carries_the_story_as_atom_does(site):
    items = json_feed(site)["items"]
    atom = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    assert [item["url"] for item in items] == [entry.link for entry in atom.entries]
    story = next(item for item in items if item["title"] == STORY_TITLE)
    assert "Xen is a total mess" in story["content_html"]
    assert {"xen", "lkml", "News VPS hosting"} <= set(story["tags"])
    assert story["date_published"] == "2011-06-01T09:00:00+00:00"


def test_rss_feed_is_valid_rss_2_0_with_every_post(site):
    parsed = feedparser.parse((site.root / "feeds/all.rss.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    # RSS 2.0's required channel elements.
    assert parsed.feed.title == "Dom0 Dispatch"
    assert parsed.feed.link == f"{site.siteurl}/"
    assert parsed.feed.description == DESCRIPTION
    assert len(parsed.entries) == len(published_posts())
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith(site.siteurl + "/") and entry.id and entry.published
    story = next(e for e in parsed.entries if e.title == STORY_TITLE)
    assert "Xen is a total mess" in story.description  # the whole post, as in Atom


def test_atom_feeds_carry_the_site_description(site):
    parsed = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    assert parsed.feed.subtitle == DESCRIPTION


@pytest.mark.parametrize("page", ["", "2011/06/linux-3-0-full-support-for-xen-dom0/", "about/"])
def test_every_page_links_the_three_site_feeds_in_its_head(site, page):
    links = site.soup(page).head.find_all("link", rel="alternate")
    assert {(link["type"], link["href"]) for link in links} >= {
        (kind, f"{site.siteurl}/{path}") for kind, path in SITE_FEEDS.items()
    }
    assert len({link["title"] for link in links}) == len(links)  # a reader can tell them apart


def test_new_feeds_are_precompressed_like_the_others(site):
    for path in ("feeds/all.rss.xml", "feeds/all.json"):
        original = (site.root / path).read_bytes()
        assert gzip.decompress((site.root / f"{path}.gz").read_bytes()) == original
        assert brotli.decompress((site.root / f"{path}.br").read_bytes()) == original


# --- A post's lead image (``article.lead_image``, from plugins/images/) ------------------
# A stand-in picture, so the base URL can be a sub-path; tests/test_newsroom.py has the real one.


def test_a_lead_image_is_in_every_site_feed_under_the_feed_domain(tmp_path):
    from plugins import json_feed, site_writer
    from plugins.images.responsive import Candidate

    base = "https://example.github.io/project"
    share = Candidate("images/diagram.1200.abc.png", 1200, 600, "image/png", 4321)
    expected = f"{base}/images/diagram.1200.abc.png"
    posts = [("a.md", post("With a picture")), ("b.md", post("Without", "2011-06-02"))]
    found, _ = generators(tmp_path, posts)
    pictured = next(a for a in found.articles if a.title == "With a picture")
    pictured.lead_image = SimpleNamespace(share=share, alt="A diagram")
    settings = {**found.settings, "SITEURL": base, "FEED_DOMAIN": base}
    items = json_feed.json_feed(found.articles, settings)["items"]
    assert [item.get("image") for item in items] == [None, expected]
    writer = site_writer.SiteWriter(str(tmp_path / "output"), settings=settings)
    for kind, path in (("atom", "all.atom.xml"), ("rss", "all.rss.xml")):
        writer.write_feed(found.articles, {**found.context, **settings}, path, feed_type=kind)
        entries = feedparser.parse((tmp_path / "output" / path).read_bytes()).entries
        enclosures = [[(e.href, e.type, e.length) for e in entry.enclosures] for entry in entries]
        assert enclosures == [[], [(expected, "image/png", "4321")]]
