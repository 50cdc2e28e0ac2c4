"""The live preview's builds (sitebuild/preview/live.py) give the same site as a clean build
after every kind of edit, the preview restarting when the code it imported changes
(sitebuild/code_folders.py); development builds mark and list drafts."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import run_build
from edithelpers import assert_matches_the_clean_build, every_kind_of_edit
from livehelpers import LiveBuilder
from serverhelpers import wait_for
from test_page_reuse import assert_matches_clean_build

from devtools.nginx import free_port
from sitebuild.build import atomic
from sitebuild.preview.live import REPLACED

STORY_SOURCE = "articles/2011/linux-3-0-xen-dom0.md"
STORY = f"content/{STORY_SOURCE}"
STORY_PAGE = "2011/06/linux-3-0-full-support-for-xen-dom0/index.html"
CODE_EDITS = ("a plugin's code", "a Markdown setting")
DRAFT = """Title: A draft by a new author
Date: 2011-06-10 10:00
Status: draft
Author: Nova Reporter
Category: xen
Tags: xen

Not published yet.
"""
SCHEDULED = """Title: Due next century
Date: 2111-01-02 08:00
Category: xen
Tags: xen

Held back until its date.
"""


def test_warm_rebuilds_after_every_kind_of_edit_match_a_clean_build(
    project_copy, clean_builds_after_every_edit
):
    output, cache = project_copy / "output", project_copy / "cache"
    with LiveBuilder(output, cache=cache, root=project_copy) as builder:
        assert builder.rebuild()["problems"] == []
        for step, change in every_kind_of_edit(project_copy):
            starts = builder.starts
            change()
            assert builder.rebuild()["problems"] == [], step
            assert_matches_the_clean_build(project_copy, output, clean_builds_after_every_edit, step)
            # Warm for content and templates; restarted for code it had imported.
            assert (builder.starts > starts) == step.startswith(CODE_EDITS), step


def test_a_plugin_edit_is_built_with_the_new_code(project_copy, tmp_path):
    """The preview imported the plugin once; its edited code must still be what builds."""
    output = tmp_path / "output"
    plugin = project_copy / "plugins/plain_summary.py"
    with LiveBuilder(output, cache=tmp_path / "cache", root=project_copy) as builder:
        assert builder.rebuild()["problems"] == []
        plugin.write_text(
            plugin.read_text()
            + (
                "\n\ndef _mark(pelican):\n"
                "    open(pelican.output_path + '/marker.txt', 'w').write('new code')\n\n\n"
                "_register = register\n\n\n"
                "def register():\n"
                "    _register()\n"
                "    signals.finalized.connect(_mark)\n"
            )
        )
        assert builder.rebuild()["problems"] == []
    assert (output / "marker.txt").read_text() == "new code"


def test_failed_warm_builds_keep_the_output_and_leave_nothing_behind(project_copy, tmp_path):
    output = project_copy / "output"
    story = project_copy / STORY
    good = story.read_text()
    with LiveBuilder(output, cache=project_copy / "cache", root=project_copy) as builder:
        assert builder.rebuild()["problems"] == []
        before = sorted(p.relative_to(output) for p in output.rglob("*"))
        failures = [
            # Refused before Pelican starts (sitebuild/checks/lint.py)...
            (good.replace("Date: 2011-06-01 09:00", "Date: 2011-06-99"), f"{STORY_SOURCE}:3:"),
            # ... and by a plugin that stops Pelican half-way (plugins/content_checks.py).
            (good + "\n[Gone]({filename}/no-such-post.md)\n", STORY_SOURCE),
        ]
        for broken, problem in failures:
            story.write_text(broken)
            problems = builder.rebuild()["problems"]
            assert len(problems) == 1 and problems[0].startswith(problem), problems
            assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
        starts = builder.starts
        story.write_text(good.replace("Title: Linux 3.0", "Title: Linux 3.0, fixed"))
        assert builder.rebuild()["problems"] == []
        assert builder.starts == starts + 1  # Pelican stopped half-way: restarted, its plugins' state gone
    # Each replaced output is removed once the build has answered; none is left.
    assert [p.name for p in output.parent.glob(f"{atomic.STAGING_PREFIX}*") if p.is_dir()] == []
    assert_matches_clean_build(project_copy, output, tmp_path, "failed builds")


def links_to_missing_pages(output, relative):
    soup = BeautifulSoup((output / relative).read_text(), "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("/")]
    return [
        href
        for href in hrefs
        if not (output / href.split("#")[0].lstrip("/") / "index.html").is_file()
        and not (output / href.split("#")[0].lstrip("/")).is_file()
    ]


def test_drafts_and_scheduled_posts_are_marked_listed_and_link_to_pages_that_exist(project_copy, tmp_path):
    articles = project_copy / "content/articles/2011"
    (articles / "a-draft.md").write_text(DRAFT)
    (articles / "due.md").write_text(SCHEDULED)
    output = tmp_path / "output"
    built = run_build(output, production=False, siteurl=None, cwd=project_copy)
    assert built.returncode == 0, built.stderr

    draft = (output / "drafts/a-draft-by-a-new-author/index.html").read_text()
    banner = re.search(r'<p class="preview-banner" role="note">(.*?)</p>', draft, re.S)
    assert banner and "<strong>Draft</strong>" in banner.group(1)
    assert "Nova Reporter" in draft
    assert links_to_missing_pages(output, "drafts/a-draft-by-a-new-author/index.html") == []

    due = (output / "drafts/due-next-century/index.html").read_text()
    scheduled = r'<strong>Scheduled for <time datetime="2111-01-02T08:00:00[^"]*">2 January 2111</time>'
    assert re.search(scheduled, due)
    assert "preview-banner" not in (output / STORY_PAGE).read_text()

    assert built.stdout.splitlines()[-3:] == [
        "Drafts:",
        "  http://127.0.0.1:8000/drafts/a-draft-by-a-new-author/  A draft by a new author (draft)",
        "  http://127.0.0.1:8000/drafts/due-next-century/  Due next century (scheduled for 2 January 2111)",
    ]


def test_production_builds_list_no_drafts_and_show_no_banner(project_copy, tmp_path):
    (project_copy / "content/articles/2011/a-draft.md").write_text(DRAFT)
    output = tmp_path / "output"
    built = run_build(output, production=True, cwd=project_copy)
    assert built.returncode == 0, built.stderr
    assert "Drafts" not in built.stdout
    assert not (output / "drafts").exists()
    assert not [page for page in output.rglob("*.html") if b"preview-banner" in page.read_bytes()]


def children(pid: int) -> set[int]:
    """The processes ``pid``'s threads started that are still its children."""
    found = set()
    for listed in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found |= {int(child) for child in listed.read_text().split()}
    return found


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@contextlib.contextmanager
def live_preview(project: Path, log: Path):
    """`invoke livereload` in ``project``, once it serves; stopped with its session after the block."""
    with open(log, "w") as out:
        preview = subprocess.Popen(
            [sys.executable, "-m", "invoke", "livereload", "--port", str(free_port())],
            cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: "Serving " in log.read_text(), timeout=120, what="the preview")
        yield preview
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(preview.pid, signal.SIGKILL)
        preview.wait()


