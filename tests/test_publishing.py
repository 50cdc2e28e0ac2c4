"""The published site is never half-built, never leaks drafts, and is reproducible."""

import gzip
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SITEURL, new_content, run_build
from sitehelpers import digest

from sitebuild.build import atomic
from sitebuild.build.atomic import leftovers
from sitebuild.checks import site as check


def write_post(folder, name, title, date="2011-06-01", extra=""):
    path = folder / "articles" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = f"{extra}\n" if extra else ""
    path.write_text(
        f"Title: {title}\nDate: {date}\nCategory: xen\nTags: xen\n{extra}\n"
        f"Body of {title}. See [the first post]({{filename}}first.md).\n"
    )


@pytest.fixture
def small_site(tmp_path):
    content = new_content(tmp_path)
    write_post(content, "first", "First post")
    output = tmp_path / "output"
    assert run_build(output, content=content).returncode == 0
    return content, output


def test_a_failed_build_leaves_the_previous_output_untouched(small_site):
    content, output = small_site
    before = digest(output)
    write_post(content, "broken", "Broken", date="not a date")
    result = run_build(output, content=content)
    assert result.returncode == 1 and "articles/broken.md" in result.stderr
    assert digest(output) == before
    assert not leftovers(output), "the failed build's staging folder was left behind"


