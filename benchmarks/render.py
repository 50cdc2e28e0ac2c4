"""The render step alone: ``python -m benchmarks.render CONTENT CACHE OUTPUT``.

`invoke build` is Pelican producing HTML followed by the Pagefind index of it
(SEARCH_INDEX in pelicanconf.py). The issue's render target compares Pelican's part
with plain Pelican, so this runs the same development build with only the search
index switched off; the scale benchmark times `python -m sitebuild` as well.
"""

import logging
import sys
from pathlib import Path

from pelican.log import init as init_logging

from sitebuild.build import build


def main(argv=None) -> int:
    content, cache, output = (Path(arg).resolve() for arg in (argv or sys.argv[1:]))
    init_logging(level=logging.WARNING)
    build(production=False, output=output,
          overrides={"PATH": str(content), "CACHE_PATH": str(cache), "SEARCH_INDEX": False})
    return 0


if __name__ == "__main__":
    sys.exit(main())
