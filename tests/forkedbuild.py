"""`python -m sitebuild` for the tests without a quarter of a second of imports per build:
each build is a process of its own, forked from one that has imported the build, Pelican,
the plugins and this module (multiprocessing's forkserver), and runs sitebuild/__main__.py
as Python's -m does (runpy). Builds needing their own environment or folder start a new
Python instead."""

import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def preloaded():
    """The forkserver, with every module a build imports that takes time to import, and this
    one: each build unpickles _run from it, which would import it, conftest and pytest again."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "publishconf.py"))
    extensions = [name.partition(":")[0] for name in settings["MARKDOWN"]["extension_configs"]]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        [__name__, "sitebuild.build.pipeline", "sitebuild.build.drafts", "pelican", "pelican.generators"]
        + [name for name in settings["PLUGINS"] if isinstance(name, str)]
        + [name for name in extensions if "." in name]
    )
    return context


def _run(args, environment, stdout, stderr):
    os.environ.clear()
    os.environ.update(environment)  # the caller's now, as subprocess.run would pass it
    for fd, path in ((1, stdout), (2, stderr)):
        handle = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    os.chdir(ROOT)
    sys.argv = ["sitebuild", *args]
    runpy.run_module("sitebuild", run_name="__main__", alter_sys=True)


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    """``python -m sitebuild ARGS`` from the project's folder, as subprocess.run gives it."""
    with tempfile.TemporaryDirectory() as folder:
        stdout, stderr = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
        for path in (stdout, stderr):
            open(path, "w").close()
        process = preloaded().Process(target=_run, args=(args, dict(os.environ), stdout, stderr))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["python", "-m", "sitebuild", *args], timeout)
        with open(stdout, encoding="utf-8") as out, open(stderr, encoding="utf-8") as err:
            return subprocess.CompletedProcess(args, process.exitcode, out.read(), err.read())
