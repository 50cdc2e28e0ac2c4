"""A bad post stops the build with a message that names it, the problem and the fix."""

import os
import shutil
import subprocess
import sys
import textwrap
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

GOOD = """\
Title: A good post
Date: 2011-06-01 09:00
Category: xen
Tags: xen

A paragraph.
"""


def write(folder, relative, text):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    write(folder, "articles/good.md", GOOD)
    write(folder, "pages/about.md", "Title: About\n\nAbout us.\n")
    shutil.copytree(ROOT / "content" / "extra", folder / "extra")  # the site's icon
    return folder


def build_fails(content, tmp_path, *expected):
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not (tmp_path / "output").exists(), "a failed build must not publish anything"
    return result.stderr


def post(title="A post", date="2011-06-02", extra=""):
    extra = f"{extra}\n" if extra else ""
    return f"Title: {title}\nDate: {date}\nCategory: xen\n{extra}\nText.\n"


def test_invalid_date(content, tmp_path):
    write(content, "articles/bad-date.md", post(date="2011-13-45"))
    build_fails(
        content, tmp_path, "articles/bad-date.md:2:", "“2011-13-45” is not a valid date", "YYYY-MM-DD"
    )


def test_missing_title(content, tmp_path):
    write(content, "articles/untitled.md", "Date: 2011-06-02\n\nText.\n")
    build_fails(content, tmp_path, "articles/untitled.md", "has no Title")


def test_empty_file(content, tmp_path):
    write(content, "articles/empty.md", "")
    build_fails(content, tmp_path, "articles/empty.md: the file is empty")


def test_bytes_that_are_not_utf8(content, tmp_path):
    write(content, "articles/latin1.md", "Title: Caf\xe9\n\nText.\n".encode("latin-1"))
    build_fails(content, tmp_path, "articles/latin1.md:1:", "is not UTF-8", "Save the file with UTF-8")


@pytest.mark.parametrize("typo, suggestion", [("Tittle", "Title"), ("Catgeory", "Category")])
def test_misspelled_key_suggests_the_nearest(content, tmp_path, typo, suggestion):
    write(content, "articles/typo.md", f"Title: T\nDate: 2011-06-02\n{typo}: xen\n\nText.\n")
    build_fails(
        content,
        tmp_path,
        "articles/typo.md:3:",
        f"unknown front matter field “{typo}”",
        f"Did you mean “{suggestion}”?",
    )


def test_two_posts_at_one_url(content, tmp_path):
    write(content, "articles/one.md", post(title="Same title"))
    write(content, "articles/two.md", post(title="Same title"))
    build_fails(
        content,
        tmp_path,
        "articles/one.md and articles/two.md would all be written to 2011/06/same-title/index.html",
    )


def test_page_that_would_replace_a_generated_page(content, tmp_path):
    write(content, "pages/tags.md", "Title: Tags\n\nMy tags page.\n")
    build_fails(content, tmp_path, "pages/tags.md and the tags page would all be written to tags/index.html")


def test_a_link_to_a_tag_category_or_author_page_the_site_lacks_is_refused(content, tmp_path):
    """Pelican links any name, so a misspelt tag or one no published post has was a broken link."""
    links = "[a]({tag}Xen) [b]({category}xen) [c]({author}Dom0 Dispatch editors) [d]({tag}xne) "
    write(
        content,
        "articles/linker.md",
        post(extra="Tags: xen") + links + "[e]({category}linux) [f]({author}Ada)\n",
    )
    stderr = build_fails(content, tmp_path)
    assert [line.strip()[: line.strip().index(",")] for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/linker.md: links to {tag}xne",
        "error: articles/linker.md: links to {category}linux",
        "error: articles/linker.md: links to {author}Ada",
    ]
    assert "leads to tag/xne/, a page the site does not have: no published post has that tag" in stderr


def test_a_term_link_whose_name_its_slug_changes_is_told_to_name_the_slug(content, tmp_path):
    """Markdown writes {tag}Q&A as Q&amp;A, which Pelican links as tag/q/: the name was right,
    and "Correct the name" sent the author looking for a typo."""
    write(content, "articles/linker.md", post(extra="Tags: Q&A") + "[a]({tag}Q&A) [b]({tag}C&D)\n")
    stderr = build_fails(content, tmp_path)
    assert (
        "articles/linker.md: links to {tag}Q&A, which leads to tag/q/, a page the site does not have: "
        "“Q&A” holds characters its slug drops or changes, so link its page by the slug instead: "
        "{tag}qa, the tag “Q&A”."
    ) in stderr
    assert (
        "links to {tag}C&D, which leads to tag/c/, a page the site does not have: “C&D” holds characters "
        "its slug drops or changes, so link its page by the slug, {tag}cd; but no published post has "
        "that tag either. Correct the name, or remove the link."
    ) in stderr


@pytest.mark.parametrize("link", ["{filename}", "{filename}#setup", "{static}?v=2"])
def test_an_internal_link_that_names_no_file_is_refused(content, tmp_path, link):
    """Pelican left it as written, with a warning only: readers got href="{filename}#setup"."""
    write(content, "articles/linker.md", post(extra="") + f"\nSee [this]({link}).\n")
    build_fails(content, tmp_path, f"articles/linker.md: links to {link}, which names no file")


@pytest.mark.parametrize("link", ["{filename}missing.md", "{static}/extra/missing.png"])
def test_internal_link_to_nothing_names_the_post_that_holds_it(content, tmp_path, link):
    write(content, "articles/linker.md", post(extra="") + f"\nSee [this]({link}).\n")
    stderr = build_fails(content, tmp_path, f"articles/linker.md: links to {link}", "does not exist")
    # Pelican's warning of a missing {static} file spans two lines ("…\n\t[Errno 2]…").
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith(("WARNING: ", "Build failed", "  error: ")) for line in lines), stderr


def test_a_static_link_pelican_would_not_publish_is_refused_saying_why(content, tmp_path):
    """Markdown writes "&" as "&amp;", and Pelican copies a linked file by the path up to the ";":
    the link would be broken. It was refused as a file that "does not exist", though it does."""
    write(content, "images/Q&A.pdf", "%PDF")
    write(content, "articles/linker.md", post() + "\nSee [q]({static}/images/Q&A.pdf).\n")
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/linker.md: links to {static}/images/Q&A.pdf, a file Pelican would not publish, so "
        "the link would be broken: it reads the path only up to a “;”, and Markdown writes “&” as “&amp;”. "
        "Rename the file (or folder) to letters, digits, - and _, and link it as {static}/images/qa.pdf."
    ], stderr


