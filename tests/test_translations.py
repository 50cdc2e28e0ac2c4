"""A translation (a post or page with the Slug of another and its own Lang) as readers and
machines get it: in a folder under its original's address (…/slug/fr/), which the sitemap,
the feeds, JSON-LD and the search index give; each version links the others; a post's words
are marked with its language wherever they show, in pages whose frame keeps the site's; and a
production build publishes no draft in any language."""

import json
import re
from collections import defaultdict
from types import SimpleNamespace

import feedparser
import pytest
from browserhelpers import open_page
from bs4 import BeautifulSoup
from conftest import new_content, run_build
from imagehelpers import save_photo
from lxml import etree
from sitehelpers import BuiltSite, digest
from test_errors import build_fails, write
from test_newsroom import entries
from test_newsroom_site import search_fragments

from plugins.languages import autonym, lang_attr
from sitebuild.checks.site import run_checks

SITEURL = "https://example.org/project"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
ORIGINAL, TRANSLATED = "2011/06/xen-ships/", "2011/06/xen-ships/fr/"
PAGE, PAGE_TRANSLATED = "colophon/", "colophon/fr/"
POSTS = {
    "articles/xen-ships.md": "Title: Xen ships\nDate: 2011-06-01 09:00\nCategory: xen\n\nText.\n",
    "articles/xen-ships-fr.md": (
        "Title: Xen est publié\nSlug: xen-ships\nLang: fr\nDate: 2011-06-02 09:00\nCategory: xen\n"
        "Summary: Xen est enfin là.\n\nTexte.\n\n"
        "/// correction | Correction, 3 June 2011\nUne version antérieure se trompait de jour.\n///\n"
    ),
    # In French only: Pelican lists it with the posts in English.
    "articles/seulement.md": (
        "Title: Seulement en français\nLang: fr\nDate: 2011-06-04 09:00\nCategory: xen\nTags: xen\n"
        "Summary: Un billet sans version anglaise.\nImage: {static}/images/formes.jpg\n"
        "Image_alt: Des formes inventées\nImage_caption: Formes en couleurs\nImage_credit: A. Photographe\n\n"
        "Texte seul.\n"
    ),
    # In French and German, not English: the German version says it is the translation.
    "articles/bonjour.md": "Title: Bonjour\nLang: fr\nDate: 2011-05-30 09:00\nCategory: xen\n\nTexte.\n",
    "articles/bonjour-de.md": (
        "Title: Guten Tag\nSlug: bonjour\nLang: de\nTranslation: true\nDate: 2011-05-30 09:00\n"
        "Category: xen\n\nText.\n"
    ),
    "articles/unfinished.md": "Title: Unfinished\nDate: 2011-06-03 09:00\nStatus: draft\n\nText.\n",
    "articles/unfinished-de.md": (
        "Title: Unfertig\nSlug: unfinished\nLang: de\nDate: 2011-06-03 09:00\nStatus: draft\n\nText.\n"
    ),
    "pages/colophon.md": "Title: Colophon\n\nFonts.\n",
    "pages/colophon-fr.md": "Title: Colophon en français\nSlug: colophon\nLang: fr\n\nPolices.\n",
    "pages/notes-de.md": "Title: Notizen\nSlug: notes\nLang: de\nStatus: draft\n\nText.\n",
    # Versions in languages named with a region or a script (2011/05/dom0/pt-BR/…).
    "articles/dom0.md": "Title: Dom0\nDate: 2011-05-20 09:00\nCategory: xen\n\nText.\n",
    **{
        f"articles/dom0-{lang}.md": (
            f"Title: Dom0 {lang}\nSlug: dom0\nLang: {lang}\nDate: 2011-05-20 09:00\nCategory: xen\n\nT.\n"
        )
        for lang in ("de-CH", "pt-BR", "sr-Latn", "zh-Hant")
    },
}
DOM0_VERSIONS = ["de-CH", "en", "pt-BR", "sr-Latn", "zh-Hant"]
# The name readers are offered a version by: its language's own.
OWN_NAMES = {
    "de-CH": "Deutsch (Schweiz)",
    "en": "English",
    "fr": "français",
    "pt-BR": "português (Brasil)",
    "sr-Latn": "srpski (latinica)",
    "zh-Hant": "中文 (繁體)",
}
# Where Pelican's defaults put translations and drafts in other languages.
OLD_ADDRESSES = re.compile(r".*-(fr|de)\.html")
# Words of the posts above as pages print them, each with its language, and the credit line
# the site prints around a picture's credit, in its own.
WORDS = {
    "Xen ships": "en",
    "Colophon": "en",
    "Photo: A. Photographe": "en",
    "Xen est publié": "fr",
    "Xen est enfin là.": "fr",
    "Une version antérieure se trompait de jour.": "fr",
    "Colophon en français": "fr",
    "Seulement en français": "fr",
    "Un billet sans version anglaise.": "fr",
    "Formes en couleurs": "fr",
    "Des formes inventées": "fr",  # a picture's alt
}


def write_posts(content):
    for name, text in POSTS.items():
        write(content, name, text)
    save_photo(content / "images" / "formes.jpg", 1400, 800)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    return write_posts(new_content(tmp_path_factory.mktemp("translations")))


