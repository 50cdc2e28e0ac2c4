"""Tag and category pages, their indexes with counts, archives and pagination URLs."""

import json
import re
from collections import Counter

from conftest import SITEURL, new_content, run_build
from frontmatter import published_posts, terms
from sitehelpers import BuiltSite

from sitebuild.checks import site as check

STORY_URL = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
STORY_CATEGORIES = {
    "linux": "linux",
    "News VPS hosting": "news-vps-hosting",
    "operating system": "operating-system",
    "xen": "xen",
}
# What readers see (CATEGORY_DISPLAY_NAMES in pelicanconf.py), keyed by slug.
DISPLAY_NAMES = {
    "linux": "Linux",
    "news-vps-hosting": "News VPS hosting",
    "operating-system": "Operating system",
    "xen": "Xen",
}
STORY_TAGS = ["xen", "dom0", "linux-kernel", "lkml", "upstreaming"]


def listed_urls(site, page):
    return {a["href"].removeprefix(site.siteurl) for a in site.soup(page).select("main .post-list h2 a")}


def test_story_is_on_all_four_category_pages(site):
    for slug in STORY_CATEGORIES.values():
        soup = site.soup(f"category/{slug}/")
        assert soup.find("h1").get_text() == f"Category: {DISPLAY_NAMES[slug]}"
        assert STORY_URL in listed_urls(site, f"category/{slug}/"), slug


def test_story_is_on_every_tag_page(site):
    for tag in STORY_TAGS:
        assert STORY_URL in listed_urls(site, f"tag/{tag}/"), tag


def index_counts(site, page):
    counts = {}
    for item in site.soup(page).select("main li"):
        name = item.find("a").get_text(strip=True)
        counts[name] = int(re.search(r"\((\d+) posts?\)", item.get_text()).group(1))
    return counts


def test_tags_index_counts_match_the_content(site):
    expected = Counter(tag for post in published_posts() for tag in terms(post, "tags"))
    assert index_counts(site, "tags/") == dict(expected)


def test_categories_index_counts_match_the_content(site):
    expected = Counter(c for post in published_posts() for c in terms(post, "category"))
    shown = {DISPLAY_NAMES[STORY_CATEGORIES[name]]: count for name, count in expected.items()}
    assert index_counts(site, "categories/") == shown
    assert set(STORY_CATEGORIES) <= set(expected)


def test_category_pages_list_exactly_their_posts(site):
    for post in published_posts():
        for name in terms(post, "category"):
            slug = STORY_CATEGORIES.get(name, name.lower().replace(" ", "-"))
            titles = {
                a.get_text(strip=True) for a in site.soup(f"category/{slug}/").select(".post-list h2 a")
            }
            assert post["title"] in titles


def test_archives_group_by_year_and_month(site):
    soup = site.soup("archives/")
    assert soup.find("h2", string="2011")
    assert soup.find("h3", string="June 2011")
    assert len(soup.select("main li a")) == len(published_posts())
    assert site.file_for("2011/06/").exists() and site.file_for("2011/").exists()


def test_directory_urls_and_collision_free_pagination(site):
    files = {p.relative_to(site.root).as_posix() for p in site.root.rglob("*.html")}
    assert "tag/xen/index.html" in files and "category/linux/index.html" in files
    # Pelican's default pattern would write tag/xen2.html-style names.
    assert not [f for f in files if re.search(r"\d+\.html$", f) and f != "404.html"]
    assert all(f.endswith("index.html") or f == "404.html" for f in files)


def test_feeds_are_linked_from_the_pages_they_belong_to(site):
    def feeds(page):
        return {
            link["href"]
            for link in site.soup(page).select('head link[rel=alternate][type="application/atom+xml"]')
        }

    everywhere = f"{site.siteurl}/feeds/all.atom.xml"
    assert everywhere in feeds("")
    assert f"{site.siteurl}/feeds/tag/dom0.atom.xml" in feeds("tag/dom0/")
    assert f"{site.siteurl}/feeds/category/xen.atom.xml" in feeds("category/xen/")
    story_feeds = feeds(STORY_URL)
    for slug in STORY_CATEGORIES.values():
        assert f"{site.siteurl}/feeds/category/{slug}.atom.xml" in story_feeds


def json_ld_urls(value) -> list[str]:
    """Every address on the site a JSON-LD block names."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in json_ld_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in json_ld_urls(item)]
    return [value] if isinstance(value, str) and value.startswith(SITEURL + "/") else []


def built_beside_a_listed_post(tmp_path, front_matter: str, **build) -> BuiltSite:
    """A site of one listed post (in xen, tagged xen) and one with ``front_matter``, built."""
    content = new_content(tmp_path)
    (content / "articles" / "listed.md").write_text(
        "Title: Listed\nDate: 2011-06-01 09:00\nCategory: xen\nTags: xen\n\nText.\n", encoding="utf-8"
    )
    (content / "articles" / "other.md").write_text(
        f"Date: 2011-06-02 09:00\n{front_matter}\n\nText.\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content, **build)
    assert result.returncode == 0, result.stderr
    return BuiltSite(tmp_path / "output", build.get("siteurl", SITEURL) or "")


def test_a_hidden_post_links_only_the_term_pages_that_are_built(tmp_path):
    """Pelican makes tag, category and author pages from listed posts only: a hidden post's own
    tag, section and author have none, so its page names them without a link."""
    built = built_beside_a_listed_post(
        tmp_path,
        "Title: Hidden\nStatus: hidden\nCategory: backstage, xen\nTags: xen, zebracorntag\n"
        "Author: Zed Example",
    )
    hidden = "2011/06/hidden/"
    site = check.Site(built.root, SITEURL)
    page_url = f"{SITEURL}/{hidden}"
    links = site.page(built.file_for(hidden)).links
    scripts = built.soup(hidden).find_all("script", type="application/ld+json")
    links += [url for script in scripts for url in json_ld_urls(json.loads(script.string))]
    internal = [url for url in links if site.resolve(url, page_url) is not None]
    assert f"{SITEURL}/tag/xen/" in internal and f"{SITEURL}/category/xen/" in internal
    missing = [url for url in internal if not site.resolve(url, page_url)[0].is_file()]
    assert missing == []
    footer = " ".join(built.soup(hidden).select_one(".post-footer p").get_text().split())
    assert footer.startswith("Posted in backstage, Xen and tagged xen, zebracorntag.")
    assert built.soup(hidden).select_one(".byline").get_text().split()[:3] == ["By", "Zed", "Example"]


def test_a_draft_in_a_preview_links_only_the_pages_that_are_built(tmp_path):
    """The same for a draft, whose tag, section and series (of no published part yet) have no page."""
    built = built_beside_a_listed_post(
        tmp_path,
        "Title: Draft\nStatus: draft\nCategory: backstage\nTags: xen, zebracorntag\n"
        "Series: A series to come\nSeries_part: 1",
        production=False,
        siteurl=None,
    )
    assert check.link_problems(check.Site(built.root)) == []
    draft = built.soup("drafts/draft/")
    assert draft.select_one(".series-nav p").get_text().startswith("A series to come: part 1")
    assert [a.get_text() for a in draft.select(".post-footer a")] == ["xen", "Permalink"]
