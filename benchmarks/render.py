"""The render step alone: ``python -m benchmarks.render CONTENT CACHE OUTPUT``.

The development build (`invoke build`) with its search index switched off, i.e.
Pelican producing HTML, which the issue's render target compares with plain Pelican.
Development builds no longer index for search, so this is now the same work as the
scale benchmark's ``build`` step; both are kept so earlier reports stay comparable.
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