def test_a_static_or_attach_link_to_a_post_is_refused_naming_the_filename_link(content, tmp_path):
    """Pelican publishes no post's source as a file: it warned, and the page shipped the link as
    written ("{static}/pages/about.md"). The fix the message gives links the post's page."""
    write(content, "articles/other.md", post(title="Other", date="2011-06-01"))
    body = (
        "\nSee [about]({static}/pages/about.md#team) and [other]({static}../articles/other.md).\n"
        "\nAnd [again]({attach}other.md).\n"
    )
    write(content, "articles/linker.md", post() + body)
    stderr = build_fails(content, tmp_path)
    fix = "which Pelican publishes as a page, not as a file, so the link would be left as written, broken."
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        f"error: articles/linker.md:7: links to {{static}}/pages/about.md#team, a post, {fix} "
        "Link it as {filename}/pages/about.md#team, which links the page Pelican makes from it.",
        f"error: articles/linker.md:7: links to {{static}}../articles/other.md, a post, {fix} "
        "Link it as {filename}../articles/other.md, which links the page Pelican makes from it.",
        f"error: articles/linker.md:9: links to {{attach}}other.md, a post, {fix} "
        "Link it as {filename}other.md, which links the page Pelican makes from it.",
    ], stderr
    fixed = body.replace("{static}", "{filename}").replace("{attach}", "{filename}")
    write(content, "articles/linker.md", post() + fixed)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "a-post" / "index.html").read_text(encoding="utf-8")
    links = {a.get_text(): a["href"] for a in BeautifulSoup(page, "html.parser").select("article a")}
    assert links["about"] == "/about/#team"
    assert links["other"] == links["again"] == "/2011/06/other/"


def test_links_pelican_reads_build_with_the_address_of_their_file(content, tmp_path):
    """A file under extra/ is published whatever its name, and Pelican finds a post by its name
    percent-decoded. Both were refused as missing."""
    write(content, "extra/Q&A.pdf", "%PDF")
    write(content, "articles/old post.md", post(title="Old post", date="2011-06-01"))
    body = "\nSee [q]({static}/extra/Q&A.pdf) and [old]({filename}old%20post.md).\n"
    write(content, "articles/linker.md", post() + body)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "a-post" / "index.html").read_text(encoding="utf-8")
    links = {a.get_text(): a["href"] for a in BeautifulSoup(page, "html.parser").select("article a")}
    assert links["q"] == "/extra/Q&A.pdf" and links["old"] == "/2011/06/old-post/"
    assert (tmp_path / "output" / "extra" / "Q&A.pdf").read_text() == "%PDF"
    assert (tmp_path / "output" / "2011" / "06" / "old-post" / "index.html").is_file()


@pytest.mark.parametrize("first, second", [("C++", "C"), ("Xen/KVM", "XenKVM")])
def test_tags_whose_slugs_collide(content, tmp_path, first, second):
    write(content, "articles/a.md", post(title="A", extra=f"Tags: {first}"))
    write(content, "articles/b.md", post(title="B", extra=f"Tags: {second}"))
    build_fails(
        content,
        tmp_path,
        f"“{first}” in articles/a.md",
        f"“{second}” in articles/b.md",
        "would share the page tag/",
    )


def test_one_tag_spelt_two_ways_is_told_to_be_spelt_one_way_which_builds(content, tmp_path):
    """The names share a page because they are one tag: renaming one, as the message said, made two."""
    path = write(content, "articles/a.md", post(title="A", extra="Tags: linux kernel"))
    write(content, "articles/b.md", post(title="B", extra="Tags: linux-kernel"))
    build_fails(
        content, tmp_path, "would share the page tag/linux-kernel/. If they are one tag, spell it the same"
    )
    path.write_text(post(title="A", extra="Tags: linux-kernel"), encoding="utf-8")
    assert run_build(tmp_path / "output", content=content, production=False, siteurl=None).returncode == 0
    assert sorted(p.name for p in (tmp_path / "output" / "tag").iterdir()) == ["linux-kernel", "xen"]


def test_categories_whose_slugs_collide(content, tmp_path):
    write(content, "articles/a.md", post(title="A").replace("Category: xen", "Category: Xen/KVM"))
    write(content, "articles/b.md", post(title="B").replace("Category: xen", "Category: XenKVM"))
    build_fails(
        content,
        tmp_path,
        "the categories “Xen/KVM” in articles/a.md; “XenKVM” in articles/b.md",
        "category/xenkvm/",
    )


def test_tag_with_an_empty_slug(content, tmp_path):
    write(content, "articles/emoji.md", post(extra="Tags: 🚀"))
    build_fails(content, tmp_path, "articles/emoji.md: the tag “🚀” has no letters or digits")


def test_author_with_an_empty_slug(content, tmp_path):
    write(content, "articles/emoji.md", post(extra="Author: 🚀"))
    build_fails(content, tmp_path, "articles/emoji.md: the author “🚀” has no letters or digits")


def test_author_and_authors_together(content, tmp_path):
    write(content, "articles/both.md", post(extra="Author: Ada\nAuthors: Bob, Cy"))
    build_fails(content, tmp_path, "articles/both.md:4: “Author” and “Authors” are both given")


def test_several_names_in_author_are_refused_with_the_authors_line_that_credits_each(content, tmp_path):
    """Pelican splits only Authors at commas: Author made one author, and one page, of both names."""
    path = write(content, "articles/two.md", post(extra="Author: Ada Example, Bo Example"))
    build_fails(content, tmp_path, "articles/two.md:4: Author “Ada Example, Bo Example” holds a comma")
    path.write_text(post(extra="Authors: Ada Example, Bo Example"), encoding="utf-8")  # as it says
    assert run_build(tmp_path / "output", content=content, production=False, siteurl=None).returncode == 0
    assert {p.name for p in (tmp_path / "output" / "author").iterdir()} >= {"ada-example", "bo-example"}


def test_case_variants_are_merged_with_a_warning(content, tmp_path):
    write(content, "articles/a.md", post(title="A", extra="Tags: Xen"))
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    assert "differ only in case" in result.stdout + result.stderr
    tags = (tmp_path / "output" / "tags" / "index.html").read_text()
    assert tags.count('href="/tag/xen/"') == 1


