"""The Nu HTML Checker: every page of the production build is valid, and a missing checker is reported."""

import os
import subprocess
import sys

from browserhelpers import VNU, require_file, require_java

from sitebuild.checks.html_validity import html_errors

# A page the checker must reject, checked in the same run so the check is seen to work.
INVALID = "<!doctype html><html lang=en><title>x</title><p><div>block in a paragraph</p></div>"


def test_nu_html_checker_finds_no_errors(site, newsroom, tmp_path):
    """The real site's pages and the newsroom's (photos, bylines, series, corrections, a
    translation and its original, which link each other), in one run."""
    require_java()
    require_file(VNU, "run npm ci")
    invalid = tmp_path / "invalid.html"
    invalid.write_text(INVALID, encoding="utf-8")
    pages = site.html_files() + newsroom.html_files()
    assert len(pages) > 100
    kinds = ("series/a-made-up-saga", "author/ada-testwriter", "corrections", "follow", "corrections-policy")
    kinds += ("2011/07/a-test-post-with-code-headings-and-two-categories/de",)
    assert {newsroom.root / kind / "index.html" for kind in kinds} <= set(pages)
    errors = html_errors([*pages, invalid])
    assert invalid.as_posix() in errors, "the checker did not flag a known-invalid page"
    del errors[invalid.as_posix()]
    assert errors == {}


def test_check_names_a_missing_checker_and_installs_nothing(site, project_copy):
    """`invoke check` on a machine without vnu.jar says how to install it and changes nothing:
    a stand-in npm on PATH records any call."""
    tools = project_copy / "bin"
    tools.mkdir()
    called = project_copy / "npm-was-run"
    for name, script in {"java": "exit 0", "npm": f'echo "$@" > {called}'}.items():
        (tools / name).write_text(f"#!/bin/sh\n{script}\n")
        (tools / name).chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "sitebuild.checks.site", str(site.root)],
        cwd=project_copy,
        env={**os.environ, "PATH": str(tools)},
        capture_output=True,
        text=True,
    )
    assert not called.exists(), f"the check ran npm {called.read_text()}"
    assert result.returncode == 1
    assert (
        f"HTML not validated: node_modules/vnu-jar/build/dist/vnu.jar is missing "
        f"(run `npm ci --ignore-scripts` in {project_copy})"
    ) in result.stdout, result.stdout
