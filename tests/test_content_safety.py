"""Content cannot reach outside content/, and no post is dropped or crashes the build.

A symbolic link under content/ or a Markdown file outside articles/ and pages/ stops the
build, naming the file; every other bad input ends with one line naming it, never a crash.
"""

import hashlib
import os
import shutil

import pytest
from conftest import new_content, run_build
from imagehelpers import save_photo
from test_errors import build_fails, post, write

from sitebuild.build import atomic

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
    atomic.record_built(tmp_path / "output")  # as the build that made it would have
    return request.param, snapshot(tmp_path / "output")


LINKS = {
    "a static file": ("extra/passwd", "notes.txt"),
    "a post": ("articles/x.md", "private.md"),
    "a folder of static files": ("extra/shared", "."),
    "a folder of posts": ("articles/more", "."),
}


MISPLACED = ["draft.md", "extra/notes.md", "notes/2011/idea.markdown", "extra/old.mdown"]
BODY_LINKS = [
    "{attach}../../outside/notes.txt",
    "{static}/../outside/notes.txt",
    "{static}%2e%2e/%2e%2e/outside/notes.txt",
    "{attach}./../../outside/notes.txt",
]


def links_to_outside(content, outside):
    for link, target in LINKS.values():
        (content / link).symlink_to(outside / target)


def posts_outside_articles_and_pages(content, outside):
    for relative in MISPLACED:
        write(content, relative, post(title="Somewhere else"))


def body_links_to_outside(content, outside):
    """articles/good-N.md, a good post linking BODY_LINKS[N]."""
    for number, link in enumerate(BODY_LINKS):
        write(
            content,
            f"articles/good-{number}.md",
            post(title=f"A good post {number}") + f"\n[notes]({link})\n",
        )


@pytest.fixture(scope="module")
def refused_together(tmp_path_factory, good_builds):
    """``refused_together(make, production)``: (result, output/ unchanged) of one build of
    ``content`` over a good build of it, after ``make(content, outside)`` has added every bad
    input of a kind at once; the build reports each on its own line. Built once a module."""
    made = {}

    def refused_build(make, production):
        if (make, production) not in made:
            folder = tmp_path_factory.mktemp(make.__name__)
            outside = write_outside(folder)
            content = write_content(folder, outside)
            shutil.copytree(good_builds[production], folder / "output", symlinks=True)
            atomic.record_built(folder / "output")
            before = snapshot(folder / "output")
            make(content, outside)
            result = refused(content, folder, production)
            made[make, production] = result, snapshot(folder / "output") == before
        return made[make, production]

    return refused_build


def line_naming(stderr, name):
    """The one line of ``stderr`` that names ``name``."""
    lines = [line for line in stderr.splitlines() if f" {name}: " in line]
    assert len(lines) == 1, f"{len(lines)} lines name {name}:\n{stderr}"
    return lines[0]


BOTH_MODES = pytest.mark.parametrize("production", [False, True], ids=["development", "production"])


@BOTH_MODES
@pytest.mark.parametrize("link, target", LINKS.values(), ids=LINKS.keys())
def test_symbolic_links_are_refused(refused_together, production, link, target):
    result, unchanged = refused_together(links_to_outside, production)
    assert f"error: {link}: is a symbolic link" in line_naming(result.stderr, link), result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert unchanged, "the failed build changed output/"


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


@BOTH_MODES
@pytest.mark.parametrize("relative", MISPLACED)
def test_a_post_outside_articles_and_pages_is_refused(refused_together, production, relative):
    result, unchanged = refused_together(posts_outside_articles_and_pages, production)
    line = line_naming(result.stderr, relative)
    assert f"error: {relative}: is a post outside articles/ and pages/" in line, result.stderr
    assert "Move it into articles/" in line, result.stderr
    assert unchanged, "the failed build changed output/"


def test_a_post_whose_suffix_pelican_does_not_read_is_refused(content, tmp_path):
    write(content, "articles/Shouting.MD", post(title="Shouting"))
    refused(content, tmp_path, False, "articles/Shouting.MD: ", "rename it to Shouting.md")


# Pelican reads posts by their exact, lower-case suffix; from extra/ it publishes any other
# file as it is: a post whose suffix differs in case, or an editor's copy of one.
POSTS_UNDER_OTHER_NAMES = {
    "Draft.MD": "Draft.md",
    "draft.Markdown": "draft.markdown",
    "embargo.md.save": "embargo.md",
}