@pytest.mark.parametrize("field", ["Slug: ../../escape", "Save_as: ../outside.html", "URL: /etc/passwd"])
def test_paths_that_would_leave_the_output_folder(content, tmp_path, field):
    write(content, "articles/escape.md", post(extra=field))
    build_fails(content, tmp_path, "articles/escape.md:4:", "would write outside output/")


def test_a_template_that_renders_no_post_is_refused_naming_those_that_do(content, tmp_path):
    """base published an empty <main>, series "Series: 0 parts" without the body, and tag or
    index stopped the build with an UndefinedError naming no file."""
    for template in ("base", "series", "tag", "index", "page"):
        write(content, f"articles/{template}.md", post(title=template, extra=f"Template: {template}"))
    write(content, "pages/about.md", "Title: About\nTemplate: article\n\nAbout us.\n")
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        *(
            f"error: articles/{template}.md:4: Template “{template}” is not one of the theme's templates "
            "for posts: article. Write one of those, or delete the line."
            for template in ("base", "index", "page", "series", "tag")
        ),
        "error: pages/about.md:2: Template “article” is not one of the theme's templates for pages: "
        "404, page. Write one of those, or delete the line.",
    ], stderr


def test_a_template_of_the_site_that_extends_the_post_template_is_taken(content, tmp_path):
    overrides = tmp_path / "templates"
    write(overrides, "wide.html", '{% extends "article.html" %}{% block title %}Wide{% endblock %}')
    write(content, "articles/wide.md", post(title="A wide post", extra="Template: wide"))
    settings = [("THEME_TEMPLATES_OVERRIDES", [str(overrides)])]
    result = run_build(
        tmp_path / "output", content=content, production=False, siteurl=None, settings=settings
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "a-wide-post" / "index.html").read_text()
    assert "<title>Wide</title>" in page and "Text." in page


def test_the_template_check_reads_each_template_once_however_many_posts_give_one(content, monkeypatch):
    """The check read the theme's templates again for each post or page with a Template field,
    and base.html once for each template extending it: its reads grew with the posts."""
    from collections import Counter
    from pathlib import Path

    from pelican.settings import read_settings

    from sitebuild.checks.lint import lint_content

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    theme, reads, read_text = (ROOT / "theme" / "templates").resolve(), Counter(), Path.read_text

    def counted(path, *args, **kwargs):
        if path.resolve().is_relative_to(theme):
            reads[path.resolve().relative_to(theme).as_posix()] += 1
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)

    def template_reads() -> Counter:
        reads.clear()
        assert lint_content(settings) == []
        return Counter(reads)

    without = template_reads()  # the fields the templates declare (declared_fields), read every build
    for number in range(4):
        write(content, f"articles/p{number}.md", post(title=f"P{number}", extra="Template: article"))
    write(content, "pages/about.md", "Title: About\nTemplate: page\n\nAbout us.\n")
    by_the_check = template_reads() - without
    assert by_the_check["base.html"] == by_the_check["article.html"] == 1
    assert set(by_the_check.values()) == {1}


def test_a_field_wrapped_onto_an_indented_line_is_refused_naming_both_lines(content, tmp_path):
    """Python-Markdown reads an indented line as more of the field above: a Summary or Title
    became a list ("Could not process …: expected string or bytes-like object, got 'list'"),
    and Tags or Date kept only their first line."""
    wrapped = "Title: A wrapped\n    post\nDate: 2011-06-02\nSummary: First line\n    continued\n\nText.\n"
    write(content, "articles/wrapped.md", wrapped)
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        f"error: articles/wrapped.md:{line}: the line is indented, so it would continue {field} from line "
        f"{line - 1}, and the build reads a field from one line only. Join it to line {line - 1}: a field "
        "takes one line, however long."
        for line, field in ((2, "Title"), (5, "Summary"))
    ], stderr


def test_front_matter_is_read_as_python_markdown_reads_it(content, tmp_path):
    """Python-Markdown reads a field indented up to three spaces, which lint skipped (" Template: tag"
    stopped the build with an UndefinedError), and ends the fields at a space before a colon,
    which lint read as a field: "Status : draft" published the draft, that line shown as its text."""
    write(content, "articles/indented.md", post(title="Indented", extra=" Template: tag"))
    write(content, "articles/spaced.md", post(title="Embargoed", extra="Status : draft"))
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1, result.stderr
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        "error: articles/indented.md:4: Template “tag” is not one of the theme's templates for posts: "
        "article. Write one of those, or delete the line.",
        "error: articles/spaced.md:4: “Status : draft” is not a field, so the fields end above it and it "
        "would be published, with all below it, as the post's text: it has a space before its colon. "
        "Write “Status: …”; if it begins the text, put a blank line above it.",
    ], result.stderr
    assert not (tmp_path / "output").exists()


def test_fields_that_end_at_a_line_that_is_no_field_are_refused(content, tmp_path):
    """Python-Markdown ends the fields at the first line that is not "Key: value", so a draft's
    Status under a mistyped field (or written without its colon) was published as text."""
    lines = {
        "typo": "Sumary : typo",
        "spaced": "Image alt: x",
        "colonless": "Status draft",
        "prose": "At 9:00 the booth opened.",
        "ruled": "---",
    }
    for name, line in lines.items():
        write(content, f"articles/{name}.md", post(title=name, extra=f"{line}\nStatus: draft"))
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1, result.stderr
    ending = "; if it begins the text, put a blank line above it."
    generic = "a field is “Key: value”, the key one word. If it is meant as one, write it so" + ending
    start = "is not a field, so the fields end above it and it would be published, with all below it, as "
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        f"error: articles/colonless.md:4: “Status draft” {start}the post's text: {generic}",
        f"error: articles/prose.md:4: “At 9:00 the booth opened.” {start}the post's text: {generic}",
        "error: articles/ruled.md:4: “---” closes YAML front matter, which posts here do not have: "
        "Python-Markdown would drop it and publish the lines below it as the post's text. Put a blank "
        "line in its place.",
        f"error: articles/spaced.md:4: “Image alt: x” {start}the post's text: its name “Image alt” has a "
        "space. Write “Image_alt: …”" + ending,
        f"error: articles/typo.md:4: “Sumary : typo” {start}the post's text: it has a space before its "
        "colon. Write “Sumary: …”" + ending,
    ], result.stderr
    assert not (tmp_path / "output").exists()


