"""Content cannot reach outside its place: a post's address never replaces a file the
build writes, never points off the site, and every post is published where it belongs."""

import re
import xml.etree.ElementTree as etree

import pytest
from conftest import new_content, run_build
from test_errors import build_fails, post, write

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LONG_TITLE = " ".join(["Xen"] + ["paravirtualised"] * 60)  # 963 characters: over 255 bytes, within lint's cap


@pytest.fixture
def content(tmp_path):
    folder = new_content(tmp_path)
    write(folder, "articles/good.md", post(title="A good post", extra="Tags: xen"))
    return folder


GENERATED = [
    ("Save_as: feeds/all.atom.xml", "feeds/all.atom.xml"),
    ("Save_as: feeds/tag/xen.atom.xml", "feeds/tag/xen.atom.xml"),
    ("Save_as: sitemap.xml", "sitemap.xml"),
    ("Save_as: news-sitemap.xml", "news-sitemap.xml"),
    ("Save_as: series/x/index.html", "series/"),
    ("Save_as: favicon.svg", "favicon.svg"),
    ("Save_as: favicon.ico", "favicon.ico"),
    ("Save_as: theme/search.js", "theme/"),
    ("Save_as: pagefind/pagefind.js", "pagefind/"),
    ("Save_as: .publish-stamp.json", ".publish-stamp.json"),
    ("Save_as: tag/xen/page/2/index.html", "tag/"),
    ("Save_as: page/2/index.html", "page/2/index.html"),
    ("Slug: feeds", "feeds/"),
    ("URL: feeds/all.atom.xml", "feeds/all.atom.xml"),
]
AWAY = [
    "URL: javascript:alert(1)",
    "URL: https://evil.example/x",
    "URL: data:text/html,<script>alert(1)</script>",
    "Save_as: https://evil.example/x/index.html",
]
# What a Slug may hold, as the author is told it.
SLUG_RULE = (
    "a slug may hold only lower-case letters a–z, digits, - and _, as the slugs the build makes from "
    "titles do. {fix}, or delete the line to have it made from the title."
)
PATH_RULE = (
    "it may hold only letters A–Z and a–z, digits and - . _ ~ /, which every address carries as typed "
    "(write a dash for a space)."
)
# Addresses a browser, a feed reader or a search engine would not take as typed: a “%” not
# followed by two hex digits is a broken address, a “?” or “#” ends the path, a space or a
# letter outside ASCII must be escaped in a sitemap. Each field: the message that refuses it.
UNTYPABLE = {
    "Slug: Linux 3.0 & Xen": "Slug “Linux 3.0 & Xen” holds “L”, a space, “.”, “&”, “X”; "
    + SLUG_RULE.format(fix="Write “linux-3-0-xen”"),
    "Slug: 100%": "Slug “100%” holds “%”; " + SLUG_RULE.format(fix="Write “100”"),
    "Slug: café-au-lait": "Slug “café-au-lait” holds “é”; " + SLUG_RULE.format(fix="Write “cafe-au-lait”"),
    "Slug: what?#now": "Slug “what?#now” holds “?”, “#”; " + SLUG_RULE.format(fix="Write “whatnow”"),
    "Slug: a\"b'c": "Slug “a\"b'c” holds “\"”, “'”; " + SLUG_RULE.format(fix="Write “abc”"),
    "Slug: sitemap.xml": "Slug “sitemap.xml” holds “.”; " + SLUG_RULE.format(fix="Write “sitemapxml”"),
    "Slug: %%": "Slug “%%” holds “%”; " + SLUG_RULE.format(fix="Write one of those"),
    # A slug is no path: "a relative path without .." was refused in turn for its "/".
    "Slug: ../../escape": "Slug “../../escape” would write outside output/; "
    + SLUG_RULE.format(fix="Write “escape”"),
    "Save_as: über uns/index.html": "Save_as “über uns/index.html” holds “ü”, a space; " + PATH_RULE,
    "URL: 100%/": "URL “100%/” holds “%”; " + PATH_RULE,
    "URL: a&b/": "URL “a&b/” holds “&”; " + PATH_RULE,
    # Pelican writes no page for an empty Save_as, yet lists and links the post.
    "Save_as:": "Save_as is empty, so the post would be listed and linked but have no page. "
    "Give a path, or delete the line to have it made from the Slug.",
    "URL:": "URL is empty, so the post would be listed and linked but have no page. "
    "Give a path, or delete the line to have it made from the Slug.",
    # A translation's folder is named by its language (…/slug/fr/).
    # A language's name, in itself or in English, is answered with its tag.
    "Lang: Français": "Lang “Français” is not a language tag such as “fr”, “de” or “pt-BR”: it names the "
    "folder a translation is published in (…/slug/fr/) and tells search engines the page's language. "
    "Write “fr”, the tag of French.",
    "Lang: Brazilian Portuguese": "Lang “Brazilian Portuguese” is not a language tag such as “fr”, “de” or "
    "“pt-BR”: it names the folder a translation is published in (…/slug/fr/) and tells search engines the "
    "page's language. Write “pt-BR”, the tag of Brazilian Portuguese.",
    "Lang: Klingonisch": "Lang “Klingonisch” is not a language tag such as “fr”, “de” or “pt-BR”: it names "
    "the folder a translation is published in (…/slug/fr/) and tells search engines the page's language.",
    "Lang: FR": "Lang “FR” is not a language tag such as “fr”, “de” or “pt-BR”: it names the folder a "
    "translation is published in (…/slug/fr/) and tells search engines the page's language. Write “fr”.",
    # Spelt two ways, one language would name two folders (one, where case is ignored).
    "Lang: pt-br": "Lang “pt-br” is not a language tag such as “fr”, “de” or “pt-BR”: it names the folder "
    "a translation is published in (…/slug/fr/) and tells search engines the page's language. Write “pt-BR”.",
    # A well-formed tag of no language, region or script fails the HTML check far from here.
    "Lang: jp": "Lang “jp” names no language known to Babel's CLDR data, which names each version to readers "
    "in its own language. Write “ja”, the language of “JP” (Japan).",
    "Lang: cz": "Lang “cz” names no language known to Babel's CLDR data, which names each version to readers "
    "in its own language. Write “cs”, the language of “CZ” (Czechia).",
    "Lang: en-UK": "Lang “en-UK” writes the region “GB” (United Kingdom) as “UK”, which browsers and search "
    "engines may not know. Write “en-GB”.",
    "Lang: iw": "Lang “iw” writes the language “he” (Hebrew) as “iw”, which browsers and search engines may "
    "not know. Write “he”.",
    "Lang: pt-XX": "Lang “pt-XX” names no region known to Babel's CLDR data, which names each version to "
    "readers in its own language.",
    "URL: news//xen/": "URL “news//xen/” has an empty or “.” folder in it: write “news/xen/”.",
    "Save_as: ./news/./xen.html": "Save_as “./news/./xen.html” has an empty or “.” folder in it: "
    "write “news/xen.html”.",
}