def caught_building(preview, story: Path) -> set[int]:
    """Edit ``story`` until a build of ``preview`` is caught running a process of its own
    (Pagefind, while the staging folder is there); those processes."""
    for number in range(20):
        story.write_text(story.read_text() + f"\n\nEdit {number}.\n")
        deadline = time.monotonic() + 5
        while not (caught := children(preview.pid)) and time.monotonic() < deadline:
            time.sleep(0.002)
        if caught:
            return caught
    raise AssertionError("no build was caught running a process of its own")


def test_no_process_outlives_the_preview_however_it_dies(project_copy, tmp_path):
    """A preview killed outright (SIGKILL, the OOM killer) while it builds takes what the
    build started with it (lifeline.py): the build runs in the preview's own process."""
    with live_preview(project_copy, tmp_path / "livereload.log") as preview:
        caught = caught_building(preview, project_copy / STORY)
        os.kill(preview.pid, signal.SIGKILL)
        preview.wait(timeout=10)
        wait_for(lambda: not any(map(running, caught)), timeout=10, what="the build's processes to end")


def test_a_content_folder_put_in_place_of_the_watched_one_is_built_and_watched(
    project_copy, tmp_path_factory
):
    """Before, the preview went on watching the folder moved away (an inotify watch follows the
    folder), and the watcher of the project's top level dropped what happened there: the new
    content/ was not built, nor any edit in it, while edits in the old one were."""
    content, elsewhere = project_copy / "content", tmp_path_factory.mktemp("elsewhere")
    page, log = project_copy / "output" / STORY_PAGE, elsewhere / "livereload.log"

    def shows(text, timeout=60):
        wait_for(lambda: page.is_file() and text in page.read_text(), timeout, f"the page with {text!r}")

    def edit(text):  # once: the preview watches before its first build, a restarted one too
        (content / STORY_SOURCE).write_text((content / STORY_SOURCE).read_text() + f"\n\n{text}\n")
        shows(text)

    with live_preview(project_copy, log):
        edit("Watched.")
        shutil.copytree(content, elsewhere / "new")
        story = (elsewhere / "new" / STORY_SOURCE).read_text()
        (elsewhere / "new" / STORY_SOURCE).write_text(story + "\n\nNew.\n")
        content.rename(elsewhere / "old")  # as mv content … && mv new content
        (elsewhere / "new").rename(content)
        shows("<p>New.</p>")
        edit("Edited in the new folder.")
        shutil.rmtree(content)  # deleted, then made again
        shutil.copytree(elsewhere / "old", content)
        edit("Edited in a folder made again.")
    assert log.read_text().count("The content folder was replaced: restarting the preview.") >= 2


