"""Deploying: only an unchanged production build ships, to a git branch or an rsync folder."""

import base64
import fcntl
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from browserhelpers import missing
from conftest import SITEURL, new_content, run_build
from sitehelpers import BuiltSite

from sitebuild.build.stamp import STAMP_NAME
from sitebuild.deploy.ship import MARKER, DeployError, deploy
from sitebuild.deploy.verify import is_reserved


def tool(executable, package):
    if shutil.which(executable) is None:
        missing(f"{executable} is not installed (apt-get install {package})")


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def tree_of(folder, skip=(".git",)):
    """Every file below ``folder`` as {relative path: bytes}."""
    files = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if path.is_file() and relative.parts[0] not in skip:
            files[relative.as_posix()] = path.read_bytes()
    return files


def stamped_files(site):
    return sorted(json.loads((site.root / STAMP_NAME).read_text())["files"])


@pytest.fixture
def committer(monkeypatch):
    """ghp-import commits as the git user; a CI machine may have none configured."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Deploy test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "deploy-test@localhost")


def test_the_production_build_stamps_every_file_it_wrote(site):
    stamp = json.loads((site.root / STAMP_NAME).read_text())
    assert stamp["production"] is True and stamp["siteurl"] == site.siteurl
    written = sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*")
        if p.is_file() and p.name != STAMP_NAME
    )
    assert sorted(stamp["files"]) == written
    assert "index.html" in written and "404.html" in written


def test_gh_pages_branch_holds_exactly_the_site_and_keeps_history(site, tmp_path, committer):
    tool("git", "git")
    remote, work = tmp_path / "remote.git", tmp_path / "project"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    git("init", "--quiet", str(work), cwd=tmp_path)
    git("remote", "add", "pages", str(remote), cwd=work)

    for _ in range(2):  # a second deploy must build on the first, not replace its history
        deploy(
            site.root,
            "gh-pages",
            siteurl=site.siteurl,
            remote="pages",
            branch="www",
            repo=work,
            cname="Dom0-Dispatch.github.io",  # the host the site was built for, in any case
        )

    clone = tmp_path / "clone"
    git("clone", "--quiet", "--branch", "www", str(remote), str(clone), cwd=tmp_path)
    published = tree_of(clone)
    assert published.pop(".nojekyll") == b""
    assert published.pop("CNAME") == b"Dom0-Dispatch.github.io"
    # GitHub Pages compresses on its own: the build's .gz and .br copies stay home.
    assert sorted(published) == [name for name in stamped_files(site) if not name.endswith((".gz", ".br"))]
    assert any(name.endswith(".br") for name in stamped_files(site))
    assert all(published[name] == (site.root / name).read_bytes() for name in published)
    assert git("rev-list", "--count", "www", cwd=clone).strip() == "2"
    assert f"built for {SITEURL}" in git("log", "-1", "--format=%s", cwd=clone)


@pytest.mark.parametrize(
    "cname, refusal",
    [
        (
            "news.dom0.org",
            "--cname news.dom0.org has GitHub Pages serve the site from https://news.dom0.org/, but it was "
            f"built for '{SITEURL}', which every link and feed names: run `python3 make.py publish "
            f"--siteurl https://news.dom0.org` first, or deploy without --cname to serve it from {SITEURL}",
        ),
        (
            "https://dom0-dispatch.github.io/",
            "--cname takes the custom domain alone, such as news.example.org, not 'https://dom0-dispatch.github.io/'",
        ),
    ],
)
def test_gh_pages_never_serves_a_build_from_a_custom_domain_it_was_not_built_for(
    site, tmp_path, committer, cname, refusal
):
    """GitHub Pages serves the branch at its CNAME's root: a build for another address shipped with
    every link leading away from it (to github.io, which redirects back under a path that is not
    there), and a URL given as the domain was written into CNAME as it was."""
    tool("git", "git")
    remote, work = tmp_path / "remote.git", tmp_path / "project"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    git("init", "--quiet", str(work), cwd=tmp_path)
    with pytest.raises(DeployError) as refused:
        deploy(site.root, "gh-pages", remote=str(remote), repo=work, cname=cname)
    assert str(refused.value) == refusal
    assert git("branch", "--list", cwd=work) == "" and git("branch", "--list", cwd=remote) == ""


@pytest.mark.parametrize("spelt", ["name", "url"])
def test_gh_pages_never_replaces_a_branch_this_site_did_not_make(site, tmp_path, committer, spelt):
    """Someone's own gh-pages, or an upstream's, pushed to by mistake: refused, unless forced,
    whether the remote is given by its name or by its URL."""
    tool("git", "git")
    remote, theirs, work = tmp_path / "upstream.git", tmp_path / "theirs", tmp_path / "project"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    git("init", "--quiet", "--initial-branch", "gh-pages", str(theirs), cwd=tmp_path)
    (theirs / "index.html").write_text("their site\n")
    git("add", "index.html", cwd=theirs)
    git("commit", "--quiet", "-m", "Their own pages", cwd=theirs)
    git("push", "--quiet", str(remote), "gh-pages", cwd=theirs)
    git("init", "--quiet", str(work), cwd=tmp_path)
    git("remote", "add", "upstream", str(remote), cwd=work)
    name, where = ("upstream", f"upstream ({remote})") if spelt == "name" else (str(remote), str(remote))

    with pytest.raises(DeployError) as refused:
        deploy(site.root, "gh-pages", siteurl=site.siteurl, remote=name, repo=work)
    assert f"refusing to push to branch gh-pages of {where}: its last commit" in str(refused.value)
    assert "'Their own pages'" in str(refused.value) and "--force" in str(refused.value)
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip() == "Their own pages"
    assert "gh-pages" not in git("branch", "--list", cwd=work), "a commit was made before refusing"

    deploy(site.root, "gh-pages", siteurl=site.siteurl, remote=name, repo=work, force=True)
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).startswith("Publish ")
    assert git("log", "-1", "--format=%s", "gh-pages~1", cwd=remote).strip() == "Their own pages"


def test_gh_pages_never_builds_on_a_local_branch_this_site_did_not_make(site, tmp_path, committer, capfd):
    """A local gh-pages with someone's private commits, never pushed: refused like a foreign
    remote branch, so its history is not published, unless forced."""
    tool("git", "git")
    remote, work = tmp_path / "remote.git", tmp_path / "project"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    git("init", "--quiet", "--initial-branch", "gh-pages", str(work), cwd=tmp_path)
    (work / "notes.txt").write_text("private: the draft budget\n")
    git("add", "notes.txt", cwd=work)
    git("commit", "--quiet", "-m", "My private notes", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)

    with pytest.raises(DeployError) as refused:
        deploy(site.root, "gh-pages", siteurl=site.siteurl, repo=work)
    message = str(refused.value)
    assert f"refusing to push to branch gh-pages of origin ({remote}): the local branch gh-pages" in message
    assert "'My private notes'" in message and "--force" in message
    assert git("branch", "--list", "--remotes", cwd=remote) == "" and "gh-pages" not in git(
        "branch", cwd=remote
    )
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=work).strip() == "My private notes"
    assert "pushing" not in capfd.readouterr().err

    deploy(site.root, "gh-pages", siteurl=site.siteurl, repo=work, force=True)
    assert f"deploy: pushing branch gh-pages to origin ({remote})" in capfd.readouterr().err
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).startswith("Publish ")


class TokenGuardedGit(http.server.BaseHTTPRequestHandler):
    """git's smart HTTP (`git http-backend`) over the repositories in ``root``, as GitHub
    serves them: every request must carry ``token`` as x-access-token, or it gets 401."""

    root, token = None, None

    def do_GET(self):
        self.backend()

    def do_POST(self):
        self.backend()

    def backend(self):
        expected = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
        scheme, _, given = self.headers.get("Authorization", "").partition(" ")
        if (scheme.lower(), given) != ("basic", expected):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        environment = {
            **os.environ,
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": "x-access-token",  # receive-pack (a push) answers only a known user
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
        }
        answer = subprocess.run(
            ["git", "http-backend"], input=body, env=environment, capture_output=True
        ).stdout
        head, _, content = answer.partition(b"\r\n\r\n")
        fields = dict(line.split(": ", 1) for line in head.decode().splitlines())
        self.send_response(int(fields.pop("Status", "200").split()[0]))
        for name, value in fields.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args):
        pass


def test_gh_pages_pushes_with_github_token_and_never_stores_it(site, tmp_path, committer, monkeypatch):
    """As the workflow's deploy step: the token in the environment, credentials persisted nowhere."""
    tool("git", "git")
    token = "ghs_deploy-test-token"
    git("init", "--quiet", "--bare", str(tmp_path / "srv" / "site.git"), cwd=tmp_path)
    handler = type("Handler", (TokenGuardedGit,), {"root": tmp_path / "srv", "token": token})
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}"
        work = tmp_path / "project"
        git("init", "--quiet", str(work), cwd=tmp_path)
        git("remote", "add", "origin", f"{origin}/site.git", cwd=work)
        monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
        monkeypatch.setenv("GITHUB_SERVER_URL", origin)
        # A whole site in one request (git would otherwise send it chunked), and a setting of
        # the caller's own through git's environment, which the token must not displace.
        for name, value in {"COUNT": "1", "KEY_0": "http.postBuffer", "VALUE_0": "200000000"}.items():
            monkeypatch.setenv(f"GIT_CONFIG_{name}", value)
        with pytest.raises(DeployError, match="could not reach origin"):
            deploy(site.root, "gh-pages", siteurl=site.siteurl, repo=work)

        monkeypatch.setenv("GITHUB_TOKEN", token)
        deploy(site.root, "gh-pages", siteurl=site.siteurl, repo=work)
        server.shutdown()
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=tmp_path / "srv" / "site.git").startswith(
        "Publish "
    )
    stored = [
        path for path in (work / ".git").rglob("*") if path.is_file() and token.encode() in path.read_bytes()
    ]
    secret = base64.b64encode(f"x-access-token:{token}".encode())
    stored += [path for path in (work / ".git").rglob("*") if path.is_file() and secret in path.read_bytes()]
    assert not stored