def test_a_line_separator_in_a_field_is_no_line_break(content, tmp_path):
    """Python-Markdown ends lines at line feeds only; lint split a Summary at its U+2028 (as
    str.splitlines does) and refused the blank line below it ("“second half.” is not a field")."""
    separated = (
        "Title: Separated\nDate: 2011-07-04 09:00\nCategory: xen\nSummary: First half\u2028second half.\n"
    )
    write(content, "articles/separated.md", separated + "\nThe body.\n")
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "07" / "separated" / "index.html").read_text(encoding="utf-8")
    assert "The body." in page and "second half" not in page.split("post-body")[1]


def test_a_modified_date_before_the_date_is_refused_naming_both(content, tmp_path):
    """It showed "Updated 1 March 2026" under a post of 5 March, and a dateModified before the
    datePublished in JSON-LD."""
    write(content, "articles/days.md", post(date="2026-03-05", extra="Modified: 2026-03-01"))
    write(
        content, "articles/hours.md", post(title="B", date="2026-03-05 09:00", extra="Modified: 2026-03-05")
    )
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        f"error: articles/{name}.md:4: Modified “{modified}” is earlier than the Date “{date}” (line 2): the "
        "post would be updated before it was published. Give the date and time of the update (a date alone "
        "is its midnight), or delete the line."
        for name, date, modified in (
            ("days", "2026-03-05", "2026-03-01"),
            ("hours", "2026-03-05 09:00", "2026-03-05"),
        )
    ], stderr


def test_a_modified_date_equal_to_the_date_builds_and_shows_no_update(content, tmp_path):
    write(
        content,
        "articles/same.md",
        post(title="Same", date="2011-06-02 09:00", extra="Modified: 2011-06-02T09:00Z"),
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "same" / "index.html").read_text()
    assert 'class="meta byline"' in page and "Updated" not in page


def test_every_problem_is_reported_at_once(content, tmp_path):
    write(content, "articles/a.md", post(date="yesterday-ish"))
    write(content, "articles/b.md", "Tittle: B\n\nText.\n")
    stderr = build_fails(content, tmp_path, "articles/a.md:2:", "articles/b.md:1:")
    assert stderr.count("error:") >= 3


UNDOCUMENTED_DATES = ["11/12/2026", "28/11/2026", "Nov 28th, 2026 at 10am", "2026-11-28 10am"]


def dated(field, value):
    """The post of test_only_the_documented_date_forms_are_read, one file per field and value."""
    return f"articles/dated-{field.lower()}-{UNDOCUMENTED_DATES.index(value)}.md"


@pytest.fixture(scope="module")
def undocumented_dates_refused(tmp_path_factory):
    """stderr of one build holding a post for each field and value of UNDOCUMENTED_DATES:
    the build reports every problem at once, one line each."""
    folder = tmp_path_factory.mktemp("dates")
    content = folder / "content"
    write(content, "articles/good.md", GOOD)
    for field in ("Date", "Modified"):
        for number, value in enumerate(UNDOCUMENTED_DATES):
            extra = f"{field}: {value}" if field == "Modified" else ""
            text = post(title=f"Dated {field} {number}", date="2011-06-02" if extra else value, extra=extra)
            write(content, dated(field, value), text)
    return build_fails(content, folder)


@pytest.mark.parametrize("field", ["Date", "Modified"])
@pytest.mark.parametrize("value", UNDOCUMENTED_DATES)
def test_only_the_documented_date_forms_are_read(undocumented_dates_refused, field, value):
    """Pelican would read these, 11/12/2026 as 12 November: a date nobody meant."""
    stderr, name = undocumented_dates_refused, dated(field, value)
    line = 4 if field == "Modified" else 2
    [problem] = [text for text in stderr.splitlines() if f"{name}:" in text]
    assert f"error: {name}:{line}: {field} “{value}” is not a valid date" in problem, stderr
    assert "Write it as YYYY-MM-DD, optionally with a time HH:MM or HH:MM:SS and a zone" in problem, stderr
    others = [text for text in stderr.splitlines() if "error:" in text and "articles/dated-" not in text]
    assert others == [], stderr  # the good post is not refused


def test_the_documented_date_forms_build(content, tmp_path):
    for number, value in enumerate(
        ["2011-06-02", "2011-06-02 10:00", "2011-06-02T10:00:30+02:00", "2011-06-02 10:00Z"]
    ):
        write(
            content,
            f"articles/d{number}.md",
            post(title=f"Post {number}", date=value, extra="Modified: 2011-06-03 08:15"),
        )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "2011" / "06" / "post-2" / "index.html").is_file()


def test_yaml_front_matter_says_which_format_is_expected(content, tmp_path):
    write(content, "articles/jekyll.md", "---\ntitle: From Jekyll\ndate: 2011-06-02\n---\n\nText.\n")
    stderr = build_fails(
        content,
        tmp_path,
        "articles/jekyll.md:1: the file starts with “---”",
        "“Key: value” lines at the very top",
        "no “---” lines",
    )
    assert stderr.count("error:") == 1, stderr


FOREIGN = {
    "an admonition": ("!!! note\n    Careful.\n", "“!!!” admonitions are not read here", "“/// note”"),
    "display math": ("$$x^2 + 1$$\n", "math (“$$…$$”, “\\(…\\)”) is not supported", "as code"),
    "inline math": ("The area is \\(\\pi r^2\\).\n", "math (“$$…$$”, “\\(…\\)”) is not supported", "as code"),
    "a more marker": (
        "First.\n\n<!-- more -->\n\nRest.\n",
        "“<!-- more -->” does nothing here",
        "“Summary: …”",
    ),
}


@pytest.mark.parametrize("body, problem, fix", FOREIGN.values(), ids=FOREIGN.keys())
def test_syntax_from_other_sites_is_reported_not_printed(content, tmp_path, body, problem, fix):
    write(content, "articles/foreign.md", post() + "\n" + body)
    build_fails(content, tmp_path, "articles/foreign.md:", problem, fix)


BLOCKS = (
    "admonition, attention, caption, caution, correction, danger, error, figure-caption, hint, "
    "important, note, quote, table-caption, tip, update, warning"
)


