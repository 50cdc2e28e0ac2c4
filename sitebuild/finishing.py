"""Finish each file of a production build (minify it, write its .gz and .br copies, note
whether it is searchable) while Pelican is still rendering the others.

Pelican renders on one core. Finishing every file after it, as separate passes, cost
as much again as the render at 1,000 posts; here a worker process on the other cores
takes each page and feed as soon as Pelican announces it written (its
``content_written`` and ``feed_written`` signals). Files Pelican does not announce
(static files, the stylesheet, the sitemap, the search index) are finished by
``finish_the_rest``, after the search index, so every copy is made from final bytes.
``MINIFY``, ``PRECOMPRESS`` and ``SEARCH_INDEX`` switch the jobs on.

Pagefind must read a searchable page as rendered (see search.py), so the worker writes
that page's minified text beside it (``.min``) and ``release_held_pages`` moves it into
place once the index is written. A file with another link (a page shared with the
previous build, plugins/page_reuse.py) is replaced, never rewritten in place.
"""

import os
import threading
from concurrent.futures import ProcessPoolExecutor, wait
from pathlib import Path

from pelican import signals

from .compress import compress_file
from .errors import BuildError
from .minify import minify_page
from .search import MARKER

BATCH = 32
HELD = ".min"


def finish_files(root: str, paths: list[str], minify: bool, compress: bool, for_search: bool):
    """Finish these files. Return the problems (one per file that failed) and the
    searchable pages, whose minified text is held back beside them."""
    problems, searchable = [], []
    for name in paths:
        path = Path(name)
        try:
            if path.suffix != ".html":
                if compress:
                    compress_file(path)
                continue
            data = path.read_bytes()
            held = for_search and MARKER in data
            if held:
                searchable.append(name)
            if minify:
                try:
                    data = minify_page(data.decode("utf-8")).encode("utf-8")
                except Exception as error:  # minify-html raises plain exceptions on bad input
                    raise ValueError(f"could not be minified: {error}") from error
                if held:
                    path.with_name(path.name + HELD).write_bytes(data)
                else:
                    rewrite(path, data)
            if compress:
                compress_file(path, data)
        except (OSError, ValueError) as error:
            problems.append(f"{os.path.relpath(name, root)}: {error}")
    return problems, searchable


def rewrite(path: Path, data: bytes) -> None:
    """Give ``path`` new contents without changing any other link to its file."""
    if os.stat(path).st_nlink == 1:  # nobody shares it: rewriting in place is cheapest
        path.write_bytes(data)
    else:
        fresh = path.with_name(path.name + HELD)
        fresh.write_bytes(data)
        os.replace(fresh, path)


def _ready() -> None:
    """Start a worker before Pelican has grown: a forked worker copies its parent."""


class Finisher:
    """Finishes files in worker processes, during and after Pelican's render."""

    def __init__(self, settings: dict, output: Path, finished=(), held=()):
        """``finished`` and ``held``: what an earlier Finisher of this build did."""
        self.output = str(output)
        self.minify, self.compress = bool(settings.get("MINIFY")), bool(settings.get("PRECOMPRESS"))
        self.for_search = bool(settings.get("SEARCH_INDEX"))
        self.active = self.minify or self.compress or self.for_search
        self.workers = max(1, (os.cpu_count() or 1) - 1)  # Pelican keeps one core busy
        self.finished: set[str] = set(finished)
        self.held: list[str] = list(held)
        self.searchable: list[str] = []  # in the order Pelican wrote them
        self.problems: list[str] = []
        self._batch: list[str] = []
        self._jobs = []
        self._taken = set()
        self._lock = threading.Lock()
        self._pool = None

    def __enter__(self):
        if self.active:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
            self._pool.submit(_ready).result()
            signals.content_written.connect(self._written, weak=False)
            signals.feed_written.connect(self._written, weak=False)
        return self

    def __exit__(self, *exc_info):
        if self.active:
            signals.content_written.disconnect(self._written)
            signals.feed_written.disconnect(self._written)
            self._pool.shutdown(cancel_futures=True)

    def _written(self, path, **_):
        self._batch.append(os.path.abspath(path))
        if len(self._batch) >= BATCH:
            self._submit(for_search=self.for_search)

    def _submit(self, for_search: bool):
        if self._batch:
            job = self._pool.submit(finish_files, self.output, self._batch, self.minify, self.compress, for_search)
            job.add_done_callback(self._done)
            self._jobs.append(job)
            self.finished.update(self._batch)
            self._batch = []

    def _done(self, job):
        """Take a job's results, once: from the pool's thread as soon as it is done, or
        from ``wait``, whichever is first (the pool may run a callback after ``wait()``
        has returned, hence the lock)."""
        with self._lock:
            if job in self._taken or job.cancelled():
                return
            self._taken.add(job)
            if job.exception() is not None:
                self.problems.append(f"finishing failed: {job.exception()}")
                return
            problems, searchable = job.result()
            self.problems += problems
            self.searchable += searchable
            if self.minify:
                self.held += searchable

    def wait(self) -> None:
        """Wait for every announced file; raise BuildError naming any that failed."""
        if not self.active:
            return
        self._submit(for_search=self.for_search)
        wait(self._jobs)
        for job in self._jobs:
            self._done(job)
        self._jobs = []
        if self.problems:
            raise BuildError(self.problems)

    def release_held_pages(self) -> None:
        """Put the minified text of searchable pages in place; call after indexing."""
        for name in self.held:
            os.replace(name + HELD, name)
        self.held = []

    def finish_the_rest(self) -> None:
        """Finish every file in the output that Pelican did not announce."""
        if not self.active:
            return
        every_file = (os.path.join(folder, name) for folder, _, names in os.walk(self.output) for name in names)
        rest = sorted(name for name in every_file if name not in self.finished)
        for start in range(0, len(rest), BATCH):
            self._batch = rest[start:start + BATCH]
            self._submit(for_search=False)
        self.wait()