@pytest.fixture(scope="module")
def published(content, tmp_path_factory):
    output = tmp_path_factory.mktemp("published") / "output"
    result = run_build(output, content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    return BuiltSite(output, SITEURL)


@pytest.fixture(scope="module")
def previewed(content, tmp_path_factory):
    """The development build, and what it printed (its list of drafts)."""
    output = tmp_path_factory.mktemp("previewed") / "output"
    result = run_build(output, content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    return BuiltSite(output, ""), result.stdout


def written(site):
    return sorted(path.relative_to(site.root).as_posix() for path in site.root.rglob("*.html"))


def test_a_translation_is_published_in_a_folder_under_its_original_s_address(published):
    versions = [(ORIGINAL, TRANSLATED, "Texte."), (PAGE, PAGE_TRANSLATED, "Polices.")]
    for original, translated, words in versions:
        assert published.file_for(original).is_file()
        assert words in published.soup(translated).select_one(".post-body").get_text()
    assert [path for path in written(published) if OLD_ADDRESSES.fullmatch(path)] == []


def news_article(soup) -> dict:
    scripts = (json.loads(script.string) for script in soup.find_all("script", type="application/ld+json"))
    [article] = [data for data in scripts if data["@type"] == "NewsArticle"]
    return article


def test_the_translation_s_page_and_json_ld_give_its_own_address_and_language(published):
    soup = published.soup(TRANSLATED)
    address = f"{SITEURL}/{TRANSLATED}"
    assert soup.find("link", rel="canonical")["href"] == address
    assert soup.find("meta", property="og:url")["content"] == address
    article = news_article(soup)
    assert article["url"] == article["mainEntityOfPage"] == address
    assert article["inLanguage"] == "fr" and news_article(published.soup(ORIGINAL))["inLanguage"] == "en"


def test_each_version_names_every_version_in_its_head_and_offers_readers_the_others(published):
    """Its head links every version, itself included, by hreflang at its absolute address, as
    the sitemap lists them: no x-default, as the site has no page for readers of no language.
    Under its headline a reader finds each other version, named in its language by that
    language's name. Every address is a built page; a post with no other version links none."""
    for versions in [{"en": ORIGINAL, "fr": TRANSLATED}, {"en": PAGE, "fr": PAGE_TRANSLATED}]:
        every = [(lang, f"{SITEURL}/{page}") for lang, page in sorted(versions.items())]
        assert [
            href for _, href in every if not published.file_for(href.removeprefix(SITEURL)).is_file()
        ] == []
        for lang, page in versions.items():
            soup = published.soup(page)
            head = [
                (link["rel"], link["hreflang"], link["href"]) for link in soup.head.select("link[hreflang]")
            ]
            assert head == [(["alternate"], version, href) for version, href in every]
            offered = soup.select("article.post > header.post-header a[hreflang]")
            others = [
                (version, version, OWN_NAMES[version], href) for version, href in every if version != lang
            ]
            assert [(a["hreflang"], a["lang"], a.get_text(), a["href"]) for a in offered] == others
            assert offered[0].parent.get_text(" ", strip=True) == f"Also in: {others[0][2]}"
    for page in ["", "archives/", "2011/06/seulement-en-francais/fr/"]:
        assert published.soup(page).select("[hreflang]") == [], page


@pytest.mark.system  # its build is asked for by name, which the tiers (conftest.py) cannot see
@pytest.mark.parametrize("build", ["published", "previewed"])
def test_each_other_version_is_offered_by_its_language_s_own_name_in_that_language(build, request):
    """Under its headline each version offers the others by their languages' own names, with a
    region or script ("Also in: Deutsch (Schweiz), English, português (Brasil)…"), each link in
    its version's language and linking it; in a development build as in production."""
    site = request.getfixturevalue(build)
    site = site[0] if build == "previewed" else site
    address = {lang: "2011/05/dom0/" if lang == "en" else f"2011/05/dom0/{lang}/" for lang in DOM0_VERSIONS}
    for lang, page in address.items():
        offered = site.soup(page).select("article.post > header.post-header a[hreflang]")
        others = [
            (other, other, OWN_NAMES[other], f"/{address[other]}") for other in DOM0_VERSIONS if other != lang
        ]
        found = [
            (a["hreflang"], a["lang"], a.get_text(), a["href"].removeprefix(site.siteurl)) for a in offered
        ]
        assert found == others, page


def test_the_sitemap_links_each_version_to_the_other_at_built_addresses(published):
    """Each version's entry lists both by hreflang, itself included; every address is a built page."""
    root = etree.parse(published.root / "sitemap.xml").getroot()
    versions = {}
    for url in root.iterfind("s:url", NS):
        links = sorted((a.get("hreflang"), a.get("href")) for a in url.iterfind("xhtml:link", NS))
        versions[url.findtext("s:loc", namespaces=NS)] = links
    for original, translated in [(ORIGINAL, TRANSLATED), (PAGE, PAGE_TRANSLATED)]:
        both = [("en", f"{SITEURL}/{original}"), ("fr", f"{SITEURL}/{translated}")]
        assert versions[f"{SITEURL}/{original}"] == versions[f"{SITEURL}/{translated}"] == both
    addresses = [*versions, *(href for links in versions.values() for _, href in links)]
    assert [a for a in addresses if not published.file_for(a.removeprefix(SITEURL)).is_file()] == []


def test_every_feed_links_each_entry_at_a_built_address_the_translation_at_its_own(published):
    """Atom and RSS carry the translation as Pelican's site feeds do; every link is a built page."""
    links = {}
    for feed in ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json"]:
        links[feed] = [link for link, *_ in entries(published, published.root / feed)]
        assert [a for a in links[feed] if not published.file_for(a.removeprefix(SITEURL)).is_file()] == []
    assert f"{SITEURL}/{TRANSLATED}" in links["feeds/all.atom.xml"]
    assert f"{SITEURL}/{TRANSLATED}" in links["feeds/all.rss.xml"]


def test_the_news_sitemap_lists_a_recent_translation_once_in_its_language(published):
    """The last two days before the newest post (2011-06-04): the French-only post and the
    translation of 2 June; its original of 1 June is older."""
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    root = etree.parse(str(published.root / "news-sitemap.xml")).getroot()
    listed = [
        (url.findtext("s:loc", namespaces=ns), url.findtext(".//n:language", namespaces=ns)) for url in root
    ]
    assert listed == [
        (f"{SITEURL}/2011/06/seulement-en-francais/fr/", "fr"),
        (f"{SITEURL}/{TRANSLATED}", "fr"),
    ]


def test_the_news_sitemap_names_each_language_as_google_news_reads_it(tmp_path):
    """Google News takes a language's ISO 639 code, and zh-cn or zh-tw for Chinese: before, a
    translation's region or script went in as written (pt-BR, zh-Hant, sr-Latn)."""
    content = new_content(tmp_path)
    (content / "articles" / "xen.md").write_text("Title: Xen\nSlug: xen\nDate: 2011-06-01\n\nText.\n")
    for lang in ("pt-BR", "zh-Hant", "zh-Hans", "sr-Latn"):
        (content / "articles" / f"xen-{lang}.md").write_text(
            f"Title: Xen ({lang})\nSlug: xen\nLang: {lang}\nDate: 2011-06-01\n\nText.\n"
        )
    result = run_build(tmp_path / "output", content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    root = etree.parse(str(tmp_path / "output" / "news-sitemap.xml")).getroot()
    news = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    listed = {
        url.findtext("s:loc", namespaces=news): url.findtext(".//n:language", namespaces=news) for url in root
    }
    assert listed == {
        f"{SITEURL}/2011/06/xen/": "en",
        f"{SITEURL}/2011/06/xen/pt-BR/": "pt",
        f"{SITEURL}/2011/06/xen/zh-Hant/": "zh-tw",
        f"{SITEURL}/2011/06/xen/zh-Hans/": "zh-cn",
        f"{SITEURL}/2011/06/xen/sr-Latn/": "sr",
    }


def test_the_feeds_say_their_language_and_an_atom_entry_in_another_says_its_own(published):
    atom = etree.parse(str(published.root / "feeds/all.atom.xml")).getroot()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    languages = {
        entry.find("atom:link", ns).get("href"): entry.get(xml_lang)
        for entry in atom.iterfind("atom:entry", ns)
    }
    assert atom.get(xml_lang) == "en"
    assert languages[f"{SITEURL}/{TRANSLATED}"] == "fr" and languages[f"{SITEURL}/{ORIGINAL}"] is None
    rss = etree.parse(str(published.root / "feeds/all.rss.xml")).getroot()
    assert rss.findtext("channel/language") == "en"
    assert rss.find("channel/item").get(xml_lang) is None  # RSS 2.0 has no language for an item


def test_the_corrections_feed_says_the_language_of_a_correction_to_a_translation(published):
    """The corrections feed is written by plugins/corrections.py, not by the site's writer. The
    correction is in French; its entry's title, "Correction: …", in the site's language with the
    post's title marked as French, as the corrections page has it (an Atom entry marked French
    as a whole said "Correction:" and the site's name as its author were French)."""
    feed = etree.parse(str(published.root / "feeds/corrections.atom.xml")).getroot()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    [entry] = feed.iterfind("{http://www.w3.org/2005/Atom}entry")
    assert feed.get(xml_lang) == "en" and entry.get(xml_lang) is None
    [parsed] = feedparser.parse((published.root / "feeds/corrections.atom.xml").read_bytes()).entries
    assert (parsed.title_detail.language, parsed.content[0].language) == ("en", "fr")
    assert parsed.title == 'Correction: <span lang="fr">Xen est publié</span>'
    assert parsed.content[0].value == "<p>Une version antérieure se trompait de jour.</p>"


def test_the_json_feed_lists_what_the_atom_feed_does_each_in_its_language(published):
    """Pelican's FEED_ALL_ATOM lists every post with its translations; the JSON Feed beside it
    lists the same, in the same order, and an item in another language than the feed's says so."""
    atom = [entry.link for entry in feedparser.parse(published.root / "feeds/all.atom.xml").entries]
    feed = json.loads((published.root / "feeds/all.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == atom
    languages = {item["url"]: item.get("language") for item in feed["items"]}
    assert feed["language"] == "en"
    assert languages[f"{SITEURL}/{TRANSLATED}"] == "fr" and languages[f"{SITEURL}/{ORIGINAL}"] is None


def test_a_post_in_two_languages_neither_the_site_s_is_listed_once_in_every_feed_and_the_sitemap(published):
    """The French original and its German translation, each once (two JSON Feed items, two
    Atom entries, one id, when Pelican took both for originals)."""
    versions = {f"{SITEURL}/2011/05/bonjour/fr/", f"{SITEURL}/2011/05/bonjour/de/"}
    root = etree.parse(published.root / "sitemap.xml").getroot()
    listed = {"sitemap.xml": [url.findtext("s:loc", namespaces=NS) for url in root.iterfind("s:url", NS)]}
    for feed in ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json"]:
        listed[feed] = [link for link, *_ in entries(published, published.root / feed)]
    for name, links in listed.items():
        assert sorted(link for link in links if link in versions) == sorted(versions), name


def test_translations_whose_original_is_gone_stop_the_build_naming_them(tmp_path):
    """Pelican takes every version of a Slug with none in the site's language for an original: with
    the English post deleted, its three translations were published as three posts, each listed on
    the home page, one a part of its series, and the original's address was gone."""
    content = new_content(tmp_path)
    series = "Series: Dom0 week\nSeries_part: 1\n"
    write(content, "articles/ships.md", f"Title: Xen ships\nDate: 2011-06-01 09:00\n{series}\nText.\n")
    part_2 = "Title: Part 2\nDate: 2011-06-08 09:00\nSeries: Dom0 week\nSeries_part: 2\n\nText.\n"
    write(content, "articles/part-2.md", part_2)
    for lang in ("fr", "ar", "he"):
        fields = f"Slug: xen-ships\nLang: {lang}\nDate: 2011-06-01 09:00\n"
        write(content, f"articles/ships-{lang}.md", f"Title: Xen {lang}\n{fields}\nTexte.\n")
    write(content, "pages/alone-fr.md", "Title: Seul\nSlug: alone\nLang: fr\n\nSeul.\n")  # no translation
    output = tmp_path / "site" / "output"
    together = run_build(output, content=content, production=False, siteurl=None)
    assert together.returncode == 0, together.stderr
    home = (output / "index.html").read_text()
    assert "Xen ships" in home and "Xen fr" not in home and "Xen ar" not in home

    (content / "articles" / "ships.md").unlink()
    page = "Title: Colophon {}\nSlug: colophon\nLang: {}\n\nPolices.\n"
    for lang in ("fr", "de"):
        write(content, f"pages/colophon-{lang}.md", page.format(lang, lang))
    stderr = build_fails(content, tmp_path)
    fix = (
        "Restore the original, or make one of them the original: “Translation: true” in each of the "
        "others, and not in it."
    )
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/ships-ar.md, articles/ships-fr.md and articles/ships-he.md share the Slug "
        "“xen-ships”, as one post's translations do, but their original, the version in the site's "
        f"language (“en”) with that Slug, is missing: each would be published on its own. {fix}",
        "error: pages/colophon-de.md and pages/colophon-fr.md share the Slug “colophon”, as one post's "
        "translations do, but their original, the version in the site's language (“en”) with that "
        f"Slug, is missing: each would be published on its own. {fix}",
    ]

    # The advice followed: the French version the original (with the series' fields), the others
    # its translations.
    french = content / "articles" / "ships-fr.md"
    french.write_text(french.read_text().replace("Lang:", f"{series}Lang:"))
    for name in ("articles/ships-ar.md", "articles/ships-he.md", "pages/colophon-de.md"):
        path = content / name
        path.write_text(path.read_text().replace("Lang:", "Translation: true\nLang:"))
    rebuilt = run_build(output, content=content, production=False, siteurl=None)
    assert rebuilt.returncode == 0, rebuilt.stderr
    home = (output / "index.html").read_text()
    assert "Xen fr" in home and "Xen ar" not in home and "Xen he" not in home
    assert (output / "2011" / "06" / "xen-ships" / "ar" / "index.html").is_file()


def test_versions_without_an_original_are_told_which_is_published_now_and_which_once_it_is(tmp_path):
    """Pelican pairs versions within one status: a published French post beside a German draft
    is published alone, and the draft would be once it is; "each would be published on its own"
    said the draft was published too."""
    content = new_content(tmp_path)
    fields = "Slug: xen-ships\nDate: 2011-06-01\n"
    write(content, "articles/ships-fr.md", f"Title: Xen fr\n{fields}Lang: fr\n\nT.\n")
    write(content, "articles/ships-de.md", f"Title: Xen de\n{fields}Lang: de\nStatus: draft\n\nT.\n")
    write(content, "pages/colophon-fr.md", "Title: Colophon\nSlug: colophon\nLang: fr\nStatus: draft\n\nP.\n")
    write(
        content, "pages/colophon-de.md", "Title: Kolophon\nSlug: colophon\nLang: de\nStatus: hidden\n\nP.\n"
    )
    write(content, "articles/soon-fr.md", "Title: Bient\nSlug: soon\nLang: fr\nDate: 2099-05-01\n\nT.\n")
    write(content, "articles/soon-de.md", "Title: Bald\nSlug: soon\nLang: de\nStatus: draft\n\nT.\n")
    stderr = build_fails(content, tmp_path)
    assert stderr.count("error:") == 3, stderr
    missing = "with that Slug, is missing: "
    assert [
        line[line.index(missing) + len(missing) : line.index(". Restore")]
        for line in stderr.splitlines()
        if missing in line
    ] == [
        "articles/ships-fr.md would be published on its own, and so would articles/ships-de.md, a draft, "
        "once it is published",
        "each would be published on its own once it is (articles/soon-de.md, a draft; articles/soon-fr.md, "
        "scheduled for 1 May 2099)",
        "pages/colophon-de.md would be published on its own, and so would pages/colophon-fr.md, a draft, "
        "once it is published",
    ]


def test_translations_all_marked_as_such_whose_original_is_gone_are_told_to_unmark_one(tmp_path):
    """Translations that said "Translation: true" while their original was there: the advice to
    mark the others left the one chosen marked too, so the build stopped again the same way."""
    content = new_content(tmp_path)
    for lang in ("fr", "de"):
        write(
            content,
            f"articles/ships-{lang}.md",
            f"Title: Xen {lang}\nSlug: xen-ships\nLang: {lang}\nTranslation: true\nDate: 2011-06-01\n\nT.\n",
        )
    build_fails(content, tmp_path, "“Translation: true” in each of the others, and not in it.")

    # The advice followed: the French version no longer says it is a translation.
    french = content / "articles" / "ships-fr.md"
    french.write_text(french.read_text().replace("Translation: true\n", ""))
    output = tmp_path / "site" / "output"
    rebuilt = run_build(output, content=content, production=False, siteurl=None)
    assert rebuilt.returncode == 0, rebuilt.stderr
    home = (output / "index.html").read_text()
    assert "Xen fr" in home and "Xen de" not in home


def test_an_original_marked_as_a_translation_beside_two_unmarked_stops_the_build(tmp_path):
    """Pelican takes for originals the versions not marked "Translation: true": with the English
    one marked, the French and German were each published as a post, each listed with the other
    and the English as its translations, and the check saw the English and let it be."""
    content = new_content(tmp_path)
    write(
        content,
        "articles/ships.md",
        "Title: Xen en\nSlug: ships\nTranslation: true\nDate: 2011-06-01\n\nText.\n",
    )
    for lang in ("fr", "de"):
        write(
            content,
            f"articles/ships-{lang}.md",
            f"Title: Xen {lang}\nSlug: ships\nLang: {lang}\nDate: 2011-06-01\n\nT.\n",
        )
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/ships.md is the version in the site's language (“en”) of articles/ships-de.md and "
        "articles/ships-fr.md, but says “Translation: true”, so each of them, which do not, would be "
        "published on its own as the original. Delete “Translation: true” from articles/ships.md."
    ]

    english = content / "articles" / "ships.md"  # the advice followed
    english.write_text(english.read_text().replace("Translation: true\n", ""))
    output = tmp_path / "site" / "output"
    rebuilt = run_build(output, content=content, production=False, siteurl=None)
    assert rebuilt.returncode == 0, rebuilt.stderr
    home = (output / "index.html").read_text()
    assert "Xen en" in home and "Xen fr" not in home and "Xen de" not in home


def test_versions_dated_alike_are_built_byte_identical_whatever_the_hash_seed(tmp_path):
    """Pelican reads posts in the order of a set of file names, which Python varies per process,
    and keeps that order among the versions of one post: translations of one Date were fed, and
    versions with none in the site's language listed, in another order by each build."""
    content = new_content(tmp_path)
    write(content, "articles/x.md", "Title: X\nDate: 2011-06-01 09:00\n\nText.\n")
    for lang in ("fr", "de", "es", "it", "nl"):
        write(
            content,
            f"articles/x-{lang}.md",
            f"Title: X {lang}\nSlug: x\nLang: {lang}\nDate: 2011-06-01 09:00\n\nT.\n",
        )

    def build(seed):
        output = tmp_path / f"seed-{seed}" / "output"
        result = run_build(output, content=content, environment={"PYTHONHASHSEED": str(seed)})
        assert result.returncode == 0, result.stderr
        return digest(output)

    first, second = build(1), build(2)
    assert [
        path for path in sorted(first.keys() | second.keys()) if first.get(path) != second.get(path)
    ] == []


def test_the_search_index_finds_the_translation_at_its_address(published):
    """In the one index the English search reads: Pagefind makes one for each <html lang>."""
    urls = {fragment["url"] for fragment in search_fragments(published)}
    assert {f"/{TRANSLATED}", f"/{PAGE_TRANSLATED}"} <= urls
    entry = json.loads((published.root / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]


def language_of(element) -> str:
    """The language a reader's browser gives ``element``'s text: its own lang or its nearest ancestor's."""
    return (element if element.has_attr("lang") else element.find_parent(lang=True))["lang"]


def test_a_translation_s_own_words_are_in_its_language_the_page_around_them_in_the_site_s(published):
    """Headline, standfirst and body in French; the masthead, kicker, byline, the post's footer
    and share links, and <html lang> (by which Pagefind picks an index) stay the site's."""
    frame = (".masthead", ".kicker", ".byline", ".post-footer", ".share")
    for page, own in [
        (TRANSLATED, ("h1", ".standfirst", ".post-body")),
        (PAGE_TRANSLATED, ("h1", ".post-body")),
    ]:
        soup = published.soup(page)
        assert [language_of(soup.select_one(f"article.post {part}")) for part in own] == ["fr"] * len(own)
        around = {language_of(part) for part in map(soup.select_one, frame) if part}
        assert around == {"en"} == {soup.html["lang"]}


# Each text of a page, and each picture's alt, with the language a browser gives it: the lang
# of its element or of the nearest one around it, in the tree Chromium's parser builds (lxml
# does not close a <p> where a <figure> starts, as minified pages leave it to the parser).
LANGUAGES = """(html) => {
  const page = new DOMParser().parseFromString(html, "text/html");
  const language = (element) => element.closest("[lang]").lang;
  const found = [...page.body.querySelectorAll("img[alt]")].map((img) => [img.alt, language(img)]);
  const texts = page.createTreeWalker(page.body, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) found.push([texts.currentNode.data, language(texts.currentNode.parentElement)]);
  return found;
}"""


@pytest.fixture(scope="module")
def chromium_page(browser):
    with open_page(browser) as (page, _):
        yield page


@pytest.mark.browser
def test_every_page_marks_a_post_s_words_with_their_language_wherever_it_shows_them(published, chromium_page):
    """A French title, standfirst, caption or picture description is in French on its own page
    and in every list that shows it (home, archives, tag, category and author pages, the
    corrections log); an English post's stays English beside it, and so does the credit line."""
    shown = defaultdict(set)
    for path in written(published):
        for text, language in chromium_page.evaluate(LANGUAGES, published.text(path)):
            words = text.strip(" ←→:")
            if words in WORDS:
                assert (path, words, language) == (path, words, WORDS[words])
                shown[words].add(path.removesuffix("index.html"))
    only_french = "2011/06/seulement-en-francais/fr/"
    lists = {"", "tag/xen/", "category/xen/", "author/dom0-dispatch-editors/"}
    assert {*lists, "archives/", "2011/", "2011/06/", only_french} <= shown["Seulement en français"]
    assert {*lists, only_french} <= shown["Un billet sans version anglaise."]
    assert {"", only_french} <= shown["Formes en couleurs"] & shown["Photo: A. Photographe"]
    assert {"", "tag/xen/", only_french} <= shown["Des formes inventées"]
    corrected = shown["Xen est publié"] & shown["Une version antérieure se trompait de jour."]
    assert {TRANSLATED, "corrections/"} <= corrected


def test_a_language_is_written_escaped_and_the_site_s_own_not_at_all():
    """Lint refuses a Lang that is not a language tag; the attribute is escaped all the same."""
    assert lang_attr(SimpleNamespace(lang='x" onclick="y'), "en") == ' lang="x&#34; onclick=&#34;y"'
    assert lang_attr(SimpleNamespace(lang="fr"), "en") == ' lang="fr"'
    assert lang_attr(SimpleNamespace(lang="en"), "en") == ""


def test_a_tag_cldr_has_no_data_for_is_named_by_its_language_or_as_written():
    """French as in Japan by French's own name; Samoan, which CLDR names but has no data in, by its
    name in the site's language, and so marked; a tag lint refuses (a build that skipped it) as typed."""
    assert [autonym(tag, "en") for tag in ("fr", "fr-JP", "zh-Hant-HK", "sm", "sm-WS", "jp")] == [
        ("français", "fr"),
        ("français", "fr-JP"),
        ("中文 (繁體字, 中國香港特別行政區)", "zh-Hant-HK"),
        ("Samoan", "en"),
        ("Samoan", "en"),
        ("jp", "en"),
    ]


@pytest.mark.parametrize("name", ["Français", "French"])
def test_a_language_written_by_its_name_is_told_its_tag_and_published_once_that_is_written(tmp_path, name):
    content = new_content(tmp_path)
    write(content, "articles/xen.md", "Title: Xen\nDate: 2011-06-01\n\nText.\n")
    write(
        content, "articles/xen-fr.md", f"Title: Xen fr\nSlug: xen\nLang: {name}\nDate: 2011-06-01\n\nTexte.\n"
    )
    (line,) = [line for line in build_fails(content, tmp_path).splitlines() if "error:" in line]
    assert line.endswith("Write “fr”, the tag of French."), line
    write(content, "articles/xen-fr.md", "Title: Xen fr\nSlug: xen\nLang: fr\nDate: 2011-06-01\n\nTexte.\n")
    result = run_build(tmp_path / "output", content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    assert BuiltSite(tmp_path / "output", SITEURL).soup("2011/06/xen/fr/").select_one("h1")["lang"] == "fr"


def test_a_language_cldr_names_but_has_no_data_in_is_published(tmp_path):
    """Samoan, Chamorro and Limburgish were refused with another country's language to write
    ("sm": "it", San Marino's): their codes are languages, only Babel has no data in them."""
    content = new_content(tmp_path)
    for lang in ("", "ch", "li", "sm"):
        name = f"articles/talofa{'-' + lang if lang else ''}.md"
        language = f"Lang: {lang}\n" if lang else ""
        write(content, name, f"Title: Talofa {lang}\nSlug: talofa\n{language}Date: 2011-05-20 09:00\n\nT.\n")
    result = run_build(tmp_path / "output", content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", SITEURL)
    offered = site.soup("2011/05/talofa/").select("article.post > header.post-header a[hreflang]")
    assert [(a["hreflang"], a["lang"], a.get_text()) for a in offered] == [
        ("ch", "en", "Chamorro"),
        ("li", "en", "Limburgish"),
        ("sm", "en", "Samoan"),
    ]
    assert site.soup("2011/05/talofa/sm/").select_one("h1")["lang"] == "sm"


def test_the_site_s_own_check_passes(published):
    assert run_checks(published.root, SITEURL, validate_html=False) == []


def test_production_publishes_no_draft_in_any_language(published):
    """Pelican saves a draft whose Lang is not DEFAULT_LANG by DRAFT_LANG_SAVE_AS and
    DRAFT_PAGE_LANG_SAVE_AS, which publishconf.py empties as it does the others."""
    assert not (published.root / "drafts").exists()
    assert [path for path in written(published) if "unfinished" in path or "notes" in path] == []


def test_a_preview_shows_drafts_in_other_languages_under_drafts(previewed):
    """Each at an address the build prints with the other drafts, translations included."""
    site, printed = previewed
    drafts = {"drafts/unfinished/": "Unfinished", "drafts/unfinished/de/": "Unfertig"}
    drafts["drafts/pages/notes/de/"] = "Notizen"
    for draft, title in drafts.items():
        assert site.file_for(draft).is_file(), written(site)
        assert f"  http://127.0.0.1:8000/{draft}  {title} (draft)\n" in printed
    assert site.file_for(TRANSLATED).is_file() and site.file_for(PAGE_TRANSLATED).is_file()
    assert [path for path in written(site) if OLD_ADDRESSES.fullmatch(path)] == []


def test_a_translation_is_checked_as_any_post_is(tmp_path):
    """Pelican keeps translations apart from its lists of posts: one written over a feed or
    another translation, or with a dead link, was published unsaid."""
    content = write_posts(new_content(tmp_path))
    german = "Title: Xen ist da\nSlug: xen-ships\nLang: de\nDate: 2011-06-02 09:00\n\nText.\n"
    write(content, "articles/xen-ships-de.md", german)
    write(content, "articles/xen-ships-de-again.md", german)
    write(content, "articles/xen-ships-es.md", german.replace("de", "es") + "[x]({filename}gone.md)\n")
    write(
        content,
        "pages/colophon-de.md",
        "Title: Kolophon\nSlug: colophon\nLang: de\nSave_as: feeds/all.atom.xml\n",
    )
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/xen-ships-de-again.md and articles/xen-ships-de.md would all be written to "
        "2011/06/xen-ships/de/index.html. Give one of them another Slug (or Date).",
        "error: pages/colophon-de.md and the feed feeds/all.atom.xml would all be written to "
        "feeds/all.atom.xml. Give one of them another Slug (or Date).",
        "error: articles/xen-ships-de-again.md and articles/xen-ships-de.md share the Slug “xen-ships” and "
        "the Lang “de”: posts with one Slug are one post's versions, one in each language (a translation "
        "gives its original's Slug and its own Lang). Give one of them another Slug.",
        "error: articles/xen-ships-es.md: links to {filename}gone.md, but content/articles/gone.md does not "
        "exist. Fix the path (relative to this file, or starting with / for content/) or remove the link.",
    ]


def test_one_slug_has_one_post_in_each_language(tmp_path):
    """Posts with one Slug are one post's versions (Pelican's translations): a second in a
    language, dated in another month or year so that no file clashes, was published too, and
    the sitemap gave each version two alternates in that language."""
    content = write_posts(new_content(tmp_path))
    french = POSTS["articles/xen-ships-fr.md"]
    write(content, "articles/xen-ships-fr-again.md", french.replace("06-02", "07-02"))
    write(content, "articles/xen-ships-2012.md", POSTS["articles/xen-ships.md"].replace("2011", "2012"))
    # Scheduled: Pelican pairs posts of one status, so the nightly build of its date would stop.
    write(content, "articles/roundup.md", "Title: Roundup\nDate: 2011-06-01\n\nText.\n")
    write(content, "articles/roundup-2099.md", "Title: Roundup\nDate: 2099-06-01\n\nText.\n")
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/roundup-2099.md and articles/roundup.md share the Slug “roundup” and the Lang “en” "
        "from 1 June 2099, when articles/roundup-2099.md is published: posts with one Slug are one post's "
        "versions, one in each language (a translation gives its original's Slug and its own Lang). Give "
        "one of them another Slug.",
        "error: articles/xen-ships-2012.md and articles/xen-ships.md share the Slug “xen-ships” and the "
        "Lang “en”: posts with one Slug are one post's versions, one in each language (a translation "
        "gives its original's Slug and its own Lang). Give one of them another Slug.",
        "error: articles/xen-ships-fr-again.md and articles/xen-ships-fr.md share the Slug “xen-ships” and "
        "the Lang “fr”: posts with one Slug are one post's versions, one in each language (a translation "
        "gives its original's Slug and its own Lang). Give one of them another Slug.",
    ]


def test_a_translation_is_never_more_public_than_its_original(tmp_path):
    """Pelican sorts posts by status before it pairs versions: a translation of a draft, a
    scheduled or a hidden post was published alone, listed on the home page or in the menu."""
    content = new_content(tmp_path)
    originals = {
        "articles/held.md": "Title: Held\nDate: 2011-06-03 09:00\nStatus: draft\n\nText.\n",
        "articles/due.md": "Title: Due\nDate: 2099-06-01 09:00\n\nText.\n",
        "pages/unlisted.md": "Title: Unlisted\nStatus: hidden\n\nText.\n",
    }
    for name, text in originals.items():
        write(content, name, text)
        slug = name.split("/")[1].removesuffix(".md")
        write(
            content,
            name.replace(".md", "-fr.md"),
            f"Title: En français\nSlug: {slug}\nLang: fr\nDate: 2011-06-04\n\nTexte.\n",
        )
    # Scheduled ahead of a draft or of a later original: a nightly build on that date would stop.
    # One scheduled for its original's date or later is published with it or after it.
    scheduled = {
        "later": "2099-05-01",
        "soon": "2099-05-01",
        "along": "2099-06-01 09:00",
        "after": "2099-07-01",
    }
    for slug, date in scheduled.items():
        status = "Status: draft\n" if slug == "later" else ""
        write(content, f"articles/{slug}.md", f"Title: {slug}\nDate: 2099-06-01 09:00\n{status}\nText.\n")
        write(
            content, f"articles/{slug}-fr.md", f"Title: Fr\nSlug: {slug}\nLang: fr\nDate: {date}\n\nTexte.\n"
        )
    stderr = build_fails(content, tmp_path)
    fix = (
        "it would be published on its own, without its original. "
        "Give it the Status (or Date) of its original."
    )
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/due-fr.md is the “fr” version of articles/due.md, which is scheduled for "
        f"1 June 2099: {fix}",
        f"error: articles/held-fr.md is the “fr” version of articles/held.md, which is a draft: {fix}",
        "error: articles/later-fr.md is the “fr” version of articles/later.md, which is a draft: from "
        f"1 May 2099 {fix}",
        "error: articles/soon-fr.md is the “fr” version of articles/soon.md, which is scheduled for "
        f"1 June 2099: from 1 May 2099 {fix}",
        f"error: pages/unlisted-fr.md is the “fr” version of pages/unlisted.md, which is hidden: {fix}",
    ]


@pytest.mark.parametrize("production", [True, False], ids=["published", "previewed"])
def test_a_translation_gets_the_reading_time_and_table_of_contents_its_original_does(tmp_path, production):
    """Pelican keeps translations out of its lists of posts: the French version of a post with
    three sections had neither its reading time nor its table of contents, a draft's neither."""
    content = new_content(tmp_path)
    sections = "Intro.\n\n## Un\n\nTexte.\n\n## Deux\n\nTexte.\n\n## Trois\n\nTexte.\n"
    for slug, status in [("dom0", ""), ("unfinished", "Status: draft\n")]:
        fields = f"Slug: {slug}\nDate: 2011-06-01\n{status}"
        write(content, f"articles/{slug}.md", f"Title: {slug}\n{fields}\n{sections}")
        write(content, f"articles/{slug}-fr.md", f"Title: {slug} fr\nLang: fr\n{fields}\n{sections}")
    siteurl = SITEURL if production else None
    result = run_build(tmp_path / "output", content=content, production=production, siteurl=siteurl)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", siteurl or "")
    versions = ["2011/06/dom0/", "2011/06/dom0/fr/"]
    if not production:
        versions += ["drafts/unfinished/", "drafts/unfinished/fr/"]
    for address in versions:
        page = site.soup(address)
        assert [a.get_text() for a in page.select("nav.toc a")] == ["Un", "Deux", "Trois"], address
        assert "1 min read" in page.select_one("header.post-header").get_text(), address


def direction_of(element) -> str:
    """The direction a browser lays ``element``'s text out in: its own dir or its nearest ancestor's."""
    found = element if element.has_attr("dir") else element.find_parent(dir=True)
    return found["dir"] if found else "ltr"


def test_a_version_in_a_language_written_right_to_left_is_laid_out_right_to_left(tmp_path):
    """lang="ar" alone left Arabic and Hebrew laid out left to right, their full stops and list
    bullets at the wrong end: a browser takes the direction from dir, never from lang."""
    content = new_content(tmp_path)
    write(content, "articles/dom0.md", "Title: Dom0\nDate: 2011-05-20 09:00\nSummary: Dom0.\n\nText.\n")
    for lang, title in [("ar", "القصة"), ("he", "הסיפור"), ("fr", "Le récit"), ("az-Arab", "Hekayə")]:
        fields = f"Slug: dom0\nLang: {lang}\nDate: 2011-05-20 09:00\nSummary: {title}."
        write(content, f"articles/dom0-{lang}.md", f"Title: {title}\n{fields}\n\n- {title}.\n")
    result = run_build(tmp_path / "output", content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", SITEURL)
    for lang, expected in [("ar", "rtl"), ("he", "rtl"), ("az-Arab", "rtl"), ("fr", "ltr")]:
        page = site.soup(f"2011/05/dom0/{lang}/")
        own = [page.select_one(f"article.post {part}") for part in ("h1", ".standfirst", ".post-body li")]
        assert [direction_of(element) for element in own] == [expected] * 3, lang
        assert direction_of(page.select_one("article.post .byline")) == "ltr" == direction_of(page.body)
    offered = site.soup("2011/05/dom0/").select("article.post > header.post-header a[hreflang]")
    assert [(a["hreflang"], a.get_text(), direction_of(a)) for a in offered] == [
        ("ar", "العربية", "rtl"),
        ("az-Arab", "آذربایجان تۆرکجه\u200cسی (عربجه)", "rtl"),
        ("fr", "français", "ltr"),
        ("he", "עברית", "rtl"),
    ]
    # A feed reader lays an entry out by dir too: each version's content says its own.
    atom = feedparser.parse((site.root / "feeds" / "all.atom.xml").read_bytes())
    json_feed = json.loads((site.root / "feeds" / "all.json").read_text(encoding="utf-8"))
    for items, content_of in [
        (atom.entries, lambda e: e.content[0].value),
        (json_feed["items"], lambda i: i["content_html"]),
    ]:
        ruled = {re.match(r'<div dir="(\w+)">', content_of(item)) for item in items}
        assert {found and found[1] for found in ruled} == {"rtl", None}
        arabic = next(item for item in items if "القصة" in content_of(item))
        assert content_of(arabic).startswith('<div dir="rtl">') and content_of(arabic).endswith("</div>")


def said_in(element, language: str) -> tuple[str, str]:
    """(language, direction) of ``element``'s words in a feed entry whose own language is ``language``."""
    found = element if element.has_attr("lang") else element.find_parent(lang=True)
    return (found["lang"] if found else language), direction_of(element)


def test_a_translation_s_feed_entry_gives_the_credit_line_in_the_site_s_language(tmp_path):
    """The entry and its caption are in the translation's language, but "Photo:" is the site's
    word, as on the post's page: unmarked, an Arabic entry laid it out right to left, its colon
    on the wrong side, and claimed it was Arabic (or French)."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "shapes.jpg", 1400, 800)
    write(content, "articles/dom0.md", "Title: Dom0\nDate: 2011-05-20 09:00\n\nText.\n")
    versions = {"ar": ("القصة", "أشكال ملونة", "مصور"), "fr": ("Le récit", "Des formes", "A. Photographe")}
    for lang, (title, caption, credit) in versions.items():
        fields = f"Slug: dom0\nLang: {lang}\nDate: 2011-05-20 09:00\nImage: {{static}}/images/shapes.jpg\n"
        picture = f"Image_alt: {caption}\nImage_caption: {caption}\nImage_credit: {credit}\n"
        write(content, f"articles/dom0-{lang}.md", f"Title: {title}\n{fields}{picture}\n{title}.\n")
    result = run_build(tmp_path / "output", content=content, siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", SITEURL)
    feeds = site.root / "feeds"
    atom = feedparser.parse((feeds / "all.atom.xml").read_bytes()).entries
    rss = feedparser.parse((feeds / "all.rss.xml").read_bytes()).entries  # in the channel's language
    items = json.loads((feeds / "all.json").read_text(encoding="utf-8"))["items"]
    contents = {
        "atom": [(e.content[0].value, e.content[0].language) for e in atom],
        "rss": [(e.description, "en") for e in rss],
        "json": [(i["content_html"], i.get("language", "en")) for i in items],
    }
    for lang, (title, caption, credit) in versions.items():
        own = (lang, "rtl" if lang == "ar" else "ltr")
        page = site.soup(f"2011/05/dom0/{lang}/").select_one("figure.lead-image > figcaption")
        words = [page.find(string=caption).parent, page.find(string=f"Photo: {credit}").parent]
        assert [said_in(element, "en") for element in words] == [own, ("en", "ltr")]
        for feed, listed in contents.items():
            body, language = next((body, language) for body, language in listed if f"{title}." in body)
            figcaption = BeautifulSoup(body, "html.parser").figcaption
            assert figcaption.get_text() == f"{caption} Photo: {credit}", feed
            credited = figcaption.find(string=re.compile("Photo: ")).parent
            assert said_in(credited, language) == ("en", "ltr"), feed
