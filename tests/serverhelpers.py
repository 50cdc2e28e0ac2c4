"""Servers for tests: started in a subprocess on 127.0.0.1, stopped (with their children) after."""

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

# Records every Content-Security-Policy violation of a page, from before its first script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`));
"""


def require_nginx():
    """Skip (fail in CI) when nginx is not installed."""
    from browserhelpers import missing

    if not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")):
        missing("nginx is not installed (apt-get install nginx-light)")


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)  # a log line or a server's answer: each look costs next to nothing
    raise AssertionError(f"timed out waiting for {what}")


def responds(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def get(url, **headers):
    """(status, headers, body) of one GET, whatever the status; no redirect is followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def server_process(command, ready_url, log_path, cwd=None):
    """Run ``command`` until the block ends, once ``ready_url`` answers 200; its output goes to ``log_path``.

    The server runs in a session of its own, so that stopping it also stops whatever it started."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(lambda: process.poll() is not None or responds(ready_url), what=f"{ready_url} to answer")
        assert process.poll() is None, f"the server exited:\n{Path(log_path).read_text()}"
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
