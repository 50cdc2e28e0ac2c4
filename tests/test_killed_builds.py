"""Whatever process of a build is killed, the command that started it returns within
seconds, output/ is as it was, and no process of that build survives.

Each test runs `invoke publish` on a copy with a hundred extra posts and SIGKILLs one
kind of process; every process carries a tag in its environment, so survivors are found."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import copy_project
from sitehelpers import digest

TAG = "DOM0_TEST_BUILD"
RETURN_SECONDS = 15


def processes_tagged(tag):
    """{pid: (parent pid, command line)} of every live process whose environment holds ``tag``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{TAG}={tag}".encode() not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            status = (entry / "status").read_text()
            if "\nState:\tZ" in status:  # a zombie has ended; only its parent's wait is left
                continue
            parent = int(status.split("\nPPid:\t", 1)[1].split("\n", 1)[0])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        found[int(entry.name)] = (parent, command)
    return found


def main_build(processes, invoke_pid):
    return [
        pid
        for pid, (parent, command) in processes.items()
        if parent == invoke_pid and "-m sitebuild" in command
    ]


def pagefind(processes, invoke_pid):
    return [pid for pid, (_, command) in processes.items() if "pagefind" in command.split(" ", 1)[0]]


def main_build_while_indexing(processes, invoke_pid):
    # Once Pagefind has started, so that there is a process to orphan.
    return main_build(processes, invoke_pid) if pagefind(processes, invoke_pid) else []


def card_worker(processes, invoke_pid):
    return [pid for pid, (_, command) in processes.items() if "card_worker" in command]


def main_build_while_drawing_cards(processes, invoke_pid):
    return main_build(processes, invoke_pid) if card_worker(processes, invoke_pid) else []


def invoke_itself(processes, invoke_pid):
    return [invoke_pid] if pagefind(processes, invoke_pid) else []


def descendants(processes, pid):
    children = [child for child, (parent, _) in processes.items() if parent == pid]
    return children + [grandchild for child in children for grandchild in descendants(processes, child)]


def kill_one(victim, tag, invoke_pid, signum):
    """Send ``signum`` to a process ``victim`` picks, once it has been seen in two looks 20 ms
    apart: a child forked to run Pagefind looks like the build for the instant before its
    exec. Its own children are stopped first, so that only their tie to it can end them: a
    running orphan could end by itself before the check for survivors. Return its PID, or
    None when there was none to kill (yet, or any more)."""
    first = set(victim(processes_tagged(tag), invoke_pid))
    time.sleep(0.02)
    processes = processes_tagged(tag)
    for pid in victim(processes, invoke_pid):
        if pid in first:
            for child in descendants(processes, pid):
                with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                    os.kill(child, signal.SIGSTOP)
            try:
                os.kill(pid, signum)
            except ProcessLookupError:  # it ended between the look and the kill
                continue
            return pid
    return None


def end_and_reap(started, tag):
    """End ``started`` if it still runs; return the processes of the build still alive after
    2 s, and kill them (kill_one may have stopped them): a failing test leaves none behind."""
    if started.poll() is None:
        started.kill()
        started.communicate()
    survivors = processes_tagged(tag)
    for _ in range(20):  # the kernel delivers parent-death signals at once; allow for slow reaping
        if not survivors:
            break
        time.sleep(0.1)
        survivors = processes_tagged(tag)
    for pid in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return survivors


@pytest.fixture(scope="module")
def large_project(tmp_path_factory):
    """Published once for the module: each test kills a build of it and ends by publishing
    it again, so the next finds it as every test needs it, a complete build in output/."""
    project_copy = copy_project(tmp_path_factory.mktemp("large-project"))
    articles = project_copy / "content" / "articles" / "generated"
    articles.mkdir()
    for number in range(100):
        (articles / f"post-{number}.md").write_text(
            f"Title: Generated post {number}\nDate: 2010-{number % 12 + 1:02d}-{number % 28 + 1:02d} 10:00\n"
            f"Category: xen\nTags: xen, generated\n\n" + f"Paragraph {number} about dom0 and Xen.\n\n" * 20,
            encoding="utf-8",
        )
    published = publish(project_copy)
    assert published.returncode == 0, published.stderr
    return project_copy


def publish(project, tag="", **popen):
    environment = {**os.environ, TAG: tag or "none"}
    command = [sys.executable, "-m", "invoke", "publish"]
    if popen:
        return subprocess.Popen(command, cwd=project, env=environment, **popen)
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "victim, signum, message",
    [
        (main_build_while_indexing, signal.SIGKILL, "the build was killed (SIGKILL)"),
        (main_build_while_indexing, signal.SIGTERM, "Build stopped by SIGTERM"),
        (pagefind, signal.SIGKILL, "search index: Pagefind was killed (signal 9)"),
        (invoke_itself, signal.SIGKILL, None),
        (main_build_while_drawing_cards, signal.SIGKILL, "the build was killed (SIGKILL)"),
    ],
)
def test_killing_any_process_of_a_build_ends_it_cleanly(large_project, victim, signum, message):
    output = large_project / "output"
    before = digest(output)
    tag = uuid.uuid4().hex
    if victim is main_build_while_drawing_cards:  # cold: the build starts a card worker
        shutil.rmtree(large_project / "cache" / "images" / "cards")
    # The others strike once Pelican has ended, and the card worker with it (cards.collect).
    started = publish(large_project, tag, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        killed = None
        while killed is None and started.poll() is None and time.monotonic() < deadline:
            killed = kill_one(victim, tag, started.pid, signum)
        assert killed, f"no {victim.__name__} process appeared before the build ended"
        try:
            _, stderr = started.communicate(timeout=RETURN_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"invoke publish did not return within {RETURN_SECONDS} s of the kill")
    finally:
        survivors = end_and_reap(started, tag)

    assert started.returncode != 0
    if message:
        assert message in stderr, stderr
    assert survivors == {}, f"processes of the killed build survived: {survivors}"
    assert digest(output) == before
    if signum == signal.SIGTERM:  # a build asked to stop cleans up after itself
        assert [p.name for p in output.parent.iterdir() if p.name.startswith(".output-output-")] == []

    again = publish(large_project)  # recovers, and clears what the killed build left
    assert again.returncode == 0, again.stderr
    assert [p.name for p in output.parent.iterdir() if p.name.startswith(".output-output-")] == []


def test_a_killed_card_worker_costs_the_build_only_time(large_project):
    """Its cards are drawn by the build itself: the same site, published."""
    output = large_project / "output"
    before = digest(output)
    shutil.rmtree(large_project / "cache" / "images" / "cards")
    tag = uuid.uuid4().hex
    started = publish(large_project, tag, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        killed = None
        while killed is None and started.poll() is None:
            killed = kill_one(card_worker, tag, started.pid, signal.SIGKILL)
        assert killed, "no card worker appeared before the build ended"
        _, stderr = started.communicate(timeout=120)
    finally:
        survivors = end_and_reap(started, tag)
    assert started.returncode == 0, stderr
    assert survivors == {}, f"processes of the build survived it: {survivors}"
    assert digest(output) == before