@pytest.fixture(scope="module")
def addresses_refused(tmp_path_factory):
    """stderr of one build of ``content`` with a page for each field of GENERATED
    (pages/sneaky-N.md): the build reports every problem at once, each on a line that names its file."""
    folder = tmp_path_factory.mktemp("addresses")
    content = new_content(folder)
    write(content, "articles/good.md", post(title="A good post", extra="Tags: xen"))
    for number, (field, _) in enumerate(GENERATED):
        write(content, f"pages/sneaky-{number}.md", f"Title: Sneaky {number}\n{field}\n\nText.\n")
    return build_fails(content, folder)


@pytest.fixture(scope="module")
def fields_refused(tmp_path_factory):
    """stderr of one build of ``content`` with a post for each field of AWAY (articles/away-N.md)
    and of UNTYPABLE (articles/untypable-N.md), all refused before Pelican reads a post, so apart
    from GENERATED's, which only the rendering can find."""
    folder = tmp_path_factory.mktemp("fields")
    content = new_content(folder)
    write(content, "articles/good.md", post(title="A good post", extra="Tags: xen"))
    for number, field in enumerate(AWAY):
        write(content, f"articles/away-{number}.md", post(title=f"Away {number}", extra=field))
    for number, field in enumerate(UNTYPABLE):
        write(content, f"articles/untypable-{number}.md", post(title=f"Untypable {number}", extra=field))
    return build_fails(content, folder)


