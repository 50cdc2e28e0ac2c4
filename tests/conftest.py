"""Fixtures: the site is built once per test session, as a reader would get it.

Builds run `python -m sitebuild` in a process of their own, as `invoke build` and
`invoke publish` do, into temporary folders; tests assert on the files produced.
"""

import fcntl
import functools
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import CodeType

import pytest
from sitehelpers import BuiltSite

ROOT = Path(__file__).resolve().parent.parent
# Not a reserved example name (.example, example.org, …): deploy refuses builds for those.
SITEURL = "https://dom0-dispatch.github.io"
PROJECT_FILES = ["content", "theme", "plugins", "sitebuild", "pelicanconf.py", "publishconf.py", "tasks.py"]


# How tasks.py test spreads the suite over two pytest-xdist workers (`--dist loadfile`):
# a worker takes a whole file, so module fixtures are made once. The slowest files, as
# measured (docs/architecture.md, "The test suite"), are handed out first, so that the short
# ones even out the end; the files of one tuple share a worker, and so their session fixture.
SLOWEST_FIRST = [
    ("test_page_reuse.py", "test_preview_loop.py"),  # clean_builds_after_every_edit
    ("test_images.py",),
    ("test_killed_builds.py",),
    ("test_early_page.py",),
    ("test_errors.py",),
    ("test_search_page.py",),
    ("test_publishing.py",),
    ("test_translations.py",),
    ("test_authoring.py",),
    ("test_content_safety.py",),
    ("test_dependencies.py",),
    ("test_series_and_authors.py",),
    ("test_page_performance.py",),
    ("test_accessibility.py",),
    ("test_deploy.py",),
    ("test_deploy_one_build.py",),
    ("test_corrections.py",),
    ("test_assets.py",),
    ("test_frontpage.py",),
    ("test_livereload.py",),
    ("test_share_cards.py",),
    ("test_url_safety.py",),
]
FILE_RANK = {name: rank for rank, names in enumerate(SLOWEST_FIRST) for name in names}


def pytest_collection_modifyitems(items):
    """The files of SLOWEST_FIRST first, in its order; the rest after, as collected."""
    items.sort(key=lambda item: FILE_RANK.get(item.path.name, len(SLOWEST_FIRST)))


# Tiers (`pytest -m unit`; docs/architecture.md, "The test suite"), derived from what a test
# runs unless it is marked with one: "system" if its code, its fixtures or the project code
# they name can start a process; "site" if it reads a session build; "unit" otherwise. The
# guard below fails a "unit" or "site" test that starts a process, and a slow "unit" test.
TIERS = ("unit", "site", "system")
SESSION_BUILDS = {"site", "newsroom", "dev_site"}
PROCESS_STARTERS = {
    "subprocess",
    "Popen",
    "ProcessPoolExecutor",
    "multiprocessing",
    "fork",
    "sync_playwright",
}
PROCESS_EVENTS = {"subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.system", "os.exec"}
UNIT_CPU_SECONDS = 2  # CPU time, which a busy machine does not inflate as it does wall time


def _in_project(path) -> bool:  # a file of this project, not of its packages
    return str(path).startswith(str(ROOT)) and not str(path).startswith(str(ROOT / ".venv"))


