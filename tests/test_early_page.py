"""The live preview's early page (sitebuild/preview/early_page.py): after a body edit of one post
its build (sitebuild/preview/live.py) gives that post's page first, and it is byte for byte
the page the whole build then writes; any other change waits for the whole build."""

import asyncio
import datetime
import threading
import time
import urllib.error
import urllib.request

import pytest
from livehelpers import LiveBuilder

from devtools.nginx import free_port
from sitebuild.preview import server as preview

STORY = "content/articles/2011/linux-3-0-xen-dom0.md"
STORY_PAGE = "2011/06/linux-3-0-full-support-for-xen-dom0/index.html"
HOWTO = "content/articles/2011/check-kernel-config-dom0.md"
ABOUT = "content/pages/about.md"
DRAFT = "content/articles/2011/a-draft.md"
LONG_PARAGRAPH = " ".join(["Several hundred more words make the post a minute longer to read."] * 40)
BODY_EDITS = {
    "a paragraph": "\n\nAn appended paragraph with *emphasis*.\n",
    "a heading (the table of contents)": "\n\n## A section added later\n\nIts text.\n",
    "many words (the reading time)": f"\n\n{LONG_PARAGRAPH}\n",
    "a link to another post": "\n\nSee [the howto]({filename}check-kernel-config-dom0.md).\n",
}


@pytest.fixture
def warm(project_copy, tmp_path):
    with LiveBuilder(tmp_path / "output", cache=tmp_path / "cache", root=project_copy) as builder:
        assert builder.rebuild()["problems"] == []
        yield builder, project_copy, tmp_path / "output"


def rebuild(builder, *changed):
    """The build's answer and the early pages, each sent while output/ still held the
    page of the build before (early, not after the build)."""
    early = []

    def arrived(page):
        built = builder.output / page["save_as"]
        assert not built.is_file() or built.read_text(encoding="utf-8") != page["html"], (
            "sent after the build"
        )
        early.append(page)

    result = builder.rebuild([str(path) for path in changed], arrived)
    return result, early


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_body_edit_is_sent_early_as_the_whole_build_then_writes_it(warm):
    builder, project, output = warm
    story = project / STORY
    for what, text in BODY_EDITS.items():
        append(story, text)
        result, early = rebuild(builder, story)
        assert result["problems"] == [], what
        assert [page["save_as"] for page in early] == [STORY_PAGE], what
        assert early[0]["html"] == (output / STORY_PAGE).read_text(encoding="utf-8"), what
    assert "A section added later" in early[0]["html"] and "Several hundred" in early[0]["html"]


def test_the_first_body_edit_after_a_start_on_a_warm_cache_is_sent_early(warm):
    """A new preview whose first build read every post from the cache has not
    yet read any post: the early page is its first read, with the plugins importable."""
    builder, project, output = warm
    builder.stop()  # the next rebuild starts a new process, on the cache just written
    assert builder.rebuild()["problems"] == []
    append(project / STORY, "\n\nThe first edit after a start.\n")
    result, early = rebuild(builder, project / STORY)
    assert result["problems"] == []
    assert [page["save_as"] for page in early] == [STORY_PAGE]
    assert early[0]["html"] == (output / STORY_PAGE).read_text(encoding="utf-8")


def test_a_fault_in_the_early_page_is_shown_in_the_terminal(warm):
    builder, project, output = warm
    code = project / "sitebuild/preview/early_page.py"
    faulty = "def render(*_):\n    raise RuntimeError('boom')\n\n\ndef unused("
    code.write_text(code.read_text().replace("def render(", faulty))
    starts = builder.starts
    assert builder.rebuild()["problems"] == []  # a restarted preview, with that code
    assert builder.starts == starts + 1
    append(project / STORY, "\n\nAn edit.\n")
    result, early = rebuild(builder, project / STORY)
    assert result["problems"] == [] and early == []
    assert "No early page: RuntimeError: boom" in builder.log.read_text()


