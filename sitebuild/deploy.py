"""Ship a verified production build to a host: a GitHub Pages branch, or any rsync target.

Both targets take the output folder only after stamp.verified_stamp() proved it is an
unchanged, successful production build for the origin being deployed to, and ship
exactly the files the stamp lists (the stamp itself stays home). The work is done by
the maintained tools: ghp-import commits to the branch (with .nojekyll, so GitHub
serves every file as it is) and pushes; rsync mirrors with --delete and compares
content, not times, with --checksum, since every build gives every file a new mtime.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .stamp import StampError, verified_stamp

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("gh-pages", "rsync")


class DeployError(Exception):
    """Nothing was deployed; the message says why and what to do."""


def deploy(output: Path, target: str, *, siteurl: str, remote: str = "origin", branch: str = "gh-pages",
           cname: str | None = None, destination: str | None = None, repo: Path = ROOT) -> str:
    """Deploy ``output`` to ``target``; return a one-line summary or raise DeployError."""
    if target not in TARGETS:
        raise DeployError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    if target == "rsync" and not destination:
        raise DeployError("rsync needs a destination, e.g. --destination user@host:/srv/site/")
    try:
        stamp = verified_stamp(output, siteurl)
    except StampError as error:
        raise DeployError(str(error)) from None
    files = sorted(stamp["files"])
    with release_tree(Path(output), files) as release:
        if target == "gh-pages":
            to_gh_pages(release, remote=remote, branch=branch, repo=Path(repo), cname=cname,
                        message=f"Publish {len(files)} files built for {siteurl}")
            return f"deployed {len(files)} files to branch {branch} of {remote}"
        to_rsync(release, destination)
        return f"deployed {len(files)} files to {destination}"


@contextmanager
def release_tree(output: Path, files: list[str]):
    """A folder holding exactly ``files``, hard-linked from ``output`` (copied across devices)."""
    folder = Path(tempfile.mkdtemp(prefix=".output-deploy-", dir=output.parent))
    try:
        for name in files:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(output / name, target)
            except OSError:
                shutil.copy2(output / name, target)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def to_gh_pages(release: Path, *, remote: str, branch: str, message: str, repo: Path,
                cname: str | None = None) -> None:
    """Commit ``release`` as the whole of ``branch`` in ``repo`` and push it to ``remote``.

    Every deploy replaces the whole branch, so a custom domain must be written each time
    (``cname``) or GitHub Pages forgets it.
    """
    if run(["git", "rev-parse", "--git-dir"], cwd=repo).returncode != 0:
        raise DeployError(f"{repo} is not a git repository; gh-pages deploys from one")
    if run(["git", "remote", "get-url", remote], cwd=repo).returncode == 0:
        # ghp-import builds on <remote>/<branch> as last fetched; make that the current one.
        fetched = run(["git", "fetch", "--quiet", remote], cwd=repo)
        if fetched.returncode != 0:
            raise DeployError(f"git fetch {remote} failed: {fetched.stderr.strip()}")
    before = tip(repo, branch)
    options = ["--cname", cname] if cname else []
    imported = run([sys.executable, "-m", "ghp_import", "--no-jekyll", "--message", message,
                    "--branch", branch, "--remote", remote, *options, str(release)], cwd=repo)
    # ghp-import reports a failed git fast-import on stdout yet exits 0: check the branch moved.
    if imported.returncode != 0 or tip(repo, branch) in (None, before):
        raise DeployError(f"ghp-import could not commit to {branch}: {(imported.stderr + imported.stdout).strip()}")
    pushed = run(["git", "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}"], cwd=repo)
    if pushed.returncode != 0:
        raise DeployError(f"git push to {remote} failed: {pushed.stderr.strip()}")


def tip(repo: Path, branch: str) -> str | None:
    result = run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo)
    return result.stdout.strip() if result.returncode == 0 else None


def to_rsync(release: Path, destination: str) -> None:
    """Mirror ``release`` to ``destination`` (a local folder or host:path), deleting extra files."""
    if shutil.which("rsync") is None:
        raise DeployError("rsync is not installed (Debian: apt-get install rsync)")
    # --delay-updates renames every changed file into place at the end, and --delete-after
    # removes stale ones after that, so readers never get a page whose new stylesheet has
    # not arrived yet.
    command = ["rsync", "--recursive", "--links", "--times", "--perms", "--chmod=D755,F644",
               "--delete", "--delete-after", "--delay-updates", "--checksum", "--compress",
               f"{release}/", destination]
    result = run(command)
    if result.returncode != 0:
        raise DeployError(f"rsync to {destination} failed: {result.stderr.strip()}")


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)