def test_rsync_mirrors_the_site_deleting_stale_files_and_comparing_content(site, tmp_path):
    tool("rsync", "rsync")
    destination = tmp_path / "www"
    deploy(site.root, "rsync", siteurl=site.siteurl, destination=f"{destination}/")
    (destination / "old-post").mkdir(parents=True)
    (destination / "old-post" / "index.html").write_text("a page the site no longer has")
    # Same size and mtime, different bytes: only --checksum notices the difference.
    home, stale_home = site.root / "index.html", destination / "index.html"
    original = home.read_bytes()
    stale_home.write_bytes(original.replace(b"<html", b"<HTML", 1))
    shutil.copystat(home, stale_home)

    deploy(site.root, "rsync", siteurl=site.siteurl, destination=f"{destination}/")

    published = tree_of(destination)
    assert MARKER in published.pop(MARKER).decode()
    assert sorted(published) == stamped_files(site)
    assert published["index.html"] == original
    assert all(published[name] == (site.root / name).read_bytes() for name in published)


def test_two_deploys_into_one_folder_take_turns_and_a_missing_parent_is_named(site, tmp_path, capfd):
    """Two outputs deployed into one folder at once would leave it a mix of both sites: the
    second waits for the first (here, a holder of the folder's lock, by a second path), saying so."""
    tool("rsync", "rsync")
    www = tmp_path / "www"
    www.mkdir()
    (tmp_path / "also-www").symlink_to(www)
    holder = os.open(tmp_path / "also-www", os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    done = []
    deploying = threading.Thread(
        target=lambda: done.append(deploy(site.root, "rsync", siteurl=site.siteurl, destination=f"{www}/"))
    )
    deploying.start()
    try:
        deadline = time.monotonic() + 30
        while (
            f"waiting for another deploy into {www}" not in capfd.readouterr().err
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        time.sleep(0.5)
        assert list(www.iterdir()) == [] and not done  # nothing written while the other holds it
    finally:
        os.close(holder)
        deploying.join(60)
    assert done and (www / MARKER).is_file() and (www / "index.html").is_file()
    with pytest.raises(DeployError) as refused:
        deploy(site.root, "rsync", siteurl=site.siteurl, destination=str(tmp_path / "none" / "www"))
    assert str(refused.value) == (
        f"{tmp_path / 'none'}, the folder of {tmp_path / 'none' / 'www'}, does not exist: "
        f"create it (mkdir -p {tmp_path / 'none'})"
    )


@pytest.fixture
def tampered(site, tmp_path):
    copy = tmp_path / "output"
    shutil.copytree(site.root, copy)
    return copy


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda root: (root / "about" / "index.html").write_text("edited by hand"),
            "modified: about/index.html",
        ),
        (lambda root: (root / "notes.html").write_text("left over"), "not from the build: notes.html"),
        (lambda root: (root / "404.html").unlink(), "missing: 404.html"),
        (lambda root: (root / STAMP_NAME).write_text("{"), "is unreadable"),
    ],
)
def test_deploy_refuses_an_output_changed_after_the_build(tampered, tmp_path, change, message):
    change(tampered)
    destination = tmp_path / "www"
    with pytest.raises(DeployError, match=message):
        deploy(tampered, "rsync", siteurl=SITEURL, destination=str(destination))
    assert not destination.exists()