def test_pages_and_drafts_are_sent_early_too(warm):
    builder, project, output = warm
    (project / DRAFT).write_text(
        "Title: A draft\nDate: 2011-06-10 10:00\nStatus: draft\nCategory: xen\nTags: xen\n\nNot yet.\n"
    )
    assert builder.rebuild()["problems"] == []
    for source, page in ((ABOUT, "about/index.html"), (DRAFT, "drafts/a-draft/index.html")):
        append(project / source, "\n\nOne more paragraph.\n")
        result, early = rebuild(builder, project / source)
        assert result["problems"] == []
        assert [sent["save_as"] for sent in early] == [page]
        assert early[0]["html"] == (output / page).read_text(encoding="utf-8")
    assert "Draft" in early[0]["html"]


def other_changes(project):
    """(what, change, the files it changed): none of these may be sent early."""
    story, howto = project / STORY, project / HOWTO
    template = project / "theme/templates/base.html"
    return [
        ("a title", lambda: append_to_line(story, "Title: ", " (Updated)"), [story]),
        ("the tags", lambda: append_to_line(howto, "Tags: ", ", kernel"), [howto]),
        (
            "two posts at once",
            lambda: (append(story, "\n\nOne.\n"), append(howto, "\n\nTwo.\n")),
            [story, howto],
        ),
        (
            "a new post",
            lambda: (project / "content/articles/2011/new.md").write_text(
                "Title: New\nDate: 2011-06-20 10:00\nCategory: xen\nTags: xen\n\nNew text.\n"
            ),
            [project / "content/articles/2011/new.md"],
        ),
        ("a template", lambda: append(template, "\n"), [template]),
        ("a picture in the body", lambda: append(story, "\n\n![A ring]({static}/extra/ring.png)\n"), [story]),
    ]


def append_to_line(path, start, addition):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[number] = lines[number].rstrip("\n") + addition + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_any_other_change_waits_for_the_whole_build(warm):
    builder, project, output = warm
    from PIL import Image

    Image.new("RGB", (40, 30), "#a3360f").save(project / "content/extra/ring.png")
    assert builder.rebuild()["problems"] == []
    for what, change, changed in other_changes(project):
        change()
        result, early = rebuild(builder, *changed)
        assert result["problems"] == [], what
        assert early == [], what


# Body edits the build refuses, each at a different step, and a word of its message.
MISTAKES = {
    "a link from the server's root (a plugin, as the post is read)": ("\n\n[Tags](/tags/)\n", "/tags/"),
    "an admonition (lint.py)": ("\n\n!!! note\n    text\n", "!!!"),
    "a control character (lint.py)": ("\n\nA \x0b tab.\n", "U+000B"),
    "a link to a draft (content_checks.py)": ("\n\nSee [it]({filename}a-draft.md).\n", "a-draft.md"),
    "a quote's cite that is no address (content_checks.py)": (
        "\n\n/// quote | Someone\n    cite: not-a-url\n\nWords.\n///\n",
        "not-a-url",
    ),
    "a correction whose date cannot be read (corrections.py)": (
        "\n\n/// correction | Correction, June 4, 2011\nWrong.\n///\n",
        "June 4, 2011",
    ),
    "a link to a tag page the site lacks (content_checks.py)": ("\n\nSee [them]({tag}xne).\n", "{tag}xne"),
    "a quote without its author, printed as typed (content_checks.py)": (
        "\n\n/// quote\nWords.\n///\n",
        "/// quote",
    ),
}


def test_a_body_edit_the_build_refuses_gets_no_early_page(warm):
    builder, project, output = warm
    (project / DRAFT).write_text(
        "Title: A draft\nDate: 2011-06-10 10:00\nStatus: draft\nCategory: xen\nTags: xen\n\nNot yet.\n"
    )
    story = project / STORY
    good = story.read_text(encoding="utf-8")
    assert builder.rebuild()["problems"] == []
    before = (output / STORY_PAGE).read_bytes()
    for what, (text, named) in MISTAKES.items():
        story.write_text(good + text, encoding="utf-8")
        result, early = rebuild(builder, story)
        assert early == [], what
        assert len(result["problems"]) == 1 and named in result["problems"][0], (what, result["problems"])
        assert (output / STORY_PAGE).read_bytes() == before, what
        story.write_text(good, encoding="utf-8")
        assert builder.rebuild()["problems"] == [], what


