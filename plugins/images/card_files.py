"""Where each share card's file comes from: the cache, a worker of the build, or drawn here.

A card's file is named by its key (cards.card_key: title, site name, design version), not
by a digest of its bytes, so a page can name its card before it is drawn. Run by
sitebuild, a card not in the cache is handed to the build's worker processes
(sitebuild/background.py), which draw it while Pelican renders; the build waits for
them before it publishes, and fails naming the card if one could not be made. A card in
the cache is linked into the output. Run by hand (nobody takes the job), Pelican
draws each card itself, as small sites and tests need nothing more.
"""

import functools
import os
import shutil
from pathlib import Path

from blinker import signal

from .cards import card_key, design_version, draw_card, palette
from .variants import store

# Answered by sitebuild/background.py while a build runs: True when it took the job.
BACKGROUND_JOB = signal("sitebuild.background_job")


def place(entry: Path, target: Path) -> None:
    """Put a cached card at ``target``: a hard link (the cache replaces an entry by renaming
    a new file over it, never by writing into it), or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(entry, target)
    except OSError:
        shutil.copyfile(entry, target)


def drawn(title: str, site_name: str, colours: dict, entry: Path | None) -> bytes:
    """The card's bytes, freshly drawn and kept in the cache."""
    data = draw_card(title, site_name, colours)
    if entry:
        store(entry, data)
    return data


def make_card(title: str, site_name: str, colours: dict, entry: Path | None, target: Path) -> None:
    """Draw one card into the cache and the output (in a worker of the build)."""
    try:
        data = drawn(title, site_name, colours, entry)
        if entry:
            place(entry, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except Exception as error:
        raise RuntimeError(f"the share card for “{title}” could not be made: {error}") from error


def handed_off(job) -> bool:
    return any(taken for _, taken in BACKGROUND_JOB.send(job))


class Cards:
    """The cards of one build, each made once (``outputs`` holds the paths made)."""

    def __init__(self, settings: dict, outputs, cache: Path | None):
        self.settings = settings
        self.outputs = outputs
        self.cache = cache / "cards" if cache else None

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
        path = f"images/cards/{key[:10]}.png"
        if path in self.outputs:
            return path
        entry = self.cache / f"{key}.png" if self.cache else None
        cached = entry is not None and entry.is_file()
        if self.outputs.folder is None:  # Pelican run by hand: the files wait in memory
            self.outputs[path] = (
                entry.read_bytes() if cached else drawn(title, site_name, self.colours, entry)
            )
            return path
        target = Path(self.outputs.folder) / path
        if cached:
            place(entry, target)
        else:
            job = functools.partial(make_card, title, site_name, self.colours, entry, target)
            if not handed_off(job):
                job()
        self.outputs.note(path)
        return path
