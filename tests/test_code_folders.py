"""The code a build depends on is named in one place (sitebuild/code_folders.py): the cache's
fingerprint, the live preview's restart and its watcher all take it from build_code."""

import ast

from sitebuild import ROOT
from sitebuild.code_folders import PACKAGE_FOLDERS, build_code, code_digest


def test_build_code_names_the_theme_given_the_project_code_settings_and_packages(tmp_path):
    folders, settings, packages = build_code(tmp_path / "theme")
    assert folders == [tmp_path / "theme", ROOT / "plugins", ROOT / "sitebuild"]
    assert settings == [ROOT / "pelicanconf.py", ROOT / "publishconf.py"] and packages == PACKAGE_FOLDERS
    assert build_code()[0] == folders[1:]  # the restart's: every build reads the theme afresh


def test_the_digest_follows_a_file_of_the_theme_it_is_given(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("<p>one</p>")
    before = code_digest(theme)
    assert code_digest(theme) == before
    (theme / "templates" / "base.html").write_text("<p>two</p>")
    assert code_digest(theme) != before


def calls_in(module: str) -> set[str]:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    return {
        node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and hasattr(node.func, "id")
    }


def test_the_watcher_restart_and_fingerprint_take_the_code_from_build_code():
    """No second list of code folders: the watcher watches what the fingerprint digests."""
    assert {"build_code", "code_digest"} <= calls_in("sitebuild/preview/live.py")
    assert "code_digest" in calls_in("sitebuild/build/cache.py")
