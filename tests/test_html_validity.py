"""Every HTML page of the production build is valid HTML for the Nu HTML Checker."""

import json
import subprocess

from browserhelpers import VNU, require_file, require_java

# A page the checker must reject, checked in the same run so the check is seen to work.
INVALID = "<!doctype html><html lang=en><title>x</title><p><div>block in a paragraph</p></div>"


def test_nu_html_checker_finds_no_errors(site, tmp_path):
    java = require_java()
    vnu = require_file(VNU, "run npm ci")
    invalid = tmp_path / "invalid.html"
    invalid.write_text(INVALID, encoding="utf-8")
    pages = site.html_files()
    assert len(pages) > 20
    # One JVM for every file: starting the checker costs more than checking a page.
    result = subprocess.run([java, "-jar", str(vnu), "--errors-only", "--format", "json",
                             *map(str, pages), str(invalid)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors = {}
    for message in report["messages"]:
        page = message.get("url", "").removeprefix("file:")
        errors.setdefault(page, []).append(f"line {message.get('lastLine')}: {message['message']}")
    assert invalid.as_posix() in errors, "the checker did not flag a known-invalid page"
    del errors[invalid.as_posix()]
    assert errors == {}
