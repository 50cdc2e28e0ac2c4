"""Reading time, table of contents, footnotes, related posts, older/newer links."""

import re

STORY = "2011/06/linux-3-0-full-support-for-xen-dom0/"
EXPLAINER = "2011/06/what-dom0-is-and-why-it-had-to-be-upstream/"
HOWTO = "2011/06/is-this-kernel-ready-for-dom0/"


def test_reading_time_is_shown_and_plausible(site):
    soup = site.soup(STORY)
    words = len(soup.select_one(".post-body").get_text().split())
    minutes = int(re.search(r"(\d+) min read", soup.select_one("article .meta").get_text()).group(1))
    assert words > 600 and minutes == -(-words // 230)


def test_long_posts_get_a_table_of_contents_with_working_links(site):
    soup = site.soup(EXPLAINER)
    toc = soup.select("nav.toc li a")
    headings = soup.select(".post-body h2[id]")
    assert [a["href"] for a in toc] == [f"#{h['id']}" for h in headings]
    assert [a.get_text() for a in toc][0] == "A hypervisor with a helper"
    for heading in headings:
        assert heading.find("a", class_="headerlink")["href"] == f"#{heading['id']}"


def test_short_posts_have_no_table_of_contents(site):
    assert not site.soup(STORY).select("nav.toc")


def test_footnotes_link_both_ways(site):
    soup = site.soup(HOWTO)
    ref = soup.select_one("sup a.footnote-ref")
    note = soup.find(id=ref["href"].lstrip("#"))
    assert "General setup" in note.get_text()
    assert note.find("a", class_="footnote-backref")


def test_related_posts_share_tags(site):
    links = site.soup(STORY).select("aside.related a")
    assert 1 <= len(links) <= 3
    assert "What dom0 is, and why it had to be upstream" in [a.get_text() for a in links]


def test_older_and_newer_links_follow_the_dates(site):
    explainer = site.soup(EXPLAINER)
    assert explainer.select_one('a[rel="prev"]')["href"].endswith(STORY)
    assert explainer.select_one('a[rel="next"]')["href"].endswith(HOWTO)
    assert not site.soup(STORY).select_one('nav a[rel="prev"]')
