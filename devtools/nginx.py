"""Run real nginx with deploy/nginx.conf over a built site, on a loopback port.

The tests and the load benchmark exercise the production configuration itself: only its
"test:" lines (listen, root) change, and a private main configuration lets any user run it.
"""

import getpass
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = ROOT / "deploy" / "nginx.conf"
PRODUCTION_LINES = ("    listen 80;", "    listen [::]:80;", "    root /srv/dom0-dispatch/output;")
MIME_TYPES = Path("/etc/nginx/mime.types")

MAIN_CONFIG = """\
daemon off;
user {user};
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    access_log {access_log};
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


class NginxError(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_config(root: Path, port: int) -> str:
    """deploy/nginx.conf listening on 127.0.0.1:``port`` and serving ``root``."""
    text = SITE_CONFIG.read_text(encoding="utf-8")
    listen, listen_v6, production_root = PRODUCTION_LINES
    replacements = {
        listen: f"    listen 127.0.0.1:{port};",
        listen_v6: "",
        production_root: f"    root {Path(root).resolve()};",
    }
    for line, replacement in replacements.items():
        if text.count(line) != 1:
            raise NginxError(f"{SITE_CONFIG} no longer has exactly one line starting {line.strip()!r}")
        text = text.replace(line, replacement)
    return text


def write_config(root: Path, port: int, folder: Path, access_log: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site_config(root, port), encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(
        MAIN_CONFIG.format(
            user=getpass.getuser(),
            folder=folder,
            mime_types=MIME_TYPES,
            access_log=f"{folder}/access.log" if access_log else "off",
        ),
        encoding="utf-8",
    )
    return main


@contextmanager
def running(root: Path, folder: Path, port: int | None = None, access_log: bool = True):
    """Serve ``root`` with nginx until the block ends; yield the origin, e.g. http://127.0.0.1:8123."""
    executable = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if executable is None:
        raise NginxError("nginx is not installed (Debian: apt-get install nginx-light)")
    port = port or free_port()
    config = write_config(root, port, Path(folder), access_log)
    command = [executable, "-p", str(folder), "-e", str(Path(folder) / "error.log"), "-c", str(config)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(process, Path(folder), port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_listening(process: subprocess.Popen, folder: Path, port: int, timeout: float = 10) -> None:
    """Return once nginx serves ``port``; it writes its pid file only after binding the port,
    so a connection before that could reach some other program on the same port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            log = (
                (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
            )
            raise NginxError(f"nginx exited with status {process.returncode}:\n{output}{log}")
        if (folder / "nginx.pid").exists():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                pass
        time.sleep(0.05)
    raise NginxError(f"nginx did not listen on 127.0.0.1:{port} within {timeout} s")
