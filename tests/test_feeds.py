"""Atom feeds: the site's, each category's and each tag's, all valid."""

import feedparser
import pytest
from lxml import etree

from frontmatter import published_posts, terms

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
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith(site.siteurl + "/"), entry.link


def test_site_feed_holds_the_story(site):
    parsed = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    story = next(e for e in parsed.entries if e.title == STORY_TITLE)
    assert story.link == f"{site.siteurl}/2011/06/linux-3-0-full-support-for-xen-dom0/"
    assert "Xen is a total mess" in story.content[0].value
    assert len(parsed.entries) == len(published_posts())


@pytest.mark.parametrize("feed", ["category/news-vps-hosting.atom.xml", "category/operating-system.atom.xml",
                                  "tag/lkml.atom.xml"])
def test_story_is_in_its_category_and_tag_feeds(site, feed):
    parsed = feedparser.parse((site.root / "feeds" / feed).read_bytes())
    assert STORY_TITLE in [e.title for e in parsed.entries]
