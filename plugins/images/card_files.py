"""Where each share card's file comes from: the cache, or drawn here.

A card's file is named by its key (title, site name, design version); a cached card is
checked and copied, never linked, so an edit of one cannot change the other."""

import errno
import functools
import logging
from pathlib import Path

from .cards import card_key, design_version, draw_card, palette
from .variants import load, store

log = logging.getLogger(__name__)


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
        try:
            place(cached or drawn(title, site_name, self.colours, entry), Path(self.outputs.folder) / path)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise  # one message for the build, naming the folder (sitebuild/build/pipeline.py)
            log.error("the share card for “%s” could not be made: %s", title, error)
        self.outputs.note(path)
        return path
