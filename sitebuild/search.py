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
Pagefind run sees only its shard), about 130 MiB each. The first shard is the bundle at ``pagefind/``, the others
``pagefind/part-N/``; ``pagefind/parts.json`` lists them and the search script merges
them into one search (Pagefind's ``mergeIndex``).

``SearchIndexer`` takes pages while Pelican is still rendering others (sitebuild/finishing.py
hands them over) and indexes each shard as soon as it is full, so most of the indexing
overlaps the render. Pagefind must read pages as rendered, not minified: minified HTML
has no space between ``</p><p>``, and Pagefind then joins the last word of a paragraph
to the first of the next. The finisher therefore holds back the minified text of a
searchable page until ``finish`` has returned.
"""

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
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
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
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


class SearchIndexer:
    """Indexes pages in shards as they are handed over, one Pagefind run at a time in a
    thread of its own, so indexing overlaps whatever the build does meanwhile."""

    def __init__(self, output_dir: Path, settings: dict):
        self.output_dir = Path(output_dir)
        self.size = settings.get("SEARCH_SHARD_PAGES", SHARD_PAGES)
        self.bundle = self.output_dir / BUNDLE_DIR
        self.seen: set[Path] = set()
        self.parts: list[str] = []
        self.problems: list[str] = []
        self._pending: list[Path] = []
        self._shards = 0
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._threads = [self._start_thread()]

    def _start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        thread.start()
        return thread

    def add(self, pages) -> None:
        """Pages to index (each with a data-pagefind-body region); thread-safe."""
        with self._lock:
            for page in map(Path, pages):
                if page not in self.seen:
                    self.seen.add(page)
                    self._pending.append(page)
            while len(self._pending) >= self.size:
                self._queue_shard(self._pending[:self.size])
                self._pending = self._pending[self.size:]

    def _queue_shard(self, pages: list[Path]) -> None:
        self._shards += 1
        part = self.bundle if self._shards == 1 else self.bundle / f"part-{self._shards}"
        if self._shards > 1:
            self.parts.append(f"part-{self._shards}/")
        self._queue.put((pages, part))

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            if not self.problems:  # after a failure the build is lost: skip the rest
                try:
                    index_shard(self.output_dir, *job)
                except BuildError as error:
                    self.problems += error.problems
                except Exception as error:  # reported by finish(), in the build's thread
                    self.problems.append(f"search index: {type(error).__name__}: {error}")

    def finish(self, known=frozenset()) -> None:
        """Index what is left, including marked pages nobody handed over (of those not in
        ``known``); wait for every shard; write the list of parts. Raise BuildError if any
        shard failed. Pelican has finished by now, so shards are indexed two at a time
        where there are cores for it (Pagefind keeps about one core busy)."""
        others = [p for p in sorted(self.output_dir.rglob("*.html")) if p not in self.seen and str(p) not in known]
        self.add(pages_to_index(self.output_dir, others))
        with self._lock:
            if self._pending:
                self._queue_shard(self._pending)
                self._pending = []
        if (os.cpu_count() or 1) > 1:
            self._threads.append(self._start_thread())
        self._stop()
        if self.problems:
            raise BuildError(self.problems)
        if not self._shards:
            raise BuildError([f"search index: no page in {self.output_dir} is marked data-pagefind-body"])
        (self.bundle / "parts.json").write_text(json.dumps(self.parts) + "\n", encoding="utf-8")
        for part in [self.bundle, *(self.bundle / p for p in self.parts)]:
            for pattern in UNUSED_BUNDLE_FILES:
                for path in part.glob(pattern):
                    path.unlink()

    def abandon(self) -> None:
        """Stop after the running shards: the build failed elsewhere."""
        self.problems.append("abandoned")
        self._stop()

    def _stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        shutil.rmtree(self.output_dir / SCRATCH, ignore_errors=True)


def build_search_index(output_dir: Path, settings: dict) -> None:
    """Write the Pagefind index for every marked page in ``output_dir``."""
    indexer = SearchIndexer(output_dir, settings)
    try:
        indexer.finish()
    except BaseException:
        indexer.abandon()
        raise
