"""A bad post stops the build with a message that names it, the problem and the fix."""

import textwrap

import pytest

from conftest import run_build

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
    return f"Title: {title}\nDate: {date}\nCategory: xen\n{extra}\nText.\n"


def test_invalid_date(content, tmp_path):
    write(content, "articles/bad-date.md", post(date="2011-13-45"))
    build_fails(content, tmp_path, "articles/bad-date.md:2:", "“2011-13-45” is not a valid date", "YYYY-MM-DD")


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
    build_fails(content, tmp_path, "articles/typo.md:3:", f"unknown front matter field “{typo}”",
                f"Did you mean “{suggestion}”?")


def test_two_posts_at_one_url(content, tmp_path):
    write(content, "articles/one.md", post(title="Same title"))
    write(content, "articles/two.md", post(title="Same title"))
    build_fails(content, tmp_path, "articles/one.md and articles/two.md would all be written to "
                                   "2011/06/same-title/index.html")


def test_page_that_would_replace_a_generated_page(content, tmp_path):
    write(content, "pages/tags.md", "Title: Tags\n\nMy tags page.\n")
    build_fails(content, tmp_path, "pages/tags.md and the tags page would all be written to tags/index.html")


@pytest.mark.parametrize("link", ["{filename}missing.md", "{static}/extra/missing.png"])
def test_internal_link_to_nothing_names_the_post_that_holds_it(content, tmp_path, link):
    write(content, "articles/linker.md", post(extra="") + f"\nSee [this]({link}).\n")
    build_fails(content, tmp_path, f"articles/linker.md: links to {link}", "does not exist")


@pytest.mark.parametrize("first, second", [("C++", "C"), ("Xen/KVM", "XenKVM")])
def test_tags_whose_slugs_collide(content, tmp_path, first, second):
    write(content, "articles/a.md", post(title="A", extra=f"Tags: {first}"))
    write(content, "articles/b.md", post(title="B", extra=f"Tags: {second}"))
    build_fails(content, tmp_path, f"“{first}” in articles/a.md", f"“{second}” in articles/b.md", "would share the page tag/")


def test_categories_whose_slugs_collide(content, tmp_path):
    write(content, "articles/a.md", post(title="A").replace("Category: xen", "Category: Xen/KVM"))
    write(content, "articles/b.md", post(title="B").replace("Category: xen", "Category: XenKVM"))
    build_fails(content, tmp_path, "“Xen/KVM” in articles/a.md", "“XenKVM” in articles/b.md", "category/xenkvm/")


def test_tag_with_an_empty_slug(content, tmp_path):
    write(content, "articles/emoji.md", post(extra="Tags: 🚀"))
    build_fails(content, tmp_path, "articles/emoji.md: the tag “🚀” has no letters or digits")


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


def test_every_problem_is_reported_at_once(content, tmp_path):
    write(content, "articles/a.md", post(date="yesterday-ish"))
    write(content, "articles/b.md", "Tittle: B\n\nText.\n")
    stderr = build_fails(content, tmp_path, "articles/a.md:2:", "articles/b.md:1:")
    assert stderr.count("error:") >= 3
