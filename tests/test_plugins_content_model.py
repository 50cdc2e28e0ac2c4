"""The content plugins that shape each post: capped_slugs, multi_category, plain_summary, term_pages;
and the content_model helpers they share. Pelican reads made-up posts;
each plugin's function is called on them."""

from pluginhelpers import generators, post

from plugins import capped_slugs, multi_category, plain_summary, term_pages
from plugins.content_model import every_content

LONG_TITLE = (
    "Xen dom0 support lands in Linux 3.0 after years of out-of-tree patches and review "
    "by the kernel community"
)


def test_every_content_holds_drafts_hidden_posts_and_pages(tmp_path):
    found = generators(
        tmp_path,
        [("a.md", post("A")), ("d.md", post("D", Status="draft")), ("h.md", post("H", Status="hidden"))],
        [("p.md", post("P")), ("dp.md", post("DP", Status="draft"))],
    )
    assert sorted(content.title for content in every_content(found)) == ["A", "D", "DP", "H", "P"]


def test_a_long_title_makes_a_slug_cut_between_words(tmp_path):
    found, _ = generators(tmp_path, [("a.md", post(LONG_TITLE)), ("b.md", post("B", Slug="x" * 90))])
    for article in found.articles:
        capped_slugs.cap_slug(article)
    slugs = {a.title: a.slug for a in found.articles}
    assert slugs[LONG_TITLE] == (
        "xen-dom0-support-lands-in-linux-3-0-after-years-of-out-of-tree-patches-and"
    )  # 74 characters; "-review" would make 81
    assert slugs["B"] == "x" * 90  # written by the author: content_checks refuses it if too long


def test_every_category_lists_the_post(tmp_path):
    found, _ = generators(
        tmp_path, [("a.md", post("A", Category="linux, xen")), ("b.md", post("B", Category="xen"))]
    )
    for article in found.articles:
        multi_category.split_categories(article)
    multi_category.index_every_category(found)
    listed = {category.name: sorted(a.title for a in posts) for category, posts in found.categories}
    assert listed == {"linux": ["A"], "xen": ["A", "B"]}
    assert [a.category.name for a in sorted(found.articles, key=lambda a: a.title)] == ["linux", "xen"]


def test_a_summary_is_the_plain_text_of_the_first_paragraph(tmp_path):
    found, _ = generators(
        tmp_path,
        [
            ("a.md", post("A", body="Xen &amp; *Linux* <b>a < b</b>.\n\nSecond.")),
            ("b.md", post("B", Summary="Written <as> text")),
        ],
        SUMMARY_MAX_LENGTH=3,
    )
    for article in found.articles:
        plain_summary.ensure_plain_summary(article)
    summaries = {a.title: a.metadata["summary"] for a in found.articles}
    assert summaries == {"A": "Xen & Linux…", "B": "Written <as> text"}


def test_a_summary_skips_pictures_captions_and_quotes(tmp_path):
    picture = "![Servers](photo.jpg)\n\n"
    found, _ = generators(
        tmp_path,
        [
            ("a.md", post("A", body=picture + "The racks were full.")),
            ("b.md", post("B", body=picture + "/// caption\nRacks.\n///\n\nThe booth opened.")),
            ("c.md", post("C", body="/// quote | Ada\nQuoted.\n///\n\nOur words.")),
            ("d.md", post("D", body=picture)),
            ("e.md", post("E", body="> Quoted.\n>\n> > Nested.\n\nOur words.")),
        ],
    )
    for article in found.articles:
        plain_summary.ensure_plain_summary(article)
    summaries = {a.title: a.metadata["summary"] for a in found.articles}
    expected = {
        "A": "The racks were full.",
        "B": "The booth opened.",
        "C": "Our words.",
        "D": "",
        "E": "Our words.",
    }
    assert summaries == expected


def test_the_header_shows_a_written_summary_that_is_not_the_body_s_opening(tmp_path):
    opening = "![Servers](photo.jpg)\n\n/// caption\nRacks.\n///\n\nThe booth opened at nine. Queues formed."
    found, _ = generators(
        tmp_path,
        [
            ("a.md", post("A", body=opening)),
            ("b.md", post("B", Summary="Xen 4.1 ships xl.", body=opening)),
            ("c.md", post("C", Summary="The booth opened at nine.", body=opening)),
            ("d.md", post("D", Summary="The booth opened…", body=opening)),
        ],
    )
    for article in found.articles:
        plain_summary.ensure_plain_summary(article)
    standfirsts = {a.title: a.standfirst for a in found.articles}
    assert standfirsts == {"A": "", "B": "Xen 4.1 ships xl.", "C": "", "D": ""}


def test_term_pages_are_those_of_listed_posts_only(tmp_path):
    made = generators(
        tmp_path,
        [
            ("a.md", post("A", Category="xen, linux", Tags="xen", Author="Ada")),
            ("h.md", post("H", Status="hidden", Category="backstage", Tags="xen, zebra", Author="Zed")),
            ("d.md", post("D", Status="draft", Tags="drafted")),
        ],
    )
    articles = made[0]
    for article in articles.articles + articles.hidden_articles + articles.drafts:
        multi_category.split_categories(article)
    multi_category.index_every_category(articles)
    term_pages.collect(made)
    assert articles.context["term_pages"] == {"tag": {"xen"}, "category": {"xen", "linux"}, "author": {"ada"}}
