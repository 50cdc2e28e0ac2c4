"""`invoke livereload`: build in this process on every change (watchfiles), so Python and
Pelican load once and the last content model is at hand for a body edit's early page
(early_page.py). When the code a build imports changes (code_folders.py) or Pelican stopped
half-way, the preview tells the open pages to reload and restarts itself (execv), keeping
its socket: the pages load from it once it has built."""

import contextlib
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path

import watchfiles
from pelican.log import LimitFilter
from tornado.ioloop import IOLoop

from ..build.drafts import collecting_drafts, describe
from ..build.pipeline import BuildError, build
from ..code_folders import CODE_FOLDERS, PACKAGE_FOLDERS, ROOT, SETTINGS_FILES, code_digest
from ..console import start_logging
from . import server
from .early_page import catching, early_page

# Cleared before each build, so that each shows its warnings (tests/test_plugins_speed_kit.py).
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.log.LimitFilter._raised_messages": "set",
    "pelican.log.LimitFilter._group_count": "defaultdict",
}
LISTENING = "SITEBUILD_PREVIEW_SOCKET"  # the listening socket a restarted preview keeps


class LiveBuild:
    """``rebuild(changed, on_early)`` builds the development site into ``output`` and returns
    ``{"problems": [...], "drafts": [...]}``, having given ``on_early`` the page of a body edit
    of one post first; or ``{"restart": why}``: the code changed, or Pelican stopped half-way."""

    def __init__(self, output: Path, content: Path | None = None, cache: Path | None = None):
        self.site, self.model = {"output": output, "content": content, "cache": cache}, {}
        self.stamp, self.spoiled = code_digest(), False  # the theme aside: read afresh by every build

    def rebuild(self, changed=(), on_early=None) -> dict:
        if self.spoiled or code_digest() != self.stamp:
            return {"restart": "Pelican stopped half-way" if self.spoiled else "The build's code changed"}
        try:
            if on_early and (page := early_page(self.model, sorted(map(str, changed)))):
                on_early(page)
        except Exception as error:  # the whole build follows; a fault here must still show
            logging.getLogger(__name__).warning("No early page: %s: %s", type(error).__name__, error)
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        answer, caught = {"problems": [], "drafts": []}, {}
        self.model = {}  # the last model goes first: memory for one, not two
        try:
            with collecting_drafts() as drafts, catching(caught):
                build(**self.site)
            answer["drafts"], self.model = list(drafts), caught
        except BuildError as error:
            answer["problems"] = error.problems
        except Exception as error:  # a fault in the build; the next save may mend it
            logging.getLogger(__name__).exception("the build failed unexpectedly")
            answer["problems"] = [f"the build failed unexpectedly: {type(error).__name__}: {error}"]
        self.spoiled = "initialized" in caught and "pelican" not in caught  # a plugin's state is left
        return answer


def restart(sock: socket.socket | None = None) -> None:
    """Run this program again in this process, handing it ``sock`` (it stays open)."""
    if sock:
        sock.set_inheritable(True)
        os.environ[LISTENING] = str(sock.fileno())
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)


def live(output: Path, port: int, builder, content: Path | None = None) -> None:
    """Build, serve ``output`` with live reload, and rebuild (``builder``: a LiveBuild) and
    reload on every change of the content, the code folders, the settings files (watched
    by their folder: an editor may save by renaming) or the installed packages, saying in
    the terminal how long each build took, what failed, and where the drafts are."""
    state, loop, one_at_a_time, restarting = server.BuildState(), IOLoop.current(), threading.Lock(), []
    origin, listed, started = f"http://127.0.0.1:{port}", None, 0.0

    def show_early(page: dict) -> None:
        print(f"Early page {page['save_as']} in {time.perf_counter() - started:.2f} s", flush=True)
        state.early = page["save_as"], page["html"].encode()
        loop.add_callback(server.reload_browsers, server.addresses(page["save_as"]).__contains__)

    def build_and_reload(changed):
        nonlocal listed, started
        started = time.perf_counter()
        answer = builder.rebuild(changed, show_early)
        early, state.early, state.problems = state.early, None, answer.get("problems", [])
        if answer.get("restart"):
            print(f"{answer['restart']}: restarting the preview.", flush=True)
            restarting.append(True)
            return loop.add_callback(lambda: (server.reload_browsers(), loop.stop()))
        if state.problems:  # output/ is as it was (atomic.py); the pages show why
            print(f"\nBuild failed; {output} was left unchanged.", file=sys.stderr)
            print("".join(f"  error: {problem}\n" for problem in state.problems), end="", file=sys.stderr)
            print("The browser shows why; the last good site is still being served.", flush=True)
        else:
            print(f"Built in {time.perf_counter() - started:.2f} s", flush=True)
            if answer.get("drafts") != listed:
                listed = answer.get("drafts")
                print(describe(listed, origin) or "Drafts: none", flush=True)
        built = early and output / early[0]
        if state.problems or not built or not built.is_file() or built.read_bytes() != early[1]:
            loop.add_callback(server.reload_browsers)
        else:  # the early page is what the build made: the pages showing it are current
            loop.add_callback(server.reload_browsers, lambda path: path not in server.addresses(early[0]))

    def watch(paths, recursive, keep):
        # Changes saved during a build wait in the watcher, and go into one more build after it.
        try:
            for changes in watchfiles.watch(*paths, watch_filter=keep, recursive=recursive, step=50):
                with one_at_a_time:
                    if not restarting:
                        build_and_reload(sorted({path for _, path in changes}))
        except Exception as error:  # e.g. out of inotify watches: say so rather than go quiet
            print(f"livereload: stopped watching {', '.join(map(str, paths))}: {error}", file=sys.stderr)

    # Bound before the first build, which must not touch output/ if the port is taken.
    inherited = os.environ.pop(LISTENING, None)
    kept = inherited and [socket.socket(fileno=int(inherited))]
    [sock] = server.listen("livereload", server.application(output, state), port, sockets=kept)
    sock.set_inheritable(False)
    start_logging(quiet=True)  # as `python -m sitebuild --quiet`
    build_and_reload([])
    print(f"Serving {output} at {origin}/ (Ctrl-C to stop)", flush=True)
    watches = [
        ([content or ROOT / "content", ROOT / "theme", *CODE_FOLDERS], True, watchfiles.DefaultFilter()),
        ([ROOT], False, lambda change, path: Path(path).name in SETTINGS_FILES),
        (PACKAGE_FOLDERS, False, None),  # an install or upgrade renames a package's record here
    ]
    for watched in watches:
        threading.Thread(target=watch, args=watched, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        loop.start()
    if restarting:
        restart(sock)


def live_preview(output: Path, port: int, content: Path | None = None, cache: Path | None = None) -> None:
    """`invoke livereload`."""
    live(output, port, LiveBuild(output, content, cache), content)
