"""A deploy ships exactly one build, even while a publish swaps output/, and a killed deploy
leaves nothing behind for good: no folder, no process."""

import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT, SITEURL, new_content, run_build
from test_deploy import invoke_deploy, stamped_files, tool, tree_of

from sitebuild.build.stamp import STAMP_NAME
from sitebuild.deploy import ship
from sitebuild.deploy.ship import MARKER, DeployError, deploy, snapshot

PUBLISHES = 2  # a, then b, a: both editions in output/, and a publish over each
PAUSE_EVERY, PAUSE = 100, 0.1  # a slow disk: every 100th copy of a snapshot takes 0.1 s


def posts(tmp_path, edition, count=100):
    """A site of ``count`` made-up posts; each edition words every page differently."""
    content = new_content(tmp_path / edition)
    for n in range(count):
        (content / "articles" / f"post-{n}.md").write_text(
            f"Title: Post {n}\nDate: 2011-{n % 12 + 1:02d}-{n % 28 + 1:02d}\nCategory: xen\nTags: xen\n\n"
            f"Edition {edition} of post {n}.\n",
            encoding="utf-8",
        )
    return content


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def test_a_deploy_during_publishes_ships_exactly_one_build(tmp_path, monkeypatch):
    tool("rsync", "rsync")
    copy, copies = ship.copy_file, itertools.count(1)

    def slow_copy(*args, **kwargs):
        if next(copies) % PAUSE_EVERY == 0:
            time.sleep(PAUSE)
        return copy(*args, **kwargs)

    # So slow that a publish lands in the middle of a snapshot, unless something keeps it out.
    monkeypatch.setattr(ship, "copy_file", slow_copy)
    editions = {name: posts(tmp_path, name) for name in ("a", "b")}
    output, www = tmp_path / "output", tmp_path / "www"
    builds = []  # the stamp of every build output/ held

    def publish(edition):
        result = run_build(output, content=editions[edition], cache=tmp_path / f"cache-{edition}")
        assert result.returncode == 0, result.stderr
        builds.append(json.loads((output / STAMP_NAME).read_text())["files"])

    publish("a")
    publishing = threading.Event()
    publishing.set()
    outcomes = []  # (error or None, digests of what arrived)

    def deploy_repeatedly():
        while publishing.is_set():
            try:
                deploy(output, "rsync", siteurl=SITEURL, destination=str(www))
                outcomes.append((None, digests(www)))
            except Exception as error:  # noqa: BLE001 - every failure is a finding here
                outcomes.append((repr(error), None))
            time.sleep(0.1)  # the lock is not fair: leave a waiting publish a chance to take it

    deployer = threading.Thread(target=deploy_repeatedly)
    deployer.start()
    try:
        for n in range(PUBLISHES):
            publish("ba"[n % 2])
    finally:
        publishing.clear()
        deployer.join()

    assert len(builds[0]) > 400 and builds[0] != builds[1]
    mixed = [tree for _, tree in outcomes if tree is not None and tree not in builds]
    assert not mixed, f"{len(mixed)} of {len(outcomes)} deploys shipped a mix of two builds"
    failures = [error for error, _ in outcomes if error]
    assert not failures, f"{len(failures)} of {len(outcomes)} deploys failed: {failures[:3]}"
    shipped = {json.dumps(tree, sort_keys=True) for _, tree in outcomes}
    assert len(shipped) == 2, "the deploys did not overlap both editions"


def test_a_deploy_through_a_symbolic_link_waits_for_the_publish_of_its_target(tmp_path, capfd):
    """output/ a link to the web server's folder: the build and the deploy share one lock."""
    tool("rsync", "rsync")
    real, link, www = tmp_path / "srv" / "site", tmp_path / "output", tmp_path / "www"
    real.parent.mkdir()
    assert run_build(real, content=posts(tmp_path, "a"), cache=tmp_path / "cache").returncode == 0
    link.symlink_to(real)
    command = [sys.executable, "-m", "sitebuild", "--quiet", "--production", "--siteurl", SITEURL]
    command += [
        "--output",
        str(link),
        "--content",
        str(posts(tmp_path, "b")),
        "--cache",
        str(tmp_path / "cache"),
    ]
    publishing = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(real.parent.glob(".output-site-staging-*")):
            assert publishing.poll() is None and time.monotonic() < deadline, "the publish ended too soon"
            time.sleep(0.01)
        deploy(link, "rsync", siteurl=SITEURL, destination=str(www))
        assert publishing.poll() == 0, "the deploy ran while the publish was still under way"
    finally:
        publishing.kill()
        publishing.wait()
    assert "deploy: waiting for another build or deploy" in capfd.readouterr().err
    assert digests(www) == json.loads((real / STAMP_NAME).read_text())["files"]


