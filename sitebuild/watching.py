"""Run a rebuild whenever a file the site is made from changes, told by the kernel.

livereload's own watcher looked at every file's modification time every 0.8 s and built
on the server's thread, so a save waited up to 0.8 s to be noticed and the server could
not answer while it built. Here watchfiles (installed with Pelican) is told of a change
by inotify and reports it once no other change has followed for 50 ms; one thread
rebuilds, and changes made during a build are gathered into one more build after it.

Watched: content/, theme/, plugins/, sitebuild/ and the two settings files, and the
installed packages' folders (their top level only, where an install or upgrade renames
a package's record), because a change to code is also a change to the site
(sitebuild/live_build.py restarts the build process for it).
"""

import contextlib
import queue
import sys
import threading
from pathlib import Path

import watchfiles

from .live_build import PACKAGE_FOLDERS, ROOT, SETTINGS_FILES

CODE_FOLDERS = [ROOT / name for name in ("theme", "plugins", "sitebuild")]


def project_sources(content: Path | None = None) -> list[tuple[list[Path], bool, object]]:
    """(paths, recursive, filter) for each watch: the content (by default content/) and the
    project's code, the settings files (their folder, not the files, which an editor may
    replace by renaming), the packages."""
    settings_names = set(SETTINGS_FILES)
    return [
        ([Path(content or ROOT / "content"), *CODE_FOLDERS], True, watchfiles.DefaultFilter()),
        ([ROOT], False, lambda change, path: Path(path).name in settings_names),
        (PACKAGE_FOLDERS, False, None),
    ]


def _watch(paths, recursive, watch_filter, changed: queue.Queue, stop: threading.Event) -> None:
    existing = [str(path) for path in paths if Path(path).exists()]
    if not existing:
        return
    try:
        for changes in watchfiles.watch(
            *existing,
            watch_filter=watch_filter,
            recursive=recursive,
            step=50,
            stop_event=stop,
            rust_timeout=500,
            raise_interrupt=False,
        ):
            changed.put(changes)
    except Exception as error:  # e.g. out of inotify watches: say so rather than go quiet
        print(f"livereload: stopped watching {', '.join(existing)}: {error}", file=sys.stderr, flush=True)


def _rebuild_on_change(rebuild, changed: queue.Queue, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            changes = set(changed.get(timeout=0.5))
        except queue.Empty:
            continue
        with contextlib.suppress(queue.Empty):
            while True:  # everything saved before this build starts goes into it
                changes |= changed.get_nowait()
        rebuild(sorted({path for _, path in changes}))


@contextlib.contextmanager
def changes_run(rebuild, sources=None):
    """Call ``rebuild(changed_paths)`` (on a thread of its own) after every change while
    the block runs.
    ``sources``: (paths, recursive, filter) triples; by default the project's."""
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
