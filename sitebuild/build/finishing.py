"""Finish a production build's files once they are final (after the search index): minify
each page and write .gz and .br copies (``MINIFY``, ``PRECOMPRESS``), in a pool of worker
processes that die with the build (lifeline.py)."""

import functools
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..lifeline import die_with_parent
from .compress import compress_file
from .errors import BuildError, disk_full
from .minify import minify_page

BATCH = 32
WORKER_DIED = "finishing: a worker process ended abruptly (killed, or out of memory); nothing was published"


def finish_files(paths: list[str], root: str, minify: bool, compress: bool) -> list[str]:
    """Finish these files; return the problems, one per file that failed."""
    problems = []
    for name in paths:
        path = Path(name)
        try:
            data = path.read_bytes()
            if minify and path.suffix == ".html":
                try:
                    data = minify_page(data.decode("utf-8")).encode("utf-8")
                except Exception as error:  # minify-html raises plain exceptions on bad input
                    raise ValueError(f"could not be minified: {error}") from error
                path.write_bytes(data)
            if compress:
                compress_file(path, data)
        except (OSError, ValueError) as error:
            if disk_full(error):
                raise  # one message for the build, naming the folder (sitebuild/build/pipeline.py)
            problems.append(f"{os.path.relpath(name, root)}: {error}")
    return problems


def _worker_started(parent: int) -> None:
    die_with_parent(parent)
    # A forked worker inherits the build's handlers, which turn a signal into a clean stop
    # of the build; a worker must simply end when terminated, and leave Ctrl-C to the build.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def finish(settings: dict, output: Path) -> None:
    """Finish every file below ``output``; raise BuildError naming each that failed."""
    minify, compress = bool(settings.get("MINIFY")), bool(settings.get("PRECOMPRESS"))
    if not (minify or compress):
        return
    if settings.get("REUSE_UNCHANGED_PAGES"):
        # A reused page is a hard link shared with the previous build: finishing it in
        # place would rewrite the site being served.
        raise BuildError(["settings: MINIFY and PRECOMPRESS cannot be combined with REUSE_UNCHANGED_PAGES"])
    files = sorted(os.path.join(folder, name) for folder, _, names in os.walk(output) for name in names)
    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    job = functools.partial(finish_files, root=str(output), minify=minify, compress=compress)
    # fork: a worker starts in milliseconds with the modules already imported.
    pool = ProcessPoolExecutor(
        mp_context=multiprocessing.get_context("fork"), initializer=_worker_started, initargs=(os.getpid(),)
    )
    try:
        problems = [problem for found in pool.map(job, batches) for problem in found]
    except BrokenProcessPool:
        raise BuildError([WORKER_DIED]) from None
    finally:
        pool.shutdown(cancel_futures=True)  # a stopped build waits only for the batches under way
    if problems:
        raise BuildError(problems)