def test_deploy_refuses_a_stamped_file_replaced_by_a_link_to_the_same_bytes(tampered, tmp_path):
    """A link is never what a build wrote: followed, it passed the check and rsync shipped it as
    a link to a path of the build machine."""
    moved = tmp_path / "x.html"
    (tampered / "index.html").rename(moved)
    (tampered / "index.html").symlink_to(moved)
    www = tmp_path / "www"
    with pytest.raises(DeployError) as refused:
        deploy(tampered, "rsync", siteurl=SITEURL, destination=str(www))
    assert str(refused.value) == (
        f"{tampered} changed after `python3 make.py publish`; run it again:\n  modified: index.html"
    )
    assert not www.exists()


def replaced_by_a_pipe(path):
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize(
    "make, message",
    [
        (os.mkfifo, "not from the build: feeds/pipe"),
        (lambda path: path.symlink_to("/nonexistent"), "not from the build: feeds/pipe"),
        (lambda path: replaced_by_a_pipe(path.parent / "all.json"), "modified: feeds/all.json"),
    ],
    ids=["a pipe", "a broken link", "a file replaced by a pipe"],
)
def test_deploy_refuses_an_output_holding_what_is_not_a_file_and_never_waits_on_it(
    tampered, tmp_path, make, message
):
    """Checking the output opens every file in it: a pipe held the deploy, and the output's
    lock, until something wrote to it; a broken link ended it in a traceback."""
    make(tampered / "feeds" / "pipe")
    outcome = []

    def ship():
        try:
            deploy(tampered, "rsync", siteurl=SITEURL, destination=str(tmp_path / "www"))
        except Exception as error:  # noqa: BLE001 - the outcome is asserted below
            outcome.append(error)

    shipping = threading.Thread(target=ship)
    shipping.start()
    shipping.join(30)
    waiting = shipping.is_alive()
    for pipe in (tampered / "feeds" / "pipe", tampered / "feeds" / "all.json"):
        if waiting and pipe.is_fifo():
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))  # release the deploy
    shipping.join()
    assert not waiting, "deploy waited on a pipe in the output"
    assert [type(error) for error in outcome] == [DeployError] and message in str(outcome[0])
    assert not (tmp_path / "www").exists()


