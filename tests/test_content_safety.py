"""Content cannot reach outside content/, and no post is dropped or crashes the build.

A symbolic link under content/ or a Markdown file outside articles/ and pages/ stops the
build, naming the file; every other bad input ends with one line naming it, never a crash.
"""

import hashlib
import os
import shutil

import pytest
from conftest import run_build
from test_errors import post, write

SECRET = "SECRET-FROM-OUTSIDE-CONTENT"


def write_outside(folder):
    """A folder next to content/, holding a post and a file nobody meant to publish."""
    outside = folder / "outside"
    write(outside, "private.md", f"Title: {SECRET}\nDate: 2011-06-03\nCategory: xen\n\n{SECRET}\n")
    write(outside, "notes.txt", f"{SECRET}\n")
    return outside


def write_content(folder, outside):
    """A site that builds. Files Pelican ignores (IGNORE_FILES) are skipped by the checks
    too, even a link or a stray post: Pelican never reads them."""
    content = folder / "content"
    write(content, "articles/good.md", post(title="A good post"))
    write(content, "pages/about.md", "Title: About\n\nAbout us.\n")
    write(content, "extra/note.txt", "a static file\n")
    write(content, ".drafts/idea.md", post(title="Idea"))
    (content / "articles" / ".#good.md").symlink_to(outside / "private.md")
    return content


@pytest.fixture
def outside(tmp_path):
    return write_outside(tmp_path)


@pytest.fixture
def content(tmp_path, outside):
    return write_content(tmp_path, outside)


def snapshot(folder):
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(content, tmp_path, production):
    siteurl = "https://dom0-dispatch.example" if production else None
    return run_build(tmp_path / "output", content=content, production=production, siteurl=siteurl)


def refused(content, tmp_path, production, *expected):
    """The build fails with one line per problem containing each ``expected`` text, no crash."""
    result = build(content, tmp_path, production)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def good_builds(tmp_path_factory):
    """{production: output/} of the site of ``content``, built once for the module in each mode."""
    outputs = {}
    for production in (False, True):
        folder = tmp_path_factory.mktemp("good-build")
        result = build(write_content(folder, write_outside(folder)), folder, production)
        assert result.returncode == 0, result.stderr
        outputs[production] = folder / "output"
    return outputs


@pytest.fixture(params=[False, True], ids=["development", "production"])
def built(request, content, tmp_path, good_builds):
    """A good build of ``content`` in output/, copied from the module's (builds are
    deterministic: the same content makes the same bytes); returns (production, snapshot of output/)."""
    shutil.copytree(good_builds[request.param], tmp_path / "output", symlinks=True)
    return request.param, snapshot(tmp_path / "output")


LINKS = {
    "a static file": ("extra/passwd", "notes.txt"),
    "a post": ("articles/x.md", "private.md"),
    "a folder of static files": ("extra/shared", "."),
    "a folder of posts": ("articles/more", "."),
}


@pytest.mark.parametrize("link, target", LINKS.values(), ids=LINKS.keys())
def test_symbolic_links_are_refused(content, outside, tmp_path, built, link, target):
    production, before = built
    (content / link).symlink_to(outside / target)
    result = refused(content, tmp_path, production, f"error: {link}: is a symbolic link")
    assert SECRET not in result.stdout + result.stderr
    assert snapshot(tmp_path / "output") == before


def test_a_link_to_a_system_file_is_refused_without_showing_it(content, tmp_path, built):
    production, before = built
    (content / "extra" / "passwd").symlink_to("/etc/passwd")
    (content / "articles" / "passwd.md").symlink_to("/etc/passwd")  # read as a post, it has "fields"
    result = refused(
        content,
        tmp_path,
        production,
        "extra/passwd: is a symbolic link",
        "articles/passwd.md: is a symbolic link",
    )
    shown = result.stdout + result.stderr
    assert "root:" not in shown and "Root" not in shown and "daemon" not in shown.lower()
    assert ".#good.md" not in result.stderr and "idea.md" not in result.stderr
    assert snapshot(tmp_path / "output") == before


def test_a_link_that_stays_inside_content_is_refused_too(content, tmp_path, built):
    production, before = built
    (content / "articles" / "alias.md").symlink_to("good.md")
    refused(content, tmp_path, production, "articles/alias.md: is a symbolic link", "copy")
    assert snapshot(tmp_path / "output") == before