def test_a_translation_is_sent_early_as_the_build_writes_it(warm):
    """Translations have no reading aids (plugins/reading_aids): the early page adds none."""
    builder, project, output = warm
    french = project / "content/articles/2011/story-fr.md"
    french.write_text(
        "Title: Linux 3.0 en français\nSlug: linux-3-0-full-support-for-xen-dom0\nLang: fr\n"
        "Date: 2011-06-02 09:00\nCategory: xen\nTags: xen\n\nTexte.\n",
        encoding="utf-8",
    )
    assert builder.rebuild()["problems"] == []
    append(french, "\n\nPlus de texte.\n")
    result, early = rebuild(builder, french)
    assert result["problems"] == [] and len(early) == 1
    assert early[0]["html"] == (output / early[0]["save_as"]).read_text(encoding="utf-8")


def test_a_draft_s_translation_is_sent_early_as_the_build_writes_it(warm):
    """Pelican keeps a draft's translations in lists of their own (content_model.DRAFT_TRANSLATIONS)."""
    builder, project, output = warm
    drafts = {"draft.md": "Title: A draft\n", "draft-fr.md": "Title: Un brouillon\nSlug: a-draft\nLang: fr\n"}
    for name, fields in drafts.items():
        (project / "content/articles/2011" / name).write_text(
            f"{fields}Date: 2011-06-02 09:00\nStatus: draft\n\nText.\n", encoding="utf-8"
        )
    assert builder.rebuild()["problems"] == []
    french = project / "content/articles/2011/draft-fr.md"
    append(french, "\n\nPlus de texte.\n")
    result, early = rebuild(builder, french)
    assert result["problems"] == []
    assert [page["save_as"] for page in early] == ["drafts/a-draft/fr/index.html"]
    assert early[0]["html"] == (output / early[0]["save_as"]).read_text(encoding="utf-8")


def test_a_post_with_warnings_is_sent_early_and_each_build_shows_them_once(warm):
    """A warning does not stop a build, nor the early page; the early page reads the post as the
    build does, so what that read logs is said once, not twice. Each build shows as many as
    Pelican's limit allows, however many builds the preview's process has made before."""
    builder, project, output = warm
    story = project / STORY
    # Pelican warns of each empty alt: four, then "Other images have empty alt attributes".
    append(story, "".join(f"\n\n![](https://example.org/no-alt-{n}.png)\n" for n in range(6)))
    for edit in range(3):
        append(story, f"\n\nEdit {edit}.\n")
        result, early = rebuild(builder, story)
        assert result["problems"] == []
        assert [page["html"] for page in early] == [(output / STORY_PAGE).read_text(encoding="utf-8")]
    shown = [line for line in builder.log.read_text().splitlines() if "alt attribute" in line]
    assert [line.split(" in ")[0] for line in shown] == 3 * [
        *(f"WARNING: Empty alt attribute for image no-alt-{n}.png" for n in range(4)),
        "WARNING: Other images have empty alt attributes",
    ]


def test_a_post_whose_tag_the_build_respells_is_sent_early_as_the_build_writes_it(warm):
    """A tag spelt as other posts spell it but for case is listed, with a warning, as most
    posts spell it (plugins/content_checks.py): the early page shows that spelling too."""
    builder, project, output = warm
    odd = project / "content/articles/2011/odd-case.md"
    odd.write_text(
        "Title: Odd case\nDate: 2011-06-10 10:00\nCategory: xen\nTags: DOM0\n\nText.\n", encoding="utf-8"
    )
    assert builder.rebuild()["problems"] == []
    append(odd, "\n\nMore text.\n")
    result, early = rebuild(builder, odd)
    assert result["problems"] == [] and len(early) == 1
    assert early[0]["html"] == (output / early[0]["save_as"]).read_text(encoding="utf-8")