def test_deploy_refuses_a_development_build(dev_site, tmp_path):
    with pytest.raises(DeployError, match=r"not written by a successful `python3 make.py publish`"):
        deploy(dev_site.root, "rsync", siteurl=SITEURL, destination=str(tmp_path))


def test_deploy_refuses_a_build_for_another_origin(site, tmp_path):
    expected = (
        rf"built for '{SITEURL}', not 'http://127.0.0.1:8000': "
        r"run `python3 make.py publish --siteurl http://127.0.0.1:8000`"
    )
    with pytest.raises(DeployError, match=expected):
        deploy(site.root, "rsync", siteurl="http://127.0.0.1:8000", destination=str(tmp_path))


def test_deploy_refuses_when_nothing_was_published(tmp_path):
    with pytest.raises(
        DeployError, match=r"does not exist: run `python3 make.py publish --siteurl URL` first"
    ):
        deploy(tmp_path / "output", "gh-pages", siteurl=SITEURL)


# Set by make.py for the tasks it runs; the tests' own run may have been started by it.
CALLERS = ("SITEURL", "DEPLOY_DESTINATION", "MAKE_PY_CWD", "GITHUB_TOKEN")


def caller_environment(**env):
    """This environment without what says where or for whom to deploy, plus ``env``."""
    return {**{k: v for k, v in os.environ.items() if k not in CALLERS}, **env}