@pytest.mark.parametrize(
    "opener", ["/// corection | Correction, 4 March 2011", "/// correction: Correction, 4 March 2011"]
)
def test_a_block_opener_the_site_has_no_block_for_stops_the_build_by_line(content, tmp_path, opener):
    """Python-Markdown would print the line as typed, and a mistyped correction would be left
    out of the corrections log and feed."""
    write(content, "articles/typo.md", post() + f"\n{opener}\nThe wrong day.\n///\n")
    stderr = build_fails(content, tmp_path)
    assert stderr.count("error:") == 1, stderr
    assert (
        f"error: articles/typo.md:7: “{opener}” opens no block and would be printed as typed. Open a "
        f"block with “/// NAME” or “/// NAME | title” on its own line, the NAME one of {BLOCKS}.\n"
    ) in stderr


def test_a_mistyped_block_in_a_blockquote_stops_the_build_by_line(content, tmp_path):
    """Python-Markdown prints "/// corection" inside a blockquote as typed; lint read past it."""
    write(
        content,
        "articles/quoted.md",
        post() + "\n> /// corection | Correction, 4 March 2011\n> Wrong.\n> ///\n",
    )
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/quoted.md:7: “/// corection | Correction, 4 March 2011” opens no block and would be "
        "printed as typed. Open a block with “/// NAME” or “/// NAME | title” on its own line, the NAME one "
        f"of {BLOCKS}."
    ], stderr


@pytest.mark.parametrize(
    "block, opener",
    [
        ("/// quote\nNo name.\n///", "/// quote"),
        ("/// quote | Ada\n    kind: letter\n\nWords.\n///", "/// quote | Ada"),
        ("/// quote | Ada\n    date: 2 June 2009\n\nWords.\n///", "/// quote | Ada"),
        ("/// note | Mind\n    colour: red\n\nWords.\n///", "/// note | Mind"),
    ],
    ids=["a quote without its author", "an unknown kind", "a date in words", "an unknown option"],
)
def test_a_block_its_extension_cannot_read_stops_the_build_naming_it(content, tmp_path, block, opener):
    """pymdownx.blocks prints a block as typed when its title or options are not ones it takes:
    "/// quote" without "| Author" was published as its text, and a cite: in it went unchecked."""
    write(content, "articles/unread.md", post() + f"\n{block}\n")
    build_fails(content, tmp_path, f"error: articles/unread.md: “{opener}” would be printed as typed")


@pytest.mark.parametrize("heading", ["# Background", "#Background", "> # Background"])
def test_a_heading_of_the_title_s_level_is_refused_and_the_fix_builds_the_table_of_contents(
    content, tmp_path, heading
):
    """Python-Markdown made "# Background" a second <h1> under the title, one the table of
    contents left out; writing.md says sections start at ##. A shell comment in code is no heading."""
    sections = "\n## Setup\n\nText.\n\n## Results\n\nText.\n\n```sh\n# a comment\n```\n"
    write(content, "articles/sections.md", post(title="Sections") + f"\n{heading}\n\nText.\n" + sections)
    stderr = build_fails(content, tmp_path)
    why = "the page would have two main headings, and the table of contents would leave it out. "
    fix = "Start the post's sections at ##: “## Background”."
    if heading == "#Background":  # as likely a "#" meant as typed
        why = "a “#” that starts a line makes one, even with no space after it. "
        fix = "To print the “#” as typed, write “\\#Background”; for a section, “## Background”."
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        f"error: articles/sections.md:7: “{heading.lstrip('> ')}” is a heading of the title's level: "
        + why
        + fix
    ]
    write(content, "articles/sections.md", post(title="Sections") + "\n## Background\n\nText.\n" + sections)
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "output/2011/06/sections/index.html").read_text(), "html.parser")
    assert len(page.find_all("h1")) == 1
    assert [a.get_text() for a in page.select("nav.toc a")] == ["Background", "Setup", "Results"]


def test_a_main_heading_in_another_spelling_is_refused_and_the_fix_builds(content, tmp_path):
    """A line of "=" under text, an <h1> tag and a list of hashtags are <h1>s as "# " is, and
    were published so: the page had several main headings, and the table of contents left them out."""
    body = "\nBackground\n==========\n\nText.\n\n<h1>Setup</h1>\n\nTrending:\n\n- #climate\n- #vote\n"
    write(content, "articles/spellings.md", post(title="Spellings") + body)
    stderr = build_fails(content, tmp_path)
    why = "is a heading of the title's level: the page would have two main headings, and the table of "
    why += "contents would leave it out. Start the post's sections at ##:"
    typed = "is a heading of the title's level: a “#” that starts a line makes one, even with no space "
    typed += "after it. To print the “#” as typed, write"
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        f"error: articles/spellings.md:7: “Background”, over a line of “=”, {why} “## Background”, without "
        "the line of “=” (for a line across the page, write “***” instead, with a blank line above it).",
        f"error: articles/spellings.md:12: “<h1>Setup</h1>” {why} “## Setup” (or <h2> in HTML).",
        f"error: articles/spellings.md:16: “- #climate” {typed} “- \\#climate”; for a section, “## climate”.",
        f"error: articles/spellings.md:17: “- #vote” {typed} “- \\#vote”; for a section, “## vote”.",
    ]
    fixed = (
        "\n## Background\n\nText.\n\n<h2>Setup</h2>\n\n## Results\n\nTrending:\n\n- \\#climate\n- \\#vote\n"
    )
    write(content, "articles/spellings.md", post(title="Spellings") + fixed)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "output/2011/06/spellings/index.html").read_text(), "html.parser")
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Spellings"]
    assert [li.get_text() for li in page.select(".post-body li")] == ["#climate", "#vote"]


def test_a_hash_meant_as_typed_is_told_the_backslash_that_prints_it(content, tmp_path):
    """A line "#1 in the charts." is an <h1> in Python-Markdown. The message said to
    write "## 1 in the charts.", a section heading; a backslash prints the "#" in the sentence."""
    write(content, "articles/charts.md", post(title="Charts") + "\nThe band reached\n#1 in the charts.\n")
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/charts.md:8: “#1 in the charts.” is a heading of the title's level: a “#” that "
        "starts a line makes one, even with no space after it. To print the “#” as typed, write "
        "“\\#1 in the charts.”; for a section, “## 1 in the charts.”."
    ]
    write(content, "articles/charts.md", post(title="Charts") + "\nThe band reached\n\\#1 in the charts.\n")
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "output/2011/06/charts/index.html").read_text(), "html.parser")
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Charts"]
    assert "The band reached\n#1 in the charts." in page.select_one(".post-body").get_text()