def test_a_broken_link_is_refused(content, tmp_path, built):
    production, before = built
    (content / "extra" / "gone.png").symlink_to(tmp_path / "nowhere.png")
    refused(content, tmp_path, production, "extra/gone.png: is a symbolic link")
    assert snapshot(tmp_path / "output") == before


def test_a_pipe_is_refused_not_waited_on(content, tmp_path, built):
    production, before = built
    os.mkfifo(content / "articles" / "pipe.md")
    refused(content, tmp_path, production, "articles/pipe.md: is not a regular file")
    assert snapshot(tmp_path / "output") == before


@pytest.mark.parametrize(
    "relative", ["draft.md", "extra/notes.md", "notes/2011/idea.markdown", "extra/old.mdown"]
)
def test_a_post_outside_articles_and_pages_is_refused(content, tmp_path, built, relative):
    production, before = built
    write(content, relative, post(title="Somewhere else"))
    refused(
        content,
        tmp_path,
        production,
        f"error: {relative}: is a post outside articles/ and pages/",
        "Move it into articles/",
    )
    assert snapshot(tmp_path / "output") == before


def test_a_post_whose_suffix_pelican_does_not_read_is_refused(content, tmp_path):
    write(content, "articles/Shouting.MD", post(title="Shouting"))
    refused(content, tmp_path, False, "articles/Shouting.MD: ", "rename it to Shouting.md")


@pytest.mark.parametrize(
    "name, shown",
    [(b"articles/\xff.md", "articles/\ufffd.md"), (b"extra/new\nline.png", "extra/new\ufffdline.png")],
)
def test_a_file_name_the_build_cannot_publish_is_refused_on_one_line(content, tmp_path, name, shown):
    with open(os.path.join(os.fsencode(content), name), "wb") as handle:
        handle.write(post().encode())
    result = refused(
        content,
        tmp_path,
        False,
        f"error: {shown}: the name has a control character or bytes that are not UTF-8",
    )
    assert len([line for line in result.stderr.splitlines() if "error:" in line]) == 1, result.stderr


# --- Every bad input ends with one line naming the file -----------------------------


def many(name, count):
    return ", ".join(f"{name}{number}" for number in range(count))


BAD_POSTS = {
    "NUL byte": (post(extra="") + "Some\x00text.\n", "articles/bad.md:6: control character U+0000"),
    "control character in the title": (post(title="Bell\x07"), "articles/bad.md:1: control character U+0007"),
    "thousands of tags": (
        post(extra=f"Tags: {many('t', 3000)}"),
        "articles/bad.md:4: Tags lists 3000 names; at most 50",
    ),
    "one tag too many": (post(extra=f"Tags: {many('t', 51)}"), "articles/bad.md:4: Tags lists 51 names"),
    "thousands of authors": (
        post(extra=f"Authors: {many('a', 60)}"),
        "articles/bad.md:4: Authors lists 60 names; at most 50",
    ),
    "a 5,000-character title": (
        post(title="x" * 5000),
        "articles/bad.md:1: Title is 5000 characters long; at most 1000",
    ),
    "a 300-character tag": (
        post(extra=f"Tags: xen, {'t' * 300}"),
        "articles/bad.md:4: Tags has a name 300 characters long; at most 100",
    ),
    "an over-long field": (
        post(extra="Summary: " + "s" * 20_000),
        "articles/bad.md:4: Summary is 20000 characters long",
    ),
    "a huge file": (
        post() + ("lorem ipsum " * 100 + "\n\n") * 1000,
        "articles/bad.md: the file is larger than 1,000,000 bytes",
    ),
    "a year too large for a date": (
        post(date="99999999999-01-01"),
        "articles/bad.md:2: Date “99999999999-01-01”",
    ),
    "a time zone 99 hours away": (
        post(date="2011-06-02T10:00+99:00"),
        "articles/bad.md:2: Date “2011-06-02T10:00+99:00” is not a valid date",
    ),
    "a template outside the theme": (
        post(extra="Template: ../../../etc/passwd"),
        "articles/bad.md:4: Template “../../../etc/passwd” is not one of",
    ),
    "a sitemap priority that is no number": (
        post(extra="Priority: banana"),
        "articles/bad.md:4: Priority “banana”",
    ),
    "a sitemap frequency it does not know": (
        post(extra="Changefreq: often"),
        "articles/bad.md:4: Changefreq “often”",
    ),
    "a category of commas": (
        post().replace("Category: xen", "Category: ,,,"),
        "articles/bad.md:3: Category is empty",
    ),
    "a yes/no field that says neither": (
        post(extra="Featured: maybe"),
        "articles/bad.md:4: Featured “maybe” is neither yes nor no. Write yes, true, on or 1",
    ),
    "a modification date to come": (
        post(extra="Modified: 2999-01-01"),
        "articles/bad.md:4: Modified “2999-01-01” is in the future",
    ),
    "Hugo's draft field": (
        post(extra="draft: false"),
        "articles/bad.md:4: “Draft” is another generator's field (Hugo's, Jekyll's). Here a post is "
        "published unless it says “Status: draft”: delete the line.",
    ),
    "Hugo's list of tags": (
        post(extra='tags: ["xen", "hugo"]'),
        'articles/bad.md:4: Tags “["xen", "hugo"]” is written as a list, as in YAML; here names are '
        "separated by commas, without brackets or quotes: “Tags: xen, hugo”.",
    ),
    "a YAML list of tags": (
        post(extra="tags:\n  - xen\n  - hugo"),
        "articles/bad.md:5: Tags is followed by a YAML list",
    ),
    "TOML front matter": (
        '+++\ntitle = "From Hugo"\n+++\n\nText.\n',
        "articles/bad.md:1: the file starts with “+++”",
    ),
}


