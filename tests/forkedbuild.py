"""`python -m sitebuild` for the tests without a quarter of a second of imports per build: each
build is a process forked from a server that has imported what a build imports (serve). A build
of this project forks from one that has imported the project's code too; a build in a copy of
the project, from one that has imported only what comes from outside the project, so that the
copy's own code is imported."""

import contextlib
import importlib
import importlib.util
import json
import os
import pkgutil
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
SERVE = "forkedbuild.serve"  # the name this module runs under in the servers


@cache
def preloads():
    """The modules a build imports, and those of them from outside the project. Besides those
    it names at its start, what it imports only as it runs: the modules of the project's plugin
    packages, the Markdown extensions "extra" stands for, and the minifier; not what sets
    anything up as it is imported (a11y_pygments, the code's colours, configures logging,
    and so does the test module in Pelican's neighbors plugin package)."""
    from markdown.extensions import extra
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "publishconf.py"))
    plugins = [name for name in settings["PLUGINS"] if isinstance(name, str)]
    extensions = [name.partition(":")[0] for name in settings["MARKDOWN"]["extension_configs"]]
    modules = (
        ["sitebuild.build.pipeline", "sitebuild.build.drafts", "sitebuild.build.minify", "minify_html"]
        + ["pelican", "pelican.generators", *plugins]
        + [f"{name}.{module.name}" for name in plugins if _own(name) for module in _submodules(name)]
        + [name for name in extensions if "." in name]
        + [f"markdown.extensions.{name}" for name in extra.extensions]
    )
    return modules, [name for name in modules if not _own(name)]


def _own(name: str) -> bool:
    return name.partition(".")[0] in PROJECT


def _submodules(name: str) -> list:
    spec = importlib.util.find_spec(name)
    return list(pkgutil.iter_modules(spec.submodule_search_locations or []))


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
def server(own_code: bool):
    """(a server of builds, its address): with the project's own modules imported, for builds
    of the project, or without, for builds in a copy of it. Run as `python -c` in the
    project's folder, its import path starts with "", the folder it is in: a build, once in
    its copy's folder, imports that copy's code, as `python -m sitebuild` there would. Its
    stdin closes with this process, which ends it."""
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("")  # an address of its own in Linux's abstract namespace
        listener.listen()
        code = f"import runpy, sys; runpy.run_path(sys.argv[1], run_name={SERVE!r})"
        modules = preloads()[0 if own_code else 1]
        arguments = [__file__, str(listener.fileno()), json.dumps(modules)]
        process = subprocess.Popen(
            [sys.executable, "-c", code, *arguments],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            pass_fds=[listener.fileno()],
        )
        return process, listener.getsockname()


def serve(listener_fd: int, modules: list[str]):
    """Import ``modules``, then for each connection fork a handler, which forks the build the
    request asks for, sends its process id, and its exit status once it has ended."""
    for name in modules:
        with contextlib.suppress(ImportError):  # the build then fails importing it, as in a new Python
            importlib.import_module(name)
    if "PIL.Image" in sys.modules:  # as a build's first picture leaves Pillow: its formats imported
        sys.modules["PIL.Image"].preinit()
        sys.modules["PIL.Image"].init()
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


def _forked(args, environment, stdout, stderr, cwd, timeout):
    """The exit status of the build of ``args`` in ``cwd``, the project or a copy, forked by its server."""
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(server(own_code=Path(cwd) == ROOT)[1])
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
            assert chunk, "the server of builds ended"
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
        exitcode = _forked(args, dict(os.environ), stdout, stderr, str(cwd), timeout)
        with open(stdout, encoding="utf-8") as out, open(stderr, encoding="utf-8") as err:
            return subprocess.CompletedProcess(args, exitcode, out.read(), err.read())


if __name__ == SERVE:
    serve(int(sys.argv[2]), json.loads(sys.argv[3]))