@functools.cache
def _project_module(name: str):
    """The project's module of that name, imported if need be; None for any other name."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return importlib.import_module(name) if spec and _in_project(spec.origin) else None


def _names(code: CodeType) -> set[str]:
    """The global, attribute and module names ``code`` and the functions nested in it use."""
    nested = (const for const in code.co_consts if isinstance(const, CodeType))
    return set(code.co_names).union(*map(_names, nested))


def _starts_a_process(function, seen: set) -> bool:
    """Whether ``function``, or project code it names, names a process starter."""
    if function in seen or not _in_project(function.__code__.co_filename):
        return False
    seen.add(function)
    names = _names(function.__code__)
    if names & PROCESS_STARTERS:
        return True
    scope = function.__globals__
    found = [scope[name] if name in scope else _project_module(name) for name in names]
    modules = [
        thing for thing in found if inspect.ismodule(thing) and _in_project(getattr(thing, "__file__", ""))
    ]
    found += [getattr(module, name, None) for module in modules for name in names]
    found += [member for thing in found if inspect.isclass(thing) for member in vars(thing).values()]
    # An invoke task runs its body; a decorated function, the one it wraps.
    callees = [inspect.unwrap(getattr(thing, "body", thing)) for thing in found if callable(thing)]
    return any(_starts_a_process(callee, seen) for callee in callees if hasattr(callee, "__code__"))


@functools.cache  # a test's parameters, and the tests of one fixture, ask of the same functions
def _starts_a_process_at_all(function) -> bool:
    return _starts_a_process(function, set())


def _tier(item) -> str:
    marked = [name for name in TIERS if item.get_closest_marker(name)]
    if marked:
        return marked[0]
    fixtures = item._fixtureinfo.name2fixturedefs  # the fixtures pytest resolved for this test
    functions = [item.function] + [
        inspect.unwrap(defs[-1].func) for name, defs in fixtures.items() if name not in SESSION_BUILDS
    ]
    if any(map(_starts_a_process_at_all, functions)):
        return "system"
    return "site" if SESSION_BUILDS & set(item.fixturenames) else "unit"


def pytest_itemcollected(item):
    item.add_marker(_tier(item))


guarded = {"tier": None, "started": [], "cpu": 0.0}  # the "unit" or "site" test running now


def _note_a_process(event, args):
    if guarded["tier"] and event in PROCESS_EVENTS:
        guarded["started"].append(" ".join(map(repr, [event, *args[:1]])))


sys.addaudithook(_note_a_process)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    tier = next(name for name in TIERS if item.get_closest_marker(name))
    guarded.update(tier=None if tier == "system" else tier, started=[], cpu=time.process_time())
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if guarded["tier"] == "site":
        guarded["started"].clear()  # a session build, made in the test's setup, may start processes
    result = yield
    tier, cpu = guarded["tier"], time.process_time() - guarded["cpu"]
    if tier and guarded["started"]:
        pytest.fail(
            f"a {tier} test started a process ({guarded['started'][0]}): add what started it to "
            "PROCESS_STARTERS in tests/conftest.py, or mark the test system"
        )
    if tier == "unit" and cpu > UNIT_CPU_SECONDS:
        pytest.fail(
            f"a unit test took {cpu:.1f} s of CPU (at most {UNIT_CPU_SECONDS}): speed it up or mark it system"
        )
    return result


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, which `pytest -p no:xdist` leaves out
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with each tuple of SLOWEST_FIRST as one file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            name = Path(nodeid.split("::", 1)[0]).name
            return f"group {FILE_RANK[name]}" if name in FILE_RANK else super()._split_scope(nodeid)

    return GroupedFileScheduling(config, log)


def run_build(
    output,
    *,
    production=True,
    content=None,
    cache=None,
    siteurl=SITEURL,
    cwd=ROOT,
    settings=(),
    environment=None,
    debug=False,
):
    """Run the real build command, `python -m sitebuild`; return the CompletedProcess.

    ``settings``: (name, value) pairs overriding settings (`--set NAME=JSON`); ``debug``:
    `--debug` (a failure's traceback shown); ``environment``: variables to set for the build,
    beside the tests' own. A build of this project or a copy of it with the tests' environment
    is forked with the imports it shares with that done (forkedbuild.py)."""
    arguments = ["--quiet", "--output", str(output)]
    for name, value in settings:
        arguments += ["--set", f"{name}={json.dumps(value)}"]
    if production:
        arguments.append("--production")
    if debug:
        arguments.append("--debug")
    if siteurl:
        arguments += ["--siteurl", siteurl]
    if content:
        arguments += ["--content", str(content)]
    arguments += ["--cache", str(cache or Path(output).parent / "cache")]
    if not environment:
        import forkedbuild

        return forkedbuild.run(arguments, timeout=300, cwd=cwd)
    command = [sys.executable, "-m", "sitebuild", *arguments]
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(environment or {})},
    )


# The build run in a process of its own, as `python -m sitebuild` runs it, keeping what the
# plugins left in Pelican's settings and in the generators' shared template context.
BUILD_KEEPING_THE_MODEL = """
import json, sys
from pathlib import Path
from pelican import signals
from sitebuild import Build
from sitebuild.build.pipeline import build
kept = {}
def settings(pelican): kept["settings"] = pelican.settings
def context(generators): kept["context"] = generators[0].context
signals.finalized.connect(settings)
signals.all_generators_finalized.connect(context)
output, content, cache = map(Path, sys.argv[1:4])
build(Build(output, content=content, production=True, siteurl=sys.argv[4], cache=cache))
shown = {name: kept["context"][name] for name in json.loads(sys.argv[5])}
print(json.dumps({"settings": sorted(kept["settings"]), "context": shown}, default=vars))
"""


def build_keeping_the_model(output: Path, content: Path, names: list[str]) -> dict:
    """A production build of ``content`` into ``output``: ``{"settings": the names of the
    settings Pelican held after it, "context": {name: value}}`` of the template variables
    ``names`` (an object as its attributes)."""
    arguments = [output, content, output.parent / "cache", SITEURL, json.dumps(names)]
    ran = subprocess.run(
        [sys.executable, "-c", BUILD_KEEPING_THE_MODEL, *map(str, arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout.splitlines()[-1])


def new_content(folder: Path) -> Path:
    """A content folder with only the site's own files (favicons, and the corrections policy
    every footer links), for made-up posts."""
    content = folder / "content"
    (content / "pages").mkdir(parents=True)
    (content / "articles").mkdir()
    shutil.copytree(ROOT / "content" / "extra", content / "extra")
    shutil.copy2(ROOT / "content" / "pages" / "corrections-policy.md", content / "pages")
    return content


def shared_folder(tmp_path_factory, name: str, make) -> Path:
    """A folder ``make(folder)`` fills once for the whole run: under pytest-xdist the first
    worker to ask makes it, holding a lock, and the others wait for it and share it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / "made").touch()
    return folder


