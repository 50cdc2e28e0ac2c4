"""Series and author profiles, built for real (conftest.py `newsroom`, tests/data/newsroom/):
the parts' nav, the series page and feed, author pages, bylines, JSON-LD and the sitemap; and
each bad series field or profile refused by name."""

import json
import shutil

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SITEURL, run_build

SERIES = "series/a-made-up-saga/"
PART = "2011/07/test-saga-part-{}/"
ADA = "author/ada-testwriter/"
BO = 'Bo <Test> & "Quoted"'


def ld(soup):
    return json.loads(soup.find("script", type="application/ld+json").string)


def shown_numbers(items):
    """The number a browser shows by each <li> of an <ol>: its value, else one more than the last."""
    numbers = []
    for li in items:
        numbers.append(int(li["value"]) if li.has_attr("value") else (numbers[-1] + 1 if numbers else 1))
    return numbers


def test_each_published_part_says_its_place_and_links_the_others_in_order(newsroom):
    nav = newsroom.soup(PART.format(2)).find("nav", class_="series-nav")
    assert "part 2 of 3" in nav.p.get_text()  # the draft part 4 does not count
    assert nav.p.a["href"] == f"{newsroom.siteurl}/{SERIES}"
    items = nav.find_all("li")
    assert [li.get_text(strip=True) for li in items] == [f"Test saga, part {n}" for n in (1, 2, 3)]
    # Numbered by the list itself: no value attribute restates the count.
    assert shown_numbers(items) == [1, 2, 3] and not any(li.has_attr("value") for li in items)
    assert items[1].find(attrs={"aria-current": "page"}) and not items[1].a
    assert items[0].a["href"] == f"{newsroom.siteurl}/{PART.format(1)}"


def test_the_series_page_lists_the_parts_by_number_with_dates_and_standfirsts(newsroom):
    page = newsroom.soup(SERIES)
    parts = page.find("ol", class_="series-parts").find_all("li")
    assert [p.h2.get_text(strip=True) for p in parts] == [f"Test saga, part {n}" for n in (1, 2, 3)]
    assert shown_numbers(parts) == [1, 2, 3] and not any(p.has_attr("value") for p in parts)
    assert [p.time["datetime"][:10] for p in parts] == ["2011-07-24", "2011-07-22", "2011-07-23"]
    assert [p.find(class_="standfirst").get_text() for p in parts] == [
        f"Standfirst of made-up part {n}." for n in (1, 2, 3)
    ]
    assert page.find("link", rel="alternate", href=f"{newsroom.siteurl}/feeds/series/a-made-up-saga.atom.xml")


