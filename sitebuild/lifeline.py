"""Tie a process a build starts to the build's life (Linux's parent-death signal, which
holds even when the build is killed by SIGKILL): an orphan would hold the output's lock
and the pipe of whoever started the build."""

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1
LIBC = ctypes.CDLL(None, use_errno=True)  # the C library this Python runs on, already loaded


def child_dies_with_me():
    """A ``preexec_fn`` for subprocess: the child is killed when this process dies."""
    parent = os.getpid()

    def die_with_parent() -> None:
        if hasattr(LIBC, "prctl"):
            LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect: exit now
            os._exit(1)

    return die_with_parent
