"""`invoke serve` and `invoke livereload` answer as production (deploy/nginx.conf) does.

Both run from sitebuild/preview/server.py in subprocesses, over one development build with the
dot-files a checkout or an editor leaves.
"""

import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from serverhelpers import RECORD_VIOLATIONS, get, server_process, wait_for

from devtools.nginx import free_port
from sitebuild.preview.server import CONTENT_SECURITY_POLICY

STORY = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
SECRET = b"not for readers\n"
DOT_FILES = [".hidden", ".git/config", "feeds/.hidden", "theme/.cache/old.css", ".well-known/.hidden"]
STARTERS = {
    "serve": "from sitebuild.preview.server import serve_output; "
    "serve_output(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]))",
    "livereload": (
        "from types import SimpleNamespace as Builder; from sitebuild.preview.live import live; "
        "live(Path(sys.argv[1]), int(sys.argv[2]), Builder(rebuild=lambda *a: {'problems': []}), "
        "content=Path(sys.argv[1]).parent / 'content')"
    ),
}
# What production answers 404 for although a file or folder is there.
NOT_SERVED = {
    "dot-file": "/.hidden",
    "dot-folder": "/.git/config",
    "dot-file in a folder": "/feeds/.hidden",
    "dot-folder in a folder": "/theme/.cache/old.css",
    "dot-file under .well-known": "/.well-known/.hidden",
    "escaped dot": "/%2Egit/config",
    "folder without index.html": "/theme/",
    "feeds folder": "/feeds/",
    "the 404 page's own address": "/404.html",
}
# `serve` already answered a plain missing path with the site's 404 page; livereload did not.
CASES = [(server, path) for server in STARTERS for path in NOT_SERVED.values()]
CASES.append(("livereload", "/no-such-page/"))
LIVE_SCRIPT = re.compile(rb'<script src="/livereload\.js"></script>')


class Preview:
    def __init__(self, origin: str, log: Path):
        self.origin, self.log = origin, log


@pytest.fixture(scope="module")
def output(tmp_path_factory, dev_site):
    """A copy of the session's development build (conftest.dev_site), with DOT_FILES added, beside
    the content folder the live preview watches."""
    folder = tmp_path_factory.mktemp("preview")
    (folder / "content").mkdir()
    shutil.copytree(dev_site.root, folder / "output")
    for name in DOT_FILES:
        (folder / "output" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "output" / name).write_bytes(SECRET)
    return folder / "output"


@pytest.fixture(scope="module")
def previews(output, tmp_path_factory):
    """Both preview servers over ``output``, by name."""
    logs = tmp_path_factory.mktemp("preview-logs")
    ports = {name: free_port() for name in STARTERS}
    with (
        server_process(
            starter("serve", output, ports["serve"]),
            f"http://127.0.0.1:{ports['serve']}/",
            logs / "serve.log",
        ),
        server_process(
            starter("livereload", output, ports["livereload"]),
            f"http://127.0.0.1:{ports['livereload']}/",
            logs / "livereload.log",
        ),
    ):
        yield {
            name: Preview(f"http://127.0.0.1:{port}", logs / f"{name}.log") for name, port in ports.items()
        }


def starter(name, output, port):
    return [
        sys.executable,
        "-c",
        f"import sys; from pathlib import Path; {STARTERS[name]}",
        str(output),
        str(port),
    ]


@pytest.mark.parametrize("server, path", CASES)
def test_what_production_does_not_serve_gets_the_sites_404_page(previews, output, server, path):
    status, headers, body = get(previews[server].origin + path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    if server == "livereload":  # its script is on every page, the 404 page included
        body, scripts = LIVE_SCRIPT.subn(b"", body)
        assert scripts == 1
    assert body == (output / "404.html").read_bytes()


@pytest.mark.parametrize("path", ["/", STORY, "/no-such-page/", "/theme/", "/.hidden", "/archives"])
def test_both_previews_send_the_production_content_security_policy(previews, path):
    for server, preview in previews.items():
        _, headers, _ = get(preview.origin + path)
        assert headers.get_all("Content-Security-Policy") == [CONTENT_SECURITY_POLICY], (server, path)


@pytest.mark.browser
def test_livereload_reloads_the_page_under_the_production_policy(previews, output, browser):
    from browserhelpers import open_page

    live = previews["livereload"]
    with open_page(browser) as (page, problems):
        page.add_init_script(RECORD_VIOLATIONS)
        response = page.goto(live.origin + STORY, wait_until="load")
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        wait_for(lambda: "Browser Connected" in live.log.read_text(), what="the live-reload connection")
        page.evaluate("window.__beforeReload = true")
        with page.expect_event("load"):  # a save: its build (a stand-in here) reloads the page
            (output.parent / "content/saved.md").write_text("Title: Saved\n\nA body.\n")
        assert page.evaluate("window.__beforeReload") is None  # a new document
        assert page.evaluate("window.__cspViolations") == []
        assert problems.messages == []
        assert page.evaluate("document.styleSheets.length") == 1


@pytest.mark.parametrize("command", ["serve", "livereload"])
def test_a_busy_port_is_named_in_one_line_before_anything_is_built(project_copy, command):
    """A second preview on the port of one already running leaves its output as it is."""
    served = project_copy / "output/index.html"
    served.parent.mkdir()
    served.write_text("the site the first preview serves\n")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        ran = subprocess.run(
            [sys.executable, "-m", "invoke", command, "--port", str(port)],
            cwd=project_copy,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert ran.returncode == 1
    assert len(ran.stderr.splitlines()) == 1, ran.stderr
    assert f"port {port}" in ran.stderr and f"--port {port + 1}" in ran.stderr
    assert [path.name for path in served.parent.iterdir()] == ["index.html"]
    assert served.read_text() == "the site the first preview serves\n"
    assert not (project_copy / "cache").exists()


@pytest.mark.parametrize("before", ["no output", "an empty output"])
def test_serve_before_a_build_says_to_build_and_then_serves_what_is_built(project_copy, before):
    """`serve` on a fresh clone, or after `clean`, answered every address with a bare 404."""
    if before == "an empty output":
        (project_copy / "output").mkdir()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=project_copy,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/"), what="serve to answer")
        built = subprocess.run(
            [sys.executable, "-m", "invoke", "build"], cwd=project_copy, capture_output=True
        )
        assert built.returncode == 0, built.stderr
        status, _, page = get(f"http://127.0.0.1:{port}{STORY}")
        assert status == 200 and b"Linux 3.0" in page
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
            raise
    assert [line for line in stderr.splitlines() if line.startswith("serve:")] == [
        f"serve: {project_copy / 'output'} holds no built site yet: run `python3 make.py build` "
        "(or publish); this server shows it once built"
    ]


def answers(url):
    try:
        get(url)
        return True
    except OSError:
        return False
