"""Run a rebuild whenever a file the site is made from changes, told by the kernel
(watchfiles, inotify): the content and the code a build depends on (code_folders.py).
One thread rebuilds; changes saved during a build go into one more build after it."""

import contextlib
import queue
import sys
import threading
from pathlib import Path

import watchfiles

from ..code_folders import PACKAGE_FOLDERS, ROOT, SETTINGS_FILES, code_folders


def project_sources(content: Path | None = None) -> list[tuple[list[Path], bool, object]]:
    """(paths, recursive, filter) for each watch: the content and the code folders; the
    settings files (by their folder: an editor may replace a file by renaming); the
    installed packages (their top level, where an install renames a package's record)."""
    return [
        ([Path(content or ROOT / "content"), *code_folders()], True, watchfiles.DefaultFilter()),
        ([ROOT], False, lambda change, path: Path(path).name in SETTINGS_FILES),
        (PACKAGE_FOLDERS, False, None),
    ]


def _watch(paths, recursive, watch_filter, changed: queue.Queue, stop: threading.Event) -> None:
    existing = [str(path) for path in paths if Path(path).exists()]
    if not existing:
        return
    try:
        for changes in watchfiles.watch(
            *existing, watch_filter=watch_filter, recursive=recursive, step=50, stop_event=stop,
            rust_timeout=500, raise_interrupt=False,
        ):  # fmt: skip
            changed.put(changes)
    except Exception as error:  # e.g. out of inotify watches: say so rather than go quiet
        print(f"livereload: stopped watching {', '.join(existing)}: {error}", file=sys.stderr, flush=True)


def _rebuild_on_change(rebuild, changed: queue.Queue, stop: threading.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(queue.Empty):
            changes = set(changed.get(timeout=0.5))
            with contextlib.suppress(queue.Empty):
                while True:  # everything saved before this build starts goes into it
                    changes |= changed.get_nowait()
            rebuild(sorted({path for _, path in changes}))


@contextlib.contextmanager
def changes_run(rebuild, sources=None):
    """Call ``rebuild(changed_paths)`` after every change while the block runs;
    ``sources``: (paths, recursive, filter) triples, by default the project's."""
    changed, stop = queue.Queue(), threading.Event()
    threads = [
        threading.Thread(target=_watch, args=(*source, changed, stop), daemon=True)
        for source in sources or project_sources()
    ]
    threads.append(threading.Thread(target=_rebuild_on_change, args=(rebuild, changed, stop), daemon=True))
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