def invoke_deploy(project, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "deploy", *args],
        cwd=project,
        env=caller_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def outside(project):
    """A folder beside the project (deploy refuses one inside it)."""
    return project.parent / f"{project.name}-www"


def test_invoke_deploy_ships_output_and_explains_refusals(site, project_copy):
    tool("rsync", "rsync")
    shutil.copytree(site.root, project_copy / "output")
    www = outside(project_copy)

    shipped = invoke_deploy(project_copy, "--target", "rsync", DEPLOY_DESTINATION=str(www))
    assert shipped.returncode == 0, shipped.stderr
    assert f"deployed {len(stamped_files(site))} files built for {site.siteurl} to {www}" in shipped.stdout
    assert (www / "index.html").read_bytes() == (site.root / "index.html").read_bytes()

    elsewhere = invoke_deploy(
        project_copy, "--target", "rsync", "--destination", str(www), SITEURL="https://staging.example"
    )
    assert elsewhere.returncode == 1
    assert "not 'https://staging.example'" in elsewhere.stderr

    # An empty SITEURL is no address: as unset, the build ships for the origin it was made for.
    # "--destination=~/…" reaches deploy unexpanded by the shell.
    home = www.parent
    unset = invoke_deploy(
        project_copy, "--target", "rsync", "--destination=~/tilde", SITEURL="", HOME=str(home)
    )
    assert unset.returncode == 0, unset.stderr
    assert (
        f"built for {site.siteurl} to {home / 'tilde'}" in unset.stdout
        and (home / "tilde" / "index.html").is_file()
    )

    nowhere = invoke_deploy(project_copy, "--target", "rsync")
    assert nowhere.returncode == 1 and "rsync needs a destination" in nowhere.stderr

    unknown = invoke_deploy(project_copy, "--target", "ftp")
    assert unknown.returncode == 1 and "unknown target 'ftp'" in unknown.stderr


PROJECT_PAGE = "https://example.github.io/project"


@pytest.fixture(scope="module")
def project_page(tmp_path_factory):
    """The production build for a GitHub project page, as `publish --siteurl URL` makes it."""
    folder = tmp_path_factory.mktemp("project-page")
    result = run_build(folder / "output", siteurl=PROJECT_PAGE)
    assert result.returncode == 0, result.stderr
    return BuiltSite(folder / "output", PROJECT_PAGE)


def test_deploy_after_a_publish_for_an_origin_ships_it_without_being_told_again(project_page, project_copy):
    """The README's two commands: `publish --siteurl URL`, then `deploy` with no origin."""
    tool("rsync", "rsync")
    shutil.copytree(project_page.root, project_copy / "output")
    www = outside(project_copy)

    shipped = invoke_deploy(project_copy, "--target", "rsync", "--destination", str(www))
    assert shipped.returncode == 0, shipped.stderr
    assert f"files built for {PROJECT_PAGE} to {www}" in shipped.stdout
    stylesheet = BuiltSite(www, PROJECT_PAGE).soup("").find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith(f"{PROJECT_PAGE}/theme/site.")

    named = invoke_deploy(
        project_copy, "--target", "rsync", "--destination", str(www), "--siteurl", "https://news.example.org"
    )
    assert named.returncode == 1
    (line,) = [line for line in named.stderr.splitlines() if line.startswith("deploy:")]
    assert f"was built for '{PROJECT_PAGE}', not 'https://news.example.org'" in line
    assert "run `python3 make.py publish --siteurl https://news.example.org` first" in line
    assert "dom0-dispatch.example" not in named.stderr  # never a rebuild for the placeholder


