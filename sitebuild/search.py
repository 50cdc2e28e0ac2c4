"""Index the finished HTML for search with Pagefind, into ``<output>/pagefind/``.

Pagefind (PyPI ``pagefind[bin]``, exact pin in requirements.txt) is a Rust program
shipped in a wheel; it runs as ``python -m pagefind`` in a subprocess, so the pinned
binary indexes the site and its messages can be reported when it fails. Only elements
marked ``data-pagefind-body`` (article and page bodies) are indexed; everything else is
left out by Pagefind itself once any page carries that mark. Pagefind's output for the
same HTML is byte-identical from run to run (tests/test_search_index.py builds twice).

The site's search page uses its own small script (theme/static/js/search.js) on
Pagefind's JavaScript API, so the prebuilt user interfaces Pagefind also writes are
deleted rather than published unused.
"""

import subprocess
import sys
from pathlib import Path

from .errors import BuildError

BUNDLE_DIR = "pagefind"
UNUSED_BUNDLE_FILES = ["pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
                       "pagefind-highlight.js"]
# The permalink beside each heading (Markdown's toc extension) is a symbol, not text.
NOT_TEXT_SELECTORS = [".headerlink"]
TIMEOUT_SECONDS = 300


def build_search_index(output_dir: Path, settings: dict) -> None:
    """Write the Pagefind index for the site in ``output_dir``; raise BuildError on failure."""
    output_dir = Path(output_dir)
    command = [sys.executable, "-m", "pagefind", "--site", str(output_dir),
               "--output-subdir", BUNDLE_DIR, "--silent"]
    for selector in NOT_TEXT_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
    bundle = output_dir / BUNDLE_DIR
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = " ".join(dict.fromkeys(lines)) or f"exit status {result.returncode}"
        raise BuildError([f"search index: Pagefind failed on {output_dir}: {detail}"])
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
