"""Ship a verified production build to a host: a GitHub Pages branch, or any rsync target.

Only a build whose stamp proves it unchanged and made for the origin is shipped, exactly the
files the stamp lists, from a copy checked against the stamp under the output lock. rsync's
--delete never runs where it could destroy what is not the site's, unless forced."""

import base64
import contextlib
import fcntl
import os
import re
import shutil
import stat
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from .. import MAKE_COMMAND, ROOT
from ..build import atomic
from ..build.stamp import file_digests
from ..lifeline import child_dies_with_me
from .verify import StampError, changed_files, verified_stamp

TARGETS = ("gh-pages", "rsync")
PRECOMPRESSED = (".gz", ".br")
# The first words of every commit a gh-pages deploy makes: a branch whose last commit
# does not start so was made by someone else.
PUBLISH_MESSAGE = "Publish"
# Written by every rsync deploy into its destination: a folder holding it is this site's to
# mirror. A dot file, so deploy/nginx.conf answers 404 for it like for any other.
MARKER = ".dom0-dispatch-deploy"
MARKER_TEXT = (
    f"{MARKER}: this folder is the dom0 dispatch site, deployed by `python3 make.py deploy "
    "--target rsync`, which replaces everything in it.\n"
)


class DeployError(Exception):
    """Nothing was deployed; the message says why and what to do."""


