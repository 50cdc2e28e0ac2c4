"""Where each share card's file comes from: the cache, drawn here, or drawn by card_worker.py
on the other core once a few are missing. A card's file is named by its key (title, site name,
design version), so a page names it before it is drawn; the worker writes it into the output and
the cache, and unless it ends well its cards are placed here, from the cache when whole. A cached
card is copied, never linked, so an edit of one cannot change the other."""

import contextlib
import errno
import fcntl
import functools
import json
import logging
import os
import select
import subprocess
import sys
from pathlib import Path

from sitebuild.lifeline import child_dies_with_me

from .cards import card_key, design_version, draw_card, palette
from .picture_cache import load, store

log = logging.getLogger(__name__)
CARDS_FOLDER = "images/cards"  # the build's alone (plugins/output_paths.py)
# Missing cards drawn here before a worker is started: its start-up costs what a few dozen cost.
DRAWN_HERE_FIRST = 40
WORKER = [sys.executable, "-m", "plugins.images.card_worker"]
# A card takes milliseconds to draw; a worker far slower than that is stuck.
WAIT_SECONDS, WAIT_SECONDS_PER_CARD = 30, 0.05
PIPE_BYTES = 1 << 20  # Linux's default limit for a pipe; holds about 5,000 cards' lines


def place(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def drawn(title: str, site_name: str, colours: dict, entry: Path | None) -> bytes:
    """The card's bytes, freshly drawn and kept in the cache."""
    data = draw_card(title, site_name, colours)
    if entry:
        store(entry, data)
    return data


class Cards:
    """The cards of one build, each made once (``outputs`` holds the paths made)."""

    def __init__(self, settings: dict, outputs, cache: Path | None):
        self.settings = settings
        self.outputs = outputs
        self.cache = cache / "cards" if cache else None
        self.drawn_here = 0
        self.worker = None
        self.queued = {}  # {path in the site: (title, cache entry)} of the worker's cards

    @functools.cached_property
    def colours(self) -> dict:
        tokens = Path(self.settings["THEME"]) / "static" / "css" / "tokens.css"
        return palette(tokens.read_text(encoding="utf-8"))

    @functools.cached_property
    def version(self) -> str:
        return design_version(self.colours)

    def path(self, title: str) -> str:
        """The card's path in the site; its file is there when the build ends."""
        site_name = self.settings["SITENAME"]
        key = card_key(title, site_name, self.version)
        path = f"{CARDS_FOLDER}/{key[:10]}.png"
        if path in self.outputs:
            return path
        entry = self.cache / f"{key}.png" if self.cache else None
        cached = load(entry)
        if self.outputs.folder is None:  # Pelican run by hand: the files wait in memory
            self.outputs[path] = cached or drawn(title, site_name, self.colours, entry)
            return path
        self.outputs.note(path)
        if cached is None and entry and self.drawn_here >= DRAWN_HERE_FIRST:
            self.queue(path, title, entry, Path(self.outputs.folder) / path)
        else:
            self.drawn_here += cached is None
            self.deliver(path, title, cached, entry)
        return path

    def deliver(self, path: str, title: str, cached: bytes | None, entry: Path | None) -> None:
        """Write the card at ``path`` in the output: ``cached``, or drawn (and kept) now."""
        try:
            data = cached or drawn(title, self.settings["SITENAME"], self.colours, entry)
            place(data, Path(self.outputs.folder) / path)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise  # one message for the build, naming the folder (sitebuild/build/pipeline.py)
            log.error("the share card for “%s” could not be made: %s", title, error)

    def queue(self, path: str, title: str, entry: Path, target: Path) -> None:
        try:
            if self.worker is None:
                # Each card reaches it at once (send). Its failures show as cards missing,
                # drawn here then.
                self.worker = subprocess.Popen(
                    WORKER, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=child_dies_with_me()
                )
                with contextlib.suppress(OSError):  # a full pipe would hold Pelican to the worker's pace
                    fcntl.fcntl(self.worker.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
                os.set_blocking(self.worker.stdin.fileno(), False)  # see send
                self.send([self.settings["SITENAME"], self.colours])
            self.send([title, str(entry), str(target)])
        except TimeoutError:  # stuck: it is stopped, and its cards are drawn here when Pelican ends
            self.worker.kill()
        except OSError:  # no worker: the card is drawn here when Pelican ends
            pass
        self.queued[path] = (title, entry)

    def send(self, line: list) -> None:
        """Write ``line`` to the worker, waiting at most WAIT_SECONDS while its pipe is full
        (a stuck worker would otherwise hold Pelican for ever)."""
        data, pipe = (json.dumps(line) + "\n").encode(), self.worker.stdin.fileno()
        while data:
            if not select.select([], [pipe], [], WAIT_SECONDS)[1]:
                raise TimeoutError("the share-card worker takes no more cards")
            with contextlib.suppress(BlockingIOError):  # filled meanwhile: wait again
                data = data[os.write(pipe, data) :]

    def collect(self) -> None:
        """Wait for the worker. Having read every card's line and ended with status 0, it wrote
        them all; else each is placed here, from the cache when whole or drawn anew."""
        status = None
        if self.worker is not None:
            with contextlib.suppress(OSError):  # it ended early: its cards are drawn here
                self.worker.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):  # stuck: its cards are drawn here
                status = self.worker.wait(timeout=WAIT_SECONDS + WAIT_SECONDS_PER_CARD * len(self.queued))
            self.abandon()
        for path, (title, entry) in sorted(self.queued.items()) if status != 0 else ():
            self.deliver(path, title, load(entry), entry)
        self.queued.clear()

    def abandon(self) -> None:
        """Stop the worker (of a build Pelican did not finish, or stuck)."""
        if self.worker is not None:
            self.worker.kill()
            self.worker.wait()
            self.worker = None