def test_the_series_feed_has_the_published_parts_in_order(newsroom):
    feed = feedparser.parse((newsroom.root / "feeds/series/a-made-up-saga.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"{newsroom.siteurl}/{PART.format(n)}" for n in (1, 2, 3)]


def test_the_dom0_story_is_a_series_in_order(newsroom):
    parts = newsroom.soup("series/the-road-to-dom0/").find("ol", class_="series-parts").find_all("h2")
    assert [p.get_text(strip=True) for p in parts] == [
        "Linux 3.0 full support for Xen dom0",
        "What dom0 is, and why it had to be upstream",
        "Is this kernel ready for dom0? Checking its configuration",
    ]


def test_json_ld_says_is_part_of_and_names_each_author_as_a_person_with_links(newsroom):
    data = ld(newsroom.soup(PART.format(2)))
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "A made-up saga",
        "url": f"{newsroom.siteurl}/{SERIES}",
    }
    ada, bo = data["author"]
    assert ada == {
        "@type": "Person",
        "name": "Ada Testwriter",
        "url": f"{newsroom.siteurl}/{ADA}",
        "sameAs": ["https://example.com/ada", "https://social.example/@ada"],
    }
    assert bo["name"] == BO and bo["sameAs"] == ["https://example.com/bo?a=1&b=2"]
    assert "<" not in newsroom.soup(PART.format(2)).find("script", type="application/ld+json").string


def test_bylines_link_every_author_and_the_fediverse_handle_is_in_the_head(newsroom):
    page = newsroom.soup(PART.format(2))
    byline = page.find(class_="byline").find_all("a")
    assert [(a.get_text(), a["href"]) for a in byline] == [
        ("Ada Testwriter", f"{newsroom.siteurl}/{ADA}"),
        (BO, f"{newsroom.siteurl}/author/bo-quoted/"),
    ]
    assert [m["content"] for m in page.find_all("meta", attrs={"name": "fediverse:creator"})] == [
        "@ada@social.example"
    ]
    assert not newsroom.soup("2011/06/what-dom0-is-and-why-it-had-to-be-upstream/").find(
        "meta", attrs={"name": "fediverse:creator"}
    )


def test_the_author_page_shows_the_profile_posts_and_feed(newsroom):
    page = newsroom.soup(ADA)
    profile = page.find(class_="author-profile")
    assert profile.find(class_="bio").get_text() == "A made-up reporter who exists only in the test suite."
    assert [a["href"] for a in profile.find_all("a", rel="me")] == [
        "https://example.com/ada",
        "https://social.example/@ada",
    ]
    portrait = profile.find("img")
    assert portrait["width"] and portrait["height"] and portrait["alt"] == "Ada Testwriter"
    assert newsroom.file_for(portrait["src"].removeprefix(newsroom.siteurl)).is_file()
    # Ada's generated reports (tests/newsroomdata.py) aside: her parts of the series.
    headlines = [h.get_text(strip=True) for h in page.find_all("h2", class_="headline")]
    assert sorted(h for h in headlines if "Made-up report" not in h) == [
        f"Test saga, part {n}" for n in (1, 2, 3)
    ]
    feed_url = f"{newsroom.siteurl}/feeds/author/ada-testwriter.atom.xml"
    assert page.find("a", href=feed_url)
    feed = feedparser.parse(newsroom.file_for(feed_url.removeprefix(newsroom.siteurl)).read_bytes())
    links = sorted(e.link for e in feed.entries if "/made-up-report-" not in e.link)
    assert links == [f"{newsroom.siteurl}/{PART.format(n)}" for n in (1, 2, 3)]


def test_profile_values_are_escaped(newsroom):
    page = newsroom.soup("author/bo-quoted/")
    assert page.h1.get_text() == f"Author: {BO}" and not page.find(["b", "test"])
    profile = page.find(class_="author-profile")
    assert (
        profile.find(class_="bio").get_text()
        == 'Made-up bio with <b>markup</b> & "quotes" that must stay text.'
    )
    assert profile.find("a", rel="me")["href"] == "https://example.com/bo?a=1&b=2"


def test_the_sitemap_lists_series_and_author_pages(newsroom):
    sitemap = newsroom.text("sitemap.xml")
    for page in (SERIES, "series/the-road-to-dom0/", ADA, "author/dom0-dispatch-editors/"):
        assert f"<loc>{newsroom.siteurl}/{page}</loc>" in sitemap


def build_with(tmp_path, posts=(), authors=None, **build):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name, text in posts:
        (content / "articles" / name).write_text(text, encoding="utf-8")
    if authors is not None:
        (content / "authors.toml").write_text(authors, encoding="utf-8")
    return run_build(tmp_path / "output", content=content, **build)


def post(title, fields):
    return f"Title: {title}\nDate: 2011-07-01 08:00\nCategory: xen\nSummary: Made up.\n{fields}\n\nMade up.\n"


def test_a_draft_part_s_preview_counts_itself_among_the_parts(tmp_path):
    """The published parts say "of 2"; the draft of the next, previewed, "part 3 of 3", as it
    would once published (it said "part 3 of 2", the count the build refuses to publish)."""
    posts = [
        (f"{n}.md", post(f"Road part {n}", f"Series: Road\nSeries_part: {n}{status}"))
        for n, status in ((1, ""), (2, ""), (3, "\nStatus: draft"))
    ]
    assert build_with(tmp_path, posts, production=False, siteurl=None).returncode == 0
    said = {}
    for path in ("2011/07/road-part-2/", "drafts/road-part-3/"):
        page = BeautifulSoup((tmp_path / "output" / path / "index.html").read_bytes(), "lxml")
        said[path] = page.find("nav", class_="series-nav").p.get_text().rsplit(": ", 1)[1]
    assert said == {"2011/07/road-part-2/": "part 2 of 2", "drafts/road-part-3/": "part 3 of 3"}


def test_a_series_of_one_says_one_part(tmp_path):
    result = build_with(tmp_path, [("solo.md", post("Solo", "Series: Solo run\nSeries_part: 1"))])
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "series" / "solo-run" / "index.html").read_text(encoding="utf-8")
    assert "“Solo run”, in 1 part, on" in page and ">1 part ·" in page


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        (
            [
                ("one.md", post("One", "Series: S\nSeries_part: 1")),
                ("two.md", post("Two", "Series: S\nSeries_part: 1")),
            ],
            ["one.md", "two.md", "claims part 1 of “S”"],
        ),
        ([("zero.md", post("Zero", "Series: S\nSeries_part: 0"))], ["zero.md", "positive whole number"]),
        ([("half.md", post("Half", "Series: S\nSeries_part: 1.5"))], ["half.md", "positive whole number"]),
        ([("sup.md", post("Sup", "Series: S\nSeries_part: ²"))], ["sup.md", "positive whole number"]),
        ([("alone.md", post("Alone", "Series_part: 2"))], ["alone.md", "no Series"]),
        (
            [
                ("one.md", post("One", "Series: S\nSeries_part: 1")),
                ("two.md", post("Two", "Series: S\nSeries_part: 2\nStatus: draft")),
                ("three.md", post("Three", "Series: S\nSeries_part: 3")),
            ],
            ["three.md", "is part 3 of “S”, but part 2 is not published"],
        ),
        (
            [("rocket.md", post("Rocket", "Series: 🚀 !\nSeries_part: 1"))],
            ["rocket.md: the series “🚀 !” has no letters or digits to make an address from; rename it."],
        ),
        (  # as a translator who copied the original's fields writes it: its page would show no series
            [
                ("one.md", post("One", "Slug: one\nSeries: S\nSeries_part: 1")),
                ("one-fr.md", post("Un", "Slug: one\nLang: fr\nSeries: S\nSeries_part: 1")),
            ],
            ["one-fr.md: is the “fr” version of a post, and a series lists only originals", "Delete"],
        ),
    ],
    ids=["same part", "zero", "fraction", "superscript", "no series", "gap", "no address", "translation"],
)
def test_bad_series_fields_stop_the_build_by_name(tmp_path, posts, expected):
    result = build_with(tmp_path, posts)
    assert result.returncode != 0
    for words in expected:
        assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_hidden_part_stops_the_build_as_hidden_not_as_unpublished(tmp_path):
    """A hidden post is published, listed nowhere (docs/writing.md): a hidden part 1 beside a
    published part 2 was called "not published", and a hidden last part built with its Series
    shown nowhere. A series lists its parts, so a hidden one is refused, said to be hidden; the
    parts after it were said to follow a part not published, part 3 the part 2 before it."""
    posts = [
        ("one.md", post("One", "Series: S\nSeries_part: 1\nStatus: hidden")),
        ("two.md", post("Two", "Series: S\nSeries_part: 2")),
        ("three.md", post("Three", "Series: S\nSeries_part: 3")),
        ("later.md", post("Later", "Series: T\nSeries_part: 1")),
        ("last.md", post("Last", "Series: T\nSeries_part: 2\nStatus: hidden")),
    ]
    result = build_with(tmp_path, posts, production=False, siteurl=None)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = (
        ": is hidden (Status: hidden): published, but listed nowhere, a series' page and its parts' links "
        "included, so its Series and Series_part would show nowhere. Make it a part with Status: "
        "published, or delete both lines (and renumber the parts after it)."
    )
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        f"error: articles/last.md{said}",
        f"error: articles/one.md{said}",
    ]

    published = [(name, text.replace("\nStatus: hidden", "")) for name, text in posts]
    shutil.rmtree(tmp_path / "content")
    assert build_with(tmp_path, published, production=False, siteurl=None).returncode == 0
    page = BeautifulSoup((tmp_path / "output" / "2011/07/one/index.html").read_bytes(), "lxml")
    assert page.find("nav", class_="series-nav").p.get_text().endswith(": part 1 of 3")


