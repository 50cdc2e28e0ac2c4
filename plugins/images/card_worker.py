"""Draw share cards into the output and the picture cache on the machine's other core while
Pelican renders (card_files.py starts it when many cards are missing, tied to the build's life).
Reads a JSON header line (site name, colours), then one line per card: title, entry, file."""

import json
import os
import sys
from pathlib import Path

from .card_files import place
from .cards import draw_card
from .picture_cache import store


def main() -> None:
    site_name, colours = json.loads(sys.stdin.readline())
    for line in sys.stdin:
        title, entry, target = json.loads(line)
        data = draw_card(title, site_name, colours)
        store(Path(entry), data)
        place(data, Path(target))


if __name__ == "__main__":
    main()
    # The build waits for this process to end: skip the interpreter's teardown (nothing is buffered).
    os._exit(0)
