"""Draw share cards into the picture cache on the machine's other core while Pelican renders
(card_files.py starts it when many cards are missing, tied to the build's life). Reads a JSON
header line (site name, colours), then one line per card: its title and cache entry."""

import json
import os
import sys
from pathlib import Path

from .cards import draw_card
from .picture_cache import store


def main() -> None:
    site_name, colours = json.loads(sys.stdin.readline())
    for line in sys.stdin:
        title, entry = json.loads(line)
        store(Path(entry), draw_card(title, site_name, colours))


if __name__ == "__main__":
    main()
    # The build waits for this process to end: skip the interpreter's teardown (nothing is buffered).
    os._exit(0)
