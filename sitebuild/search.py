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
posts. So the pages to index are split into shards of ``SEARCH_SHARD_PAGES``, two
indexed at a time (each Pagefind run sees only its shard: about 70 MiB for 250
pages). The first shard is the bundle at ``pagefind/``, the others ``pagefind/part-N/``;
``pagefind/parts.json`` lists them and the search script merges them into one search
(Pagefind's ``mergeIndex``).

Pagefind must read pages as rendered, not minified: minified HTML has no space between
``</p><p>``, and Pagefind then joins the last word of a paragraph to the first of the
next. The finisher (sitebuild/finishing.py) therefore holds back the minified text of
a searchable page until the index is written.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import BuildError
from .lifeline import child_dies_with_me

BUNDLE_DIR = "pagefind"
UNUSED_BUNDLE_FILES = ["pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
                       "pagefind-highlight.js"]
# The permalink beside each heading (Markdown's toc extension) is a symbol, not text.
NOT_TEXT_SELECTORS = [".headerlink"]
TIMEOUT_SECONDS = 300
# 250 pages take Pagefind about 70 MiB and 0.45 s; two shards at a time use the two
# cores (one Pagefind run keeps about one busy) and stay under 200 MiB with the build.
SHARD_PAGES = 250
PARALLEL_SHARDS = 2
MARKER = b"data-pagefind-body"
SCRATCH = ".search-shard"
PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")


def pages_to_index(output_dir: Path, candidates=None) -> list[Path]:
    """Pages Pagefind would index (those with a data-pagefind-body region), of
    ``candidates`` or else of every page in ``output_dir``."""
    if candidates is None:
        candidates = sorted(output_dir.rglob("*.html"))
    return [p for p in candidates if p.relative_to(output_dir).parts[0] != SCRATCH and MARKER in p.read_bytes()]


def run_pagefind(site: Path, bundle: Path, glob: str | None = None) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site),
               "--output-path", str(bundle), "--silent"]
    if glob:
        command += ["--glob", glob]
    for selector in NOT_TEXT_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                preexec_fn=child_dies_with_me())
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = " ".join(dict.fromkeys(lines)) or f"exit status {result.returncode}"
        raise BuildError([f"search index: Pagefind failed on {site}: {detail}"])


def index_shard(output_dir: Path, pages: list[Path], bundle: Path) -> None:
    """Index exactly ``pages``. Pagefind takes them as one glob of alternatives when
    their paths hold no character that is special in a glob; otherwise they are
    hard-linked into a scratch folder for Pagefind to index whole (20,000 more file
    system operations for 5,000 pages)."""
    relative = [page.relative_to(output_dir).as_posix() for page in pages]
    if all(PLAIN_PATH.fullmatch(path) for path in relative):
        run_pagefind(output_dir, bundle, glob="{" + ",".join(relative) + "}")
        return
    scratch = output_dir / SCRATCH / bundle.name  # one per shard: shards may run at once
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        for page, path in zip(pages, relative):
            target = scratch / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
        run_pagefind(scratch, bundle)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _problems(run) -> list[str]:
    try:
        run.result()
    except BuildError as error:
        return error.problems
    return []


def build_search_index(output_dir: Path, settings: dict, searchable=(), looked_at=()) -> None:
    """Write the Pagefind index of every marked page in ``output_dir``, in shards run
    ``PARALLEL_SHARDS`` at a time. ``searchable``: pages already found marked, among
    ``looked_at`` (the finisher reads every page Pelican writes); only pages not looked
    at are read here."""
    output_dir = Path(output_dir)
    looked_at = set(looked_at)
    others = [p for p in sorted(output_dir.rglob("*.html")) if str(p) not in looked_at]
    pages = sorted({Path(p) for p in searchable} | set(pages_to_index(output_dir, others)))
    if not pages:
        raise BuildError([f"search index: no page in {output_dir} is marked data-pagefind-body"])
    size = settings.get("SEARCH_SHARD_PAGES", SHARD_PAGES)
    bundle = output_dir / BUNDLE_DIR
    shards = [(pages[start:start + size], bundle if start == 0 else bundle / f"part-{start // size + 1}")
              for start in range(0, len(pages), size)]
    parts = [f"{part.name}/" for _, part in shards[1:]]
    try:
        with ThreadPoolExecutor(max_workers=PARALLEL_SHARDS) as pool:
            runs = [pool.submit(index_shard, output_dir, shard, part) for shard, part in shards]
            problems = [problem for run in runs for problem in _problems(run)]
    finally:
        shutil.rmtree(output_dir / SCRATCH, ignore_errors=True)
    if problems:
        raise BuildError(problems)
    (bundle / "parts.json").write_text(json.dumps(parts) + "\n", encoding="utf-8")
    for part in [bundle, *(bundle / p for p in parts)]:
        for pattern in UNUSED_BUNDLE_FILES:
            for path in part.glob(pattern):
                path.unlink()
