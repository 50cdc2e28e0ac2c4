"""Tie every process a build starts to the build's own life (Linux).

A build's helpers (finishing workers, Pagefind) must never outlive it: an orphan keeps
writing into a folder nobody will publish, holds the output lock (sitebuild/atomic.py)
that the next build waits for, and holds the pipe of whoever started the build, so an
``invoke publish`` whose build was killed would never return. The kernel's parent-death
signal (prctl PR_SET_PDEATHSIG) kills a child the moment its parent dies, even by
SIGKILL or the OOM killer, which no handler in the parent can catch.
"""

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def die_with_parent(parent: int) -> None:
    """Called in a new child: be killed when ``parent`` dies; exit now if it already has."""
    if hasattr(_libc, "prctl"):
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def child_dies_with_me():
    """A ``preexec_fn`` for subprocess: the child is killed when this process dies."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)