def slow_rsync(folder):
    """A PATH whose `rsync` is the real one at 20 KB/s, so a deploy can be caught in the act."""
    folder.mkdir()
    wrapper = folder / "rsync"
    wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("rsync")} --bwlimit=20 "$@"\n')
    wrapper.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def processes_naming(text):
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if text.encode() in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def beside(output):
    """Folders a build or deploy of ``output`` made next to it."""
    return {p for p in output.parent.glob(".output-*") if p.is_dir()}


def test_a_killed_deploy_leaves_no_process_and_the_next_deploy_clears_its_folder(
    site, project_copy, tmp_path_factory
):
    tool("rsync", "rsync")
    output = project_copy / "output"
    shutil.copytree(site.root, output)
    www = tmp_path_factory.mktemp("killed") / "www"
    environment = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "DEPLOY_DESTINATION")}
    environment["PATH"] = slow_rsync(tmp_path_factory.mktemp("slow") / "bin")
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "deploy", "--target", "rsync", "--destination", str(www)],
        cwd=project_copy,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not ((www / "index.html").exists() or list(www.glob(".~tmp~/*"))):
            assert process.poll() is None and time.monotonic() < deadline, "the deploy ended too soon"
            time.sleep(0.01)
        killed_folders = beside(output)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    deadline = time.monotonic() + 10
    while processes_naming(str(www)) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = processes_naming(str(www))
    for pid in survivors:  # leave nothing running, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "a process of the killed deploy outlived it"
    assert killed_folders, "the deploy was killed before it made its release folder"

    again = invoke_deploy(project_copy, "--target", "rsync", "--destination", str(www))
    assert again.returncode == 0, again.stderr
    assert not beside(output), "the killed deploy's folder is still there after the next deploy"
    published = tree_of(www)
    published.pop(MARKER)
    assert sorted(published) == stamped_files(site)


def test_a_snapshot_unlike_the_stamp_is_refused_even_without_the_lock(site, tmp_path):
    """What a deploy ships is checked once more after it was linked: a file written between the
    stamp check and the snapshot (by anything that ignores the lock) stops the deploy."""
    output = tmp_path / "output"
    shutil.copytree(site.root, output)
    recorded = json.loads((output / STAMP_NAME).read_text())["files"]
    (output / "about" / "index.html").write_text("a page of another build")

    expected = (
        rf"{output} changed while deploy was reading it \(modified: about/index.html, 1 in all\); nothing"
    )
    with pytest.raises(DeployError, match=expected):
        snapshot(output, recorded)
    assert not beside(output)


def test_a_write_into_output_while_a_deploy_ships_is_not_shipped(site, tmp_path, monkeypatch):
    """Something that ignores the lock appends to a page in place after the snapshot was
    checked, while rsync reads it: only the stamped bytes arrive. The snapshot was hard links
    to output/'s files, so the edit reached the destination and deploy said it deployed."""
    tool("rsync", "rsync")
    output, www = tmp_path / "output", tmp_path / "www"
    shutil.copytree(site.root, output)
    to_rsync = ship.to_rsync

    def edited_while_shipping(release, destination):
        with open(output / "tags" / "index.html", "a", encoding="utf-8") as page:
            page.write("<!-- HAND EDIT -->\n")
        to_rsync(release, destination)

    monkeypatch.setattr(ship, "to_rsync", edited_while_shipping)
    deploy(output, "rsync", siteurl=SITEURL, destination=str(www))
    assert "HAND EDIT" in (output / "tags" / "index.html").read_text(encoding="utf-8")
    assert digests(www) == json.loads((site.root / STAMP_NAME).read_text())["files"]