def test_a_build_for_a_local_preview_is_deployed_only_when_that_origin_is_named(site, tmp_path):
    tool("rsync", "rsync")
    output = tmp_path / "output"
    shutil.copytree(site.root, output)
    stamp = json.loads((output / STAMP_NAME).read_text())
    (output / STAMP_NAME).write_text(json.dumps({**stamp, "siteurl": "http://127.0.0.1:8000"}))

    with pytest.raises(
        DeployError, match=r"built for 'http://127.0.0.1:8000', a preview on this machine: run"
    ):
        deploy(output, "rsync", destination=str(tmp_path / "www"))
    assert not (tmp_path / "www").exists()
    deploy(output, "rsync", siteurl="http://127.0.0.1:8000", destination=str(tmp_path / "www"))
    assert (tmp_path / "www" / "index.html").is_file()


def serve_briefly(project):
    """Run `invoke serve` on ``project``'s output/ until it answers; return (origin, its stderr)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "invoke", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=project, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{origin}/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, as a person stops it
        try:
            _, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()  # never left behind, whatever failed
            server.communicate()
            raise
    return origin, stderr


def test_serve_says_in_one_line_why_a_build_for_another_origin_looks_broken_here(project_page, project_copy):
    shutil.copytree(project_page.root, project_copy / "output")
    origin, stderr = serve_briefly(project_copy)
    (line,) = [line for line in stderr.splitlines() if line.startswith("serve:")]
    assert (
        f"was published for {PROJECT_PAGE}, so its pages load their stylesheet and links from there" in line
    )
    assert line.endswith(f"run `python3 make.py publish --siteurl {origin}`")


def test_serve_says_nothing_of_a_development_build(dev_site, project_copy):
    shutil.copytree(dev_site.root, project_copy / "output")
    _, stderr = serve_briefly(project_copy)
    assert "serve:" not in stderr


def test_the_readme_s_publish_then_deploy_refuses_the_placeholder_origin(project_copy):
    """`python3 make.py publish` with no origin builds for publishconf.py's placeholder, a
    reserved name; deploy shipped that site, every link pointing at it."""
    shutil.rmtree(project_copy / "content")
    content = new_content(project_copy)
    (content / "articles" / "first.md").write_text("Title: First\nDate: 2011-06-01\n\nA post.\n")
    published = subprocess.run(
        [sys.executable, "-m", "invoke", "publish"],
        cwd=project_copy,
        env=caller_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert published.returncode == 0, published.stderr
    refused = invoke_deploy(project_copy, "--target", "gh-pages")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"deploy: {project_copy / 'output'} was built for 'https://dom0-dispatch.example', a name "
        "reserved for examples that no site is served from: run `python3 make.py publish --siteurl "
        "URL` (or set SITEURL) with the address the site is served from"
    ]


@pytest.mark.parametrize(
    "siteurl, why, fixed",
    [
        (
            "news.mysite.org",
            "is not an http(s) address, so every link would lead nowhere",
            "https://news.mysite.org",
        ),
        ("https://user:secret@news.mysite.org", "holds a user name or password", "https://news.mysite.org"),
        ("https://news.mysite.org/blog?x=1", "has a query or fragment", "https://news.mysite.org/blog"),
        (
            "https://news.mysite.org:99999",
            "has a port that is not a number from 1 to 65535",
            "https://news.mysite.org",
        ),
        (
            "https://nëws.org/my blog",
            "a host in ASCII, spaces and accents as %XX",
            "https://xn--nws-jma.org/my%20blog",
        ),
    ],
)
def test_a_publish_for_what_is_not_a_site_s_address_is_refused_with_the_address_to_build_for(
    site, tmp_path, siteurl, why, fixed
):
    """Every link, feed and sitemap entry starts with SITEURL: without a scheme they were all
    relative (`news.mysite.org/2011/…`), and a password was published in every page; both deployed."""
    output = tmp_path / "output"
    shutil.copytree(site.root, output)
    before = tree_of(output)
    refused = run_build(output, siteurl=siteurl, environment={"SITEURL": "https://unused.invalid"})
    assert refused.returncode == 1
    (line,) = [line for line in refused.stderr.splitlines() if line.startswith("  error:")]
    assert line.startswith(f"  error: SITEURL {siteurl!r} ") and why in line
    assert line.endswith(f"run `python3 make.py publish --siteurl {fixed}` (or set SITEURL to it)")
    assert tree_of(output) == before

    advised = run_build(tmp_path / "advised", siteurl=fixed)  # the advice, followed, builds
    assert advised.returncode == 0, advised.stderr

    # An output stamped for such an address by a build that did not refuse it is not shipped.
    stamp = json.loads((output / STAMP_NAME).read_text())
    (output / STAMP_NAME).write_text(json.dumps({**stamp, "siteurl": siteurl}))
    with pytest.raises(DeployError) as not_shipped:
        deploy(output, "rsync", destination=str(tmp_path / "www"))
    assert f"was built for {siteurl!r}, which " in str(not_shipped.value) and why in str(not_shipped.value)
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize(
    "siteurl, reserved",
    [
        ("https://dom0-dispatch.example", True),
        ("https://news.example.org/path", True),
        ("http://example.com", True),
        ("https://site.test", True),
        ("https://a.invalid.", True),
        ("https://example.github.io/project", False),
        ("https://notexample.org", False),
        ("http://localhost:8000", False),  # a preview: is_local's, which a named origin may lift
    ],
)
def test_reserved_example_names_are_recognised(siteurl, reserved):
    assert is_reserved(siteurl) is reserved


def test_an_address_whose_host_cannot_be_read_is_refused_not_a_crash(tmp_path):
    """urllib raises on an unclosed "[": the build failed "unexpectedly" on it."""
    result = run_build(tmp_path / "output", siteurl="https://[news.mysite.org")
    assert result.returncode == 1 and "unexpectedly" not in result.stderr, result.stderr
    assert "names no host a site can be served from" in result.stderr


def test_advice_run_from_a_subfolder_names_make_py_by_its_whole_path(project_copy):
    """make.py runs its tasks in the project's root: run from content/, deploy, publish and the
    checker said `python3 make.py publish`, which names no file there."""
    www = outside(project_copy)
    typed = {project_copy: "python3 make.py", project_copy / "content": f"python3 {project_copy / 'make.py'}"}
    for where, make in typed.items():
        assert (where / make.split()[1]).resolve() == project_copy / "make.py"  # a command that runs there
        refused = invoke_deploy(
            project_copy, "--target", "rsync", "--destination", str(www), MAKE_PY_CWD=str(where)
        )
        assert refused.returncode == 1
        assert f"does not exist: run `{make} publish --siteurl URL` first" in refused.stderr

        published = subprocess.run(
            [sys.executable, "-m", "sitebuild", "--production", "--siteurl", "news.mysite.org"],
            cwd=project_copy,
            env=caller_environment(MAKE_PY_CWD=str(where)),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert published.returncode == 1
        assert (
            f"run `{make} publish --siteurl https://news.mysite.org` (or set SITEURL to it)"
            in published.stderr
        )

        checked = subprocess.run(
            [sys.executable, "-m", "sitebuild.checks.site", "output"],
            cwd=project_copy,
            env=caller_environment(MAKE_PY_CWD=str(where)),
            capture_output=True,
            text=True,
        )
        assert (
            checked.stdout
            == f"check: output holds no built site (no index.html): run {make} check, which builds it\n"
        )
    assert not (project_copy / "output").exists() and not www.exists()