def test_a_scheduled_post_whose_date_has_come_waits_for_the_build(warm):
    """Its status and address follow the clock, not its text: the build publishes it at
    its own address, and an early page at its draft address would then be missing."""
    builder, project, output = warm
    # To the second, as written (TIMEZONE is UTC): a post is due once the clock has passed it.
    due = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)).replace(microsecond=0)
    scheduled = project / "content/articles/2011/soon.md"
    scheduled.write_text(
        f"Title: Soon\nDate: {due:%Y-%m-%d %H:%M:%S}\nCategory: xen\nTags: xen\n\nSoon.\n", encoding="utf-8"
    )
    assert builder.rebuild()["problems"] == []
    assert (output / "drafts/soon/index.html").is_file()
    time.sleep(max(0.0, (due - datetime.datetime.now(datetime.UTC)).total_seconds()) + 0.1)
    append(scheduled, "\n\nNow it is due.\n")
    result, early = rebuild(builder, scheduled)
    assert result["problems"] == [] and early == []
    assert (output / f"{due:%Y/%m}/soon/index.html").is_file()


@pytest.fixture
def live_site(tmp_path):
    """The live preview's application over a small output folder, on a thread of its own."""
    output = tmp_path / "output"
    (output / "post").mkdir(parents=True)
    (output / "post/index.html").write_text("<!doctype html><title>t</title><p>built</p>\n")
    state, port, started = preview.BuildState(), free_port(), threading.Event()
    loops = []

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        from tornado.ioloop import IOLoop

        preview.application(output, state).listen(port, address="127.0.0.1")
        loops.append(IOLoop.current())
        started.set()
        IOLoop.current().start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield state, f"http://127.0.0.1:{port}", output
    loops[0].add_callback(loops[0].stop)
    thread.join(10)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_an_address_production_refuses_is_refused_while_an_early_page_is_served(live_site):
    state, origin, output = live_site
    (output / "404.html").write_text("<!doctype html><title>t</title><p>missing</p>\n")
    state.early = ("404.html", b"<!doctype html><title>t</title><p>early</p>\n")
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(f"{origin}/404.html")
    assert refused.value.code == 404


def test_the_preview_serves_the_early_page_at_its_addresses_until_the_build_is_done(live_site):
    state, origin, output = live_site
    state.early = ("post/index.html", b"<!doctype html><title>t</title><p>early</p>\n")
    assert "<p>early</p>" in fetch(f"{origin}/post/")
    assert "<p>early</p>" in fetch(f"{origin}/post/index.html")
    state.early = None
    assert "<p>built</p>" in fetch(f"{origin}/post/")


EARLY_AFTER_A_BUILD = """
import json, sys
from pathlib import Path
from sitebuild.preview.early_page import early_page
from sitebuild.preview.live import LiveBuild
output, story = Path(sys.argv[1]), Path(sys.argv[2])
builder = LiveBuild(output, cache=Path(sys.argv[3]))
assert builder.rebuild()["problems"] == []
model = builder.model
before = sorted(str(p.relative_to(output.parent)) for p in output.parent.rglob("*"))
story.write_text(story.read_text().replace("Title: ", "Title: Renamed: ", 1)
                 + "\\n\\n![A ring]({static}/extra/ring.png)\\n")
page = early_page(model, [str(story)])
after = sorted(str(p.relative_to(output.parent)) for p in output.parent.rglob("*"))
print(json.dumps({"page": page, "made": sorted(set(after) - set(before))}))
"""


def test_reading_a_post_again_writes_nothing_beside_the_output(project_copy, tmp_path):
    """A post read for an early page that does not qualify (a new title: a new share card;
    a new picture) makes its files in memory, never in or beside the output."""
    import json
    import subprocess
    import sys

    from PIL import Image

    Image.new("RGB", (40, 30), "#a3360f").save(project_copy / "content/extra/ring.png")
    site = tmp_path / "site"
    site.mkdir()
    arguments = [site / "output", project_copy / STORY, tmp_path / "cache"]
    ran = subprocess.run(
        [sys.executable, "-c", EARLY_AFTER_A_BUILD, *arguments],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.splitlines()[-1])
    assert result == {"page": None, "made": []}