def line_naming(stderr, name):
    """The first line of ``stderr`` that names ``name``; there must be one."""
    lines = [line for line in stderr.splitlines() if name in line]
    assert lines, f"no problem of {name} was reported:\n{stderr}"
    return lines[0]


@pytest.mark.parametrize("number", range(len(GENERATED)), ids=[field for field, _ in GENERATED])
def test_a_page_cannot_replace_or_shadow_a_generated_file(addresses_refused, number):
    generated = GENERATED[number][1]
    assert generated in line_naming(addresses_refused, f"pages/sneaky-{number}.md"), addresses_refused


@pytest.mark.parametrize("number", range(len(AWAY)), ids=AWAY)
def test_an_address_with_a_scheme_or_host_is_refused(fields_refused, number):
    line = line_naming(fields_refused, f"articles/away-{number}.md:")
    field, value = AWAY[number].split(": ", 1)
    assert f"away-{number}.md:4: {field} “{value}” is not an address on this site. Give a path" in line


@pytest.mark.parametrize("number", range(len(UNTYPABLE)), ids=UNTYPABLE)
def test_a_slug_or_path_an_address_cannot_hold_as_typed_is_refused_with_the_fix(fields_refused, number):
    """The author reads the file, line, field and value, what it may hold and, for a slug, what to write."""
    field, message = list(UNTYPABLE.items())[number]
    line = line_naming(fields_refused, f"articles/untypable-{number}.md:")
    assert line.strip() == f"error: articles/untypable-{number}.md:4: {message}", field
    refused = [line for line in fields_refused.splitlines() if "error:" in line]
    assert len(refused) == len(AWAY) + len(UNTYPABLE), fields_refused  # the good post is not refused


@pytest.mark.parametrize("slug", ["../../escape", "Linux 3.0 & Xen"])
def test_the_slug_a_refusal_gives_is_published_once_written(content, tmp_path, slug):
    """The author does what the message says and the post is published at that slug."""
    write(content, "articles/moved.md", post(title="Moved", extra=f"Slug: {slug}"))
    (line,) = [line for line in build_fails(content, tmp_path).splitlines() if "articles/moved.md:4:" in line]
    suggested = re.search(r"Write “([^”]+)”", line)[1]
    write(content, "articles/moved.md", post(title="Moved", extra=f"Slug: {suggested}"))
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    assert "Moved" in (tmp_path / "output" / "2011" / "06" / suggested / "index.html").read_text()


@pytest.mark.parametrize("cite", ["javascript:alert(1)", "data:text/html,x", "lkml.org/lkml/2011/5/1"])
def test_a_quote_cites_only_web_addresses(content, tmp_path, cite):
    quote = f"/// quote | Linus Torvalds\n    cite: {cite}\n\nWords.\n///\n"
    write(content, "articles/quoted.md", post(title="Quoted") + "\n" + quote)
    build_fails(
        content, tmp_path, f"articles/quoted.md: the quote by “Linus Torvalds” cites “{cite}”", "https://"
    )