def test_a_hash_the_site_s_markdown_makes_no_heading_of_builds(content, tmp_path):
    """A league table's "# | Team" column and a "#tag" line of an embedded post's raw HTML start
    with "#" and are no heading: Python-Markdown reads a table and a raw block first. Both were refused."""
    body = (
        "\n# | Team | Points\n--|------|-------\n1 | Ajax | 70\n#2 | PSV | 68\n"
        '\n<blockquote class="embedded-post">\n<p>What a season\n#ajax #eredivisie</p>\n</blockquote>\n'
        "\n<details>\n<summary>Notes</summary>\n#1 seed.\n</details>\n"
    )
    write(content, "articles/league.md", post(title="League") + body + "\n#Background\n")
    errors = [line.strip() for line in build_fails(content, tmp_path).splitlines() if "error:" in line]
    assert [error.split(" “")[0] for error in errors] == ["error: articles/league.md:22:"], errors
    write(content, "articles/league.md", post(title="League") + body)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "output/2011/06/league/index.html").read_text(), "html.parser")
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["League"]
    assert [th.get_text() for th in page.select(".post-body th")] == ["#", "Team", "Points"]
    assert "#ajax #eredivisie" in page.select_one(".post-body blockquote").get_text()


def test_slashes_in_a_comment_or_a_raw_pre_block_build(content, tmp_path):
    """Neither is printed as Markdown: a comment not at all, a <pre> block as typed. Both were refused."""
    body = (
        "\n<!-- for the editor:\n/// TODO check the date\n-->\n\n<pre>\n/// Returns the domain's id\n</pre>\n"
    )
    write(content, "articles/slashes.md", post(title="Slashes") + body)
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "slashes" / "index.html").read_text(encoding="utf-8")
    assert "/// Returns the domain's id" in page.replace("&#x27;", "'").replace("&#39;", "'")
    assert "TODO" not in page


def test_a_correction_in_any_valid_form_is_logged_and_examples_in_code_are_shown(content, tmp_path):
    body = (
        "\n/// correction | Correction, 4 June 2011\nThe wrong day.\n///\n\n"
        "//// Note\nNested slashes and a capital.\n////\n\n"
        "```text\n/// corection | shown as an example\n```\n"
    )
    write(content, "articles/corrected.md", post(title="Corrected") + body)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "corrected" / "index.html").read_text(encoding="utf-8")
    assert "/// corection | shown as an example" in page and 'class="admonition note"' in page
    log = (tmp_path / "output" / "corrections" / "index.html").read_text(encoding="utf-8")
    assert "The wrong day." in log


def test_that_syntax_in_code_is_shown_as_written(content, tmp_path):
    examples = "".join(body for body, *_ in FOREIGN.values())
    write(
        content,
        "articles/examples.md",
        post(title="Examples") + "\n```text\n" + examples + "```\n\n"
        "Inline: `!!! note`, `$$x$$` and `<!-- more -->`.\n\n    $$y$$ indented\n",
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "examples" / "index.html").read_text()
    assert "!!! note" in page and "&lt;!-- more --&gt;" in page


def test_notes_and_warnings_are_rendered_as_admonitions(content, tmp_path):
    write(
        content,
        "articles/noted.md",
        post(title="Noted") + "\n/// note\nA *note*.\n///\n\n/// warning | Mind the gap\nA warning.\n///\n",
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "noted" / "index.html").read_text()
    note = '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>A <em>note</em>.</p>'
    assert note in page
    assert '<div class="admonition warning">\n<p class="admonition-title">Mind the gap</p>' in page
    assert "///" not in page


def test_case_variants_warning_names_the_posts(content, tmp_path):
    write(content, "articles/a.md", post(title="A", extra="Tags: Xen"))
    b = post(title="B", date="2011-06-03", extra="Tags: XEN").replace("Category: xen", "Category: Xen")
    write(content, "articles/b.md", b)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING: Tags differ only in case: “XEN” in articles/b.md; “Xen” in articles/a.md; "
        "“xen” in articles/good.md; all are listed as"
    ) in result.stderr
    assert (
        "WARNING: Categories differ only in case: “Xen” in articles/b.md; “xen” in articles/a.md, "
        "articles/good.md; all are listed as “xen”."
    ) in result.stderr


def test_a_warning_pelican_groups_is_shown_four_times_then_summed_up(content, tmp_path):
    """Decorative images (empty alt text) by the dozen: Pelican warns of each, up to its limit."""
    icons = "".join(f"\n![](https://example.org/icon-{number}.png)\n" for number in range(30))
    write(content, "articles/icons.md", post(title="Icons") + icons)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING:")]
    assert [line.split(" in ")[0] for line in warnings] == [
        *(f"WARNING: Empty alt attribute for image icon-{number}.png" for number in range(4)),
        "WARNING: Other images have empty alt attributes",
    ]


@pytest.mark.parametrize("production", [False, True])
def test_a_published_post_linking_a_draft_fails_every_build(content, tmp_path, production):
    write(content, "articles/draft.md", post(title="Not yet", extra="Status: draft"))
    write(content, "articles/linker.md", post(title="Linker") + "\nSee [soon]({filename}draft.md).\n")
    result = run_build(tmp_path / "output", content=content, production=production, siteurl=None)
    assert result.returncode == 1, result.stderr
    assert "error: articles/linker.md: links to {filename}draft.md, which is a draft" in result.stderr


def test_a_draft_may_link_a_draft(content, tmp_path):
    write(content, "articles/draft.md", post(title="Not yet", extra="Status: draft"))
    linking = post(title="Other", extra="Status: draft") + "\n[x]({filename}draft.md)\n"
    write(content, "articles/other.md", linking)
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr


def test_each_error_is_one_line_printed_once(content, tmp_path):
    folder = "articles/" + "a-folder-name-long-enough-to-wrap-in-any-terminal/" * 3
    write(content, folder + "a-post-whose-file-name-is-long-as-well.md", post(date="11/12/2026"))
    write(content, "articles/b.md", post(title="B") + "\n!!! note\n    x\n")
    stderr = build_fails(content, tmp_path)
    problems = [line for line in stderr.splitlines() if line.strip()][1:]
    assert [line.split(": ", 2)[1].split(":")[0] for line in problems] == [
        folder + "a-post-whose-file-name-is-long-as-well.md",
        "articles/b.md",
    ], stderr
    assert all(line.startswith("  error: ") and line.rstrip().endswith(".") for line in problems), stderr


