"""Every installed package is locked at one version with its hashes, and make.py keeps it so.

requirements*.txt are the hand-edited pins; `python3 make.py lock` resolves them into the
locks, which make.py installs from (with --require-hashes) and syncs .venv/ to.
"""

import importlib.metadata
import re
import shutil
import subprocess
import sys
import time

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import make

PAIRS = [(make.RUNTIME_REQUIREMENTS, make.RUNTIME_LOCK), (make.TEST_REQUIREMENTS, make.TEST_LOCK)]
FLOOR = make.FLOOR


def installed():
    """{name as the distribution spells it: version} of the running environment."""
    return {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()}


def make_copy(folder):
    """make.py and the requirements files and locks, copied into `folder` (which becomes its ROOT)."""
    for path in [make.ROOT / "make.py", *(p for pair in PAIRS for p in pair)]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def make_command(*args, python_version=None) -> list:
    """The command that runs make.py ``args`` in its folder, as if under `python_version` when given."""
    prelude = f"sys.version_info = {python_version!r}; " if python_version else ""
    code = (
        f"import runpy, sys; {prelude}sys.argv = ['make.py', *{list(args)!r}]; "
        "runpy.run_path('make.py', run_name='__main__')"
    )
    return [sys.executable, "-c", code]


def run_make(folder, *args, python_version=None):
    """Run `folder`'s make.py, as if under `python_version` when given."""
    command = make_command(*args, python_version=python_version)
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=60)


def small_project(folder, names):
    """make.py in ``folder`` with an empty project that needs only the packages ``names``, as locked."""
    lock = make.RUNTIME_LOCK.read_text()
    entries = [re.search(rf"(?m)^{name}==(\S+).*\n(?:\s.*\n)*", lock) for name in names]
    make_copy(folder)
    (folder / "requirements.txt").write_text("".join(f"{e[0].split(' ', 1)[0]}\n" for e in entries))
    (folder / "requirements-test.txt").write_text("-r requirements.txt\n")
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "empty"\nversion = "0"\n[tool.setuptools]\npackages = []\n'
    )
    for lock in ("requirements.lock", "requirements-test.lock"):
        (folder / lock).write_text("".join(e[0] for e in entries))


def test_every_installed_package_is_locked_at_its_version():
    locked = make.locked_versions(make.TEST_LOCK)
    unlocked = [
        f"{name}=={version}"
        for name, version in installed().items()
        if make.normalized(name) not in make.KEEP | {make.project_name()}
        and version not in locked.get(make.normalized(name), ())
    ]
    assert unlocked == [], "installed but not locked at that version"


def test_every_package_locked_for_this_platform_is_installed():
    have = {make.normalized(name): version for name, version in installed().items()}
    missing = [
        f"{name}=={version}"
        for name, version, marker in make.read_lock(make.TEST_LOCK)
        if (not marker or Marker(marker).evaluate()) and have.get(name) != version
    ]
    assert missing == []


@pytest.mark.parametrize("lock", [make.RUNTIME_LOCK, make.TEST_LOCK], ids=lambda path: path.name)
def test_every_lock_entry_has_a_hash(lock):
    # A requirement line and its indented continuation lines (hashes, "# via" notes).
    entries = [e for e in re.split(r"\n(?=\S)", lock.read_text()) if not e.startswith("#")]
    assert len(entries) == len(make.read_lock(lock)) > 30
    assert [e.split()[0] for e in entries if "--hash=sha256:" not in e] == []


@pytest.mark.parametrize("requirements, lock", PAIRS, ids=lambda path: path.name)
def test_top_level_pins_are_locked_at_their_versions(requirements, lock):
    assert make.unlocked_pins(requirements, lock) == []


def test_make_refuses_a_lock_older_than_the_requirements(tmp_path):
    requirements = make_copy(tmp_path) / "requirements.txt"
    assert "pelican==4.12.0" in requirements.read_text()
    requirements.write_text(requirements.read_text().replace("pelican==4.12.0", "pelican==4.99.0"))
    result = run_make(tmp_path, "build")
    assert result.returncode == 1
    assert "requirements.lock does not lock pelican==4.99.0" in result.stderr
    assert "run `python3 make.py lock`" in result.stderr
    assert not (tmp_path / ".venv").exists()