def test_two_spellings_of_one_series_address_stop_the_build_naming_both(tmp_path):
    """One page, one feed and one count of parts: the series is its address, so two names that
    make it are refused, each with its posts."""
    posts = [
        ("one.md", post("One", "Series: The Road to Xen\nSeries_part: 1")),
        ("two.md", post("Two", "Series: The road to Xen!\nSeries_part: 2")),
        ("three.md", post("Three", "Series: The Road to Xen\nSeries_part: 3")),
    ]
    result = build_with(tmp_path, posts)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1, result.stderr
    assert (
        "error: the series “The Road to Xen” in articles/one.md, articles/three.md; “The road to Xen!” in "
        "articles/two.md would share the page series/the-road-to-xen/. Spell the series the same way in "
        "each of its parts, or give another series a name of its own.\n"
    ) in result.stderr


def test_a_series_with_a_very_long_name_gets_an_address_cut_as_a_post_s_is(tmp_path):
    name = " ".join(f"chapter{number}" for number in range(60))
    posts = [(f"{n}.md", post(f"Long part {n}", f"Series: {name}\nSeries_part: {n}")) for n in (1, 2)]
    result = build_with(tmp_path, posts)
    assert result.returncode == 0, result.stderr
    slug = "-".join(f"chapter{number}" for number in range(9))  # 80 characters at most, cut between words
    page = BeautifulSoup((tmp_path / "output" / "series" / slug / "index.html").read_bytes(), "lxml")
    assert [h2.get_text(strip=True) for h2 in page.select("ol.series-parts h2")] == [
        "Long part 1",
        "Long part 2",
    ]
    part = BeautifulSoup((tmp_path / "output/2011/07/long-part-2/index.html").read_bytes(), "lxml")
    nav = part.find("nav", class_="series-nav")
    assert nav.p.a["href"] == f"{SITEURL}/series/{slug}/" and nav.p.a.get_text() == name
    assert nav.p.get_text().endswith(": part 2 of 2")
    assert (tmp_path / "output" / "feeds" / "series" / f"{slug}.atom.xml").is_file()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('name = "X"\nemail = "x@example.com"', "unknown key “email”"),
        ('bio = "No name"', "author 2 has no name"),
        ('name = "X"\nportrait = "images/none.jpg"', "portrait “images/none.jpg”"),
        ('name = "X"\nlinks = ["http://example.com/x"]', "link “http://example.com/x”"),
        ('name = "X"\nfediverse = "x@example"', "fediverse handle “x@example”"),
        ('name = "X"\nlinks = ["https://"]', "link “https://”, which is not an https:// address with a host"),
        ('name = "X"\nlinks = ["https://exa mple.com/"]', "link “https://exa mple.com/”, which is not"),
        ('name = "X"\nlinks = [\'https://x.example/" a="\']', 'link “https://x.example/" a="”, which is'),
        ('name = "dom0 dispatch Editors"', "same author page (author/dom0-dispatch-editors/) as “Dom0"),
        ('name = "X"\nbio = "Rings\\u0007 twice"', "bio with the control character U+0007"),
        ('name = "X"\nlinks = ["https://x.example/\\u0007"]', "link with the control character U+0007"),
        ('name = "X"\nportrait = "images/x\\u0000.jpg"', "portrait with the control character U+0000"),
        ('name = "X"\nfediverse = "@x@host.example\\u001b"', "fediverse with the control character U+001B"),
    ],
    ids=[
        "unknown key",
        "no name",
        "missing portrait",
        "plain http",
        "bad handle",
        "no host",
        "space",
        "quote",
        "case",
        "control character",
        "control character in a link",
        "control character in the portrait",
        "control character in the handle",
    ],
)
def test_bad_profiles_stop_the_build_naming_the_file_and_entry(tmp_path, entry, expected):
    authors = f'[[author]]\nname = "Dom0 Dispatch editors"\n\n[[author]]\n{entry}\n'
    result = build_with(tmp_path, authors=authors)
    assert result.returncode != 0
    assert "authors.toml: author 2" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_every_author_of_a_post_is_named_in_atom_and_rss(newsroom):
    """Pelican's feeds named only the first; JSON Feed and JSON-LD name each."""
    link = f"{newsroom.siteurl}/{PART.format(2)}"
    for feed in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        entry = next(e for e in feedparser.parse(newsroom.text(feed)).entries if e.link == link)
        assert entry.author == f"Ada Testwriter, {BO}", feed


