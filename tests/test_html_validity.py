"""Every HTML page of the production build is valid HTML for the Nu HTML Checker."""

from browserhelpers import VNU, require_file, require_java
from sitebuild.html_validity import html_errors

# A page the checker must reject, checked in the same run so the check is seen to work.
INVALID = "<!doctype html><html lang=en><title>x</title><p><div>block in a paragraph</p></div>"


def test_nu_html_checker_finds_no_errors(site, tmp_path):
    require_java()
    require_file(VNU, "run npm ci")
    invalid = tmp_path / "invalid.html"
    invalid.write_text(INVALID, encoding="utf-8")
    pages = site.html_files()
    assert len(pages) > 20
    errors = html_errors([*pages, invalid])
    assert invalid.as_posix() in errors, "the checker did not flag a known-invalid page"
    del errors[invalid.as_posix()]
    assert errors == {}
