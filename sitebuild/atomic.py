"""Replace the output folder in one step, so readers never see a half-built site.

A build writes into a staging folder beside the output (same file system, so a rename
is possible). On success the two folders are exchanged with renameat2(RENAME_EXCHANGE),
which Linux performs atomically; where that call is missing, two renames leave a window
of microseconds instead of the length of a build. A build that fails or is killed never
touches the output folder; its staging folder is removed by the next build.
"""

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

STAGING_PREFIX = ".output-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def new_staging(output: Path) -> Path:
    """Create an empty staging folder for this process and clear ones left by dead builds."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    for stale in output.parent.glob(f"{STAGING_PREFIX}{output.name}-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    staging = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, output: Path) -> None:
    """Make staging the new output; the previous output is removed afterwards."""
    staging, output = Path(staging), Path(output)
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging)
        return
    retired = output.parent / f"{STAGING_PREFIX}{output.name}-retired-{os.getpid()}"
    os.rename(output, retired)
    os.rename(staging, output)
    shutil.rmtree(retired)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