@pytest.mark.parametrize(
    "posts, page, unlinked",
    [
        (  # a hidden post by an author of no published post
            {"unlisted.md": "Slug: unlisted\nStatus: hidden\nAuthors: Guest Writer, Dom0 Dispatch editors"},
            "2011/07/unlisted/index.html",
            "Guest Writer",
        ),
        (  # author pages list posts in their own language only: a translator who wrote nothing else
            {
                "unlisted.md": "Slug: unlisted",
                "unlisted-fr.md": "Slug: unlisted\nLang: fr\nAuthors: Traducteur, Dom0 Dispatch editors",
            },
            "2011/07/unlisted/fr/index.html",
            "Traducteur",
        ),
    ],
    ids=["hidden post", "translation"],
)
def test_an_author_without_a_page_is_named_but_not_linked(tmp_path, posts, page, unlinked):
    """A byline and JSON-LD link only the authors who have a page (the other one does)."""
    result = build_with(tmp_path, [(name, post(name, fields)) for name, fields in posts.items()])
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    assert not (output / "author" / unlinked.lower().replace(" ", "-")).exists()
    # lxml ends the byline's <p> where the next starts, as browsers do; html.parser does not.
    soup = BeautifulSoup((output / page).read_text(encoding="utf-8"), "lxml")
    byline = soup.find(class_="byline")
    assert unlinked in byline.get_text()
    assert [a.get_text() for a in byline.find_all("a")] == ["Dom0 Dispatch editors"]
    assert [(author["name"], author.get("url")) for author in ld(soup)["author"]] == [
        (unlinked, None),
        ("Dom0 Dispatch editors", f"{SITEURL}/author/dom0-dispatch-editors/"),
    ]


