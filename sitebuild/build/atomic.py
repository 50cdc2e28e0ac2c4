"""One build or deploy of an output folder at a time (a lock beside its real path, dropped by
the kernel when its holder dies), and a swap readers never see: a build writes a staging
folder beside the output and exchanges the two atomically (renameat2 RENAME_EXCHANGE), never
over a folder holding what no build of it made (a record beside it names the one it made)."""

import fcntl
import os
import re
import shutil
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from .. import BUILD_COMMAND, IMAGE_CACHE, MAKE_COMMAND
from ..lifeline import LIBC
from .cache import FINGERPRINT
from .errors import BuildError, disk_full

STAGING_PREFIX = ".output-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
REPLACING = (
    "the output {} is or holds {} {}: a build replaces its output folder whole, deleting what "
    f"is in it; build into a folder of its own (output/ linked to one, or {BUILD_COMMAND} --output DIR)"
)
NOT_A_BUILD = (
    "the output {} holds files no build of it made: a build replaces its output folder whole, "
    f"deleting them; build into an empty or new folder (output/ linked to one, or {BUILD_COMMAND} "
    "--output DIR), or, if it holds only an earlier build of this site, delete it and build again; "
    f"to publish into a server's folder, use {MAKE_COMMAND} deploy --target rsync"
)

CANNOT_WRITE_BESIDE = (
    "cannot write beside the output {}: {} ({}) must be a writable folder, where every build and "
    "deploy of it keeps its lock and working folders; make it writable, or build into a folder "
    f"in a writable one (output/ linked to one, or {BUILD_COMMAND} --output DIR)"
)


@contextmanager
def output_lock(output: Path, waiter: str = "build"):
    """Hold the lock of ``output`` (waiting, with a message, while another holds it), and
    clear what killed builds and deploys of it left behind."""
    output = Path(output).resolve()  # a build and a deploy spelling output/ differently share one lock
    lock = output.parent / f"{STAGING_PREFIX}{output.name}.lock"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if disk_full(error):
            raise  # named as such by the build
        raise BuildError([CANNOT_WRITE_BESIDE.format(output, output.parent, error.strerror)]) from error
    try:
        lock_waiting(handle, f"{waiter}: waiting for another build or deploy of {output} to finish")
        for leftover in leftovers(output):
            shutil.rmtree(leftover, ignore_errors=True)
        yield
    finally:
        os.close(handle)


def lock_waiting(handle: int, waiting: str) -> None:
    """Lock the open file ``handle`` (flock), saying ``waiting`` first if another holds it."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(waiting, file=sys.stderr)
        fcntl.flock(handle, fcntl.LOCK_EX)


def leftovers(output: Path) -> list[Path]:
    """Folders beside ``output`` that only a build or deploy of it makes."""
    # Exactly own_folder()'s names: not another output's whose name starts with this one's.
    own = re.compile(re.escape(f"{STAGING_PREFIX}{output.name}-") + r"[a-z]+-\d+")
    return [path for path in output.parent.iterdir() if own.fullmatch(path.name) and path.is_dir()]


def own_folder(output: Path, purpose: str) -> Path:
    """The path of this process's folder for ``purpose`` beside ``output``."""
    return Path(output).parent / f"{STAGING_PREFIX}{Path(output).name}-{purpose}-{os.getpid()}"


def new_folder(output: Path, purpose: str) -> Path:
    """An empty folder beside ``output`` for this process (call with the lock held)."""
    folder = own_folder(output, purpose)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def _record(output: Path) -> Path:
    return output.parent / f"{STAGING_PREFIX}{output.name}.built"


def _identity(folder: Path) -> str:
    status = folder.stat()
    return f"{status.st_dev}:{status.st_ino}"


def refuse_replacing(output: Path, kept: dict[str, Path], ours: Path) -> None:
    """Refuse an existing ``output`` (resolved) the swap must not delete: one that is or holds a
    folder of ``kept`` (by device and inode: a second path to one too), or one holding files that
    is neither ``ours`` (the project's own) nor the folder a build of it swapped in (its record)."""
    if not output.is_dir():
        return  # none yet: nothing is replaced (a file in its place fails the swap, by name)
    for name, folder in kept.items():
        folder = Path(folder).resolve()
        if any(place.exists() and os.path.samefile(output, place) for place in (folder, *folder.parents)):
            raise BuildError([REPLACING.format(output, name, folder)])
    record = _record(output)
    if (
        output != ours
        and any(output.iterdir())
        and not (record.is_file() and record.read_text() == _identity(output))
    ):
        raise BuildError([NOT_A_BUILD.format(output)])


def remove_build(output: Path, kept: dict[str, Path], ours: Path, cache: Path) -> None:
    """Delete the build in ``output`` (through a link, the folder it names; the link stays), its record,
    its leftovers and ``cache`` (through a link, what builds made in the folder it names), holding
    its lock; refuse, as a build would, a folder that is not a build."""
    output = Path(output).resolve()
    with output_lock(output, "clean"):  # which also clears the leftovers
        refuse_replacing(output, kept, ours)
        # An empty folder the link names may be a server's root, made by someone else: kept.
        if output.is_dir() and (output == ours or any(output.iterdir())):
            shutil.rmtree(output)
        _record(output).unlink(missing_ok=True)
        # Under the lock: no build of output/ reads it. Through a link, the folder it names stays
        # (a link naming nothing, a build refuses), with only what builds make in it: it may be
        # a disk's root, holding more than the cache.
        if Path(cache).is_symlink():
            for made in Path(cache).resolve().glob("*"):
                by_builds = made.name == IMAGE_CACHE or FINGERPRINT.fullmatch(made.name)
                if by_builds and made.is_dir() and not made.is_symlink():
                    shutil.rmtree(made, ignore_errors=True)
        else:
            shutil.rmtree(cache, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    exchange = getattr(LIBC, "renameat2", None)
    return exchange is not None and exchange(_AT_FDCWD, bytes(a), _AT_FDCWD, bytes(b), _RENAME_EXCHANGE) == 0


def publish(staging: Path, output: Path) -> None:
    """Make staging the new output, recorded as a build's, then remove the previous one."""
    previous = staging  # where an exchange leaves it (after a rename, nothing is there)
    if not output.exists():
        os.rename(staging, output)
    elif not _exchange(staging, output):
        previous = own_folder(output, "retired")  # free: the lock's holder cleared the leftovers
        os.rename(output, previous)
        try:
            os.rename(staging, output)
        except OSError:
            os.rename(previous, output)
            raise
    shutil.rmtree(previous, ignore_errors=True)
    # Once the new output is in place nothing may fail the build: a previous output that cannot be
    # removed now is the lock's next holder's to remove; without its record, the next build asks.
    with suppress(OSError):
        record_built(output)


def record_built(output: Path) -> None:
    """Record ``output`` as the folder a build of it made, which the next build may replace."""
    _record(output).write_text(_identity(output))
