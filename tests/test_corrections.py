"""The corrections log and the Follow page, built for real: the corrections page (order, links,
dates, text), its Atom feed, a corrected post's JSON-LD, the footer on every page, the Follow
page's feeds, the empty state, the refusal of an undated correction, and the security policy
against the NEWSLETTER setting."""

import json
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SITEURL, new_content, run_build
from sitehelpers import BuiltSite

import pelicanconf
from sitebuild.preview.server import CONTENT_SECURITY_POLICY

TWICE = "2011/07/a-test-post-corrected-twice/"
UPDATED = "2011/07/a-test-post-with-an-update-and-a-correction/"
LOG = [  # newest first
    (TWICE, "2011-07-06", "An earlier version of this made-up post linked the wrong page."),
    (UPDATED, "2011-07-04", "An earlier version of this made-up post named the wrong day."),
    (TWICE, "2011-07-02", "An earlier version of this made-up post gave the wrong 3.0 & 2.6 releases."),
    # The generated posts' (tests/newsroomdata.py), back across two years.
    ("2011/03/made-up-report-22/", "2011-03-22", "A made-up error."),
    ("2010/09/made-up-report-13/", "2010-09-23", "A made-up error."),
    ("2010/03/made-up-report-4/", "2010-03-27", "A made-up error."),
]


def test_the_corrections_page_lists_every_correction_newest_first(newsroom):
    page = newsroom.soup("corrections/")
    items = page.select("ol.corrections > li")
    found = [
        (
            item.h2.a["href"].removeprefix(newsroom.siteurl + "/"),
            item.time["datetime"],
            " ".join(item.select_one(".correction-text").get_text(" ").split()).replace(" .", "."),
        )
        for item in items
    ]
    assert found == LOG
    assert items[0].h2.get_text() == "A test post corrected twice"
    assert [t.get_text() for t in items[0].find_all("time")] == ["6 July 2011", "1 July 2011"]
    feed = page.find("link", rel="alternate", href=f"{newsroom.siteurl}/feeds/corrections.atom.xml")
    assert feed["type"] == "application/atom+xml"