def test_a_byline_spelt_in_another_case_gets_the_profile_of_its_author_page(tmp_path):
    """Bylines "ada example" and "Ada Example" make one author page, whose profile authors.toml
    gives as "Ada Example"; the page, the post's JSON-LD and head showed none of it."""
    authors = (
        '[[author]]\nname = "Dom0 Dispatch editors"\n\n[[author]]\nname = "Ada Example"\n'
        'bio = "Writes about hypervisors."\nlinks = ["https://example.com/ada"]\n'
        'fediverse = "@ada@social.example"\n'
    )
    result = build_with(
        tmp_path, [("byline.md", post("Byline", "Slug: byline\nAuthor: ada example"))], authors
    )
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    page = BeautifulSoup((output / "author" / "ada-example" / "index.html").read_text(), "lxml")
    assert page.find(class_="author-profile").find(class_="bio").get_text() == "Writes about hypervisors."
    article = BeautifulSoup((output / "2011" / "07" / "byline" / "index.html").read_text(), "lxml")
    assert article.find("meta", attrs={"name": "fediverse:creator"})["content"] == "@ada@social.example"
    assert ld(article)["author"][0]["sameAs"] == ["https://example.com/ada"]


def test_a_profile_no_byline_names_is_warned_of_with_the_name_it_may_mean(tmp_path):
    """A name misspelt in authors.toml or in the posts left the profile out of every page, unsaid."""
    byline = [("byline.md", post("Byline", "Slug: byline\nAuthor: Ada Example"))]
    profiles = '[[author]]\nname = "Dom0 Dispatch editors"\n\n[[author]]\nname = "{}"\nbio = "Writes."\n'
    result = build_with(tmp_path, byline, profiles.format("Ada Exampel"))
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "authors.toml" in line] == [
        "WARNING: authors.toml: author 2 (“Ada Exampel”) is named in no post's Author or Authors, so its "
        "profile shows nowhere: did you mean “Ada Example”?"
    ]
    result = build_with(tmp_path / "fixed", byline, profiles.format("Ada Example"))
    assert result.returncode == 0 and "authors.toml" not in result.stderr, result.stderr
    page = BeautifulSoup((tmp_path / "fixed/output/author/ada-example/index.html").read_text(), "lxml")
    assert page.find(class_="author-profile").find(class_="bio").get_text() == "Writes."