def test_two_builds_of_one_output_at_once_take_turns(small_site, tmp_path):
    """Each holds the output's lock for its whole run: neither swaps in a folder the
    other is writing, and the result is exactly one complete build."""
    content, output = small_site
    # Enough for each build to hold the lock over a second: the other, started at once, must wait.
    for number in range(60):
        write_post(content, f"post-{number}", f"Post number {number}")
    builds = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sitebuild",
                "--production",
                "--siteurl",
                SITEURL,
                "--output",
                str(output),
                "--content",
                str(content),
                "--cache",
                str(tmp_path / f"cache-{n}"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    errors = [build.communicate(timeout=300)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], errors
    assert any("waiting for another build or deploy" in error for error in errors), errors
    clean = tmp_path / "clean"
    assert run_build(clean, content=content).returncode == 0
    assert digest(output) == digest(clean)
    assert not leftovers(output)


def test_a_build_clears_its_own_leftovers_and_no_other_outputs(small_site):
    """A killed build's staging folder goes with the next build of the same output; the
    folders of another output whose name begins with this one's are not its to remove."""
    content, output = small_site
    killed_build = output.parent / ".output-output-staging-999999999"
    other_output = output.parent / ".output-output-x-staging-1"  # output-x, building now
    for folder in (killed_build, other_output):
        folder.mkdir()
        (folder / "index.html").write_text("<p>Half a site.</p>")
    assert run_build(output, content=content).returncode == 0
    assert not killed_build.exists()
    assert (other_output / "index.html").is_file()


def develop_small(content, output):
    return run_build(output, production=False, siteurl=None, content=content)


def test_an_ordinary_failed_build_leaves_no_cache_file_looking_damaged(tmp_path):
    """A build that failed on content had written whole cache files: the next build must
    not call them damaged by a stopped build."""
    content, output = new_content(tmp_path), tmp_path / "output"
    write_post(content, "first", "First post")
    assert develop_small(content, output).returncode == 0
    write_post(content, "second", "Second post", extra="Summary: s.")
    (content / "articles" / "broken.md").write_text(
        "Title: Broken\nDate: 2011-06-20\nSummary: s.\n\nSee [this]({filename}missing.md).\n"
    )
    assert develop_small(content, output).returncode == 1
    (content / "articles" / "broken.md").unlink()
    result = develop_small(content, output)
    assert result.returncode == 0, result.stderr
    assert "damaged cache file" not in result.stderr


def test_a_cache_that_is_a_file_is_named_with_the_fix(tmp_path):
    content, output = new_content(tmp_path), tmp_path / "output"
    write_post(content, "first", "First post")
    (tmp_path / "cache").write_text("not a folder")
    for production in (False, True):
        result = run_build(output, production=production, content=content)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"error: cache: {tmp_path / 'cache'} is not a folder: move that file aside" in result.stderr
        assert "another cache folder (.venv/bin/python -m sitebuild --cache DIR)" in result.stderr
        assert not output.exists()


def test_a_cache_record_that_cannot_be_written_never_fails_a_build_it_replaced(tmp_path):
    """The record is written before the swap; one that cannot be written empties the
    cache with a warning (the cache only speeds builds up)."""
    content, output = new_content(tmp_path), tmp_path / "output"
    write_post(content, "first", "First post")
    assert develop_small(content, output).returncode == 0
    [record] = (tmp_path / "cache").glob("*/intact.json")
    record.unlink()
    record.mkdir()
    write_post(content, "second", "Second post")
    result = develop_small(content, output)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (output / "2011" / "06" / "second-post" / "index.html").is_file()
    assert f"could not record the cache in {record.parent}" in result.stderr
    result = develop_small(content, output)
    assert result.returncode == 0 and "damaged cache file" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scheduled")
    content = new_content(folder)
    write_post(content, "first", "First post")
    write_post(content, "draft", "A draft in progress", date="2011-06-02", extra="Status: draft")
    write_post(content, "future", "A post from the future", date="2999-01-01")
    for hidden in [".hidden.md", "backup.md~", "#autosave.md#", ".#lock.md", "swap.md.swp"]:
        (content / "articles" / hidden).write_text(f"Title: Hidden {hidden}\nDate: 2011-06-03\n\nSecret.\n")
    production, development = folder / "production", folder / "development"
    assert run_build(production, content=content).returncode == 0
    result = run_build(development, content=content, production=False, siteurl=None)
    assert result.returncode == 0, result.stderr
    return production, development


def every_text(root):
    return "\n".join(
        p.read_text(errors="replace")
        for p in root.rglob("*")
        if p.is_file() and p.suffix in {".html", ".xml", ".txt", ".json"}
    )


def test_production_never_publishes_drafts_or_future_posts(scheduled):
    production, _ = scheduled
    text = every_text(production)
    assert "First post" in text
    assert "A draft in progress" not in text and "A post from the future" not in text
    assert not (production / "drafts").exists()


def test_search_index_holds_published_posts_only(scheduled):
    production, _ = scheduled
    fragments = [
        gzip.decompress(f.read_bytes()).decode() for f in (production / "pagefind" / "fragment").iterdir()
    ]
    indexed = "\n".join(fragments)
    assert "First post" in indexed
    assert "A draft in progress" not in indexed and "A post from the future" not in indexed


def test_development_previews_drafts_with_working_links(scheduled):
    _, development = scheduled
    for slug in ("a-draft-in-progress", "a-post-from-the-future"):
        assert (development / "drafts" / slug / "index.html").exists()
    listings = (development / "index.html").read_text() + (
        development / "tag" / "xen" / "index.html"
    ).read_text()
    assert "A draft in progress" not in listings
    assert check.link_problems(check.Site(development, "")) == []


def test_hidden_files_and_editor_backups_are_never_published(scheduled):
    for root in scheduled:
        assert "Hidden" not in every_text(root)


def test_archives_paginate_at_scale(tmp_path):
    content = new_content(tmp_path)
    for n in range(130):
        name = "first" if n == 0 else f"p{n}"
        write_post(content, name, f"Archive post {n}", date=f"2011-06-{n % 28 + 1:02d} {n % 24:02d}:00")
    output = tmp_path / "output"
    result = run_build(output, content=content)
    assert result.returncode == 0, result.stderr
    for first, second in [
        ("archives", "archives/page/2"),
        ("2011", "2011/page/2"),
        ("2011/06", "2011/06/page/2"),
    ]:
        page_one = (output / first / "index.html").read_text()
        page_two = (output / second / "index.html").read_text()
        assert page_one.count("Archive post") == 100 and page_two.count("Archive post") == 30, first
        assert f"{SITEURL}/{second}/" in page_one
    assert check.link_problems(check.Site(output, SITEURL)) == []


def test_pelican_run_by_hand_on_publishconf_stops_and_writes_nothing(project_copy):
    """Only the build minifies, indexes and stamps a production site; Pelican alone must
    not leave an unfinished one in output/ that looks published."""
    pelican = [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py"]
    result = subprocess.run(pelican, cwd=project_copy, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        (
            "Run `python3 make.py publish` instead: Pelican alone does not minify, index for search "
            "or stamp for deploy the production site (publishconf.py)."
        )
    ], result.stderr
    assert not (project_copy / "output").exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "without renameat2"])
