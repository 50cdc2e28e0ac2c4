"""Draw share cards into the picture cache on the machine's other core while Pelican renders
(card_files.py starts it when many cards are missing). Reads a JSON header line (site name,
colours, the build's process id), then one line per card: its title and cache entry."""

import json
import os
import sys
from pathlib import Path

from .cards import draw_card
from .variants import store


def main() -> None:
    site_name, colours, build = json.loads(sys.stdin.readline())
    for line in sys.stdin:
        if os.getppid() != build:  # the build is gone: what is queued is nobody's
            return
        title, entry = json.loads(line)
        store(Path(entry), draw_card(title, site_name, colours))


if __name__ == "__main__":
    main()
