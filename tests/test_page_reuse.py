"""Development rebuilds reuse unchanged pages (plugins/speed_kit/page_reuse.py) and parsed posts
(sitebuild/cache.py), and are never stale.

Each check edits a copy of the project, rebuilds over the previous output with the
cache kept, and compares every file with a clean build of the same project (no cache,
no previous output): the two must be byte-identical.
"""

import json
import os
import re

from conftest import run_build
from test_publishing import digest

from sitebuild.cache import FINGERPRINT, IMAGES

STORY = "content/articles/2011/linux-3-0-xen-dom0.md"
BACKGROUND = "content/articles/2011/what-dom0-is.md"
HOWTO = "content/articles/2011/check-kernel-config-dom0.md"
ABOUT_PAGE = "about/index.html"
BACKGROUND_PAGE = "2011/06/what-dom0-is-and-why-it-had-to-be-upstream/index.html"


def develop(project, output, cache, *settings):
    result = run_build(output, production=False, siteurl=None, cwd=project, cache=cache, settings=settings)
    assert result.returncode == 0, result.stderr
    return output


def edit(project, relative, old, new):
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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


def cache_files(cache):
    """The one fingerprint folder of the cache (sitebuild/cache.py)."""
    folders = [p for p in cache.iterdir() if p.is_dir() and FINGERPRINT.fullmatch(p.name)]
    assert len(folders) == 1, folders
    return folders[0]


def keep(output, relative, folder):
    """Hold the current file by a second link, so its inode cannot be recycled."""
    folder.mkdir(exist_ok=True)
    held = folder / relative.replace("/", "_")
    os.link(output / relative, held)
    return held


def same_file(held, output, relative):
    return os.stat(held).st_ino == os.stat(output / relative).st_ino


def assert_matches_clean_build(project, output, tmp_path, step, *settings):
    clean = develop(project, tmp_path / f"clean-{step}", tmp_path / f"cache-clean-{step}", *settings)
    rebuilt, fresh = digest(output), digest(clean)
    differing = sorted(name for name in rebuilt.keys() | fresh.keys() if rebuilt.get(name) != fresh.get(name))
    assert not differing, f"after {step}, the rebuild differs from a clean build in {differing[:10]}"