def test_the_swap_replaces_the_output_whole_with_or_without_an_atomic_exchange(
    tmp_path, monkeypatch, exchange
):
    """Where the filesystem cannot exchange two folders (RENAME_EXCHANGE), two renames do it."""
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    output, staging = tmp_path / "output", tmp_path / "staging"
    for folder, text in ((output, "old"), (staging, "new")):
        (folder / "2011").mkdir(parents=True)
        (folder / "2011" / "index.html").write_text(text)
    (output / "only-in-the-old-build.html").write_text("old")
    atomic.publish(staging, output)
    assert {name: (output / name).read_text() for name in digest(output)} == {"2011/index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output-output.built", "output"]
    status = output.stat()  # the record names the folder swapped in, for the next build's check
    assert (tmp_path / ".output-output.built").read_text() == f"{status.st_dev}:{status.st_ino}"


@pytest.mark.parametrize("linked", [False, True], ids=["given as the output", "output/ linked to it"])
def test_an_output_holding_what_no_build_made_is_refused_and_kept(tmp_path, linked):
    """A web server's folder holding other sites: the swap would delete them. Refused by name;
    once empty it is built into, and then rebuilt as the folder its last build made."""
    content = new_content(tmp_path)
    write_post(content, "first", "First post")
    www, output = tmp_path / "www", tmp_path / "output"
    (www / "other-site").mkdir(parents=True)
    (www / "other-site" / "index.html").write_text("theirs")
    if linked:
        output.symlink_to(www)
    output = output if linked else www
    result = run_build(output, content=content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: the output {www.resolve()} holds files no build of it made" in result.stderr
    # Ways to build elsewhere that `python3 make.py build`, which takes no --output, can follow too.
    assert "(output/ linked to one, or .venv/bin/python -m sitebuild --output DIR)" in result.stderr
    assert sorted(p.name for p in www.rglob("*")) == ["index.html", "other-site"]
    (www / "other-site" / "index.html").unlink()
    (www / "other-site").rmdir()
    for _ in range(2):  # empty, then the folder the first build made
        result = run_build(output, content=content)
        assert result.returncode == 0, result.stderr
    assert (www / "index.html").is_file() and not (www / "other-site").exists()


@pytest.mark.parametrize("place", ["holds the content", "is the content", "links to the content's parent"])
def test_an_output_that_is_or_holds_the_sources_is_refused_and_deletes_nothing(tmp_path, place):
    """The swap replaces the output whole: an output given as the folder of the posts (a
    typo, `--output .`, or output/ linked there) would delete them with the old output."""
    site = tmp_path / "site"
    site.mkdir()
    content = new_content(site)
    write_post(content, "first", "First post")
    (site / "notes.txt").write_text("unsaved work")
    output = {"holds the content": site, "is the content": content}.get(place, tmp_path / "output")
    if place == "links to the content's parent":
        output.symlink_to(site)
    result = run_build(output, content=content, cache=tmp_path / "cache")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: the output {output.resolve()} is or holds the content folder {content}" in result.stderr
    assert (site / "notes.txt").read_text() == "unsaved work"
    assert (content / "articles" / "first.md").is_file() and not (content / "index.html").exists()


def invoke(project, *task):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *task], cwd=project, capture_output=True, text=True, timeout=300
    )