def _built(folder: Path, **build) -> None:
    result = run_build(folder / "output", **build)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The production build of the real content."""
    folder = shared_folder(tmp_path_factory, "publish", _built)
    return BuiltSite(folder / "output", SITEURL)


def newsroom_content(folder: Path) -> Path:
    """The real content with the made-up posts of tests/data/newsroom/ on top: a lead photo
    (drawn here), code and headings, two categories, an update and a correction, a
    translation, three authors with profiles (authors.toml), a series in parts, one a draft,
    a post of another year; and thirty generated posts over two years (newsroomdata.py),
    with a draft and a scheduled post: what a newsroom writes and the real story does not."""
    from imagehelpers import save_photo
    from newsroomdata import write_generated_posts

    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "tests" / "data" / "newsroom", content, dirs_exist_ok=True)
    save_photo(content / "images" / "newsroom" / "rack.jpg", 1400, 800)
    save_photo(content / "images" / "newsroom" / "ada.jpg", 600, 600)  # a portrait (authors.toml)
    write_generated_posts(content)
    return content


@pytest.fixture(scope="session")
def newsroom(tmp_path_factory):
    """The production build of newsroom_content()."""
    folder = shared_folder(
        tmp_path_factory, "newsroom", lambda folder: _built(folder, content=newsroom_content(folder))
    )
    return BuiltSite(folder / "output", SITEURL)


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """The development build of the real content (drafts previewable)."""
    folder = shared_folder(tmp_path_factory, "develop", lambda f: _built(f, production=False, siteurl=None))
    return BuiltSite(folder / "output", "")


def copy_project(folder: Path) -> Path:
    """A copy of the project's sources in ``folder`` (no output, cache or tools)."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    return folder


@pytest.fixture
def project_copy(tmp_path):
    """A throwaway copy of the project, for tests that add or break content."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def clean_builds_after_every_edit(tmp_path_factory):
    """The clean builds the rebuild matrices of tests/test_page_reuse.py and
    tests/test_preview_loop.py compare with, made once for both (edithelpers.py)."""
    from edithelpers import clean_builds_after_every_edit

    project = copy_project(tmp_path_factory.mktemp("edited-project"))
    return clean_builds_after_every_edit(project, tmp_path_factory.mktemp("clean-builds"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, through Playwright) for every browser test."""
    from browserhelpers import started_browser

    with started_browser() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """One production build made for 127.0.0.1 and served there, under the site's CSP."""
    from devtools.serving import serving

    folder = tmp_path_factory.mktemp("served")
    with serving(folder / "output") as base_url:
        result = run_build(folder / "output", siteurl=base_url)
        assert result.returncode == 0, result.stderr
        yield BuiltSite(folder / "output", base_url)
