"""One build or deploy of an output folder at a time (a lock beside its real path, dropped by
the kernel when its holder dies), and a swap readers never see: a build writes a staging
folder beside the output and exchanges the two atomically (renameat2 RENAME_EXCHANGE)."""

import fcntl
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from ..lifeline import LIBC

STAGING_PREFIX = ".output-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def output_lock(output: Path, waiter: str = "build"):
    """Hold the lock of ``output`` (waiting, with a message, while another holds it), and
    clear what killed builds and deploys of it left behind."""
    output = Path(output).resolve()  # a build and a deploy spelling output/ differently share one lock
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = output.parent / f"{STAGING_PREFIX}{output.name}.lock"
    handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
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
    """Folders beside ``output`` that only a build or deploy of it makes."""
    output = Path(output)
    # Exactly own_folder()'s names: a glob alone would also take the folders of another
    # output whose name starts with this one's ("output-x" beside "output").
    own = re.compile(re.escape(f"{STAGING_PREFIX}{output.name}-") + r"[a-z]+-\d+")
    found = output.parent.glob(f"{STAGING_PREFIX}{output.name}-*")
    return [path for path in found if own.fullmatch(path.name) and path.is_dir()]


def own_folder(output: Path, purpose: str) -> Path:
    """The path of this process's folder for ``purpose`` beside ``output``."""
    return Path(output).parent / f"{STAGING_PREFIX}{Path(output).name}-{purpose}-{os.getpid()}"


def new_folder(output: Path, purpose: str) -> Path:
    """An empty folder beside ``output`` for this process (call with the lock held)."""
    folder = own_folder(output, purpose)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def _exchange(a: Path, b: Path) -> bool:
    exchange = getattr(LIBC, "renameat2", None)
    return exchange is not None and exchange(_AT_FDCWD, bytes(a), _AT_FDCWD, bytes(b), _RENAME_EXCHANGE) == 0


def publish(staging: Path, output: Path) -> None:
    """Make staging the new output, then remove the previous one."""
    staging, output = Path(staging), Path(output)
    if not output.exists():
        os.rename(staging, output)
        return
    # Once the new output is in place nothing may fail the build: a previous output that
    # cannot be removed now is the lock's next holder's to remove.
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = new_folder(output, "retired")
    retired.rmdir()
    os.rename(output, retired)
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