def test_clean_during_a_publish_waits_for_it_and_never_leaves_a_build_stamped_incomplete(project_copy):
    """`invoke clean` deleted the folder a publish was writing without the output's lock: the
    publish exited 0 with feeds and cards missing, stamped so deploy shipped it."""
    from benchmarks import corpus

    corpus.generate(150, project_copy / "content")  # a publish of some seconds
    output = project_copy / "output"
    command = [sys.executable, "-m", "sitebuild", "--quiet", "--production", "--siteurl", SITEURL]
    publishing = subprocess.Popen(command, cwd=project_copy, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not leftovers(output):  # its staging folder: the publish holds the lock
            assert publishing.poll() is None and time.monotonic() < deadline, "the publish ended too soon"
            time.sleep(0.01)
        cleaned = invoke(project_copy, "clean")
    finally:
        errors = publishing.communicate(timeout=300)[1].decode()
    assert publishing.returncode == 0, errors
    assert cleaned.returncode == 0, cleaned.stderr
    assert f"clean: waiting for another build or deploy of {output} to finish" in cleaned.stderr
    # The publish finished whole, then clean removed all of it: nothing is left to ship.
    assert not output.exists() and not leftovers(output) and not (project_copy / "cache").exists()


def test_clean_with_output_linked_removes_the_build_it_links_to_and_its_leftovers(project_copy, tmp_path):
    """output/ linked to a server's folder, a documented setup: clean exited 0 and removed nothing
    (it deleted output/ as a folder and looked for leftovers in the project only)."""
    content = new_content(tmp_path / "small")
    write_post(content, "first", "First post")
    www, output = tmp_path / "server" / "www", project_copy / "output"
    www.parent.mkdir()
    output.symlink_to(www)
    assert run_build(output, content=content, cache=tmp_path / "cache").returncode == 0
    killed = www.parent / ".output-www-staging-999999999"
    killed.mkdir()
    (killed / "index.html").write_text("half a build")

    cleaned = invoke(project_copy, "clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert not www.exists() and not killed.exists() and not (www.parent / ".output-www.built").exists()
    assert output.is_symlink()  # the setup stays: the next build fills the folder it names
    assert run_build(output, content=content, cache=tmp_path / "cache").returncode == 0
    assert (www / "index.html").is_file()


def test_clean_with_the_cache_linked_removes_only_what_builds_made_there(project_copy, tmp_path):
    """cache/ linked to a bigger disk: clean exited 0 and removed nothing (rmtree refuses a link),
    then removed everything the folder held, the author's files too."""
    content = new_content(tmp_path / "small")
    write_post(content, "first", "First post")
    shared, cache = tmp_path / "disk" / "cache", project_copy / "cache"
    shared.mkdir(parents=True)
    cache.symlink_to(shared)
    assert run_build(project_copy / "output", content=content, cache=cache).returncode == 0
    assert any(shared.iterdir())
    # The folder a link names may hold more than the cache (a disk's root): only what builds made goes.
    (shared / "backup").mkdir()
    (shared / "backup" / "photos.tar").write_text("the author's")
    cleaned = invoke(project_copy, "clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert cache.is_symlink() and shared.is_dir()
    assert [p.relative_to(shared).as_posix() for p in sorted(shared.rglob("*"))] == [
        "backup",
        "backup/photos.tar",
    ]
    assert run_build(project_copy / "output", content=content, cache=cache).returncode == 0


def test_clean_with_output_linked_to_what_no_build_made_refuses_and_deletes_nothing(project_copy, tmp_path):
    www, output = tmp_path / "server" / "www", project_copy / "output"
    (www / "other-site").mkdir(parents=True)
    (www / "other-site" / "index.html").write_text("theirs")
    output.symlink_to(www)
    cleaned = invoke(project_copy, "clean")
    assert cleaned.returncode == 1
    assert cleaned.stderr.splitlines()[-1] == f"clean: deleted nothing: {atomic.NOT_A_BUILD.format(www)}"
    assert (www / "other-site" / "index.html").read_text() == "theirs"
    shutil.rmtree(www / "other-site")  # an empty folder holds nothing to delete, and stays
    assert invoke(project_copy, "clean").returncode == 0 and www.is_dir()
