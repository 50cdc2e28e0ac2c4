"""rsync deploys never delete what is not theirs: not the project, not a folder of other files."""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest
from conftest import ROOT
from test_deploy import caller_environment, invoke_deploy, outside, stamped_files, tool, tree_of

from sitebuild.deploy.ship import MARKER, DeployError, deploy


@pytest.fixture
def project(site, tmp_path):
    """A clone of the project with its published output, as `python3 make.py deploy` sees it."""
    tool("rsync", "rsync")
    root = tmp_path / "clone"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "pelicanconf.py").write_text("AUTHOR = 'x'\n")
    shutil.copytree(site.root, root / "output")
    return root


def ship(site, project, destination, **options):
    return deploy(
        project / "output", "rsync", siteurl=site.siteurl, destination=destination, repo=project, **options
    )


@pytest.mark.parametrize(
    "destination, relation",
    [
        (lambda project: f"{project}", "is the project"),
        (lambda project: f"{project}/", "is the project"),
        (lambda project: f"{project}/output/../", "is the project"),
        (lambda project: f"{project.parent}", "holds the project"),
        (lambda project: f"{project}/www", "is inside the project"),
        (lambda project: f"{project}/www:2", "is inside the project"),  # a colon after a slash is still local
        (lambda project: f"{project.parent / 'link'}/", "is the project"),  # a symlink to it
    ],
)
def test_a_destination_overlapping_the_project_is_refused_and_nothing_is_deleted(
    site, project, destination, relation
):
    (project.parent / "link").symlink_to(project)
    (project.parent / "unrelated.txt").write_text("someone else's file")
    before = tree_of(project.parent, skip=())
    target = destination(project)

    with pytest.raises(DeployError) as refused:
        ship(site, project, target)

    message = str(refused.value)
    assert f"refusing to deploy to {target}" in message
    assert f"{relation} {project}" in message
    assert tree_of(project.parent, skip=()) == before


@contextmanager
def second_path(folder, alias, kind):
    """``alias`` made another path to ``folder``: a symbolic link, or a bind mount, which
    resolve() cannot see through (as a volume mounted twice or an NFS export)."""
    if kind == "symlink":
        alias.symlink_to(folder)
        yield
        return
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a bind mount needs root (and mount)")
    alias.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(alias)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount --bind is not allowed here: {mounted.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(alias)], check=True)


@pytest.mark.parametrize("kind", ["symlink", "bind mount"])
@pytest.mark.parametrize(
    "below, relation",
    [("", "holds the project"), ("clone", "is the project"), ("clone/www", "is inside the project")],
)
def test_a_second_path_to_the_project_is_refused_even_when_forced(
    site, project, tmp_path_factory, kind, below, relation
):
    (project.parent / "unrelated.txt").write_text("someone else's file")
    before = tree_of(project.parent, skip=())
    alias = tmp_path_factory.mktemp("alias") / "holder"
    with second_path(project.parent, alias, kind):
        target = f"{alias / below}/"
        with pytest.raises(DeployError) as refused:
            ship(site, project, target, force=True)
        assert f"refusing to deploy to {target}: it {relation} {project}" in str(refused.value)
    assert tree_of(project.parent, skip=()) == before


def test_a_relative_destination_is_resolved_from_the_working_folder(site, project, monkeypatch):
    monkeypatch.chdir(project / "output")
    with pytest.raises(
        DeployError, match=rf"refusing to deploy to \.\./www: it is inside the project {project},"
    ):
        ship(site, project, "../www")
    assert not (project / "www").exists()


def test_a_folder_of_other_files_is_refused_unless_forced(site, project, tmp_path):
    www = tmp_path / "www"
    (www / "docs").mkdir(parents=True)
    (www / "docs" / "manual.html").write_text("not ours")

    with pytest.raises(DeployError) as refused:
        ship(site, project, f"{www}/")
    message = str(refused.value)
    assert (
        f"refusing to deploy to {www}/: it is not empty and no deploy of this site made it (no {MARKER})"
    ) in message
    assert "--force" in message
    assert (www / "docs" / "manual.html").read_text() == "not ours"

    ship(site, project, f"{www}/", force=True)
    published = tree_of(www)
    assert MARKER in published.pop(MARKER).decode()
    assert sorted(published) == stamped_files(site)


def test_a_folder_a_deploy_made_is_mirrored_again_deleting_stale_files(site, project, tmp_path):
    www = tmp_path / "www"  # missing: the first deploy creates it
    assert (
        ship(site, project, str(www))
        == f"deployed {len(stamped_files(site))} files built for {site.siteurl} to {www}"
    )
    assert (www / MARKER).is_file()
    (www / "old-post").mkdir()
    (www / "old-post" / "index.html").write_text("a page the site no longer has")

    ship(site, project, str(www))

    published = tree_of(www)
    published.pop(MARKER)
    assert sorted(published) == stamped_files(site)


def test_an_empty_folder_takes_a_first_deploy(site, project, tmp_path):
    (tmp_path / "www").mkdir()
    ship(site, project, str(tmp_path / "www"))
    assert (tmp_path / "www" / "index.html").read_bytes() == (site.root / "index.html").read_bytes()
    assert (tmp_path / "www" / MARKER).is_file(), "the next deploy would not know the folder as the site's"


def test_make_deploy_refuses_a_folder_of_other_files_and_force_overrides(site, project_copy):
    tool("rsync", "rsync")
    shutil.copytree(site.root, project_copy / "output")
    www = outside(project_copy)
    www.mkdir()
    (www / "notes.txt").write_text("not ours")

    refused = invoke_deploy(project_copy, "--target", "rsync", "--destination", str(www))
    assert refused.returncode == 1
    assert f"deploy: refusing to deploy to {www}: it is not empty" in refused.stderr
    assert (www / "notes.txt").exists()

    inside = invoke_deploy(project_copy, "--target", "rsync", "--destination", str(project_copy / "site"))
    assert inside.returncode == 1
    assert f"it is inside the project {project_copy}" in inside.stderr
    assert not (project_copy / "site").exists()

    forced = invoke_deploy(project_copy, "--target", "rsync", "--destination", str(www), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (www / "notes.txt").exists()
    assert (www / "index.html").read_bytes() == (site.root / "index.html").read_bytes()


def test_make_deploy_takes_a_relative_destination_from_the_folder_it_is_run_in(site, project_copy):
    """`cd content && python3 ../make.py deploy --destination ../../www`: beside the project."""
    tool("rsync", "rsync")
    for name in (
        "make.py",
        "pyproject.toml",
        "requirements.txt",
        "requirements.lock",
        "requirements-test.txt",
        "requirements-test.lock",
    ):
        shutil.copy2(ROOT / name, project_copy / name)
    (project_copy / ".venv").symlink_to(ROOT / ".venv")  # make.py finds it synced: nothing to install
    shutil.copytree(site.root, project_copy / "output")
    www = outside(project_copy)
    from_root = project_copy.parent.parent / www.name  # where ../../ leads from the project root
    try:
        result = subprocess.run(
            [
                sys.executable,
                "../make.py",
                "deploy",
                "--target",
                "rsync",
                "--destination",
                f"../../{www.name}",
            ],
            cwd=project_copy / "content",
            env=caller_environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert (www / "index.html").read_bytes() == (site.root / "index.html").read_bytes()
        assert not from_root.exists()
    finally:
        shutil.rmtree(from_root, ignore_errors=True)
