"""`python -m sitebuild` for the tests without a quarter of a second of imports per build: each
build is a process forked from one that has imported what takes time to import. A build of this
project forks from multiprocessing's forkserver, which has imported the build, Pelican and the
plugins; a build in a copy of the project, from a `python -c` of this module's (serve) that has
imported only what comes from outside the project, so that the copy's own code is imported."""

import contextlib
import importlib
import json
import multiprocessing
import os
import runpy
import select
import signal
import socket
import subprocess
import sys
import tempfile
from functools import cache, partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"sitebuild", "plugins", "pelicanconf", "publishconf"}  # conftest.PROJECT_FILES' modules
SERVE = "forkedbuild.serve"  # the name this module runs under in the copies' server


@cache
def preloads():
    """The modules a build imports that take time to import, and those of them from outside the project."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "publishconf.py"))
    extensions = [name.partition(":")[0] for name in settings["MARKDOWN"]["extension_configs"]]
    modules = (
        ["sitebuild.build.pipeline", "sitebuild.build.drafts", "pelican", "pelican.generators"]
        + [name for name in settings["PLUGINS"] if isinstance(name, str)]
        + [name for name in extensions if "." in name]
    )
    return modules, [name for name in modules if name.partition(".")[0] not in PROJECT]


@cache
def preloaded():
    """The forkserver, with every module a build imports that takes time to import, and this
    one: each build unpickles _run from it, which would import it, conftest and pytest again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *preloads()[0]])
    return context


@cache
def _templates_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="forkedbuild-templates-")  # removed as this process ends


def compiled_templates() -> str:
    """A folder of this process's own, for the builds it forks to keep their compiled templates in."""
    return _templates_folder().name


# What, besides a template's file and source, changes the code it compiles to.
COMPILE_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
    "optimized", "is_async",
)  # fmt: skip


def keep_compiled_templates(folder: str) -> None:
    """Pelican's template environments keep what they compile in ``folder`` (Jinja's bytecode
    cache): a template is compiled by the first build that uses it and taken from there by
    the next while its file, its source and the environment's options are the same. It is
    the code Jinja would compile again; only the time differs."""
    import jinja2
    import pelican.generators

    class CompiledTemplates(jinja2.FileSystemBytecodeCache):
        def get_bucket(self, environment, name, filename, source):
            options = repr([getattr(environment, option) for option in COMPILE_OPTIONS])
            options += repr(sorted(environment.extensions))  # by name: each environment has its own
            return super().get_bucket(environment, name, f"{filename}\0{options}", source)

    cache = CompiledTemplates(folder)
    pelican.generators.Environment = partial(jinja2.Environment, bytecode_cache=cache)


def _run(args, environment, stdout, stderr, templates, cwd=ROOT):
    keep_compiled_templates(templates)
    os.environ.clear()
    os.environ.update(environment)  # the caller's now, as subprocess.run would pass it
    for fd, path in ((1, stdout), (2, stderr)):
        handle = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    os.chdir(cwd)
    sys.argv = ["sitebuild", *args]
    runpy.run_module("sitebuild", run_name="__main__", alter_sys=True)


@cache
def copies_server():
    """(the server for builds in a copy of the project, its address). Run as `python -c`, its
    import path starts with "", the folder it is in: a build, once in its copy's folder,
    imports that copy's code, as `python -m sitebuild` there would. Its stdin closes with
    this process, which ends it."""
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("")  # an address of its own in Linux's abstract namespace
        listener.listen()
        code = f"import runpy, sys; runpy.run_path(sys.argv[1], run_name={SERVE!r})"
        arguments = [__file__, str(listener.fileno()), json.dumps(preloads()[1])]
        server = subprocess.Popen(
            [sys.executable, "-c", code, *arguments], stdin=subprocess.PIPE, pass_fds=[listener.fileno()]
        )
        return server, listener.getsockname()


def serve(listener_fd: int, modules: list[str]):
    """Import ``modules``, then for each connection fork a handler, which forks the build the
    request asks for, sends its process id, and its exit status once it has ended."""
    for name in modules:
        with contextlib.suppress(ImportError):  # the build then fails importing it, as in a new Python
            importlib.import_module(name)
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # handlers are reaped as they end
    listener = socket.socket(fileno=listener_fd)
    while sys.stdin not in select.select([listener, sys.stdin], [], [])[0]:  # until the tests end
        connection, _ = listener.accept()
        if os.fork():
            connection.close()
            continue
        listener.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        with connection.makefile() as lines:
            request = json.loads(lines.readline())
        build = os.fork()
        if not build:
            connection.close()
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            _run(**request)
            return  # this Python ends as `python -m sitebuild` would: 0, or the build's exit
        connection.sendall(f"{build}\n".encode())
        status = os.waitstatus_to_exitcode(os.waitpid(build, 0)[1])
        connection.sendall(f"{status}\n".encode())
        os._exit(0)


def _in_a_copy(args, environment, stdout, stderr, cwd, timeout):
    """The exit status of the build of ``args`` in the copy ``cwd``, forked by the copies' server."""
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(copies_server()[1])
        request = {
            "args": args,
            "environment": environment,
            "stdout": stdout,
            "stderr": stderr,
            "templates": compiled_templates(),
            "cwd": cwd,
        }
        client.sendall((json.dumps(request) + "\n").encode())
        client.settimeout(timeout)
        received, expired = b"", False
        while received.count(b"\n") < 2:  # the build's process id, then its exit status
            try:
                chunk = client.recv(64)
            except TimeoutError:
                os.kill(int(received.split(b"\n", 1)[0]), signal.SIGKILL)
                client.settimeout(None)
                chunk, expired = client.recv(64), True
            assert chunk, "the server of builds in copies ended"
            received += chunk
        if expired:
            raise subprocess.TimeoutExpired(["python", "-m", "sitebuild", *args], timeout)
        return int(received.split(b"\n")[1])


def run(args: list[str], timeout: float, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m sitebuild ARGS`` in ``cwd``, the project's folder or a copy of it, as
    subprocess.run gives it."""
    with tempfile.TemporaryDirectory() as folder:
        stdout, stderr = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
        for path in (stdout, stderr):
            open(path, "w").close()
        if Path(cwd) == ROOT:
            arguments = (args, dict(os.environ), stdout, stderr, compiled_templates())
            process = preloaded().Process(target=_run, args=arguments)
            process.start()
            process.join(timeout)
            if process.exitcode is None:
                process.kill()
                process.join()
                raise subprocess.TimeoutExpired(["python", "-m", "sitebuild", *args], timeout)
            exitcode = process.exitcode
        else:
            exitcode = _in_a_copy(args, dict(os.environ), stdout, stderr, str(cwd), timeout)
        with open(stdout, encoding="utf-8") as out, open(stderr, encoding="utf-8") as err:
            return subprocess.CompletedProcess(args, exitcode, out.read(), err.read())


if __name__ == SERVE:
    serve(int(sys.argv[2]), json.loads(sys.argv[3]))