def deploy(
    output: Path,
    target: str,
    *,
    siteurl: str | None = None,
    remote: str = "origin",
    branch: str = "gh-pages",
    cname: str | None = None,
    destination: str | None = None,
    force: bool = False,
    repo: Path = ROOT,
) -> str:
    """Deploy ``output`` to ``target``; return a one-line summary or raise DeployError.

    ``siteurl``: the origin the author named, which the build must be for; None ships the
    build for the origin it was made for (its stamp says which).

    ``force``: let rsync mirror into a non-empty folder, or ghp-import replace a branch,
    that no deploy of this site made.
    """
    output = Path(output).resolve()  # beside the real folder: where its lock and leftovers are
    if target not in TARGETS:
        raise DeployError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    if target == "rsync":
        if not destination:
            raise DeployError("rsync needs a destination, e.g. --destination user@host:/srv/site/")
        if shutil.which("rsync") is None:
            raise DeployError("rsync is not installed (Debian: apt-get install rsync)")
        refuse_overlap(destination, {"the project": Path(repo), "the output folder": output})
    # Both locks are held to the end of the transfer. The output's: the next build or deploy to
    # take it deletes every folder named like the release as a leftover, which would be under
    # rsync's feet. A local destination's: two deploys into it would mix two sites.
    with contextlib.ExitStack() as held:
        if target == "rsync":
            held.enter_context(destination_locked(destination))
            if not force:
                refuse_foreign(destination)
        held.enter_context(output_locked(output))
        try:
            stamp = verified_stamp(output, siteurl)
        except StampError as error:
            raise DeployError(str(error)) from None
        files, built_for = stamp["files"], stamp["siteurl"]
        if target == "gh-pages" and cname and (problem := cname_problem(cname, built_for)):
            raise DeployError(problem)
        if target == "gh-pages":
            # GitHub Pages compresses on its own and never serves these copies.
            files = {name: digest for name, digest in files.items() if not name.endswith(PRECOMPRESSED)}
        release = snapshot(output, files)
        try:
            if target == "gh-pages":
                to_gh_pages(
                    release,
                    remote=remote,
                    branch=branch,
                    repo=Path(repo),
                    cname=cname,
                    force=force,
                    message=f"{PUBLISH_MESSAGE} {len(files)} files built for {built_for}",
                )
                return (
                    f"deployed {len(files)} files built for {built_for} to branch {branch} of "
                    f"{remote} (without .gz/.br copies: GitHub Pages compresses itself)"
                )
            (release / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            to_rsync(release, destination)
            return f"deployed {len(files)} files built for {built_for} to {destination}"
        finally:
            shutil.rmtree(release, ignore_errors=True)


@contextmanager
def destination_locked(destination: str):
    """Hold the lock of a local ``destination`` (flock on the folder, by its real path, which
    its holder's death drops), or, before the first deploy makes it, of the folder holding it;
    a remote one has none: nothing here can lock another host."""
    if is_remote(destination):
        yield
        return
    place = Path(destination).resolve()
    where = place if place.is_dir() else place.parent
    try:
        handle = os.open(where, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DeployError(
            f"{where}, the folder of {destination}, does not exist: create it (mkdir -p {where})"
        ) from None
    except OSError as error:
        raise DeployError(f"could not open {where} to deploy into it: {error.strerror}") from None
    try:
        atomic.lock_waiting(handle, f"deploy: waiting for another deploy into {where} to finish")
        yield
    finally:
        os.close(handle)


@contextmanager
def output_locked(output: Path):
    """``output``'s lock (atomic.py), its refusal a DeployError: no folder beside output/ to write in."""
    try:
        with atomic.output_lock(output, "deploy"):
            yield
    except atomic.BuildError as error:
        raise DeployError("; ".join(error.problems)) from None


def cname_problem(cname: str, built_for: str) -> str | None:
    """Why GitHub Pages, serving the build from the custom domain ``cname`` (at its root), would
    serve pages whose links lead elsewhere, or why ``cname`` is not a domain; None when it fits."""
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?", cname):
        return f"--cname takes the custom domain alone, such as news.example.org, not {cname!r}"
    parts = urlsplit(built_for)
    if (parts.hostname, parts.path.strip("/")) == (cname.lower().rstrip("."), ""):
        return None
    return (
        f"--cname {cname} has GitHub Pages serve the site from {parts.scheme}://{cname}/, but it was "
        f"built for {built_for!r}, which every link and feed names: run `{MAKE_COMMAND} publish "
        f"--siteurl https://{cname}` first, or deploy without --cname to serve it from {built_for}"
    )


def snapshot(output: Path, recorded: dict[str, str]) -> Path:
    """A release folder beside ``output`` holding a copy of each stamped file, proven byte for
    byte to be the build the stamp describes. A copy, not a link: a link shares its bytes with
    output/, so a write into output/ after the check would be shipped."""
    folder = atomic.new_folder(output, "deploy")
    try:
        for name in recorded:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            copy_file(output / name, target)
        problems = changed_files(recorded, file_digests(folder))
        if problems:
            raise DeployError(
                f"{output} changed while deploy was reading it ({problems[0]}, {len(problems)} "
                f"in all); nothing was shipped: run the deploy again"
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


FICLONE = 0x40049409  # linux/fs.h: share the bytes copy-on-write (Btrfs, XFS)


def copy_file(source: Path, target: Path) -> None:
    """Copy a regular file with its times (rsync --times ships them), sharing its blocks where
    the filesystem can; anything else (a link, a pipe, gone) is left out, to be reported missing."""
    try:
        handle = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    with open(handle, "rb") as reading:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return
        with open(target, "xb") as writing:
            try:
                fcntl.ioctl(writing.fileno(), FICLONE, handle)
            except OSError:
                shutil.copyfileobj(reading, writing, 1 << 20)
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))


def is_remote(destination: str) -> bool:
    """As rsync reads a destination: a colon before any slash makes it host:path (or rsync://)."""
    colon, slash = destination.find(":"), destination.find("/")
    return colon != -1 and (slash == -1 or colon < slash)


def refuse_overlap(destination: str, protected: dict[str, Path]) -> None:
    """Refuse a local destination that is, holds or is inside a protected folder, where
    rsync --delete would delete its files. Folders are compared by device and inode, so a
    second path to one (a bind mount, a volume mounted twice) is recognised as well as a
    symbolic link. A remote destination cannot be compared with them."""
    if is_remote(destination):
        return
    place = Path(destination).resolve()
    place_itself, above_place = identity(place), {identity(p) for p in place.parents} - {None}
    for name, folder in protected.items():
        folder = folder.resolve()
        itself, above = identity(folder), {identity(p) for p in folder.parents} - {None}
        if itself is None:
            continue
        relation = (
            "is"
            if place_itself == itself
            else "holds"
            if place_itself in above
            else "is inside"
            if itself in above_place
            else None
        )
        if relation:
            raise DeployError(
                f"refusing to deploy to {destination}: it {relation} {name} {folder}, "
                f"where rsync --delete would delete files; choose a folder outside it"
            )


def identity(path: Path) -> tuple[int, int] | None:
    """What names a folder whatever the path to it: its device and inode (None if missing)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def refuse_foreign(destination: str) -> None:
    """Refuse a destination holding files but no MARKER: whatever is there, rsync --delete
    would delete it. Listed with rsync itself, so a remote destination is checked as well."""
    folder = destination if destination.endswith((":", "/")) else f"{destination}/"
    listed = run(["rsync", "--list-only", folder])
    if listed.returncode != 0:
        if "No such file or directory" in listed.stderr:
            return  # the first deploy creates it
        raise DeployError(f"could not look into {destination}: {listed.stderr.strip()}")
    names = {line.split(None, 4)[4] for line in listed.stdout.splitlines() if len(line.split(None, 4)) == 5}
    if names - {"."} and MARKER not in names:
        raise DeployError(
            f"refusing to deploy to {destination}: it is not empty and no deploy of this site "
            f"made it (no {MARKER}), so rsync --delete would delete its files; choose an empty "
            f"or new folder, or pass --force if everything in it may be replaced"
        )


def to_gh_pages(
    release: Path,
    *,
    remote: str,
    branch: str,
    message: str,
    repo: Path,
    cname: str | None = None,
    force: bool = False,
) -> None:
    """Commit ``release`` as the whole of ``branch`` in ``repo`` and push it to ``remote``
    (a remote's name or a URL), on top of the branch there if it has one.

    Every deploy replaces the whole branch, so a custom domain must be written each time
    (``cname``) or GitHub Pages forgets it.
    """
    if run(["git", "rev-parse", "--git-dir"], cwd=repo).returncode != 0:
        raise DeployError(f"{repo} is not a git repository; gh-pages deploys from one")
    named = run(["git", "remote", "get-url", remote], cwd=repo)
    where = f"{remote} ({named.stdout.strip()})" if named.returncode == 0 else remote
    theirs = fetched_tip(repo, remote, branch, where)
    refusing = f"refusing to push to branch {branch} of {where}"
    if theirs and not force and (subject := foreign_commit(repo, theirs)):
        raise DeployError(
            f"{refusing}: its last commit ({subject!r}) was not made by a deploy of this site, so "
            f"this deploy would replace someone's work; choose another --remote or --branch, or "
            f"pass --force if the branch may be replaced"
        )
    if not force and (subject := foreign_commit(repo, f"refs/heads/{branch}")):
        raise DeployError(
            f"{refusing}: the local branch {branch} it builds on has a last commit ({subject!r}) "
            f"that no deploy of this site made, so this deploy would publish or replace it; rename "
            f"that branch or choose another --branch, or pass --force if it may be published or replaced"
        )
    if theirs:
        # ghp-import commits on the local branch: make it the remote's, however it is spelt.
        run(["git", "update-ref", f"refs/heads/{branch}", theirs], cwd=repo)
    before = tip(repo, branch)
    options = ["--cname", cname] if cname else []
    imported = run(
        [
            sys.executable,
            "-m",
            "ghp_import",
            "--no-jekyll",
            "--message",
            message,
            "--branch",
            branch,
            "--remote",
            remote,
            *options,
            str(release),
        ],
        cwd=repo,
    )
    # ghp-import reports a failed git fast-import on stdout yet exits 0: check the branch moved.
    if imported.returncode != 0 or tip(repo, branch) in (None, before):
        raise DeployError(
            f"ghp-import could not commit to {branch}: {(imported.stderr + imported.stdout).strip()}"
        )
    # Said first: in a fresh clone `origin` is where it was cloned from, maybe not yours.
    print(f"deploy: pushing branch {branch} to {where}", file=sys.stderr, flush=True)
    pushed = run(
        ["git", "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}"], cwd=repo, network=True
    )
    if pushed.returncode != 0:
        raise DeployError(f"git push to {where} failed: {pushed.stderr.strip()}")


def fetched_tip(repo: Path, remote: str, branch: str, where: str) -> str | None:
    """The commit ``branch`` of ``remote`` holds, fetched; None when it has no such branch."""
    listed = run(["git", "ls-remote", "--heads", remote, f"refs/heads/{branch}"], cwd=repo, network=True)
    if listed.returncode != 0:
        raise DeployError(f"could not reach {where}: {listed.stderr.strip()}")
    if not listed.stdout.strip():
        return None
    fetched = run(["git", "fetch", "--quiet", remote, f"refs/heads/{branch}"], cwd=repo, network=True)
    if fetched.returncode != 0:
        raise DeployError(f"git fetch {where} failed: {fetched.stderr.strip()}")
    return listed.stdout.split()[0]


def foreign_commit(repo: Path, commit: str) -> str | None:
    """The subject of ``commit`` if no deploy of this site made it (a project's own pages,
    someone's notes, an upstream's branch); None if one did or there is no such commit."""
    last = run(["git", "log", "-1", "--format=%s", commit, "--"], cwd=repo)
    if last.returncode == 0 and not last.stdout.startswith(f"{PUBLISH_MESSAGE} "):
        return last.stdout.strip()
    return None


def tip(repo: Path, branch: str) -> str | None:
    result = run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo)
    return result.stdout.strip() if result.returncode == 0 else None


def to_rsync(release: Path, destination: str) -> None:
    """Mirror ``release`` to ``destination`` (a local folder or host:path), deleting extra files."""
    keep = ["--recursive", "--links", "--times", "--perms", "--chmod=D755,F644"]
    # The marker goes first, alone and deleting nothing: from then on a transfer cut short
    # leaves a destination the next deploy recognises as this site's, and can finish.
    rsync([*keep, f"--include=/{MARKER}", "--exclude=*", f"{release}/", destination], destination)
    # --delay-updates renames every changed file into place at the end, and --delete-after
    # removes stale ones after that, so readers never get a page whose new stylesheet has
    # not arrived yet.
    rsync(
        [
            *keep,
            "--delete",
            "--delete-after",
            "--delay-updates",
            "--checksum",
            "--compress",
            f"{release}/",
            destination,
        ],
        destination,
    )


def rsync(arguments: list[str], destination: str) -> None:
    result = run(["rsync", *arguments])
    if result.returncode != 0:
        raise DeployError(f"rsync to {destination} failed: {result.stderr.strip()}")


def run(command: list[str], cwd: Path | None = None, network: bool = False) -> subprocess.CompletedProcess:
    """``network``: a git command that talks to the remote, which GITHUB_TOKEN authorises."""
    # rsync and git die with the deploy: an orphaned rsync would go on writing to the host
    # after the author killed the deploy, and from a release folder the next one deletes.
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=child_dies_with_me(),
        env=with_github_token(os.environ) if network else None,
    )


def with_github_token(environment) -> dict:
    """``environment`` in which git sends GITHUB_TOKEN, when set, to the GitHub server (as
    actions/checkout does) through git's environment, never written to .git/config."""
    token = environment.get("GITHUB_TOKEN")
    if not token:
        return dict(environment)
    server = environment.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    credentials = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    n = int(environment.get("GIT_CONFIG_COUNT", "0"))
    return {
        **environment,
        "GIT_CONFIG_COUNT": str(n + 1),
        f"GIT_CONFIG_KEY_{n}": f"http.{server}/.extraheader",
        f"GIT_CONFIG_VALUE_{n}": f"AUTHORIZATION: basic {credentials}",
    }
