"""What search engines and link previews read: meta tags, JSON-LD, sitemap, robots.txt."""

import json
import re

import feedparser
from conftest import SITEURL, new_content, run_build
from frontmatter import published_posts
from imagehelpers import save_photo
from lxml import etree
from sitehelpers import BuiltSite

STORY = "2011/06/linux-3-0-full-support-for-xen-dom0/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta(soup, key):
    tag = soup.find("meta", attrs={"name": key}) or soup.find("meta", attrs={"property": key})
    return tag["content"] if tag else None


def test_article_head_describes_the_story(site):
    soup = site.soup(STORY)
    story = next(p for p in published_posts() if p["title"].startswith("Linux 3.0"))
    assert meta(soup, "description") == story["summary"]
    url = f"{site.siteurl}/{STORY}"
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Linux 3.0 full support for Xen dom0"  # og:site_name names the site
    assert meta(soup, "og:description") == story["summary"]
    assert meta(soup, "twitter:card") == "summary_large_image"
    # The story has no picture: its preview is the card drawn with its title (plugins/images/).
    card = meta(soup, "og:image")
    assert card.startswith(f"{site.siteurl}/images/cards/")
    assert site.file_for(card.removeprefix(site.siteurl + "/")).is_file()
    assert meta(soup, "og:image:alt") == "Linux 3.0 full support for Xen dom0 · Dom0 Dispatch"
    assert meta(soup, "article:published_time").startswith("2011-06-01")


def test_every_page_has_one_title_description_and_absolute_canonical(site):
    for page in site.html_files():
        soup = site.soup(page.relative_to(site.root).as_posix())
        assert soup.html["lang"] == "en"
        assert len(soup.find_all("title")) == 1 and soup.title.get_text().strip(), page
        assert (meta(soup, "description") or "").strip(), page
        canonical = soup.find_all("link", rel="canonical")
        assert len(canonical) == 1 and canonical[0]["href"].startswith(site.siteurl + "/"), page


def json_ld(soup):
    """The page's NewsArticle (its one other block is the BreadcrumbList)."""
    scripts = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert [data["@type"] for data in scripts] == ["NewsArticle", "BreadcrumbList"]
    return scripts[0]


def test_article_json_ld_is_a_news_article(site):
    data = json_ld(site.soup(STORY))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Linux 3.0 full support for Xen dom0"
    assert data["datePublished"].startswith("2011-06-01") and data["dateModified"]
    assert data["author"][0]["name"] == "Dom0 Dispatch editors"
    assert data["publisher"]["name"] == "Dom0 Dispatch"
    assert data["articleSection"] == ["linux", "News VPS hosting", "operating system", "xen"]
    assert "lkml" in data["keywords"]
    assert data["url"] == f"{site.siteurl}/{STORY}"
    assert "articleBody" not in data


def test_sitemap_lists_every_post_and_page_with_absolute_urls(site):
    tree = etree.parse(str(site.root / "sitemap.xml"))
    locs = [loc.text for loc in tree.iter(f"{SITEMAP_NS}loc")]
    assert all(loc.startswith(site.siteurl + "/") for loc in locs)
    assert f"{site.siteurl}/{STORY}" in locs
    assert f"{site.siteurl}/about/" in locs
    assert not [loc for loc in locs if "404" in loc or "/drafts/" in loc or "/tag/" in loc]
    assert f"{site.siteurl}/robots.txt" not in locs  # a file for crawlers, not a page
    assert len([loc for loc in locs if re.search(r"/\d{4}/\d{2}/[^/]+/$", loc)]) == len(published_posts())
    # lastmod is content-derived (never the build time), so builds are reproducible.
    years = {int(m.text[:4]) for m in tree.iter(f"{SITEMAP_NS}lastmod")}
    assert years <= {int(p["date"][:4]) for p in published_posts()}


def test_production_robots_allows_and_names_the_sitemap(site):
    robots = site.text("robots.txt")
    assert re.search(r"^User-agent: \*$", robots, re.M) and "Disallow: /" not in robots
    assert f"Sitemap: {site.siteurl}/sitemap.xml" in robots


def test_development_robots_disallows_everything(dev_site):
    robots = dev_site.text("robots.txt")
    assert re.search(r"^Disallow: /$", robots, re.M) and "Sitemap" not in robots


def test_favicons_exist_and_are_linked(site):
    assert (site.root / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    svg = etree.parse(str(site.root / "favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert site.soup("").find("link", rel="icon")["href"] == f"{site.siteurl}/favicon.svg"


PICTURE_FIRST = {  # a post without a Summary, opening with a picture: (body, the summary it gets)
    "picture": (
        "![Servers]({static}/images/photo.jpg)\n\nThe racks were full by noon.",
        "The racks were full by noon.",
    ),
    "captioned": (
        "![Servers]({static}/images/photo.jpg)\n\n/// caption\nRacks at the booth.\n///\n\n"
        "The booth opened at nine.",
        "The booth opened at nine.",
    ),
}


def test_a_post_opening_with_a_picture_is_described_by_its_first_paragraph_with_text(tmp_path):
    content = new_content(tmp_path)
    save_photo(content / "images" / "photo.jpg", 800, 600)
    for slug, (body, _) in PICTURE_FIRST.items():
        (content / "articles" / f"{slug}.md").write_text(
            f"Title: {slug}\nDate: 2011-06-01 09:00\nTags: xen\n\n{body}\n", encoding="utf-8"
        )
    (content / "articles" / "wordless.md").write_text(
        "Title: wordless\nDate: 2011-06-02 09:00\n\n![Servers]({static}/images/photo.jpg)\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    built = BuiltSite(tmp_path / "output", SITEURL)
    expected = {f"{SITEURL}/2011/06/{slug}/": summary for slug, (_, summary) in PICTURE_FIRST.items()}
    for url, summary in expected.items():
        page = built.soup(url.removeprefix(SITEURL))
        assert (meta(page, "description"), meta(page, "og:description")) == (summary, summary)
        assert "" not in json_ld(page).values()
    teasers = {
        t.h2.a["href"]: t.select_one(".standfirst").get_text() for t in built.soup("").select(".teaser")
    }
    assert {url: teasers[url] for url in expected} == expected
    # Every Atom feed (the site's, its category's, tag's and author's); RSS carries the whole post.
    carrying = set()
    for feed in sorted((built.root / "feeds").rglob("*.atom.xml")):
        for entry in feedparser.parse(feed.read_bytes()).entries:
            if entry.link in expected:
                assert entry.summary == expected[entry.link], feed
                carrying.add(feed.relative_to(built.root / "feeds").as_posix())
    assert {"all.atom.xml", "tag/xen.atom.xml", "category/uncategorized.atom.xml"} <= carrying
    items = json.loads((built.root / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]
    assert {i["url"]: i["summary"] for i in items if i["url"] in expected} == expected
    # Nothing to describe it with: no description, rather than an empty one (invalid HTML).
    wordless = built.soup("2011/06/wordless/")
    assert not wordless.find("meta", attrs={"name": "description"})
    assert not wordless.find("meta", attrs={"property": "og:description"})