def test_a_rebuild_renders_only_what_an_edit_changed(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    held_about = keep(output, ABOUT_PAGE, tmp_path / "held")
    held_background = keep(output, BACKGROUND_PAGE, tmp_path / "held")

    edit(project_copy, BACKGROUND, "This post is the background", "This post, rewritten, is the background")
    develop(project_copy, output, cache)

    assert "This post, rewritten, is the background" in (output / BACKGROUND_PAGE).read_text()
    assert not same_file(held_background, output, BACKGROUND_PAGE)
    assert same_file(held_about, output, ABOUT_PAGE), "an unaffected page was rendered again"
    assert_matches_clean_build(project_copy, output, tmp_path, "a body edit")


def every_kind_of_edit(project_copy):
    """(what, change) for each kind of edit a rebuild must follow (also tests/test_preview_loop.py)."""
    story_text = (project_copy / STORY).read_text(encoding="utf-8")
    lead_sentence = re.search(r"^[A-Z][^\n]{40,}$", story_text.split("\n\n", 1)[1], re.M).group(0)
    return [
        (
            "ten older and ten newer posts, so the lead story is on no list of the home page",
            lambda: add_posts(project_copy, 10),
        ),
        (
            "the lead story's text (the home page shows the lead's summary)",
            lambda: edit(project_copy, STORY, lead_sentence, lead_sentence + " (Edited.)"),
        ),
        (
            "a title, shown by neighbours, related posts and archives",
            lambda: edit(project_copy, HOWTO, "Title: ", "Title: Renamed: "),
        ),
        (
            "the tags of a post",
            lambda: edit(project_copy, BACKGROUND, "Tags: xen, dom0", "Tags: xen, hypervisors, dom0"),
        ),
        (
            "a written summary",
            lambda: edit(project_copy, BACKGROUND, "Summary: Xen runs", "Summary: Xen, the hypervisor, runs"),
        ),
        (
            "a new post",
            lambda: (project_copy / "content/articles/2011/a-new-post.md").write_text(
                "Title: A new post\nDate: 2011-06-20 10:00\nCategory: xen\nTags: xen\n\nNew text.\n"
            ),
        ),
        ("a deleted post", lambda: (project_copy / "content/articles/2011/a-new-post.md").unlink()),
        (
            "a template",
            lambda: edit(
                project_copy,
                "theme/templates/base.html",
                '<a class="skip-link"',
                '<a data-edited class="skip-link"',
            ),
        ),
        (
            "a stylesheet",
            lambda: (project_copy / "theme/static/css/quote.css").open("a").write("\n/* edited */\n"),
        ),
        (
            "the same number of bytes in a post, its modification time restored",
            lambda: same_size_edit_keeping_the_time(project_copy / STORY, "Fitzhardinge", "FITZHARDINGE"),
        ),
        (
            "a plugin's code (the quote block's mail headers)",
            lambda: edit(project_copy, "plugins/attributed_quote.py", '"dt", "From")', '"dt", "Sender")'),
        ),
        (
            "a Markdown setting (the permalinks' title)",
            lambda: edit(
                project_copy,
                "pelicanconf.py",
                '"permalink_title": "Link to this section"',
                '"permalink_title": "Permalink to this section"',
            ),
        ),
        (
            "a static file (the favicon, inlined in every page)",
            lambda: edit(project_copy, "content/extra/favicon.svg", "<svg", "<svg data-edited"),
        ),
    ]


def test_rebuilds_after_every_kind_of_edit_match_a_clean_build(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    for step, change in every_kind_of_edit(project_copy):
        change()
        develop(project_copy, output, cache)
        assert_matches_clean_build(project_copy, output, tmp_path, step)

    develop(project_copy, output, cache, ("SITENAME", "Renamed Dispatch"))
    assert "Renamed Dispatch" in (output / ABOUT_PAGE).read_text()
    assert_matches_clean_build(project_copy, output, tmp_path, "a setting", ("SITENAME", "Renamed Dispatch"))


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    with open(output / ABOUT_PAGE, "a", encoding="utf-8") as page:  # same inode, new size and time
        page.write("<!-- edited by hand -->")
    develop(project_copy, output, cache)
    assert "edited by hand" not in (output / ABOUT_PAGE).read_text()
    assert_matches_clean_build(project_copy, output, tmp_path, "a hand edit")


def test_a_damaged_manifest_means_rendering_everything(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    held = keep(output, ABOUT_PAGE, tmp_path / "held")
    (cache_files(cache) / "page-reuse.json").write_text("{not json", encoding="utf-8")
    develop(project_copy, output, cache)
    assert not same_file(held, output, ABOUT_PAGE)
    assert json.loads((cache_files(cache) / "page-reuse.json").read_text())["pages"][ABOUT_PAGE]


def test_a_damaged_content_cache_is_ignored_with_a_warning(project_copy, tmp_path):
    """A build killed while Pelican writes its cache leaves a file cut short or empty."""
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    readers = sorted(cache_files(cache).glob("*-Readers"))
    assert readers, "Pelican wrote no content cache"
    readers[0].write_bytes(b"")
    readers[-1].write_bytes(readers[-1].read_bytes()[:100])
    edit(project_copy, BACKGROUND, "This post is the background", "This post, rewritten, is the background")
    result = run_build(output, production=False, siteurl=None, cwd=project_copy, cache=cache)
    assert result.returncode == 0, result.stderr
    assert f"ignoring the damaged cache file {readers[0]}" in result.stdout + result.stderr
    assert_matches_clean_build(project_copy, output, tmp_path, "a damaged cache")


def test_the_cache_of_other_code_or_settings_is_removed(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    first = cache_files(cache)
    develop(project_copy, output, cache, ("SITENAME", "Renamed Dispatch"))
    assert cache_files(cache) != first and not first.exists()


def test_a_production_build_never_reads_a_cache(project_copy, tmp_path):
    """Publishing after a plugin edit shipped the old HTML of every post: production
    inherited the development cache, keyed on a post's path, size and time only."""
    output, cache = project_copy / "published", project_copy / "cache"
    develop(project_copy, project_copy / "output", cache)
    assert run_build(output, cwd=project_copy, cache=cache).returncode == 0
    edit(project_copy, "plugins/attributed_quote.py", '"dt", "From")', '"dt", "Sender")')
    same_size_edit_keeping_the_time(project_copy / STORY, "Fitzhardinge", "FITZHARDINGE")
    result = run_build(output, cwd=project_copy, cache=cache)
    assert result.returncode == 0, result.stderr
    clean = run_build(tmp_path / "clean", cwd=project_copy, cache=tmp_path / "clean-cache")
    assert clean.returncode == 0, clean.stderr
    assert digest(output) == digest(tmp_path / "clean")
    story = next(output.glob("2011/06/linux-3-0*/index.html")).read_text()
    assert "<dt>Sender" in story and "FITZHARDINGE" in story


def test_production_builds_render_every_page(project_copy, tmp_path):
    output, cache = project_copy / "published", project_copy / "cache"
    for _ in range(2):
        result = run_build(output, cwd=project_copy, cache=cache)
        assert result.returncode == 0, result.stderr
        held = keep(output, ABOUT_PAGE, tmp_path / f"held-{_}")
    assert not same_file(tmp_path / "held-0" / held.name, output, ABOUT_PAGE)
    # Only the content-addressed pictures and cards, whose keys cover all that makes them.
    assert not cache.exists() or [p.name for p in cache.iterdir()] == [IMAGES], (
        "a production build wrote a cache"
    )
