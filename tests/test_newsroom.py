"""What a newsroom writes, built for real (conftest.py `newsroom`): a lead photo, code and
headings, two categories, an update and a correction, a translation. Asserted on the built
pages, every feed, JSON-LD and the sitemap, as readers, feed readers and search engines
get them."""

import json
import shutil

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from sitebuild.checks import site as check

LEAD = "2011/07/a-test-post-with-a-lead-photo/"
CODE = "2011/07/a-test-post-with-code-headings-and-two-categories/"
CODE_IN_GERMAN = "2011/07/a-test-post-with-code-headings-and-two-categories/de/"
UPDATED = "2011/07/a-test-post-with-an-update-and-a-correction/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def feeds(site):
    """Every feed of the build: Atom (site, categories, tags), RSS and JSON Feed."""
    return sorted([*(site.root / "feeds").rglob("*.atom.xml"), *(site.root / "feeds").rglob("*.rss.xml")]) + [
        site.root / "feeds/all.json"
    ]


def entries(site, path):
    """(link, content HTML, categories, enclosures as (url, type, length)) of each entry."""
    if path.suffix == ".json":
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            images = [(item["image"], None, None)] if "image" in item else []
            yield item["url"], item["content_html"], item.get("tags", []), images
        return
    for entry in feedparser.parse(path.read_bytes()).entries:
        content = entry.content[0].value if "content" in entry else entry.description
        enclosures = [(e.href, e.type, e.length) for e in entry.get("enclosures", [])]
        yield entry.link, content, [t.term for t in entry.get("tags", [])], enclosures


def entries_of(site, page):
    """{feed: its entry for the post at ``page``} for every feed that lists the post."""
    found = {}
    for path in feeds(site):
        for entry in entries(site, path):
            if entry[0] == f"{site.siteurl}/{page}":
                found[path.relative_to(site.root).as_posix()] = entry
    return found


def meta(soup, key):
    return soup.find("meta", attrs={"property": key})["content"]


def test_the_lead_photo_is_a_built_file_in_every_feed_of_its_post(newsroom):
    shared = meta(newsroom.soup(LEAD), "og:image")  # the 1200-px copy link previews show
    built = newsroom.file_for(shared.removeprefix(newsroom.siteurl))
    assert built.is_file() and shared.endswith(".jpg")
    found = entries_of(newsroom, LEAD)
    assert set(found) == {
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/all.json",
        "feeds/author/dom0-dispatch-editors.atom.xml",
        "feeds/category/news-vps-hosting.atom.xml",
        "feeds/tag/photo-desk.atom.xml",
    }
    for feed, (_, _, _, enclosures) in found.items():
        if feed.endswith(".json"):
            assert enclosures == [(shared, None, None)], feed
        else:
            assert enclosures == [(shared, "image/jpeg", str(built.stat().st_size))], feed
    others = [
        e for path in feeds(newsroom) for e in entries(newsroom, path) if e[0] != f"{newsroom.siteurl}/{LEAD}"
    ]
    # Posts without a lead photo have no enclosure (the generated ones are checked in test_newsroom_site.py).
    assert not [e[0] for e in others if e[3] and "/made-up-report-" not in e[0]]


def test_feed_entries_carry_no_permalink_code_label_or_focus_stop(newsroom):
    page = newsroom.soup(CODE)  # the page keeps the reading aids
    assert page.select("h2 .headerlink") and [label.get_text() for label in page.select(".code-lang")] == [
        "console",
        "sh",
    ]
    assert [pre.get("tabindex") for pre in page.find_all("pre")] == ["0", "0"]
    checked = 0
    for path in feeds(newsroom):
        for link, content, _, _ in entries(newsroom, path):
            body = BeautifulSoup(content, "lxml")
            assert not body.select(".headerlink, .code-lang, [tabindex]"), (path, link)
            if link == f"{newsroom.siteurl}/{CODE}":
                assert [h.get_text() for h in body.find_all("h2")] == [
                    "A shell session",
                    "A script",
                    "The end",
                ]
                assert [pre.get_text().strip() for pre in body.find_all("pre")] == [
                    "$ uname -r\n3.0.0",
                    'echo "dom0"',
                ]
                checked += 1
    assert checked == len(entries_of(newsroom, CODE)) >= 4  # site feeds, two categories, tags


def test_rss_guids_that_are_not_links_say_so(newsroom):
    guids = etree.parse(str(newsroom.root / "feeds/all.rss.xml")).findall("channel/item/guid")
    assert guids
    for guid in guids:
        expected = None if guid.text.startswith(("http://", "https://")) else "false"
        assert guid.get("isPermaLink") == expected, guid.text


