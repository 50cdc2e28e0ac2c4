"""Tests that need a system tool: a clear skip on a developer's machine, a failure in CI.

CI (CI=true) installs every tool the suite uses (.ci/run); a tool missing there is a
broken CI script, and a skip would hide it.
"""

import os
import shutil

import pytest


def tool(executable: str, debian_package: str) -> str:
    """The path of ``executable``; skip the test (fail it in CI) when it is not installed."""
    found = shutil.which(executable) or shutil.which(executable, path="/usr/sbin:/sbin")
    if found:
        return found
    reason = f"{executable} is not installed (Debian package {debian_package}; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)
