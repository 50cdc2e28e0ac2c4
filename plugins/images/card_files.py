"""Where each share card's file comes from: the cache, a worker of the build, or drawn here.

A card is named by its key, so a page can name it before it is drawn; run by sitebuild, a
missing card is drawn by the build's workers (sitebuild/background.py), run by hand, here.
A cached card is checked and copied, never linked, so an edit of one cannot change the other."""

import functools
from pathlib import Path

from blinker import signal

from .cards import card_key, design_version, draw_card, palette
from .variants import load, store

# Answered by sitebuild/background.py while a build runs: True when it took the job.
BACKGROUND_JOB = signal("sitebuild.background_job")


def place(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def drawn(title: str, site_name: str, colours: dict, entry: Path | None) -> bytes:
    """The card's bytes, freshly drawn and kept in the cache."""
    data = draw_card(title, site_name, colours)
    if entry:
        store(entry, data)
    return data


def make_card(title: str, site_name: str, colours: dict, entry: Path | None, target: Path) -> None:
    """Draw one card into the cache and the output (in a worker of the build)."""
    try:
        place(drawn(title, site_name, colours, entry), target)
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
        cached = load(entry)
        if self.outputs.folder is None:  # Pelican run by hand: the files wait in memory
            self.outputs[path] = cached or drawn(title, site_name, self.colours, entry)
            return path
        target = Path(self.outputs.folder) / path
        if cached:
            place(cached, target)
        else:
            job = functools.partial(make_card, title, site_name, self.colours, entry, target)
            if not handed_off(job):
                job()
        self.outputs.note(path)
        return path
