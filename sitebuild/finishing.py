"""Finish each production file (minify, then write .gz and .br copies) while Pelican is
still rendering the others.

Pelican renders on one core. Finishing every file after it, as separate passes, cost
as much again as the render at 1,000 posts; here a worker process on the other cores
takes each page and feed as soon as Pelican announces it written (its
``content_written`` and ``feed_written`` signals). Files Pelican does not announce
(static files, the stylesheet, the sitemap, the search index) are finished by
``finish_the_rest`` after the search index is written, so every copy is made from final
bytes. ``MINIFY`` and ``PRECOMPRESS`` switch the two jobs on (publishconf.py).

Pagefind must index pages as rendered: minified HTML has no space between ``</p><p>``,
and Pagefind then joins the last word of one paragraph to the first of the next. So
with ``SEARCH_INDEX`` on, the worker keeps the rendered text of every page that has a
search region where sitebuild/search.py looks for it (``search.SOURCE``).
"""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pelican import signals

from . import search
from .compress import compress_file, is_compressible
from .errors import BuildError
from .minify import minify_file

BATCH = 32


def finish_files(root: str, paths: list[str], minify: bool, compress: bool, for_search: bool) -> list[str]:
    """Finish these files; return one problem per file that could not be finished."""
    problems = []
    for name in paths:
        path = Path(name)
        try:
            if minify and path.suffix == ".html":
                if for_search:
                    keep_for_search(Path(root), path)
                minify_file(path)
            if compress and is_compressible(path):
                compress_file(path)
        except (OSError, ValueError) as error:
            problems.append(f"{os.path.relpath(name, root)}: {error}")
    return problems


def keep_for_search(root: Path, page: Path) -> None:
    data = page.read_bytes()
    if search.MARKER in data:
        kept = root / search.SOURCE / page.relative_to(root)
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(data)


def _ready() -> None:
    """Start a worker before Pelican has grown: a forked worker copies its parent."""


class Finisher:
    """Finishes files in worker processes, during and after Pelican's render."""

    def __init__(self, settings: dict, output: Path):
        self.output = str(output)
        self.minify, self.compress = bool(settings.get("MINIFY")), bool(settings.get("PRECOMPRESS"))
        self.for_search = bool(settings.get("SEARCH_INDEX"))
        self.active = self.minify or self.compress
        self.workers = max(1, (os.cpu_count() or 1) - 1)  # Pelican keeps one core busy
        self.finished: set[str] = set()
        self._batch: list[str] = []
        self._jobs = []
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
            self._submit()

    def _submit(self):
        if self._batch:
            self._jobs.append(self._pool.submit(finish_files, self.output, self._batch, self.minify, self.compress,
                                               self.for_search))
            self.finished.update(self._batch)
            self._batch = []

    def wait(self) -> None:
        """Wait for every announced file; raise BuildError naming any that failed."""
        if not self.active:
            return
        self._submit()
        problems = [problem for job in self._jobs for problem in job.result()]
        self._jobs = []
        if problems:
            raise BuildError(problems)

    def finish_the_rest(self) -> None:
        """Finish every file in the output that Pelican did not announce."""
        if not self.active:
            return
        rest = sorted(str(p) for p in Path(self.output).rglob("*") if p.is_file() and str(p) not in self.finished)
        self.for_search = False  # the index is written by now
        for start in range(0, len(rest), BATCH):
            self._batch = rest[start:start + BATCH]
            self._submit()
        self.wait()
