"""The code's shape: module docstrings of at most five lines, no measured figures in comments
(they belong in docs/performance.md or commit messages), and imports that keep the layers
apart: plugins do not reach into the build, nothing imports the command line, and nothing
edits sys.path."""

import ast
import io
import re
import tokenize

import pytest
from conftest import ROOT

FOLDERS = ("plugins", "sitebuild", "devtools", "benchmarks", "tests")
FILES = ("make.py", "tasks.py", "pelicanconf.py", "publishconf.py")
MAX_LINES = 5
MODULES = sorted(
    str(path.relative_to(ROOT))
    for path in [
        *(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")),
        *(ROOT / f for f in FILES),
    ]
)


def docstring_lines(path) -> int:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno - first.lineno + 1
    return 0


@pytest.mark.parametrize("module", MODULES)
def test_module_docstrings_are_at_most_five_lines(module):
    lines = docstring_lines(ROOT / module)
    assert lines <= MAX_LINES, (
        f"{module}: the module docstring is {lines} lines; say what and why in {MAX_LINES}"
    )


# A measurement in prose: a time, a size in binary units, a share of a whole, a count of repeats.
MEASURED = re.compile(
    r"\b\d[\d,.]* ?(?:ms|µs)\b|\b\d[\d,.]* (?:s|MiB|KiB|GiB)\b"
    r"|\ba (?:fifth|tenth|quarter|third|half) of\b|\b\d[\d,]* times\b"
)


def comments_and_docstrings(path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    found = [(token.start[0], token.string) for token in tokens if token.type == tokenize.COMMENT]
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, documented) and (docstring := ast.get_docstring(node, clean=False)):
            found.append((node.body[0].lineno, docstring))
    return found


@pytest.mark.parametrize("module", [m for m in MODULES if not m.startswith(("tests/", "benchmarks/"))])
def test_comments_carry_no_measured_figures(module):
    measured = [
        f"{module}:{line}: {match[0]!r}"
        for line, text in comments_and_docstrings(ROOT / module)
        for match in MEASURED.finditer(text)
    ]
    assert not measured, f"figures belong in docs/performance.md or a commit message: {measured}"


# A file a comment names: "sitebuild/build/cache.py", "speed_kit/page_reuse.py", "lint.py".
NAMED_FILE = re.compile(r"(?<![\w./-])((?:[\w-]+/)*\w+\.py)\b")
PROJECT_FILES = {path.name for path in map(ROOT.joinpath, MODULES)}


@pytest.mark.parametrize("module", MODULES)
def test_every_file_a_comment_names_exists(module):
    """Named by its path from the project, or by the name of one of its files (atomic.py)."""
    missing = [
        f"{module}:{line}: {match[1]}"
        for line, text in comments_and_docstrings(ROOT / module)
        for match in NAMED_FILE.finditer(text)
        if not (ROOT / match[1]).is_file() and match[1].rpartition("/")[2] not in PROJECT_FILES
    ]
    assert not missing, f"comments name files that do not exist: {missing}"


def imported_modules(path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved against its package."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(part for part in (base, node.module) if part)
            found |= {name, *(f"{name}.{alias.name}" for alias in node.names)}
    return found


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("plugins/")])
def test_plugins_read_the_build_only_through_its_description(module):
    """A plugin may take ``sitebuild.Build``/``build_of`` and the command its advice names
    (sitebuild/__init__.py) and the tie of a process it starts to the build (sitebuild/lifeline.py),
    nothing deeper."""
    allowed = (
        "sitebuild.Build",
        "sitebuild.build_of",
        "sitebuild.MAKE_COMMAND",
        "sitebuild.lifeline",
        "sitebuild.lifeline.child_dies_with_me",
    )
    reached = {
        name
        for name in imported_modules(ROOT / module)
        if name.startswith("sitebuild.") and name not in allowed
    }
    assert not reached, f"{module} imports the build's modules {sorted(reached)}"


@pytest.mark.parametrize("module", [m for m in MODULES if m != "tests/test_code_shape.py"])
def test_nothing_imports_the_command_line_or_edits_the_import_path(module):
    path = ROOT / module
    assert not {n for n in imported_modules(path) if n.endswith("__main__")}, f"{module} imports a CLI"
    assert "sys.path" not in path.read_text(encoding="utf-8").replace("sys.path)", ""), (
        f"{module} edits sys.path: import the project by package name (make.py installs it)"
    )


# sitebuild/ by job: what each group may import from the others. Modules at the top of
# sitebuild/ (the Build description, console, code_folders, lifeline, scaffold) are shared
# by all and import no group; the command line (__main__) runs a build.
MAY_IMPORT = {
    "build": ("sitebuild.checks.",),  # lint before rendering
    "checks": ("sitebuild.build.stamp",),  # which source each page shows
    "preview": ("sitebuild.build.", "sitebuild.checks."),
    "deploy": ("sitebuild.build.atomic", "sitebuild.build.stamp"),  # the lock; what a build recorded
}
GROUPS = sorted(MAY_IMPORT)


def test_sitebuild_is_grouped_by_job():
    found = sorted(p.name for p in (ROOT / "sitebuild").iterdir() if p.is_dir() and p.name != "__pycache__")
    assert found == sorted([*GROUPS]), f"sitebuild/ holds {found}; each folder is a job in MAY_IMPORT"


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("sitebuild/")])
def test_each_job_imports_only_what_it_builds_on(module):
    parts = module.split("/")
    group = parts[1] if len(parts) == 3 else None
    if module == "sitebuild/__main__.py":
        return
    allowed = (f"sitebuild.{group}.",) + MAY_IMPORT[group] if group else ()
    crossing = {
        name
        for name in imported_modules(ROOT / module)
        if any(name.startswith(f"sitebuild.{other}.") for other in GROUPS) and not name.startswith(allowed)
    }
    assert not crossing, f"{module} imports {sorted(crossing)}, against the layers in MAY_IMPORT"


@pytest.mark.parametrize("module", MODULES)
def test_livereload_gives_its_script_alone(module):
    """The previews answer through tornado (sitebuild/preview/server.py); livereload's handlers
    are its internals, documented nowhere and tripwired nowhere."""
    used = {name for name in imported_modules(ROOT / module) if name.split(".")[0] == "livereload"}
    assert not used, f"{module} imports {sorted(used)}: serve livereload.js as a file instead"


@pytest.mark.parametrize("module", [m for m in MODULES if m != "sitebuild/__init__.py"])
def test_build_names_only_the_description_of_a_build(module):
    """``sitebuild.Build`` is the one object that describes a build; no other class takes its name."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    assert "Build" not in classes, f"{module} defines another class named Build: name it by what it holds"
