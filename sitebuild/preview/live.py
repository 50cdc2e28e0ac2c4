"""`invoke livereload`: each change (watchfiles) is built in this process, where Pelican stays loaded and
the last content model is at hand for a body edit's early page (early_page.py). A change to the build's
code (code_folders.py), a new content folder or Pelican stopped half-way restarts the preview (execv)."""

import contextlib
import os
import socket
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import watchfiles
from pelican.log import LimitFilter
from tornado.ioloop import IOLoop

from .. import Build
from ..build.drafts import collecting_drafts, describe
from ..build.errors import code_fault
from ..build.pipeline import BuildError, build
from ..code_folders import ROOT, build_code, code_digest
from ..console import print_failure, start_logging
from . import server
from .early_page import catching, early_page

# Cleared before each build, which then shows and groups its warnings as the command line does.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.log.LimitFilter._raised_messages": "set",
    "pelican.log.LimitFilter._group_count": "defaultdict",
}
LISTENING = "SITEBUILD_PREVIEW_SOCKET"  # the listening socket a restarted preview keeps
REPLACED = "The content folder was replaced"  # the watcher still watches the old one: restart


class LiveBuild:
    """``rebuild(changed, on_early)`` builds into ``output`` and returns its problems and drafts,
    having given ``on_early`` a body edit's early page first; or ``{"restart": why}``."""

    def __init__(self, output: Path, content: Path | None = None, cache: Path | None = None):
        self.site, self.model = {"output": output, "content": content, "cache": cache}, {}
        self.stamp, self.spoiled = code_digest(), False  # the theme aside: read afresh by every build

    def rebuild(self, changed=(), on_early=None) -> dict:
        if self.spoiled or code_digest() != self.stamp:
            return {"restart": "Pelican stopped half-way" if self.spoiled else "The build's code changed"}
        LimitFilter._raised_messages.clear()  # before the early page: what it warns of, the build
        LimitFilter._group_count.clear()  # does not say again
        try:
            if on_early and (page := early_page(self.model, sorted(set(map(str, changed))))):
                on_early(page)
        except Exception as error:  # the whole build follows; a fault here must still show
            print(f"No early page: {type(error).__name__}: {error}", file=sys.stderr)
        self.model, caught, problems = {}, {}, []  # the last model goes first: memory for one, not two
        try:
            with collecting_drafts() as drafts, catching(caught):
                build(**self.site)
            self.model = caught
        except Exception as error:  # a fault in the build's code in one line too, as the command line's
            problems = (error if isinstance(error, BuildError) else code_fault(error)).problems
        self.spoiled = "initialized" in caught and "pelican" not in caught  # a plugin's state is left
        return {"problems": problems, "drafts": drafts}


def restart(sock: socket.socket | None = None) -> None:
    """Run this program again in this process, handing it ``sock`` (it stays open)."""
    if sock:
        sock.set_inheritable(True)
        os.environ[LISTENING] = str(sock.fileno())
    sys.stdout.flush()  # stderr is line-buffered
    os.execv(sys.executable, sys.orig_argv)


def live(output: Path, port: int, builder=None, content: Path | None = None, cache: Path | None = None):
    """Build and serve ``output``, then rebuild (``builder``, a LiveBuild by default) and reload on change."""
    builder, state, loop = builder or LiveBuild(output, content, cache), server.BuildState(), IOLoop.current()
    origin, restarting, listed, started = f"http://127.0.0.1:{port}", [], None, 0.0
    one_at_a_time = threading.Lock()  # what is saved during a build waits in the watcher
    folder = Build(output, content).content_folder

    def show_early(page: dict) -> None:
        print(f"Early page {page['save_as']} in {time.perf_counter() - started:.2f} s", flush=True)
        state.early = page["save_as"], page["html"].encode()
        loop.add_callback(server.reload_browsers, server.addresses(page["save_as"]).__contains__)

    def build_and_reload(changed):
        nonlocal listed, started
        started = time.perf_counter()
        answer = {"restart": REPLACED} if str(folder) in changed else builder.rebuild(changed, show_early)
        early, state.early, state.problems = state.early, None, answer.get("problems", [])
        if answer.get("restart"):
            print(f"{answer['restart']}: restarting the preview.", flush=True)
            restarting.append(True)
            return loop.add_callback(lambda: (server.reload_browsers(), loop.stop()))
        if state.problems:  # output/ is as it was (atomic.py); the pages show why
            print_failure(output, state.problems)
            print("The browser shows why; the last good site is still being served.", flush=True)
        else:
            print(f"Built in {time.perf_counter() - started:.2f} s", flush=True)
            if answer.get("drafts") != listed:
                listed = answer.get("drafts")
                print(describe(listed, origin) or "Drafts: none", flush=True)
        built = early and not state.problems and output / early[0]  # as the early page: its pages are current
        current = built and built.is_file() and built.read_bytes() == early[1] and server.addresses(early[0])
        loop.add_callback(server.reload_browsers, lambda path: path not in (current or ()))

    def watch(paths, options, ready: threading.Event):
        try:  # watchfiles first asks stop_event when its watches are in place; set() answers None: go on
            for changes in watchfiles.watch(*paths, **options, stop_event=SimpleNamespace(is_set=ready.set)):
                with one_at_a_time:
                    if not restarting:
                        build_and_reload([path for _, path in changes])
        except Exception as error:  # e.g. out of inotify watches: say so rather than go quiet
            print(f"livereload: stopped watching {', '.join(map(str, paths))}: {error}", file=sys.stderr)
        finally:
            ready.set()

    # Bound before the first build, which must not touch output/ if the port is taken.
    kept = (inherited := os.environ.pop(LISTENING, None)) and [socket.socket(fileno=int(inherited))]
    [sock] = server.listen("livereload", server.application(output, state), port, sockets=kept)
    sock.set_inheritable(False)
    start_logging(quiet=True)  # as `python -m sitebuild --quiet`
    theme = ROOT / "theme"  # or where the settings put it, once they can be read (the build says why not)
    with contextlib.suppress(Exception):
        theme = Build(output, content).settings()["THEME"]
    folders, files, packages = build_code(theme)
    named = {*map(str, files), str(folder)}  # watched by their folder: saved by renaming, or replaced
    top_level = {"recursive": False, "watch_filter": lambda _, p: p in named or Path(p).parent in packages}
    with one_at_a_time:  # watching first: a save while the preview (re)starts is built by or after this build
        for paths, options in [([folder, *folders], {}), ([*{ROOT, folder.parent}, *packages], top_level)]:
            ready = threading.Event()
            threading.Thread(target=watch, args=(paths, options, ready), daemon=True).start()
            ready.wait()
        build_and_reload([])
    print(f"Serving {output} at {origin}/ (Ctrl-C to stop)", flush=True)
    for wait in (loop.start, one_at_a_time.acquire):  # Ctrl-C: the build under way removes its staging
        with contextlib.suppress(KeyboardInterrupt):  # folder first; Ctrl-C again leaves it to the next build
            wait()
    if restarting:
        restart(sock)
