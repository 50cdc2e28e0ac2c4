"""`make.py test` shows a long run as it goes: each test by name with the suite's percentage,
the summary line last (tasks.py TEST_OPTIONS, on a small suite of its own)."""

import re
import shlex
import subprocess
import sys

import tasks

SAMPLE = """
import pytest

def test_one():
    pass

def test_two():
    pass

def test_without_its_tool():
    pytest.skip("no such tool")
"""


def test_the_suite_names_each_test_with_its_progress_and_ends_on_the_summary(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *shlex.split(tasks.TEST_OPTIONS), "-ra", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    for name, outcome in [
        ("test_one", "PASSED"),
        ("test_two", "PASSED"),
        ("test_without_its_tool", "SKIPPED"),
    ]:
        assert [
            line for line in lines if re.search(rf"\[\s*\d+%\] {outcome} test_sample.py::{name}\b", line)
        ], lines
    assert not [line for line in lines if re.fullmatch(r"[.s]+( *\[\s*\d+%\])?", line.strip())], lines
    assert re.fullmatch(r"=+ 2 passed, 1 skipped in [\d.]+s =+", lines[-1]), lines[-1]
