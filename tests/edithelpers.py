"""Every kind of edit an author makes, for the tests that rebuild after each one
(tests/test_page_reuse.py, tests/test_preview_loop.py) and compare with a clean build."""

import hashlib
import os
import re
import shutil
from pathlib import Path

from conftest import PROJECT_FILES, run_build
from sitehelpers import digest

STORY = "content/articles/2011/linux-3-0-xen-dom0.md"
BACKGROUND = "content/articles/2011/what-dom0-is.md"
HOWTO = "content/articles/2011/check-kernel-config-dom0.md"


def develop(project, output, cache, *settings):
    result = run_build(output, production=False, siteurl=None, cwd=project, cache=cache, settings=settings)
    assert result.returncode == 0, result.stderr
    return output


def edit(project, relative, old, new):
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(project, relative, text):
    with (project / relative).open("a", encoding="utf-8") as file:
        file.write(text)


def add_posts(project, count):
    """Posts before and after the story: the home page lists the newest and the oldest."""
    for number in range(count):
        for kind, date in (("older", f"2010-05-{number + 1:02d}"), ("newer", f"2011-07-{number + 1:02d}")):
            (project / f"content/articles/2011/{kind}-{number}.md").write_text(
                f"Title: {kind.title()} post {number}\nDate: {date} 10:00\nCategory: xen\nTags: xen\n\n"
                f"Text of {kind} post {number}.\n",
                encoding="utf-8",
            )


def same_size_edit_keeping_the_time(path, old, new):
    """An edit Pelican's own cache (path, size, mtime) cannot see: an editor that restores
    the modification time, a checkout, ``touch -r``."""
    assert len(old) == len(new)
    stat = path.stat()
    edit(path.parent, path.name, old, new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def every_kind_of_edit(project):
    """(what, change) for each kind of edit a rebuild must follow, each made on top of the last."""
    story_text = (project / STORY).read_text(encoding="utf-8")
    lead_sentence = re.search(r"^[A-Z][^\n]{40,}$", story_text.split("\n\n", 1)[1], re.M).group(0)
    return [
        (
            "ten older and ten newer posts, so the lead story is on no list of the home page",
            lambda: add_posts(project, 10),
        ),
        (
            "the lead story's text (the home page shows the lead's summary)",
            lambda: edit(project, STORY, lead_sentence, lead_sentence + " (Edited.)"),
        ),
        (
            "a title, shown by neighbours, related posts and archives",
            lambda: edit(project, HOWTO, "Title: ", "Title: Renamed: "),
        ),
        (
            "the tags of a post",
            lambda: edit(project, BACKGROUND, "Tags: xen, dom0", "Tags: xen, hypervisors, dom0"),
        ),
        (
            "a written summary",
            lambda: edit(project, BACKGROUND, "Summary: Xen runs", "Summary: Xen, the hypervisor, runs"),
        ),
        (
            "a new post",
            lambda: (project / "content/articles/2011/a-new-post.md").write_text(
                "Title: A new post\nDate: 2011-06-20 10:00\nCategory: xen\nTags: xen\n\nNew text.\n"
            ),
        ),
        ("a deleted post", lambda: (project / "content/articles/2011/a-new-post.md").unlink()),
        (
            "a template",
            lambda: edit(
                project,
                "theme/templates/base.html",
                '<a class="skip-link"',
                '<a data-edited class="skip-link"',
            ),
        ),
        (
            "a stylesheet",
            lambda: (project / "theme/static/css/quote.css").open("a").write("\n/* edited */\n"),
        ),
        (
            "the same number of bytes in a post, its modification time restored",
            lambda: same_size_edit_keeping_the_time(project / STORY, "Fitzhardinge", "FITZHARDINGE"),
        ),
        (
            "a plugin's code (the quote block's mail headers)",
            lambda: edit(project, "plugins/attributed_quote.py", '"dt", "From")', '"dt", "Sender")'),
        ),
        (
            "a Markdown setting (the permalinks' title)",
            lambda: edit(
                project,
                "pelicanconf.py",
                '"permalink_title": "Link to this section"',
                '"permalink_title": "Permalink to this section"',
            ),
        ),
        (
            "a static file (the favicon, inlined in every page)",
            lambda: edit(project, "content/extra/favicon.svg", "<svg", '<svg data-edited=""'),
        ),
        (
            "a correction, in the body, which dates the post anew (the sitemap, feeds, JSON-LD)",
            lambda: append(
                project, BACKGROUND, "\n/// correction | Correction, 20 June 2011\nA date.\n///\n"
            ),
        ),
        (
            "a post hidden and out of its series, which leaves every listing, the series and the sitemap",
            lambda: edit(project, HOWTO, "Series: The road to dom0\nSeries_part: 3\n", "Status: hidden\n"),
        ),
    ]


def sources(project: Path) -> str:
    """One SHA-256 of every file a build reads from ``project`` (bytecode aside)."""
    summary = hashlib.sha256()
    for name in PROJECT_FILES:
        top = project / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                summary.update(f"{path.relative_to(project).as_posix()}\0".encode() + path.read_bytes())
    return summary.hexdigest()


def clean_builds_after_every_edit(project, folder):
    """{what: (sources, digest)} of a clean development build (no cache, no previous output) of
    ``project`` after each edit of every_kind_of_edit in turn, with the sources it was built from."""
    builds = {}
    for step, change in every_kind_of_edit(project):
        change()
        output = develop(project, folder / "output", folder / "cache")
        builds[step] = sources(project), digest(output)
        for made in (output, folder / "cache"):
            shutil.rmtree(made)
    return builds


def differing(rebuilt, clean):
    """Paths whose bytes differ between two digests (sitehelpers.digest), or that only one holds."""
    return sorted(name for name in rebuilt.keys() | clean.keys() if rebuilt.get(name) != clean.get(name))


def assert_matches_the_clean_build(project, output, clean_builds, step):
    """``output``, rebuilt after ``step``, is byte-identical to the clean build of the same sources."""
    built_from, clean = clean_builds[step]
    assert sources(project) == built_from, f"after {step}, the project is not what the clean build was of"
    wrong = differing(digest(output), clean)
    assert not wrong, f"after {step}, the rebuild differs from a clean build in {wrong[:10]}"
