"""The speed kit (plugins/speed_kit/) changes how fast the site builds, never what it
builds: with ``SPEED_KIT`` on and off, every file of the output is byte-identical, in
development (a rebuild that reuses pages included) and in production (search index and
publish stamp included)."""

from conftest import run_build
from edithelpers import BACKGROUND, edit
from test_page_reuse import ABOUT_PAGE, keep, same_file
from test_publishing import digest


def build(project, output, speed_kit, production):
    result = run_build(
        output,
        production=production,
        siteurl="https://example.org" if production else None,
        cwd=project,
        cache=output.parent / f"cache-{output.name}",
        settings=[("SPEED_KIT", speed_kit)],
    )
    assert result.returncode == 0, result.stderr
    return digest(output)


def differences(first, second):
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def test_development_builds_and_rebuilds_are_the_same_without_the_speed_kit(project_copy, tmp_path):
    outputs = {kit: tmp_path / f"kit-{kit}" / "output" for kit in (True, False)}
    for kit, output in outputs.items():
        build(project_copy, output, kit, production=False)
    held = {kit: keep(output, ABOUT_PAGE, tmp_path / f"held-{kit}") for kit, output in outputs.items()}
    edit(project_copy, BACKGROUND, "This post is the background", "This post, rewritten, is the background")
    built = {kit: build(project_copy, output, kit, production=False) for kit, output in outputs.items()}
    assert same_file(held[True], outputs[True], ABOUT_PAGE), "the speed kit reused no page"
    assert not same_file(held[False], outputs[False], ABOUT_PAGE), "SPEED_KIT = False still reused a page"
    assert not differences(built[True], built[False])


def test_production_builds_are_the_same_without_the_speed_kit(project_copy, tmp_path):
    built = {
        kit: build(project_copy, tmp_path / f"kit-{kit}" / "output", kit, production=True)
        for kit in (True, False)
    }
    assert any(name.startswith("pagefind/") for name in built[True]) and ".publish-stamp.json" in built[True]
    assert not differences(built[True], built[False])