def test_the_corrections_feed_has_each_correction_with_its_post(newsroom):
    parsed = feedparser.parse((newsroom.root / "feeds/corrections.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert [(e.link, e.published[:10]) for e in parsed.entries] == [
        (f"{newsroom.siteurl}/{post}", day) for post, day, _ in LOG
    ]
    assert parsed.entries[0].title == "Correction: A test post corrected twice"
    assert 'href="https://example.org/"' in parsed.entries[0].content[0].value
    assert len({e.id for e in parsed.entries}) == len(LOG)


def test_a_corrected_post_says_so_in_its_json_ld(newsroom):
    scripts = newsroom.soup(TWICE).find_all("script", type="application/ld+json")
    article = next(d for d in map(json.loads, (s.string for s in scripts)) if d["@type"] == "NewsArticle")
    assert article["correction"] == [
        {"@type": "CorrectionComment", "datePublished": day, "text": text}
        for post, day, text in reversed(LOG)
        if post == TWICE
    ]
    assert (article["datePublished"][:10], article["dateModified"][:10]) == ("2011-07-01", "2011-07-06")
    lead = newsroom.soup("2011/07/a-test-post-with-a-lead-photo/")
    others = lead.find_all("script", type="application/ld+json")
    assert all("correction" not in json.loads(s.string) for s in others)


def test_a_correction_dates_the_post_s_last_change_everywhere_but_the_visible_update_line(newsroom):
    """A correction changes the post: every machine-read date says so; the header's "Updated" is
    the author's Modified only (a correction is not an update)."""
    url, last = f"{newsroom.siteurl}/{TWICE}", "2011-07-06"
    page = newsroom.soup(TWICE)
    assert page.find("meta", property="article:modified_time")["content"][:10] == last
    assert not page.select(".updated")
    atom = feedparser.parse((newsroom.root / "feeds/all.atom.xml").read_bytes())
    assert next(e for e in atom.entries if e.link == url).updated[:10] == last
    items = json.loads((newsroom.root / "feeds/all.json").read_text(encoding="utf-8"))["items"]
    assert next(i for i in items if i["url"] == url)["date_modified"][:10] == last
    sitemap = (newsroom.root / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(rf"<loc>{re.escape(url)}</loc>\s*<lastmod>{last}", sitemap)


def test_every_page_links_the_policy_follow_and_corrections_from_its_footer(newsroom):
    pages = newsroom.html_files()
    assert len(pages) > 20
    for path in pages:
        page = newsroom.soup(path.relative_to(newsroom.root).as_posix())
        footer = page.find("footer", class_="site-footer")
        links = {a.get_text(): a["href"] for a in footer.find_all("a")}
        for label, target in {
            "Corrections policy": "corrections-policy/",
            "Follow": "follow/",
            "Corrections": "corrections/",
        }.items():
            assert links[label] == f"{newsroom.siteurl}/{target}", path
    policy = newsroom.soup("corrections-policy/")
    assert policy.h1.get_text() == "Corrections policy"


def test_every_feed_the_follow_page_names_is_built(newsroom):
    links = [a["href"] for a in newsroom.soup("follow/").select("main a")]
    feeds = [link for link in links if "/feeds/" in link]
    for link in links:
        assert link.startswith(newsroom.siteurl + "/"), link
        assert newsroom.file_for(urlsplit(link).path).is_file(), link
    categories = {f"feeds/category/{slug}.atom.xml" for slug in ("xen", "linux", "news-vps-hosting")}
    expected = {"feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json", "feeds/corrections.atom.xml"}
    assert expected | categories <= {link.removeprefix(newsroom.siteurl + "/") for link in feeds}
    assert not newsroom.soup("follow/").find("form")  # NEWSLETTER is None


def test_a_site_without_corrections_says_so_and_has_an_empty_feed(tmp_path):
    content = new_content(tmp_path)
    (content / "articles" / "plain.md").write_text(
        "Title: A plain post\nDate: 2011-06-01 09:00\n\nNothing to correct.\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", SITEURL)
    page = site.soup("corrections/")
    assert not page.select("ol.corrections") and "No corrections yet." in page.main.get_text()
    parsed = feedparser.parse((site.root / "feeds/corrections.atom.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated == "2011-06-01T09:00:00+00:00"  # the site's newest post, not the clock


# The last: a month in another language than the post's (English).
UNREADABLE = [
    "",
    " | Correction",
    " | Correction, 31 June 2011",
    " | Correction, 4 Jun 2011",
    " | Correction, 4 juin 2011",
]


@pytest.mark.parametrize("title", UNREADABLE)
def test_a_correction_without_a_readable_date_stops_the_build_by_name(tmp_path, title):
    content = new_content(tmp_path)
    (content / "articles" / "undated.md").write_text(
        f"Title: Undated\nDate: 2011-06-01 09:00\n\n/// correction{title}\nWrong.\n///\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"articles/undated\.md: the correction titled .* Correction, 4 June 2011", result.stderr)


# (Lang, Title, correction title): a month in the translation's language, written as it writes a date.
TRANSLATED_CORRECTIONS = [
    ("fr", "Xen dans Linux", "Correctif, 4 juin 2011"),
    ("th", "Xen ใน Linux", "แก้ไข, 4 มิถุนายน 2011"),  # vowel signs: not letters to a regular expression
    ("de", "Xen in Linux (de)", "Korrektur, 4. Juni 2011"),  # the day with a dot
    ("pt-BR", "Xen no Linux", "Correção, 4 de junho de 2011"),  # the month between "de"s
    ("ar", "Xen في Linux", "تصحيح، ٤ يونيو ٢٠١١"),  # the Arabic comma, and Arabic digits
    ("he", "Xen בלינוקס", "תיקון, 4 ביוני 2011"),  # "in June": the month as a Hebrew date writes it
]


def test_a_translation_dates_its_correction_with_a_month_in_its_own_language(tmp_path):
    content = new_content(tmp_path)
    (content / "articles" / "xen.md").write_text(
        "Title: Xen in Linux\nSlug: xen\nDate: 2011-06-01 09:00\n\nMerged.\n", encoding="utf-8"
    )
    for lang, title, correction in TRANSLATED_CORRECTIONS:
        (content / "articles" / f"xen-{lang}.md").write_text(
            f"Title: {title}\nSlug: xen\nLang: {lang}\nDate: 2011-06-01 09:00\n\nText.\n\n"
            f"/// correction | {correction}\nWrong.\n///\n",
            encoding="utf-8",
        )
    site = BuiltSite(tmp_path / "output", SITEURL)
    result = run_build(site.root, content=content)
    assert result.returncode == 0, result.stderr
    items = site.soup("corrections/").select("ol.corrections > li")
    assert sorted((item.h2.get_text(), item.time["datetime"]) for item in items) == [
        ("Xen dans Linux", "2011-06-04"),
        ("Xen in Linux (de)", "2011-06-04"),
        ("Xen no Linux", "2011-06-04"),
        ("Xen בלינוקס", "2011-06-04"),
        ("Xen في Linux", "2011-06-04"),
        ("Xen ใน Linux", "2011-06-04"),
    ]
    # Each entry's title is the site's "Correction:" (in English) and the post's title, marked as in
    # the post's language and direction, as the correction is.
    parsed = feedparser.parse((site.root / "feeds/corrections.atom.xml").read_bytes())
    titles = [(e, BeautifulSoup(e.title, "html.parser")) for e in parsed.entries]
    assert sorted(
        (title.get_text(), e.title_detail.language, title.span.attrs, e.content[0].language, e.published[:10])
        for e, title in titles
    ) == [
        ("Correction: Xen dans Linux", "en", {"lang": "fr"}, "fr", "2011-06-04"),
        ("Correction: Xen in Linux (de)", "en", {"lang": "de"}, "de", "2011-06-04"),
        ("Correction: Xen no Linux", "en", {"lang": "pt-BR"}, "pt-BR", "2011-06-04"),
        ("Correction: Xen בלינוקס", "en", {"dir": "rtl", "lang": "he"}, "he", "2011-06-04"),
        ("Correction: Xen في Linux", "en", {"dir": "rtl", "lang": "ar"}, "ar", "2011-06-04"),
        ("Correction: Xen ใน Linux", "en", {"lang": "th"}, "th", "2011-06-04"),
    ]
    assert [title.span.get_text() for _, title in titles] == [t.h2.get_text() for t in items]
    scripts = site.soup("2011/06/xen/fr/").find_all("script", type="application/ld+json")
    article = next(d for d in map(json.loads, (s.string for s in scripts)) if d["@type"] == "NewsArticle")
    assert [c["datePublished"] for c in article["correction"]] == ["2011-06-04"]


def test_the_corrections_feed_gives_a_correction_as_every_feed_gives_a_post(tmp_path):
    """Laid out in its language's direction, without the page's code labels and focus stops,
    as feed_entry.py gives a post's body: before, an Arabic correction read left to right
    and its code block began with a stray "sh"."""
    content = new_content(tmp_path)
    (content / "articles" / "xen.md").write_text(
        "Title: Xen in Linux\nSlug: xen\nDate: 2011-06-01 09:00\n\nMerged.\n", encoding="utf-8"
    )
    (content / "articles" / "xen-ar.md").write_text(
        "Title: Xen في لينكس\nSlug: xen\nLang: ar\nDate: 2011-06-01 09:00\n\nنص.\n\n"
        "/// correction | تصحيح, 4 يونيو 2011\nالأمر الصحيح:\n\n```sh\nxl list\n```\n///\n",
        encoding="utf-8",
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    (entry,) = feedparser.parse((tmp_path / "output/feeds/corrections.atom.xml").read_bytes()).entries
    correction = entry.content[0].value
    assert correction.startswith('<div dir="rtl">') and correction.endswith("</div>")
    assert "<code>xl" in correction and "code-lang" not in correction and "tabindex" not in correction


def form_action(policy: str) -> set[str]:
    directive = next(d.split()[1:] for d in policy.split(";") if d.split()[:1] == ["form-action"])
    return set(directive)


def test_the_security_policy_allows_exactly_the_newsletter_form_target():
    """NEWSLETTER's form (method "post") needs its origin in form-action; nothing else may be."""
    newsletter = pelicanconf.NEWSLETTER
    expected = {"'self'"}
    if newsletter and newsletter["method"] == "post":
        parts = urlsplit(newsletter["action"])
        assert parts.scheme == "https", "NEWSLETTER's action must be an https:// address"
        expected.add(f"https://{parts.netloc}")
    headers = (ROOT / "deploy" / "_headers").read_text(encoding="utf-8")
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site_policies = [
        CONTENT_SECURITY_POLICY,
        *re.findall(r"Content-Security-Policy: (.*script-src.*)", headers),
        *re.findall(r'default\s+"(.*form-action.*)";', nginx),
    ]
    assert len(site_policies) == 3
    for policy in site_policies:
        assert form_action(policy) == expected, policy


POST_DATE, PAGE_DATE = "Date: 2011-06-01 09:00\n", "Date: 2011-06-01\n"
# Each refusal says what to write.
MADE, DATED = "give the day the correction was made", "add “Date: YYYY-MM-DD” to its fields"


@pytest.mark.parametrize(
    "name, front_matter, day, expected",
    [
        ("articles/misdated.md", POST_DATE, "4 May 2011", "is dated before the post (2011-06-01); " + MADE),
        ("articles/misdated.md", POST_DATE, "4 June 2099", "is dated in the future"),
        # Without the page's Date nothing would stop a correction dated "1 January 1011".
        ("pages/colophon.md", "", "2 June 2011", "needs the page's Date, the day it was published: " + DATED),
        ("pages/colophon.md", PAGE_DATE, "4 May 2011", "is dated before the page (2011-06-01); " + MADE),
    ],
)
def test_a_correction_dated_before_its_post_or_in_the_future_stops_the_build(
    tmp_path, name, front_matter, day, expected
):
    content = new_content(tmp_path)
    (content / name).write_text(
        f"Title: Misdated\n{front_matter}\n/// correction | Correction, {day}\nWrong.\n///\n",
        encoding="utf-8",
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{name}: the correction titled “Correction, {day}” {expected}" in result.stderr


def test_a_correction_on_a_page_is_listed_and_one_on_a_hidden_post_is_not(tmp_path):
    content = new_content(tmp_path)
    correction = "/// correction | Correction, {}\n{}\n///\n"
    (content / "pages" / "colophon.md").write_text(
        "Title: Colophon\nDate: 2011-05-30\n\nSystem fonts.\n\n"
        + correction.format("2 June 2011", "It named a web font."),
        encoding="utf-8",
    )
    (content / "articles" / "hidden.md").write_text(
        "Title: Unlisted\nDate: 2011-06-01 09:00\nStatus: hidden\n\nText.\n\n"
        + correction.format("3 June 2011", "A fix on an unlisted post."),
        encoding="utf-8",
    )
    (content / "articles" / "plain.md").write_text(
        "Title: A plain post\nDate: 2011-06-01 09:00\n\nNothing to correct.\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "output", SITEURL)
    [item] = site.soup("corrections/").select("ol.corrections > li")
    assert item.h2.a["href"] == f"{site.siteurl}/colophon/" and item.h2.get_text() == "Colophon"
    assert [t["datetime"] for t in item.find_all("time")] == ["2011-06-02", "2011-05-30T00:00:00+00:00"]
    assert " ".join(item.p.get_text().split()) == "Corrected 2 June 2011; published 30 May 2011."
    parsed = feedparser.parse((site.root / "feeds/corrections.atom.xml").read_bytes())
    entries = [(entry.link, entry.title) for entry in parsed.entries]
    assert entries == [(f"{site.siteurl}/colophon/", "Correction: Colophon")]
    assert "unlisted" not in (site.root / "corrections" / "index.html").read_text(encoding="utf-8").lower()


def test_a_correction_on_a_translation_reaches_the_log_in_a_development_rebuild(tmp_path):
    """Page reuse keys listings on the site's structure: a translation's corrections are part of it."""
    content = new_content(tmp_path)
    (content / "articles" / "plain.md").write_text(
        "Title: A plain post\nDate: 2011-06-01 09:00\n\nNothing to correct.\n", encoding="utf-8"
    )
    (content / "pages" / "colophon.md").write_text(
        "Title: Colophon\nSlug: colophon\n\nFonts.\n", encoding="utf-8"
    )
    french = content / "pages" / "colophon-fr.md"
    french.write_text(
        "Title: Colophon en français\nSlug: colophon\nLang: fr\nDate: 2011-05-30\n\nPolices.\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert run_build(output, content=content, production=False, siteurl=None).returncode == 0
    french.write_text(
        french.read_text(encoding="utf-8")
        + "\n/// correction | Correction, 2 June 2011\nA wrong font.\n///\n",
        encoding="utf-8",
    )
    result = run_build(output, content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    assert "Colophon en français" in (output / "corrections" / "index.html").read_text(encoding="utf-8")


def test_the_sitemap_dates_pages_without_a_date_of_their_own_by_the_last_correction(tmp_path):
    """Author pages and the like have no date: the sitemap gives them the site's last change. The
    corrections page also lists a translation's correction, which dates no post the others list."""
    content = new_content(tmp_path)
    (content / "articles" / "corrected.md").write_text(
        "Title: Corrected\nSlug: corrected\nDate: 2011-06-01 09:00\n\nText.\n\n"
        "/// correction | Correction, 3 June 2011\nA day.\n///\n",
        encoding="utf-8",
    )
    (content / "articles" / "corrected-fr.md").write_text(
        "Title: Corrigé\nSlug: corrected\nLang: fr\nDate: 2011-06-01 09:00\n\nTexte.\n\n"
        "/// correction | Correctif, 4 juin 2011\nUn jour.\n///\n",
        encoding="utf-8",
    )
    assert run_build(tmp_path / "output", content=content).returncode == 0
    sitemap = (tmp_path / "output" / "sitemap.xml").read_text(encoding="utf-8")
    entries = re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>(.{10})", sitemap)
    dated = {urlsplit(loc).path: day for loc, day in entries}
    authors = {day for path, day in dated.items() if path.startswith("/author/")}
    assert (authors, dated["/"], dated["/corrections/"]) == ({"2011-06-03"}, "2011-06-03", "2011-06-04")


TAG_TEXT = re.compile(r"<[^>]+>")


def correction_ids(output) -> dict[str, str]:
    """Each entry's id in the corrections feed, by its text."""
    parsed = feedparser.parse((output / "feeds" / "corrections.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return {" ".join(TAG_TEXT.sub("", e.content[0].value).split()): e.id for e in parsed.entries}


def test_a_correction_keeps_its_feed_id_when_others_are_added_or_removed(tmp_path):
    """A feed reader shows an entry with a new id as new: a correction's id is its own, never
    its place among the post's other corrections."""
    content = new_content(tmp_path)
    post = content / "articles" / "corrected.md"
    note = "/// correction | Correction, {}\n{}\n///\n\n"
    first, second = note.format("4 March 2011", "First fix."), note.format("5 March 2011", "Second fix.")
    later_same_day = note.format("4 March 2011", "Third fix.")
    ids = []
    for notes in (first + second, first, first + later_same_day + second):
        post.write_text(f"Title: Corrected\nDate: 2011-03-01 09:00\n\nText.\n\n{notes}", encoding="utf-8")
        output = tmp_path / f"output-{len(ids)}"
        result = run_build(output, content=content)
        assert result.returncode == 0, result.stderr
        ids.append(correction_ids(output))
    url = f"{SITEURL}/2011/03/corrected/"
    assert ids[0] == {
        "First fix.": f"{url}#correction-2011-03-04-1",
        "Second fix.": f"{url}#correction-2011-03-05-1",
    }
    assert ids[1] == {"First fix.": ids[0]["First fix."]}
    assert ids[2] == {**ids[0], "Third fix.": f"{url}#correction-2011-03-04-2"}