def test_a_post_in_extra_is_refused_in_any_case_and_with_any_suffix_after(content, tmp_path):
    for name in POSTS_UNDER_OTHER_NAMES:
        write(content, f"extra/{name}", f"Title: {SECRET}\nStatus: draft\n\n{SECRET}\n")
    result = refused(content, tmp_path, True)
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        f"error: extra/{name}: is a post outside articles/ and pages/, so it would be published as it "
        "is, draft or not, and never as a post. Move it into articles/ (stories) or pages/ (fixed pages) "
        f"as {renamed}, or delete it."
        for name, renamed in POSTS_UNDER_OTHER_NAMES.items()
    ], result.stderr
    assert not (tmp_path / "output").exists()


def test_a_file_of_a_known_type_named_after_a_post_is_published_as_it_is(content, tmp_path):
    """slides.md.pdf is a PDF, not an editor's copy of slides.md: it was refused as a post."""
    files = {
        "extra/slides.md.pdf": b"%PDF-1.4\n%%EOF\n",
        "extra/site-export.markdown.zip": b"PK\x05\x06" + bytes(18),
    }
    for relative, data in files.items():
        write(content, relative, data)
    result = build(content, tmp_path, True)
    assert result.returncode == 0, result.stderr
    for relative, data in files.items():
        assert (tmp_path / "output" / relative).read_bytes() == data
    write(content, "extra/embargo.md.save", f"Title: {SECRET}\nStatus: draft\n\n{SECRET}\n")
    refused(content, tmp_path / "again", True, "error: extra/embargo.md.save: is a post outside articles/")


def test_an_editors_copy_of_a_post_among_posts_is_refused(content, tmp_path):
    write(content, "articles/good.md.save", post(title="A good post"))
    refused(
        content,
        tmp_path,
        False,
        "error: articles/good.md.save: “.save” after its suffix makes it a copy of a post (an editor's "
        "backup?), which the build would leave out. Delete it, or rename it to good.md.",
    )


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


def test_a_direction_control_closed_where_it_opens_is_published(content, tmp_path):
    """An English title quoting Hebrew, isolated so that its digits stay in order, was refused
    with the controls left open, though one closed within its field turns nothing after it."""
    title = "The word \u2067שלום 2011\u2069 and \u202bעברית\u202c in one title"
    write(content, "articles/quoted.md", post(title=title, extra="Tags: \u2066dom0\u2069, xen"))
    result = build(content, tmp_path, True)
    assert result.returncode == 0, result.stderr
    page = next((tmp_path / "output" / "2011" / "06").glob("the-word-*/index.html")).read_text()
    assert f"<title>{title} · " in page


# --- Every bad input ends with one line naming the file -----------------------------


def many(name, count):
    return ", ".join(f"{name}{number}" for number in range(count))


