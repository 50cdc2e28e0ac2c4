"""One build or deploy of an output folder at a time, and a swap readers never see.

Every build and every deploy of ``output`` holds an exclusive lock (``output_lock``) on
a file beside it for as long as it works, so a deploy never reads a folder a build is
swapping, two builds never share a staging folder or a cache, and whatever is left
beside ``output`` by a killed build or deploy is garbage for the next holder to remove.
The kernel drops the lock when its holder dies, however it dies, so a lock is never
stale.

A build writes into a staging folder beside the output (same file system, so a rename
is possible). On success the two folders are exchanged with renameat2(RENAME_EXCHANGE),
which Linux performs atomically; where that call is missing, two renames leave a window
of microseconds instead of the length of a build. A build that fails or is killed never
touches the output folder.
"""

import ctypes
import ctypes.util
import fcntl
import functools
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".output-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def lock_path(output: Path) -> Path:
    output = Path(output)
    return output.parent / f"{STAGING_PREFIX}{output.name}.lock"


@contextmanager
def output_lock(output: Path, waiter: str = "build"):
    """Hold the lock of ``output`` (waiting, with a message, while another holds it), and
    clear what killed builds and deploys of it left behind."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path(output), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"{waiter}: waiting for another build or deploy of {output} to finish", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        for leftover in leftovers(output):
            shutil.rmtree(leftover, ignore_errors=True)
        yield
    finally:
        os.close(handle)


def leftovers(output: Path) -> list[Path]:
    """Folders beside ``output`` that only a build or deploy of it makes, and the retired
    outputs of preview processes that have ended."""
    output = Path(output)
    # Exactly own_folder()'s names: a glob alone would also take the folders of another
    # output whose name starts with this one's ("output-x" beside "output").
    own = re.compile(re.escape(f"{STAGING_PREFIX}{output.name}-") + r"[a-z]+-\d+")
    ours = [p for p in output.parent.glob(f"{STAGING_PREFIX}{output.name}-*") if own.fullmatch(p.name)]
    return [p for p in ours if p.is_dir()] + [
        p for p in retired_folders(output) if _ended(_retired_by(output, p))
    ]


def retired_folder(output: Path) -> Path:
    """A new name for an output this process replaced and removes itself, later
    (sitebuild/live_build.py): outside the names the lock's next holder clears, until
    this process has ended."""
    output = Path(output)
    return output.parent / f"{_retired_prefix(output)}{os.getpid()}-{time.time_ns()}"


def retired_folders(output: Path) -> list[Path]:
    return sorted(p for p in Path(output).parent.glob(_retired_prefix(output) + "*") if p.is_dir())


def _retired_prefix(output: Path) -> str:
    return f"{STAGING_PREFIX}retired-{Path(output).name}-"


def _retired_by(output: Path, folder: Path) -> int | None:
    """The PID in a retired folder's name; None for a name retired_folder() did not make
    (such as another output's ``.output-retired-NAME-staging-…``), which is left alone."""
    owner, _, made = folder.name.removeprefix(_retired_prefix(output)).partition("-")
    return int(owner) if owner.isdigit() and made.isdigit() else None


def _ended(pid: int | None) -> bool:
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process, still running
        return False
    return False


def own_folder(output: Path, purpose: str) -> Path:
    """The path of this process's folder for ``purpose`` beside ``output``."""
    return Path(output).parent / f"{STAGING_PREFIX}{Path(output).name}-{purpose}-{os.getpid()}"


def new_folder(output: Path, purpose: str) -> Path:
    """An empty folder beside ``output`` for this process (call with the lock held)."""
    folder = own_folder(output, purpose)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


@functools.cache
def _libc():
    # find_library runs ldconfig in a subprocess: a quarter of a second, once per process.
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _exchange(a: Path, b: Path) -> bool:
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, output: Path, remove_previous: bool = True) -> None:
    """Make staging the new output; the previous output is removed afterwards, or with
    ``remove_previous=False`` left beside it, at ``staging``, as garbage for whoever
    removes it first: the caller, or the lock's next holder."""
    staging, output = Path(staging), Path(output)
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        if remove_previous:
            shutil.rmtree(staging)
        return
    retired = new_folder(output, "retired")
    retired.rmdir()
    os.rename(output, retired)
    os.rename(staging, output)
    if remove_previous:
        shutil.rmtree(retired)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
