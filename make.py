#!/usr/bin/env python3
"""Run an invoke task in the project's own virtual environment (.venv/), creating it first:
the one entry point that needs nothing but Python 3 (``python3 make.py build|test|--list``,
``lock``: uv resolves requirements*.txt into hashed locks, ``lint``). The venv is synced to
its lock when the lock changed, with the project installed in editable mode; a distribution
that lost a file is reinstalled."""

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

# pymdown-extensions 13.1.2 and soupsieve 4.1.3 declare Requires-Python >=3.11.5; no
# other locked package needs more (tests/test_dependencies.py checks this is exact).
PYTHON_FLOOR = (3, 11, 5)
FLOOR = ".".join(map(str, PYTHON_FLOOR))

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".synced-to"
SETUP_LOCK = ROOT / ".venv.lock"  # beside the venv, which a setup may remove
RUNTIME_REQUIREMENTS, RUNTIME_LOCK = ROOT / "requirements.txt", ROOT / "requirements.lock"
TEST_REQUIREMENTS, TEST_LOCK = ROOT / "requirements-test.txt", ROOT / "requirements-test.lock"
# Tasks that only build need the runtime lock, and so does invoke alone ("": --list,
# --help); everything else gets the test lock.
BUILD_ONLY_TASKS = {"", "build", "publish", "serve", "livereload", "new", "clean", "deploy"}
# Where make.py was run from, for tasks that take a path relative to it.
CALLER_CWD = "MAKE_PY_CWD"
# The venv's own installer: never uninstalled by a sync (nor the project, project_name()).
KEEP = {"pip", "setuptools"}
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*(?:\\|$)")


def require_python(version):
    if tuple(version[:3]) < PYTHON_FLOOR:
        sys.exit(
            f"make.py: this project needs Python {FLOOR} or newer (its locked packages declare it); "
            f"this is Python {'.'.join(map(str, version[:3]))}. Run make.py with a newer python3."
        )


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(lock):
    """(name, version, marker) for each package a lock pins; marker is '' when none."""
    entries = []
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if match:
            entries.append((normalized(match[1]), match[2], match[3] or ""))
    return entries


def locked_versions(lock):
    versions = {}
    for name, version, _ in read_lock(lock):
        versions.setdefault(name, set()).add(version)
    return versions


def top_level_pins(requirements):
    """{name: version} of a requirements file and the files it includes with -r."""
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(top_level_pins(requirements.parent / line[3:].strip()))
        elif line:
            match = PIN.fullmatch(line)
            if not match:
                raise ValueError(f"{requirements.name}: {line!r} is not an exact pin (name==version)")
            pins[normalized(match[1])] = match[2]
    return pins


def unlocked_pins(requirements, lock):
    """The top-level pins of `requirements` that `lock` lacks or locks at another version."""
    locked = locked_versions(lock)
    return [
        f"{name}=={version}"
        for name, version in top_level_pins(requirements).items()
        if version not in locked.get(name, ())
    ]


def refuse_stale_locks():
    for requirements, lock in [(RUNTIME_REQUIREMENTS, RUNTIME_LOCK), (TEST_REQUIREMENTS, TEST_LOCK)]:
        missing = unlocked_pins(requirements, lock)
        if missing:
            sys.exit(
                f"make.py: {lock.name} does not lock {', '.join(missing)} as {requirements.name} "
                "pins it: run `python3 make.py lock`."
            )


def lock_to_sync(wanted, installed):
    """The test lock if it is wanted or the venv already holds a package only it lists
    (uninstalling test tools for a build would only reinstall them for the next test)."""
    test_only = set(locked_versions(TEST_LOCK)) - set(locked_versions(RUNTIME_LOCK))
    return TEST_LOCK if wanted == TEST_LOCK or test_only & set(map(normalized, installed)) else RUNTIME_LOCK