BAD_POSTS = {
    "NUL byte": (post(extra="") + "Some\x00text.\n", "articles/bad.md:6: control character U+0000"),
    "control character in the title": (post(title="Bell\x07"), "articles/bad.md:1: control character U+0007"),
    "an empty author": (
        post(extra="Author:"),
        "articles/bad.md:4: Author is empty, so the post would be credited to Dom0 Dispatch editors.",
    ),
    "a year with a leading zero": (
        post(date="0211-06-01"),
        "articles/bad.md:2: Date “0211-06-01” is in the year 211: a typo?",
    ),
    "a direction override in the title": (
        post(title="Xen \u202eevil"),
        "articles/bad.md:1: Title holds the direction control U+202E, which would turn around",
    ),
    "an isolate opened in one tag and closed in the next": (
        post(extra="Tags: \u2067xen, dom0\u2069"),
        "articles/bad.md:4: Tags holds the direction control U+2067, which would turn around",
    ),
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
    "a sitemap hint the sitemap does not write (search engines ignore it)": (
        post(extra="Priority: 0.8"),
        "articles/bad.md:4: unknown front matter field “Priority”",
    ),
    "an empty Summary, which Pelican takes as one, so the post has no description anywhere": (
        post(extra="Summary:   "),
        "articles/bad.md:4: Summary is empty, so the post would have no description",
    ),
    "a Summary written on the line after it, indented, told both to join and to delete it": (
        post(extra="Summary:\n    On the next line."),
        "articles/bad.md:5: the line is indented, so it would continue Summary from line 4",
    ),
    "a title of zero-width spaces, which shows as none: headlines and links with no text": (
        post(title="\u200b\u200b"),
        "articles/bad.md:1: Title is empty: it holds only invisible characters (U+200B)",
    ),
    "a Summary of a word joiner and a soft hyphen": (
        post(extra="Summary: \u2060\u00ad"),
        "articles/bad.md:4: Summary is empty: it holds only invisible characters (U+2060, U+00AD)",
    ),
    "Pelican's Translation answered no, which it reads as yes: the other version became the original": (
        post(extra="Translation: no"),
        "articles/bad.md:4: Translation “no” is not one of false, true",
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
    "a YAML list of tags indented as a continuation": (
        post(extra="tags:\n    - xen\n    - 'hugo'"),
        "articles/bad.md:5: Tags is followed by a YAML list (“- …” lines); here names are written on the "
        "field's line, separated by commas: “Tags: xen, hugo”.",
    ),
    "TOML front matter": (
        '+++\ntitle = "From Hugo"\n+++\n\nText.\n',
        "articles/bad.md:1: the file starts with “+++”",
    ),
}


BAD_POST_FILES = {case: f"articles/bad-{number:02d}.md" for number, case in enumerate(BAD_POSTS)}


@pytest.fixture(scope="module")
def bad_posts_refused(tmp_path_factory):
    """(folder, result) of one development build of ``content`` with every post of BAD_POSTS
    beside it, each in its own file (BAD_POST_FILES): the build reports every problem at once."""
    folder = tmp_path_factory.mktemp("bad-posts")
    content = write_content(folder, write_outside(folder))
    for case, (text, _) in BAD_POSTS.items():
        write(content, BAD_POST_FILES[case], text)
    return folder, refused(content, folder, False)


@pytest.mark.parametrize("case", BAD_POSTS, ids=BAD_POSTS.keys())
def test_bad_input_is_named_not_a_crash(bad_posts_refused, case):
    folder, result = bad_posts_refused
    name = BAD_POST_FILES[case]
    expected = BAD_POSTS[case][1].replace("articles/bad.md", name, 1)
    assert f"error: {expected}" in result.stderr, result.stderr
    problems = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len([line for line in problems if f"{name}:" in line]) == 1, result.stderr
    others = [line for line in problems if not any(f" {bad}:" in line for bad in BAD_POST_FILES.values())]
    assert others == [], result.stderr  # no problem is found in the good files
    assert not (folder / "output").exists()


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


@BOTH_MODES
@pytest.mark.parametrize("number", range(len(BODY_LINKS)), ids=BODY_LINKS)
def test_a_body_link_cannot_reach_outside_content(refused_together, production, number):
    """Pelican copies an {attach} or {static} target wherever its path leads."""
    result, unchanged = refused_together(body_links_to_outside, production)
    line = line_naming(result.stderr, f"articles/good-{number}.md")
    assert f"links to {BODY_LINKS[number]}, which is outside content/" in line, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert unchanged, "the failed build changed output/"


NOT_MARKDOWN = ["articles/old.rst", "articles/page.html", "pages/photo.jpg"]


def files_that_are_not_markdown(content, outside):
    for name in NOT_MARKDOWN:
        write(content, name, "Title: Not Markdown\nDate: 2011-06-03\n\nText.\n")


@pytest.mark.parametrize("name", NOT_MARKDOWN)
def test_a_file_in_a_post_folder_that_is_not_markdown_is_refused(refused_together, name):
    result, _ = refused_together(files_that_are_not_markdown, False)
    refusal = "is a picture" if name.endswith(".jpg") else "is not a Markdown post (.md)"
    assert f"{name}: {refusal}" in line_naming(result.stderr, name), result.stderr


def test_a_picture_beside_its_post_is_told_where_pictures_go_and_shown_once_there(tmp_path):
    """It was told to move to extra/, which publishes every file as it is: a photo with camera
    details was refused there in turn, and one without was published whole beside its copies."""
    content = new_content(tmp_path)
    save_photo(content / "articles" / "2011" / "rack.jpg", 1600, 1000)
    write(content, "articles/2011/rack.md", post(title="Rack") + "\n![A rack]({attach}rack.jpg)\n")
    stderr = build_fails(content, tmp_path)
    assert [line.strip() for line in stderr.splitlines() if "error:" in line] == [
        "error: articles/2011/rack.jpg: is a picture, and only Markdown posts are published from here. "
        "Move it to images/ and show it with ![what it shows]({static}/images/rack.jpg)."
    ]
    (content / "images").mkdir()
    (content / "articles" / "2011" / "rack.jpg").rename(content / "images" / "rack.jpg")
    write(content, "articles/2011/rack.md", post(title="Rack") + "\n![A rack]({static}/images/rack.jpg)\n")
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "2011" / "06" / "rack" / "index.html").read_text()
    assert 'type="image/avif"' in page and 'alt="A rack"' in page
