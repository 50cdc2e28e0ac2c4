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
only that page's compressed copies (from its minified text) and ``finish_the_rest``
minifies it in place once the index is written. (Writing the minified text beside it
and renaming it over the page cost a new file and a freed one per post: on ext4 a file
created within minutes of thousands being deleted costs about 0.5 ms instead of
0.02 ms, as the file system skips recently freed inodes.) Which pages are searchable is
noted here, in the build process, as Pelican writes them, so Pagefind can start the
moment Pelican ends, while the worker is still finishing.

Workers die with the build (sitebuild/lifeline.py); a worker that dies (killed, or out
of memory) fails the build with a message, never a hang.
"""

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pelican import signals

from .compress import compress_file
from .errors import BuildError, disk_full
from .lifeline import die_with_parent
from .minify import minify_page
from .search import MARKER

BATCH = 32
WORKER_DIED = "finishing: a worker process ended abruptly (killed, or out of memory); nothing was published"


def finish_files(root: str, paths: list[str], minify: bool, compress: bool, held=frozenset()) -> list[str]:
    """Finish these files; return the problems, one per file that failed. The ``held``
    pages (searchable ones) are left as they are; only their copies are written."""
    problems = []
    for name in paths:
        path = Path(name)
        try:
            if path.suffix != ".html":
                if compress:
                    compress_file(path)
                continue
            data = path.read_bytes()
            if minify:
                try:
                    data = minify_page(data.decode("utf-8")).encode("utf-8")
                except Exception as error:  # minify-html raises plain exceptions on bad input
                    raise ValueError(f"could not be minified: {error}") from error
                if name not in held:
                    path.write_bytes(data)
            if compress:
                compress_file(path, data)
        except (OSError, ValueError) as error:
            if disk_full(error):
                raise  # one message for the build, naming the folder (sitebuild/build.py)
            problems.append(f"{os.path.relpath(name, root)}: {error}")
    return problems


def is_searchable(path: str) -> bool:
    """Whether a page Pelican has just written carries Pagefind's mark (read back from the
    page cache: about 30 µs a page)."""
    with open(path, "rb") as page:
        return MARKER in page.read()


def _worker_started(parent: int) -> None:
    die_with_parent(parent)
    # A forked worker inherits the build's handlers, which turn a signal into a clean stop
    # of the build; a worker must simply end when terminated, and leave Ctrl-C to the build.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    # fork: a worker starts in milliseconds with the modules already imported.
    return ProcessPoolExecutor(
        max_workers=max(1, workers),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_started,
        initargs=(os.getpid(),),
    )


def finishing_jobs(settings: dict) -> tuple[bool, bool, bool]:
    """Which jobs are on: minify, compress, note searchable pages."""
    jobs = tuple(bool(settings.get(name)) for name in ("MINIFY", "PRECOMPRESS", "SEARCH_INDEX"))
    if any(jobs) and settings.get("REUSE_UNCHANGED_PAGES"):
        # A reused page is a hard link shared with the previous build: finishing it in
        # place would rewrite the site being served.
        raise BuildError(
            [
                "settings: MINIFY, PRECOMPRESS and SEARCH_INDEX cannot be combined with "
                "REUSE_UNCHANGED_PAGES (production builds render every page)"
            ]
        )
    return jobs


def _gather(jobs) -> list[str]:
    """Wait for ``jobs``; return their problems."""
    problems = []
    try:
        for job in jobs:
            problems += job.result()
    except BrokenProcessPool:
        raise BuildError([WORKER_DIED]) from None
    return problems


class Finisher:
    """Finishes each file Pelican writes, in a worker process, while Pelican renders on."""

    def __init__(self, settings: dict, output: Path):
        self.output = str(output)
        self.minify, self.compress, self.for_search = finishing_jobs(settings)
        self.active = self.minify or self.compress or self.for_search
        self.finished: list[str] = []
        self.searchable: list[str] = []  # known as soon as Pelican has written them
        self._batch: list[str] = []
        self._batch_held: set[str] = set()
        self._submitted = []
        self._pool = None

    def __enter__(self):
        if self.active:
            self._pool = worker_pool((os.cpu_count() or 1) - 1)  # Pelican has a core
            signals.content_written.connect(self._written, weak=False)
            signals.feed_written.connect(self._written, weak=False)
        return self

    def __exit__(self, *exc_info):
        if self.active:
            signals.content_written.disconnect(self._written)
            signals.feed_written.disconnect(self._written)
            self._pool.shutdown(cancel_futures=True)

    def _written(self, path, **_):
        path = os.path.abspath(path)
        if self.for_search and path.endswith(".html") and is_searchable(path):
            self.searchable.append(path)
            self._batch_held.add(path)
        self._batch.append(path)
        if len(self._batch) >= BATCH:
            self._submit()

    def _submit(self):
        if not self._batch:
            return
        try:
            self._submitted.append(
                self._pool.submit(
                    finish_files, self.output, self._batch, self.minify, self.compress, self._batch_held
                )
            )
        except BrokenProcessPool:
            raise BuildError([WORKER_DIED]) from None
        self.finished += self._batch
        self._batch, self._batch_held = [], set()

    def wait(self) -> dict:
        """Wait for every announced file. Return what was done: the ``finished`` files
        and the ``searchable`` pages (left as rendered until the index is written); raise
        BuildError naming any file that failed."""
        if self.active:
            self._submit()
        problems = _gather(self._submitted)
        if problems:
            raise BuildError(problems)
        return {"finished": sorted(self.finished), "searchable": sorted(self.searchable)}


def finish_the_rest(settings: dict, output: Path, rendered: dict) -> None:
    """After the search index: minify the held (searchable) pages in place, and finish
    every file Pelican did not announce (``rendered`` is what ``Finisher.wait`` returned)."""
    minify, compress, _ = finishing_jobs(settings)
    if not (minify or compress):
        return
    done = set(rendered["finished"])
    every_file = (os.path.join(folder, name) for folder, _, names in os.walk(output) for name in names)
    rest = sorted(name for name in every_file if name not in done)
    held = rendered["searchable"] if minify else []
    with worker_pool(os.cpu_count() or 1) as pool:
        problems = _gather(
            [
                pool.submit(finish_files, str(output), held[i : i + BATCH], True, False)
                for i in range(0, len(held), BATCH)
            ]
            + [
                pool.submit(finish_files, str(output), rest[i : i + BATCH], minify, compress)
                for i in range(0, len(rest), BATCH)
            ]
        )
    if problems:
        raise BuildError(problems)