def test_pelicans_own_errors_are_one_line_each_and_the_summary_unwrapped(content, tmp_path):
    """Pelican's "Cannot load plugin" spans two lines; its closing summary wrapped at the
    terminal's width (rich), splitting it mid-sentence."""

    command = [
        sys.executable,
        "-m",
        "sitebuild",
        "--quiet",
        "--content",
        str(content),
        "--output",
        str(tmp_path / "output"),
        "--cache",
        str(tmp_path / "cache"),
    ]
    env = {**os.environ, "COLUMNS": "8"}  # narrower than "Processed": rich folds a word mid-way
    built = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    summary = [line for line in built.stdout.splitlines() if line.strip()]
    assert len(summary) == 1 and summary[0].startswith("Done: Processed") and "draft pages" in summary[0]
    broken = subprocess.run(
        command + ["--set", 'PLUGINS=["no_such_plugin"]'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert broken.returncode == 1
    errors = [line for line in broken.stderr.splitlines() if "plugin" in line]
    one_line = "  error: Cannot load plugin `no_such_plugin`; Cannot import plugin `no_such_plugin`"
    assert errors == [one_line], broken.stderr


PRINTER = """\
import threading

from pelican import signals


def said(pelican):
    print("from the build's thread")
    speaker = threading.Thread(target=print, args=("from another thread",))
    speaker.start()
    speaker.join()


def register():
    signals.finalized.connect(said)
"""


def test_only_pelicans_summary_is_held_back_not_what_else_is_printed_meanwhile(content, tmp_path):
    """A plugin's print() (or pdb's prompt) while Pelican renders, and what another thread
    prints meanwhile (the live preview's server: "Browser Connected"), show at once on lines of
    their own, and also when the build fails; only the "Done: Processed …" line waits."""
    from pelican.settings import read_settings

    plugins = write(tmp_path / "plugins", "printer.py", PRINTER).parent
    names = [*read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"], "printer"]
    settings = [("PLUGINS", names), ("PLUGIN_PATHS", [str(plugins)])]
    printed = ["from the build's thread", "from another thread"]
    development = {"content": content, "production": False, "siteurl": None, "settings": settings}
    built = run_build(tmp_path / "output", **development)
    lines = built.stdout.splitlines()
    assert built.returncode == 0 and lines[:2] == printed and lines[2].startswith("Done: "), built.stdout
    write(content, "articles/bad.md", post(extra="\n![A chart](/images/nope.png)"))
    failed = run_build(tmp_path / "failed", **development)
    assert failed.returncode == 1 and failed.stdout.splitlines() == printed, failed.stdout + failed.stderr


def test_debug_shows_the_traceback_of_a_plugin_that_failed(content, tmp_path):
    """`--debug` prints where a plugin failed under the one-line report; without it, no traceback."""
    from pelican.settings import read_settings

    plugins = write(tmp_path / "plugins", "broken.py", "def register():\n    raise KeyError('no such key')\n")
    names = [*read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"], "broken"]
    settings = [("PLUGINS", names), ("PLUGIN_PATHS", [str(plugins.parent)])]
    for debug in (False, True):
        result = run_build(
            tmp_path / "output",
            production=False,
            siteurl=None,
            content=content,
            settings=settings,
            debug=debug,
        )
        assert result.returncode == 1 and "error: Cannot register plugin `broken`" in result.stderr
        assert ("Traceback" in result.stderr) == debug, result.stderr
        assert ("KeyError: 'no such key'" in result.stderr) == debug, result.stderr


def test_a_build_that_fails_after_rendering_does_not_say_done_first(content, tmp_path):
    """A problem found while Pelican renders (here an image link off the site) fails the
    build; Pelican's "Done: Processed …" line would tell the author the opposite."""
    write(content, "articles/bad.md", post(extra="\n![A chart](/images/nope.png)"))
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 1 and "/images/nope.png" in result.stderr, result.stderr
    assert "Done" not in result.stdout + result.stderr


def test_foreign_syntax_is_found_on_any_line_and_only_outside_code():
    from pelican.settings import read_settings

    from sitebuild.checks.body_syntax import SiteMarkdown, body_problems

    site = SiteMarkdown(read_settings(str(ROOT / "pelicanconf.py")))
    lines = ["Plain words.", "", "```", "!!! note in a fence", "```", "", "Then $$x$$ in the text."]
    assert [problem.split(":")[0] for problem in body_problems(lines, 10, site)] == ["16"]
    assert body_problems(["Plain words, a price of $5 and a (remark)."], 1, site) == []


def error_lines(result) -> list[str]:
    return [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("error:")]


def test_a_content_folder_that_is_missing_a_file_or_empty_is_named_with_the_fix(
    project_copy, tmp_path_factory
):
    """Before, a missing content/ failed "unexpectedly" on the favicon the settings read, and a
    missing --content folder, or a file, with Pelican's "You need to specify a path"."""
    folder, elsewhere = project_copy / "content", tmp_path_factory.mktemp("elsewhere")
    fix = "the folder (posts go in its articles/, pages in pages/, the site's icon in extra/favicon.svg) "
    fix += "or build another with .venv/bin/python -m sitebuild --content DIR"

    def build(**given):
        result = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy, **given)
        assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr, result.stderr
        assert not (project_copy / "output").exists()
        return error_lines(result)

    shutil.move(folder, elsewhere / "posts")
    assert build() == [f"error: the content folder content does not exist: create {fix}"]
    # The command it names, run as written from the project's root (the venv's Python: this one).
    command = fix.split("build another with ")[1].replace("DIR", str(elsewhere / "posts")).split()
    assert command[0] == ".venv/bin/python"
    named = subprocess.run([sys.executable, *command[1:], "--quiet"], cwd=project_copy, capture_output=True)
    assert named.returncode == 0, named.stderr
    assert (project_copy / "output" / "2011" / "06").is_dir()
    shutil.rmtree(project_copy / "output")
    assert build(content=elsewhere / "nope") == [
        f"error: the content folder {elsewhere / 'nope'} does not exist: create {fix}"
    ]
    # Run from another folder, the command it names is the venv's by its whole path.
    away = run_build(
        elsewhere / "output", production=False, siteurl=None, cwd=elsewhere, content=elsewhere / "no"
    )
    whole = fix.replace(".venv/bin/python", str(ROOT / ".venv" / "bin" / "python"))
    assert error_lines(away) == [
        f"error: the content folder {elsewhere / 'no'} does not exist: create {whole}"
    ]
    # So from another folder through make.py, which runs its tasks in the project's root.
    by_make = run_build(
        elsewhere / "output",
        production=False,
        siteurl=None,
        content=elsewhere / "no",
        environment={"MAKE_PY_CWD": str(elsewhere)},
    )
    assert error_lines(by_make) == error_lines(away)
    folder.write_text("")
    assert build() == [f"error: the content folder content is a file: move it aside and create {fix}"]
    folder.unlink()
    folder.mkdir()  # emptied: a new site, with no posts and, until it has one, no icon
    result = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert result.returncode == 0, result.stderr
    icon = folder / "extra" / "favicon.svg"
    assert f"WARNING: {icon} does not exist, so the pages show no icon: put the site's icon (SVG) there" in (
        " ".join(result.stderr.split())
    )
    home = (project_copy / "output" / "index.html").read_text()
    assert (
        "<article" not in home and 'rel="icon"' not in home and "<img" not in home
    )  # no empty masthead picture


def test_a_content_folder_s_pages_show_its_own_icon(project_copy, tmp_path):
    """Before, the settings read the icon from the project's content/ when they were read: a build
    of another folder showed the project's icon, and failed without it."""
    (project_copy / "content" / "extra" / "favicon.svg").unlink()
    own = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
    write(tmp_path / "mine", "extra/favicon.svg", own + "\n")
    write(tmp_path / "mine", "articles/a.md", post())
    output = tmp_path / "output"
    result = run_build(output, production=False, siteurl=None, cwd=project_copy, content=tmp_path / "mine")
    assert result.returncode == 0, result.stderr
    article = BeautifulSoup((output / "2011" / "06" / "a-post" / "index.html").read_text(), "html.parser")
    assert unquote(article.select_one("link[rel=icon]")["href"]) == "data:image/svg+xml," + own
    home = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    assert home.select_one("link[rel=icon]")["href"] == "/favicon.svg"
    assert (output / "favicon.svg").read_text() == own + "\n"


@pytest.mark.parametrize(
    "icon",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        '<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16"),
        b"<html><body>not an icon</body></html>",
    ],
    ids=["a PNG renamed", "UTF-16", "not SVG"],
)
def test_a_site_icon_that_is_not_svg_text_is_refused_by_name(content, tmp_path, icon):
    """Every page inlines extra/favicon.svg as text: before, one an editor saved in UTF-16, or a
    PNG given its name, failed the build "unexpectedly" (UnicodeDecodeError), naming no file,
    and an HTML file was inlined as every page's icon."""
    (content / "extra" / "favicon.svg").write_bytes(icon)
    stderr = build_fails(content, tmp_path, "error: extra/favicon.svg: ", "Save the site's icon as SVG")
    assert "unexpectedly" not in stderr


TEMPLATE_ERRORS = {
    "a syntax error": ("article.html", "{{ article.title + }}", "unexpected 'end of print statement'"),
    "an unknown filter": (
        "partials/article_header.html",
        "{{ article.title|titel }}",
        "No filter named 'titel'.",
    ),
    "an undefined name": ("partials/article_header.html", "{{ artcle.title }}", "'artcle' is undefined"),
    "a missing include": (
        "article.html",
        '{% include "partials/nope.html" %}',
        "no template named partials/nope.html",
    ),
    "an error of a built-in filter": (
        "partials/article_header.html",
        '{{ [1, "a"]|sort }}',
        "TypeError: '<' not supported between instances of 'str' and 'int'",
    ),
    "an error of Python's while rendering": (
        "partials/article_header.html",
        '{{ "Part " + article.date.year }}',
        'TypeError: can only concatenate str (not "int") to str',
    ),
}


@pytest.mark.parametrize("kind", TEMPLATE_ERRORS)
def test_a_template_error_names_the_template_and_line(project_copy, kind):
    """Before: "the build failed unexpectedly: TemplateSyntaxError: …", naming no template: a
    mistake in the theme was reported as a fault in the build's code."""
    name, line, message = TEMPLATE_ERRORS[kind]
    template = project_copy / "theme" / "templates" / name
    lines = template.read_text().splitlines()
    at = len(lines) - 1 if name == "article.html" else len(lines)  # inside a block of the page
    template.write_text("\n".join([*lines[:at], line, *lines[at:]]) + "\n")
    for debug in (False, True):
        result = run_build(
            project_copy / "output", production=False, siteurl=None, cwd=project_copy, debug=debug
        )
        assert result.returncode == 1
        assert error_lines(result) == [f"error: theme/templates/{name}:{at + 1}: {message}"], result.stderr
        assert ("Traceback" in result.stderr) == debug, result.stderr
    assert not (project_copy / "output").exists()


def test_a_fault_in_a_plugins_filter_is_the_builds_not_the_templates(project_copy):
    """Any error raised while a template rendered was blamed on the template line that called
    the filter ("breadcrumb_ld.html:3: ValueError: boom"): a fault in a plugin is the build's."""
    plugin = project_copy / "plugins" / "display_names.py"
    source = plugin.read_text(encoding="utf-8")
    plugin.write_text(
        source.replace("-> str:\n", '-> str:\n    raise ValueError("boom")\n', 1), encoding="utf-8"
    )
    result = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert result.returncode == 1
    assert error_lines(result) == ["error: the build failed unexpectedly: ValueError: boom"], result.stderr


def test_folders_given_with_a_tilde_are_the_home_folders_ones(tmp_path):
    """The shell does not expand "~" after "--output=": the build named "~/posts" as missing
    while the home folder had it, and would have made a folder named "~" in the project."""
    command = [sys.executable, "-m", "sitebuild", "--quiet", "--content=~/posts", "--output=~/site"]
    environment = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(
        command + ["--cache=~/cache"], cwd=tmp_path, capture_output=True, text=True, env=environment
    )
    assert (
        result.returncode == 1 and f"the content folder {tmp_path / 'posts'} does not exist" in result.stderr
    )
    write(tmp_path, "posts/articles/good.md", GOOD)
    write(tmp_path, "posts/extra/favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    built = subprocess.run(
        command + ["--cache=~/cache"], cwd=tmp_path, capture_output=True, text=True, env=environment
    )
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "index.html").is_file() and not (tmp_path / "~").exists()
    other = subprocess.run(  # "~name" is another account's home: kept as typed, never expanded
        [*command[:4], command[5], "--content=~nosuchuser/posts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert other.returncode == 1 and "Traceback" not in other.stderr
    assert f"the content folder {tmp_path / '~nosuchuser' / 'posts'} does not exist" in other.stderr