def test_a_name_longer_than_the_filesystem_allows_is_refused(content, tmp_path):
    write(content, "articles/tagged.md", post(title="Tagged", extra="Tags: " + "x" * 300))
    build_fails(content, tmp_path, "articles/tagged.md", "Tags has a name 300 characters long")


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    """Valid posts whose titles hold the words the listings use, one with no category,
    one with a title far longer than a file name may be; two posts a page, so the listings paginate."""
    folder = tmp_path_factory.mktemp("odd")
    content = new_content(folder)
    for number, title in enumerate(
        ["The front page", "Ask the author", "A price tag", "A new category", "Turn the page"], start=1
    ):
        write(
            content,
            f"articles/2011/odd-{number}.md",
            post(title=title, date=f"2011-06-0{number}", extra="Tags: xen"),
        )
    write(content, "articles/2011/plain.md", "Title: No category given\nDate: 2011-06-07\n\nText.\n")
    write(content, "articles/2011/long.md", post(title=LONG_TITLE, date="2011-06-08"))
    result = run_build(folder / "output", content=content, settings=[("DEFAULT_PAGINATION", 2)])
    assert result.returncode == 0, result.stderr
    return folder / "output"


def sitemap_paths(output):
    locs = [loc.text for loc in etree.parse(str(output / "sitemap.xml")).iter(f"{SITEMAP_NS}loc")]
    return {re.sub(r"^https?://[^/]+/", "", loc) for loc in locs}


def test_sitemap_lists_posts_whose_slugs_hold_listing_words(odd_site):
    paths = sitemap_paths(odd_site)
    for slug in ["the-front-page", "ask-the-author", "a-price-tag", "a-new-category", "turn-the-page"]:
        assert f"2011/06/{slug}/" in paths, paths


def test_sitemap_still_leaves_out_the_listing_pages(odd_site):
    """Tag and category lists and later pages of any list; an author's page is a profile."""
    assert (odd_site / "page/2/index.html").is_file() and (odd_site / "tag/xen/page/2/index.html").is_file()
    paths = sitemap_paths(odd_site)
    assert not [p for p in paths if re.match(r"(tag|category)/", p) or re.search(r"(^|/)page/\d+/$", p)]


def test_a_post_without_category_goes_to_the_default_one(odd_site):
    assert "No category given" in (odd_site / "category/uncategorized/index.html").read_text()
    assert not (odd_site / "category/2011").exists()


def test_a_title_longer_than_a_file_name_gets_a_capped_slug(odd_site):
    months = odd_site / "2011" / "06"
    slug = next(p.name for p in months.iterdir() if p.name.startswith("xen-"))
    assert slug == "xen" + "-paravirtualised" * 4  # 80 characters at most, cut between words
    assert LONG_TITLE in (months / slug / "index.html").read_text()
    assert all(len(part.encode()) <= 255 for path in odd_site.rglob("*") for part in path.parts)


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_the_site_form_follows_the_site_in_every_address_attribute(content, tmp_path, production):
    from bs4 import BeautifulSoup

    write(
        content,
        "articles/mark.md",
        post(title="The mark", extra="Summary: s.")
        + '\n<img src="{site}favicon.svg" srcset="{site}favicon.svg 1x, {site}/favicon.svg 2x"'
        + ' alt="The mark">\n',
    )
    siteurl = "https://example.github.io/project" if production else None
    result = run_build(tmp_path / "output", content=content, production=production, siteurl=siteurl)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "the-mark" / "index.html").read_text(encoding="utf-8")
    image = BeautifulSoup(page, "lxml").select_one("main img[alt='The mark']")
    root = siteurl or ""
    assert image["src"] == f"{root}/favicon.svg"
    assert image["srcset"] == f"{root}/favicon.svg 1x, {root}/favicon.svg 2x"


@pytest.mark.parametrize(
    "link",
    [
        "[up]({site}../../outside/)",
        "[elsewhere]({site}//evil.example/)",
        "[back]({site}tags/../../outside/)",
        "[coded]({site}%2e%2e/outside/)",
        '<img srcset="{site}favicon.svg 1x, {site}../x.png 2x" alt="">',
    ],
)
def test_a_site_address_that_leaves_the_site_is_refused(content, tmp_path, link):
    write(content, "articles/out.md", post(title="Out") + f"\n{link}\n")
    address = re.search(r"\{site\}[^ )]*", link.split(", ")[-1])[0]
    build_fails(
        content, tmp_path, f"error: articles/out.md: links to “{address}”, which leads outside the site"
    )