def test_every_category_of_a_post_is_listed_once_in_atom_and_rss(newsroom):
    found = entries_of(newsroom, CODE)
    assert {"feeds/category/xen.atom.xml", "feeds/category/linux.atom.xml"} <= set(found)
    for feed, (_, _, terms, _) in found.items():
        assert terms == ["xen", "linux", "howto"], feed  # the tag "xen" is the category "xen"
    for path in feeds(newsroom):
        for link, _, terms, _ in entries(newsroom, path):
            assert len({t.casefold() for t in terms}) == len(terms), (path, link, terms)


def test_pages_show_the_photo_update_and_correction(newsroom):
    lead = newsroom.soup(LEAD).select_one("figure.lead-image img")
    assert lead["alt"] == "A made-up photograph of coloured shapes"
    assert newsroom.file_for(lead["src"].removeprefix(newsroom.siteurl)).is_file()
    page = newsroom.soup(UPDATED)
    assert page.select_one(".updated time")["datetime"] == "2011-07-05T12:00:00+00:00"
    notes = {
        kind: page.select_one(f".admonition.{kind} .admonition-title").get_text()
        for kind in ("update", "correction")
    }
    assert notes == {"update": "Update, 5 July 2011", "correction": "Correction, 4 July 2011"}


def json_ld(site, page):
    return json.loads(site.soup(page).find("script", type="application/ld+json").string)


def test_json_ld_names_every_category_and_the_update(newsroom):
    code = json_ld(newsroom, CODE)
    assert code["articleSection"] == ["xen", "linux"] and code["keywords"] == ["xen", "howto"]
    updated = json_ld(newsroom, UPDATED)
    assert updated["headline"] == "A test post with an update and a correction"
    assert updated["datePublished"] == "2011-07-03T09:00:00+00:00"
    assert updated["dateModified"] == "2011-07-05T12:00:00+00:00"


def test_sitemap_links_each_language_version_to_every_version_and_dates_the_update(newsroom):
    """Google's form: each version's entry lists all of them, itself included, by hreflang and href."""
    tree = etree.parse(str(newsroom.root / "sitemap.xml"))
    urls = {url.findtext(f"{SITEMAP_NS}loc"): url for url in tree.iter(f"{SITEMAP_NS}url")}
    assert all(newsroom.file_for(loc.removeprefix(newsroom.siteurl)).is_file() for loc in urls)
    english, german = f"{newsroom.siteurl}/{CODE}", f"{newsroom.siteurl}/{CODE_IN_GERMAN}"
    for version in (english, german):
        alternates = urls[version].findall(f"{XHTML_NS}link")
        assert sorted((link.get("rel"), link.get("hreflang"), link.get("href")) for link in alternates) == [
            ("alternate", "de", german),
            ("alternate", "en", english),
        ]
    assert "Ein erfundener Beitrag" in newsroom.text(CODE_IN_GERMAN)
    assert (
        urls[f"{newsroom.siteurl}/{UPDATED}"].findtext(f"{SITEMAP_NS}lastmod") == "2011-07-05T12:00:00+00:00"
    )


def test_check_fails_on_a_feed_image_or_enclosure_that_is_not_a_built_file(newsroom, tmp_path):
    assert check.run_checks(newsroom.root, newsroom.siteurl, validate_html=False) == []
    broken = tmp_path / "site"
    shutil.copytree(newsroom.root, broken)
    shared = meta(newsroom.soup(LEAD), "og:image")
    gone = f"{newsroom.siteurl}/images/newsroom/gone.jpg"
    for feed, old, new in [
        ("feeds/all.rss.xml", shared, gone),
        ("feeds/tag/photo-desk.atom.xml", 'length="', 'length="1'),
        ("feeds/all.json", shared, "ResponsiveImage(siteurl=...)"),
    ]:
        path = broken / feed
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    size = newsroom.file_for(shared.removeprefix(newsroom.siteurl)).stat().st_size
    assert check.attachment_problems(check.Site(broken, newsroom.siteurl)) == [
        "feeds/all.json: image or enclosure ResponsiveImage(siteurl=...) is not a file of this site",
        f"feeds/all.rss.xml: image or enclosure {gone} is not a file of this site",
        f"feeds/tag/photo-desk.atom.xml: enclosure {shared} says 1{size} bytes, its file has {size}",
    ]
    assert len(check.run_checks(broken, newsroom.siteurl, validate_html=False)) == 3


GONE, ELSEWHERE = "2011/07/gone/", "https://elsewhere.example/page/"


