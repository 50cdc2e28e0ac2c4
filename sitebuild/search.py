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

Pagefind holds the whole index in memory while it builds it: about 1.4 GiB for 5,000
posts. So the pages to index are split into shards of ``SEARCH_SHARD_PAGES`` (each
Pagefind run sees only its shard, hard-linked into a scratch folder inside the staging
folder), about 130 MiB each. The first shard is the bundle at ``pagefind/``, the others
``pagefind/part-N/``; ``pagefind/parts.json`` lists them and the search script merges
them into one search (Pagefind's ``mergeIndex``).

Pagefind reads each page as rendered: when a page was minified before this step
(sitebuild/finishing.py), its rendered text waits at the same path under ``SOURCE``,
which is removed once the index is written.
"""

import json
import os
import shutil
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
SHARD_PAGES = 500
MARKER = b"data-pagefind-body"
SCRATCH = ".search-shard"
SOURCE = ".search-source"


def pages_to_index(output_dir: Path) -> list[Path]:
    """Pages Pagefind would index: those with a data-pagefind-body region."""
    return [p for p in sorted(output_dir.rglob("*.html"))
            if p.relative_to(output_dir).parts[0] not in (SOURCE, SCRATCH) and MARKER in p.read_bytes()]


def run_pagefind(site: Path, bundle: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site),
               "--output-path", str(bundle), "--silent"]
    for selector in NOT_TEXT_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = " ".join(dict.fromkeys(lines)) or f"exit status {result.returncode}"
        raise BuildError([f"search index: Pagefind failed on {site}: {detail}"])


def index_shard(output_dir: Path, pages: list[Path], bundle: Path) -> None:
    scratch = output_dir / SCRATCH
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        for page in pages:
            relative = page.relative_to(output_dir)
            rendered = output_dir / SOURCE / relative
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(rendered if rendered.exists() else page, target)
        run_pagefind(scratch, bundle)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_search_index(output_dir: Path, settings: dict) -> None:
    """Write the Pagefind index for the site in ``output_dir``; raise BuildError on failure."""
    output_dir = Path(output_dir)
    try:
        _index(output_dir, settings)
    finally:
        shutil.rmtree(output_dir / SOURCE, ignore_errors=True)


def _index(output_dir: Path, settings: dict) -> None:
    pages = pages_to_index(output_dir)
    if not pages:
        raise BuildError([f"search index: no page in {output_dir} is marked data-pagefind-body"])
    size = settings.get("SEARCH_SHARD_PAGES", SHARD_PAGES)
    shards = [pages[i:i + size] for i in range(0, len(pages), size)]
    bundle = output_dir / BUNDLE_DIR
    parts = []
    for number, shard in enumerate(shards, start=1):
        part = bundle if number == 1 else bundle / f"part-{number}"
        index_shard(output_dir, shard, part)
        if number > 1:
            parts.append(f"part-{number}/")
    (bundle / "parts.json").write_text(json.dumps(parts) + "\n", encoding="utf-8")
    for part in [bundle, *(bundle / p for p in parts)]:
        for pattern in UNUSED_BUNDLE_FILES:
            for path in part.glob(pattern):
                path.unlink()