def project_name():
    """The project's own distribution (pyproject.toml), read when needed: tomllib is 3.11's."""
    import tomllib

    return normalized(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"])


def to_uninstall(installed, lock):
    """Installed distributions the lock does not list, pip's own and the project aside."""
    listed = set(locked_versions(lock)) | KEEP | {project_name()}
    return sorted(name for name in installed if normalized(name) not in listed)


def installed_distributions():
    script = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    return json.loads(
        subprocess.run([str(BIN / "python"), "-c", script], check=True, capture_output=True, text=True).stdout
    )


def stamp_for(lock):
    return f"{lock.name} {hashlib.sha256(lock.read_bytes()).hexdigest()}"


def project_installed():
    """Whether the venv holds the project's editable install, of a folder that still exists
    (a moved project installs itself again; tasks import from their own folder first)."""
    for info in site_packages().glob(f"{project_name().replace('-', '_')}-*.dist-info"):
        try:
            url = json.loads((info / "direct_url.json").read_text())["url"]
        except (OSError, ValueError, KeyError):
            return False
        return (Path(url.removeprefix("file://")) / "pyproject.toml").is_file()
    return False


def site_packages():
    folders = [*VENV.glob("lib/python3*/site-packages"), VENV / "Lib" / "site-packages"]  # POSIX, Windows
    return next((folder for folder in folders if folder.is_dir()), VENV / "lib")


def distribution(info):
    """The name of the distribution a NAME-VERSION.dist-info folder holds."""
    return info.removesuffix(".dist-info").rsplit("-", 1)[0]


def read_stamp():
    """(the synced lock's stamp, the .dist-info folders installed then)."""
    lines = STAMP.read_text().splitlines() if STAMP.exists() else []
    return (lines[0] if lines else ""), lines[1:]


def write_stamp(lock):
    installed = sorted(
        info.name
        for info in site_packages().glob("*.dist-info")
        if normalized(distribution(info.name)) not in KEEP
    )
    STAMP.write_text("\n".join([stamp_for(lock), *installed]) + "\n")


def damaged(recorded):
    """The recorded .dist-info folders whose distribution is gone or lost a file its RECORD
    lists (compiled files aside: Python remakes those)."""
    folder = site_packages()
    lost = []
    for info in recorded:
        try:
            with open(folder / info / "RECORD", newline="", encoding="utf-8") as record:
                paths = [row[0] for row in csv.reader(record) if row]
        except OSError:
            paths = [info]
        if any("__pycache__" not in path and not (folder / path).exists() for path in paths):
            lost.append(info)
    return lost


def pip(*args):
    command = [str(BIN / "python"), "-m", "pip", *args, "--quiet", "--disable-pip-version-check"]
    if subprocess.run(command).returncode:
        sys.exit(
            f"make.py: pip {args[0]} failed (see above). If {VENV.name}/ is damaged, remove it "
            "and run the command again."
        )


@contextmanager
def one_setup_at_a_time():
    """Hold SETUP_LOCK, waiting, with a message, while another make.py holds it: a venv being made
    has no stamp yet, so another run would take it for a half-made one and remove it."""
    if fcntl is None:  # Windows: no flock, no lock
        yield
        return
    with open(SETUP_LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"make.py: waiting for another make.py to finish setting up {VENV.name}/", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_environment(wanted):
    with one_setup_at_a_time():  # then the venv is as the run before left it, finished or stopped
        sync_environment(wanted)


def sync_environment(wanted):
    synced, recorded = read_stamp()
    lost = damaged(recorded)
    fine = recorded and not lost and (BIN / "python").exists() and project_installed()
    if fine and synced in (stamp_for(wanted), stamp_for(TEST_LOCK)):
        return
    if VENV.is_dir() and not VENV.is_symlink() and not STAMP.exists():
        # Never synced: a run stopped while making it may have left it without pip.
        print(f"make.py: {VENV.name}/ was never completely set up; making it again", file=sys.stderr)
        shutil.rmtree(VENV)
    if not (BIN / "python").exists():
        print(f"make.py: creating {VENV.relative_to(ROOT)}/", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    lock = lock_to_sync(wanted, installed_distributions())
    if lost:
        names = [distribution(info) for info in lost]
        print(f"make.py: {', '.join(names)} in {VENV.name}/ lost files; reinstalling", file=sys.stderr)
        pip("uninstall", "--yes", *names)
    print(f"make.py: installing {lock.name}", file=sys.stderr)
    pip("install", "--require-hashes", "-r", str(lock))
    extra = to_uninstall(installed_distributions(), lock)
    if extra:
        print(f"make.py: uninstalling {', '.join(extra)}: not in {lock.name}", file=sys.stderr)
        pip("uninstall", "--yes", *extra)
    # setuptools, from the lock, builds the editable install: nothing is fetched.
    pip("install", "--no-deps", "--no-build-isolation", "--no-index", "--editable", str(ROOT))
    write_stamp(lock)


def uv_compile(requirements, lock, *args):
    options = ["--generate-hashes", "--universal", "--python-version", FLOOR, "--quiet"]
    header = ["--custom-compile-command", "python3 make.py lock"]
    command = [str(BIN / "uv"), "pip", "compile", *options, *header, requirements.name, "-o", lock.name]
    subprocess.run([*command, *args], cwd=ROOT, check=True)


def lock(args):
    """Regenerate both locks with the uv that the test lock pins, then sync the venv to them."""
    ensure_environment(TEST_LOCK)
    uv_compile(TEST_REQUIREMENTS, TEST_LOCK, *args)
    uv_compile(RUNTIME_REQUIREMENTS, RUNTIME_LOCK, "--constraint", TEST_LOCK.name, *args)
    ensure_environment(TEST_LOCK)


def lint(args):
    """ruff's lint and format check over the project, settings from pyproject.toml; both always run."""
    refuse_stale_locks()
    ensure_environment(TEST_LOCK)
    ruff = str(BIN / "ruff")
    codes = [
        subprocess.run([ruff, *command, *args], cwd=ROOT).returncode
        for command in (["check"], ["format", "--check"])
    ]
    sys.exit(1 if any(codes) else 0)


def main(args):
    require_python(sys.version_info)
    if args and args[0] in COMMANDS:
        COMMANDS[args[0]](args[1:])
        return
    task = next((a for a in args if not a.startswith("-")), "")
    refuse_stale_locks()
    ensure_environment(RUNTIME_LOCK if task in BUILD_ONLY_TASKS else TEST_LOCK)
    # Tasks run in the project root; a relative path the author typed is theirs (tasks.py).
    os.environ[CALLER_CWD] = os.getcwd()
    os.chdir(ROOT)
    # `python -m invoke`, not the invoke script: a script names the venv's folder in its first
    # line, so a moved project would fail there; python finds its venv wherever it is.
    python = BIN / "python"
    os.execv(str(python), [str(python), "-m", "invoke", *args])


COMMANDS = {"lock": lock, "lint": lint}

if __name__ == "__main__":
    main(sys.argv[1:] or ["--list"])