@pytest.mark.parametrize(
    "listed, named",
    [
        (
            "<url><loc>{site}/{gone}</loc></url><url><loc>{elsewhere}</loc></url>",
            ["{site}/{gone}", "{elsewhere}"],
        ),
        # A search engine fetches a page's hreflang alternates too.
        (
            '<url><loc>{site}/</loc><xhtml:link rel="alternate" hreflang="fr" href="{site}/{gone}"/></url>',
            ["{site}/{gone}"],
        ),
    ],
    ids=["address", "language version"],
)
def test_check_fails_on_a_sitemap_address_that_is_not_a_built_page(newsroom, tmp_path, listed, named):
    """The newsroom's own sitemaps pass (the test above); a page listed but never built fails."""
    broken = tmp_path / "site"
    shutil.copytree(newsroom.root, broken)
    sitemap = broken / "sitemap.xml"
    fill = {"site": newsroom.siteurl, "gone": GONE, "elsewhere": ELSEWHERE}
    added = listed.format(**fill) + "</urlset>"
    sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("</urlset>", added), encoding="utf-8")
    expected = [f"sitemap.xml: {url.format(**fill)} is not a page of this site" for url in named]
    assert check.sitemap_problems(check.Site(broken, newsroom.siteurl)) == expected
    assert len(check.run_checks(broken, newsroom.siteurl, validate_html=False)) == len(expected)


CAPTION = 'Made-up shapes in a <made-up> rack & "its" colours'
CREDIT = "A. Test Photographer/Example Agency"


def test_the_lead_photo_shows_its_caption_and_credit_under_it(newsroom):
    caption = newsroom.soup(LEAD).select_one("figure.lead-image > figcaption")
    assert caption.get_text() == f"{CAPTION} Photo: {CREDIT}"
    assert caption.select_one(".credit").get_text() == f"Photo: {CREDIT}"


def test_every_feed_entry_of_the_photo_carries_its_caption_and_credit(newsroom):
    found = entries_of(newsroom, LEAD)
    assert len(found) >= 4
    for feed, (_, content, _, _) in found.items():
        figure = BeautifulSoup(content, "html.parser").find("figure")
        assert figure.figcaption.get_text() == f"{CAPTION} Photo: {CREDIT}", feed
        assert newsroom.file_for(figure.img["src"].removeprefix(newsroom.siteurl)).is_file()


def test_json_ld_gives_the_photo_as_an_image_object_with_caption_and_credit(newsroom):
    image = json_ld(newsroom, LEAD)["image"]
    assert newsroom.file_for(image.pop("url").removeprefix(newsroom.siteurl)).is_file()
    assert image == {
        "@type": "ImageObject",
        "width": 1200,
        "height": 686,
        "caption": CAPTION,
        "creditText": CREDIT,
    }
    card = json_ld(newsroom, CODE)["image"]  # no photo: the drawn share card
    assert card["@type"] == "ImageObject" and (card["width"], card["height"]) == (1200, 630)
    assert newsroom.file_for(card["url"].removeprefix(newsroom.siteurl)).is_file()


NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def test_the_news_sitemap_lists_the_two_days_before_the_newest_post(newsroom):
    """Counted from the newest post, not the clock: the same content builds the same file."""
    tree = etree.parse(str(newsroom.root / "news-sitemap.xml"))
    listed = [
        (
            url.findtext(f"{SITEMAP_NS}loc").removeprefix(newsroom.siteurl + "/"),
            url.findtext(f"{NEWS_NS}news/{NEWS_NS}publication/{NEWS_NS}name"),
            url.findtext(f"{NEWS_NS}news/{NEWS_NS}publication/{NEWS_NS}language"),
            url.findtext(f"{NEWS_NS}news/{NEWS_NS}publication_date"),
            url.findtext(f"{NEWS_NS}news/{NEWS_NS}title"),
        )
        for url in tree.iter(f"{SITEMAP_NS}url")
    ]
    assert listed == [
        (f"2011/07/made-up-report-{n}/", "Dom0 Dispatch", "en", date, f"Made-up report number {n}")
        for n, date in [
            (29, "2011-07-26T10:00:00+00:00"),
            (28, "2011-07-25T15:30:00+00:00"),
            (27, "2011-07-24T10:00:00+00:00"),  # two days to the minute before the newest
        ]
    ]  # not the series' part 1 of 24 July 08:00, two days and two hours before the newest
    robots = newsroom.text("robots.txt").splitlines()
    assert f"Sitemap: {newsroom.siteurl}/news-sitemap.xml" in robots


def test_posts_tell_search_engines_their_publisher_breadcrumbs_and_preview_size(newsroom):
    page = newsroom.soup(CODE)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "max-image-preview:large"
    scripts = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    article, breadcrumbs = scripts
    logo = article["publisher"]["logo"]
    assert (
        logo["@type"] == "ImageObject"
        and newsroom.file_for(logo["url"].removeprefix(newsroom.siteurl)).is_file()
    )
    assert article["author"][0]["url"] == f"{newsroom.siteurl}/author/dom0-dispatch-editors/"
    assert [(c["position"], c["name"], c["item"]) for c in breadcrumbs["itemListElement"]] == [
        (1, "Dom0 Dispatch", f"{newsroom.siteurl}/"),
        (2, "Xen", f"{newsroom.siteurl}/category/xen/"),
        (3, "A test post with code, headings and two categories", f"{newsroom.siteurl}/{CODE}"),
    ]
