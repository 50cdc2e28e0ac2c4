"""Development rebuilds reuse unchanged pages (plugins/speed_kit/page_reuse.py) and parsed posts
(sitebuild/build/cache.py), and are never stale.

Each check edits a copy, rebuilds over the previous output with the cache kept, and finds
every file byte-identical to a clean build."""

import json
import os
import threading

import pytest
from conftest import copy_project, run_build
from edithelpers import (
    BACKGROUND,
    STORY,
    assert_matches_the_clean_build,
    develop,
    differing,
    edit,
    every_kind_of_edit,
    same_size_edit_keeping_the_time,
    sources,
)
from sitehelpers import digest

from sitebuild import IMAGE_CACHE as IMAGES
from sitebuild.build.cache import FINGERPRINT

ABOUT_PAGE = "about/index.html"
BODY_EDIT = (BACKGROUND, "This post is the background", "This post, rewritten, is the background")
BACKGROUND_PAGE = "2011/06/what-dom0-is-and-why-it-had-to-be-upstream/index.html"


def cache_files(cache):
    """The one fingerprint folder of the cache (sitebuild/build/cache.py)."""
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
    wrong = differing(digest(output), digest(clean))
    assert not wrong, f"after {step}, the rebuild differs from a clean build in {wrong[:10]}"


@pytest.fixture(scope="module")
def clean_build_after_a_body_edit(tmp_path_factory):
    """{"a body edit": (sources, digest)} of a clean development build of the project with
    BODY_EDIT made, for the two tests that rebuild after that edit (edithelpers.py)."""
    project = copy_project(tmp_path_factory.mktemp("body-edit"))
    edit(project, *BODY_EDIT)
    output = develop(project, project / "output", project / "cache")
    return {"a body edit": (sources(project), digest(output))}


def test_a_rebuild_renders_only_what_an_edit_changed(project_copy, tmp_path, clean_build_after_a_body_edit):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    held_about = keep(output, ABOUT_PAGE, tmp_path / "held")
    held_background = keep(output, BACKGROUND_PAGE, tmp_path / "held")

    edit(project_copy, *BODY_EDIT)
    develop(project_copy, output, cache)

    assert "This post, rewritten, is the background" in (output / BACKGROUND_PAGE).read_text()
    assert not same_file(held_background, output, BACKGROUND_PAGE)
    assert same_file(held_about, output, ABOUT_PAGE), "an unaffected page was rendered again"
    assert_matches_the_clean_build(project_copy, output, clean_build_after_a_body_edit, "a body edit")


def test_rebuilds_after_every_kind_of_edit_match_a_clean_build(
    project_copy, tmp_path, clean_builds_after_every_edit
):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    for step, change in every_kind_of_edit(project_copy):
        change()
        develop(project_copy, output, cache)
        assert_matches_the_clean_build(project_copy, output, clean_builds_after_every_edit, step)

    develop(project_copy, output, cache, ("SITENAME", "Renamed Dispatch"))
    assert "Renamed Dispatch" in (output / ABOUT_PAGE).read_text()
    assert_matches_clean_build(project_copy, output, tmp_path, "a setting", ("SITENAME", "Renamed Dispatch"))


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(project_copy):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    clean = {"a hand edit": (sources(project_copy), digest(output))}  # no output or cache before it
    with open(output / ABOUT_PAGE, "a", encoding="utf-8") as page:  # same inode, new size and time
        page.write("<!-- edited by hand -->")
    develop(project_copy, output, cache)
    assert "edited by hand" not in (output / ABOUT_PAGE).read_text()
    assert_matches_the_clean_build(project_copy, output, clean, "a hand edit")


def test_a_damaged_manifest_means_rendering_everything(project_copy, tmp_path):
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    held = keep(output, ABOUT_PAGE, tmp_path / "held")
    (cache_files(cache) / "page-reuse.json").write_text("{not json", encoding="utf-8")
    develop(project_copy, output, cache)
    assert not same_file(held, output, ABOUT_PAGE)
    assert json.loads((cache_files(cache) / "page-reuse.json").read_text())["pages"][ABOUT_PAGE]


def test_a_damaged_content_cache_is_ignored_with_a_warning(project_copy, clean_build_after_a_body_edit):
    """A build killed while Pelican writes its cache leaves a file cut short or empty."""
    output, cache = project_copy / "output", project_copy / "cache"
    develop(project_copy, output, cache)
    readers = sorted(cache_files(cache).glob("*-Readers"))
    assert readers, "Pelican wrote no content cache"
    readers[0].write_bytes(b"")
    readers[-1].write_bytes(readers[-1].read_bytes()[:100])
    edit(project_copy, *BODY_EDIT)
    result = run_build(output, production=False, siteurl=None, cwd=project_copy, cache=cache)
    assert result.returncode == 0, result.stderr
    assert f"ignoring the damaged cache file {readers[0]}" in result.stdout + result.stderr
    assert_matches_the_clean_build(project_copy, output, clean_build_after_a_body_edit, "a body edit")


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


def test_a_cache_file_pelican_could_not_save_is_removed_not_recorded(tmp_path):
    """cache.py knows a failed save by Pelican's warning, "Could not save cache <path>"
    (pelican/cache.py in 4.12.0): a tripwire, failing if Pelican words it otherwise."""
    from pelican.cache import FileDataCacher

    from sitebuild.build import cache

    settings = {"CACHE_PATH": str(tmp_path), "GZIP_CACHE": False}
    cacher = FileDataCacher(settings, "unsaveable", caching_policy=True, load_policy=False)
    cacher.cache_data("post.md", ["x" * 100_000, threading.Lock()])  # pickling stops at the lock
    with cache.recording(tmp_path):
        cacher.save_cache()
    assert not (tmp_path / "unsaveable").exists()
    assert "unsaveable" not in (tmp_path / cache.RECORD).read_text()
