"""Validate HTML with the Nu HTML Checker (vnu.jar from the npm package vnu-jar).

One Java process checks every file: starting the checker costs more than a page.
"""

import json
import shutil
import subprocess
from pathlib import Path

from .. import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The exact pins of package-lock.json. --ignore-scripts: vnu-jar's install script would
# download a Java runtime; the system's java runs vnu.jar.
NPM_CI = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]


class CheckerMissing(RuntimeError):
    """Java or vnu.jar is not installed."""


def checker() -> tuple[str, Path]:
    """Java and vnu.jar. A check installs nothing: a missing one is reported with the
    command that installs it, so running a check never changes the machine."""
    java = shutil.which("java")
    if java is None:
        raise CheckerMissing("Java is not installed (apt-get install default-jre-headless)")
    if not VNU.is_file():
        raise CheckerMissing(f"{VNU.relative_to(ROOT)} is missing (run `{' '.join(NPM_CI[:3])}` in {ROOT})")
    return java, VNU


def html_errors(files: list[Path]) -> dict[str, list[str]]:
    """Errors per file path (as given), each 'line N: message'. Files without errors are absent."""
    java, vnu = checker()
    if not files:
        return {}
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = {}
    for message in report.get("messages", []):
        path = message.get("url", "").removeprefix("file:")
        errors.setdefault(path, []).append(
            f"line {message.get('lastLine', '?')}: {message.get('message', '')}"
        )
    return errors