def test_top_level_requirements_are_exact_pins(tmp_path):
    loose = tmp_path / "requirements.txt"
    loose.write_text("pelican>=4.12\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        make.top_level_pins(loose)


def test_a_build_installs_no_test_package():
    runtime, test = make.locked_versions(make.RUNTIME_LOCK), make.locked_versions(make.TEST_LOCK)
    test_only = set(make.top_level_pins(make.TEST_REQUIREMENTS)) - set(
        make.top_level_pins(make.RUNTIME_REQUIREMENTS)
    )
    assert {"pytest", "playwright", "lxml", "beautifulsoup4", "ruff", "uv"} <= test_only
    assert test_only & set(runtime) == set()
    assert {name: versions for name, versions in runtime.items() if test.get(name) != versions} == {}


def test_a_package_dropped_from_the_lock_is_uninstalled(tmp_path):
    lock = tmp_path / "requirements-test.lock"
    lock.write_text(re.sub(r"(?m)^feedparser==.*\n(?:\s.*\n)*", "", make.TEST_LOCK.read_text()))
    assert make.to_uninstall(installed(), make.TEST_LOCK) == []
    assert make.to_uninstall(installed(), lock) == ["feedparser"]


def test_a_build_after_a_test_run_keeps_the_test_packages():
    assert make.lock_to_sync(make.RUNTIME_LOCK, installed()) == make.TEST_LOCK
    runtime_only = [
        name
        for name in installed()
        if make.normalized(name) in {*make.locked_versions(make.RUNTIME_LOCK), *make.KEEP}
    ]
    assert make.lock_to_sync(make.RUNTIME_LOCK, runtime_only) == make.RUNTIME_LOCK
    assert make.lock_to_sync(make.TEST_LOCK, runtime_only) == make.TEST_LOCK


def test_the_python_floor_is_the_highest_any_locked_package_requires():
    required = [
        SpecifierSet(d.metadata["Requires-Python"])
        for d in importlib.metadata.distributions()
        if d.metadata["Requires-Python"] and make.normalized(d.metadata["Name"]) not in make.KEEP
    ]
    candidates = [Version(f"3.{minor}.{micro}") for minor in range(6, 20) for micro in range(40)]
    assert min(v for v in candidates if all(v in spec for spec in required)) == Version(FLOOR)
    assert f"Python {FLOOR} or newer" in (make.ROOT / "README.md").read_text()


def test_make_refuses_an_older_python_before_touching_anything(tmp_path):
    result = run_make(make_copy(tmp_path), "build", python_version=(3, 11, 4, "final", 0))
    assert result.returncode == 1
    assert f"needs Python {FLOOR} or newer" in result.stderr
    assert "this is Python 3.11.4" in result.stderr
    assert not (tmp_path / ".venv").exists()


def test_make_reinstalls_a_package_the_venv_lost(tmp_path):
    """A venv of invoke (which make.py runs), blinker and setuptools (which installs the
    project, here an empty one), left half-made by a stopped run, then damaged the two usual
    ways at once, one package each."""
    small_project(tmp_path, ("blinker", "invoke", "setuptools"))
    # As a run stopped while making the venv leaves it: a Python without pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / ".venv"], check=True)
    first = run_make(tmp_path, "--version")
    assert first.returncode == 0, first.stderr
    assert "make.py: .venv/ was never completely set up; making it again" in first.stderr
    venv_python = tmp_path / ".venv" / "bin" / "python"
    site_packages = next((tmp_path / ".venv" / "lib").glob("python3*/site-packages"))

    shutil.rmtree(site_packages / "invoke")  # a deleted folder: pip still lists the package
    subprocess.run([venv_python, "-m", "pip", "uninstall", "--yes", "-q", "blinker"], check=True)
    result = run_make(tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert "make.py: blinker, invoke in .venv/ lost files; reinstalling" in result.stderr
    assert result.stdout.startswith("Invoke ")
    assert (site_packages / "blinker" / "__init__.py").is_file()
    again = run_make(tmp_path, "--version")
    assert again.returncode == 0 and again.stderr == "", again.stderr

    moved = tmp_path.rename(tmp_path.with_name(tmp_path.name + "-moved"))  # its scripts name the old folder
    try:
        result = run_make(moved, "--version")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Invoke ")
    finally:
        moved.rename(tmp_path)


def test_two_makes_setting_up_one_venv_at_once_take_turns(tmp_path):
    """A second make.py, run while the first was installing into a new venv (no sync stamp yet),
    took it for one a stopped run left half-made and removed it under the first, which failed."""
    small_project(tmp_path, ("invoke", "setuptools"))
    command = make_command("--version")
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # the first has begun making the venv
            if (tmp_path / ".venv" / "bin" / "python").exists() or first.poll() is not None:
                break
            time.sleep(0.05)
        second = run_make(tmp_path, "--version")
        out, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert out.startswith("Invoke ") and second.stdout.startswith("Invoke ")
    assert "make.py: waiting for another make.py to finish setting up .venv/" in second.stderr
    assert "was never completely set up" not in second.stderr