@pytest.mark.parametrize("text, expected", BAD_POSTS.values(), ids=BAD_POSTS.keys())
def test_bad_input_is_named_not_a_crash(content, tmp_path, text, expected):
    write(content, "articles/bad.md", text)
    result = refused(content, tmp_path, False, f"error: {expected}")
    problems = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(problems) == 1, result.stderr
    assert not (tmp_path / "output").exists()


LIMITS = {
    "POST_MAX_BYTES": (post() + ("lorem ipsum " * 100 + "\n\n") * 1000, 2_000_000),
    "FIELD_MAX_LENGTH": (post(extra="Summary: " + "s" * 1500), 2_000),
    "NAMES_MAX_COUNT": (post(extra=f"Tags: {many('t', 51)}"), 60),
    "NAME_MAX_LENGTH": (post(extra=f"Tags: xen, {'t' * 150}"), 200),
}


@pytest.mark.parametrize("setting, text, raised", [(k, *v) for k, v in LIMITS.items()], ids=LIMITS.keys())
def test_a_limit_names_its_setting_and_raising_it_lets_the_post_build(
    content, tmp_path, setting, text, raised
):
    write(content, "articles/big.md", text)
    refused(content, tmp_path, False, "error: articles/big.md", f"raise {setting} in pelicanconf.py")
    result = run_build(tmp_path / "output", content=content, siteurl=None, settings=[(setting, raised)])
    assert result.returncode == 0, result.stderr


def test_a_file_name_with_no_room_for_its_compressed_copies_is_refused_in_every_build(content, tmp_path):
    """Production writes name.gz and name.br beside a file: a 254-byte name built in development only."""
    name = "a" * 250 + ".txt"
    write(content, f"extra/{name}", "hello " * 100)
    for production in (False, True):
        refused(content, tmp_path, production, f"error: extra/{name}: the name is 254 bytes long")


@pytest.mark.parametrize(
    "link",
    [
        "{attach}../../outside/notes.txt",
        "{static}/../outside/notes.txt",
        "{static}%2e%2e/%2e%2e/outside/notes.txt",
        "{attach}./../../outside/notes.txt",
    ],
)
def test_a_body_link_cannot_reach_outside_content(content, outside, tmp_path, built, link):
    """Pelican copies an {attach} or {static} target wherever its path leads."""
    production, before = built
    write(content, "articles/good.md", post(title="A good post") + f"\n[notes]({link})\n")
    result = refused(content, tmp_path, production, "articles/good.md: links to", "which is outside content/")
    assert SECRET not in result.stdout + result.stderr
    assert snapshot(tmp_path / "output") == before


@pytest.mark.parametrize("name", ["articles/old.rst", "articles/page.html", "pages/photo.jpg"])
def test_a_file_in_a_post_folder_that_is_not_markdown_is_refused(content, tmp_path, name):
    write(content, name, "Title: Not Markdown\nDate: 2011-06-03\n\nText.\n")
    refused(content, tmp_path, False, f"{name}: is not a Markdown post (.md)")
