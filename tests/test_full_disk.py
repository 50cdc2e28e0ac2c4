"""A full disk or an output that cannot be replaced: the build fails in one line that
names the folder, and output/ stays as it was. Each test mounts a small tmpfs (root only)."""

import errno
import os
import re
import subprocess
from contextlib import contextmanager

import pytest
from conftest import new_content, run_build
from sitehelpers import digest, run_pagefind
from test_publishing import write_post

from sitebuild.build.atomic import leftovers, remove_build
from sitebuild.build.errors import BuildError
from sitebuild.deploy.ship import DeployError, deploy


@contextmanager
def mounted(folder, *options):
    """``folder`` as the mount point of a tmpfs (or, with "bind", of itself)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    command = ["mount", *options, str(folder), str(folder)] if "--bind" in options else None
    command = command or ["mount", "-t", "tmpfs", *options, "tmpfs", str(folder)]
    if subprocess.run(command, capture_output=True).returncode != 0:
        pytest.skip(f"cannot mount here: {' '.join(command)}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def used_kib(folder):
    space = os.statvfs(folder)
    return (space.f_blocks - space.f_bfree) * space.f_frsize // 1024


@pytest.fixture
def small_site(tmp_path):
    content = new_content(tmp_path)
    for name in ("first", "second", "third"):
        write_post(content, name, f"The {name} post", extra="Summary: A post.")
    return content


def assert_failed_leaving(result, output, before, folder):
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"error: no space left on the disk holding {folder} " in result.stderr, result.stderr
    assert "unexpectedly" not in result.stderr
    assert digest(output) == before
    assert not leftovers(output)


def test_pagefind_writing_onto_a_full_disk_fails_the_index(tmp_path):
    """Pagefind swallows its write errors: a full disk left every file of its bundle empty."""
    page = tmp_path / "site" / "post" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="en"><body><main data-pagefind-body><p>Text.</p></main></body></html>')
    with mounted(tmp_path / "disk", "-o", "size=16k") as disk, pytest.raises(OSError) as failure:
        run_pagefind(page.parent.parent, disk / "pagefind")
    assert failure.value.errno == errno.ENOSPC


def test_a_publish_onto_a_nearly_full_disk_fails_as_disk_full(small_site, tmp_path):
    with mounted(tmp_path / "disk", "-o", "size=64m") as disk:
        output = disk / "output"
        assert run_build(output, content=small_site, cache=tmp_path / "cache").returncode == 0
        before = digest(output)
        # Room for a third of another build beside it: this one runs out midway.
        room = used_kib(disk) // 3
        subprocess.run(["mount", "-o", f"remount,size={used_kib(disk) + room}k", str(disk)], check=True)
        write_post(small_site, "late", "Late post")
        result = run_build(output, content=small_site, cache=tmp_path / "cache")
        assert_failed_leaving(result, output, before, output)


def test_a_development_build_with_its_cache_on_a_full_disk_names_the_cache(small_site, tmp_path):
    output = tmp_path / "output"
    assert run_build(output, production=False, siteurl=None, content=small_site).returncode == 0
    before = digest(output)
    with mounted(tmp_path / "disk", "-o", "size=4k") as disk:
        result = run_build(output, production=False, siteurl=None, content=small_site, cache=disk)
        assert_failed_leaving(result, output, before, disk)


def test_an_output_that_cannot_be_replaced_is_named_with_the_fix(small_site, tmp_path):
    """A read-only mount (a web server's folder, a container volume) cannot be swapped."""
    output = tmp_path / "output"
    assert run_build(output, content=small_site).returncode == 0
    before = digest(output)
    with mounted(output, "--bind"):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(output)], check=True)
        result = run_build(output, content=small_site)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert (
            f"error: could not replace {output} with the new build (Device or resource busy)" in result.stderr
        )
        assert "use python3 make.py deploy --target rsync" in result.stderr
        assert digest(output) == before
    assert not leftovers(output)


def test_an_output_in_a_read_only_folder_is_named_with_the_fix_by_build_clean_and_deploy(
    small_site, tmp_path
):
    """Where no lock can be written beside the output (a read-only mount, another user's folder):
    the build said it "failed unexpectedly", clean that it could not delete the lock, and deploy
    ended in a Python traceback."""
    parent, cache, www = tmp_path / "served", tmp_path / "cache", tmp_path / "www"
    output = parent / "output"
    assert run_build(output, content=small_site, cache=cache).returncode == 0
    before = digest(output)
    said = (
        f"cannot write beside the output {output}: {parent} (Read-only file system) must be a writable folder"
    )
    with mounted(parent, "--bind"):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(parent)], check=True)
        result = run_build(output, content=small_site, cache=cache)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"error: {said}" in result.stderr and "unexpectedly" not in result.stderr
        with pytest.raises(BuildError, match=re.escape(said)):
            remove_build(output, {}, ours=output, cache=cache)
        with pytest.raises(DeployError, match=re.escape(said)):
            deploy(output, "rsync", destination=str(www))
        assert digest(output) == before and cache.is_dir()
    assert not www.exists()


def test_a_share_card_drawn_onto_a_full_disk_fails_the_build_as_disk_full(tmp_path, monkeypatch):
    """Not one "card.png: [Errno 28]" line per card: the error reaches build(), which names the folder."""
    from pluginhelpers import site_settings

    from plugins.images import Outputs, card_files

    def full(data, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(card_files, "place", full)
    cards = card_files.Cards(site_settings(), Outputs(tmp_path / "output"), None)
    with pytest.raises(OSError) as failed:
        cards.path("A post")
    assert failed.value.errno == errno.ENOSPC


@pytest.mark.parametrize("production", [False, True])
@pytest.mark.parametrize("new", [False, True], ids=["read-only", "in-a-read-only-folder"])
def test_a_read_only_cache_is_named_with_the_fix(small_site, tmp_path, production, new):
    """A cache restored read-only (a shared CI cache, another user's folder), or one to be made
    in such a folder: one line naming it, not "failed unexpectedly" nor a line per share card."""
    output, mount = tmp_path / "output", tmp_path / "cache"
    cache = mount / "new" if new else mount
    with mounted(mount, "--bind"):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], check=True)
        result = run_build(output, production=production, siteurl=None, content=small_site, cache=cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"error: cache: {cache} cannot be written" in result.stderr, result.stderr
    assert "unexpectedly" not in result.stderr and "share card" not in result.stderr
    assert not output.exists()
