"""The production render runs in a forked child (sitebuild/forked.py): its result and its
failures must reach the build exactly as if it had run in the build's own process."""

import os

import pytest

from sitebuild.errors import BuildError
from sitebuild.forked import ChildFailure, run_forked


def pid_and_sum(numbers):
    return {"pid": os.getpid(), "sum": sum(numbers)}


def refuse(problems):
    raise BuildError(problems)


def crash():
    return {}["missing"]


def test_the_result_comes_back_from_another_process():
    result = run_forked(pid_and_sum, [1, 2, 3])
    assert result["sum"] == 6 and result["pid"] != os.getpid()


def test_problems_found_in_the_child_fail_the_build_with_the_same_messages():
    with pytest.raises(BuildError) as failure:
        run_forked(refuse, ["articles/x.md: the post has no Title", "articles/y.md: bad date"])
    assert failure.value.problems == ["articles/x.md: the post has no Title", "articles/y.md: bad date"]


def test_a_crash_in_the_child_is_one_line_with_its_traceback_kept_for_debug():
    with pytest.raises(BuildError) as failure:
        run_forked(crash)
    assert failure.value.problems == ["the build failed unexpectedly: KeyError: 'missing'"]
    assert isinstance(failure.value.__cause__, ChildFailure)
    assert "in crash" in str(failure.value.__cause__)