def restart_caught_after_reading(project: Path, log: Path, aside: Path) -> None:
    """Restart the preview (its content folder moved aside and back) until its first build is
    caught after it read the story: between writing the story's page and its end."""
    content, staged = project / "content", f".output-output-staging-*/{STORY_PAGE}"
    for _ in range(5):
        restarts, builds = log.read_text().count(REPLACED), log.read_text().count("Built in")
        content.rename(aside)
        aside.rename(content)
        wait_for(lambda n=restarts: log.read_text().count(REPLACED) > n, what="the restart")
        while log.read_text().count("Built in") == builds:
            if any(project.glob(staged)):
                return
            time.sleep(0.002)
    raise AssertionError(f"no restarted build was caught writing the post's page:\n{log.read_text()}")


def test_a_post_saved_while_the_preview_restarts_is_built_without_another_save(project_copy, tmp_path):
    """Before, the restarted preview watched only once its first build was done: a post saved
    during that build, after it had read the post, was built only at the next save."""
    story, page = project_copy / STORY, project_copy / "output" / STORY_PAGE
    log = tmp_path / "livereload.log"
    with live_preview(project_copy, log):
        restart_caught_after_reading(project_copy, log, tmp_path / "aside")
        story.write_text(story.read_text() + "\n\nSaved while the preview restarted.\n")
        saved = "<p>Saved while the preview restarted.</p>"
        wait_for(lambda: saved in page.read_text(), timeout=30, what="the page with the save")


def test_ctrl_c_during_a_build_leaves_no_staging_folder(project_copy, tmp_path_factory):
    """Before, the build (in a watcher's thread) died with the preview on Ctrl-C and left its
    staging folder beside output/ until the next build."""
    log = tmp_path_factory.mktemp("log") / "livereload.log"
    with live_preview(project_copy, log) as preview:
        caught_building(preview, project_copy / STORY)
        os.killpg(preview.pid, signal.SIGINT)  # as Ctrl-C in its terminal
        assert preview.wait(timeout=60) is not None
    assert not list(project_copy.glob(".output-output-staging-*")), log.read_text()
    assert (project_copy / "output" / "index.html").is_file()
