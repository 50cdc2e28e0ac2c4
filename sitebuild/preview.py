"""Local preview servers: a plain one for a built site, and one that rebuilds and reloads.

Both answer as production (deploy/nginx.conf) does wherever a reader could tell the
difference: the same Content-Security-Policy, and the site's 404 page, status 404, for a
missing path, for a folder without index.html (never a listing), for the 404 page's own
address and for dot-files and dot-folders other than /.well-known/.
"""

import functools
import http.server
import posixpath
import re
import urllib.parse
from pathlib import Path

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado import web

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]


# The policy the site is published under (the same string as deploy/_headers and
# deploy/nginx.conf on the deploy branch): nothing inline, nothing from another host.
# Pagefind compiles its WebAssembly, which needs 'wasm-unsafe-eval' (never 'unsafe-eval').
# Previews and the browser tests send it too, so a template that breaks it fails locally.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


# deploy/nginx.conf's pattern for the dot-files and dot-folders it refuses, all but
# /.well-known/ at the root (tests/test_nginx.py checks the two are the same).
DOT_PATH = r"^/\.(?!well-known/)|./\."
# What production answers 404 for whatever is on disk: those, and the 404 page's own address.
REFUSED_IN_PRODUCTION = re.compile(rf"{DOT_PATH}|^/404\.html$")


def refused_in_production(request_path: str) -> bool:
    """Whether production answers 404 for ``request_path`` (as sent: %-escaped, maybe a query),
    read as nginx reads it: unescaped, with ./ and ../ resolved."""
    path = urllib.parse.unquote(request_path.split("?", 1)[0].split("#", 1)[0])
    return bool(REFUSED_IN_PRODUCTION.search(posixpath.normpath(path)))


def not_found_page(output: Path) -> bytes | None:
    page = Path(output) / "404.html"
    return page.read_bytes() if page.is_file() else None


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve directory URLs as their index.html and missing paths as the site's 404 page,
    under the site's Content-Security-Policy."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def send_head(self):
        if refused_in_production(self.path):
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404)  # a folder without index.html: production never lists one
        return None

    def send_error(self, code, message=None, explain=None):
        body = not_found_page(self.directory)
        if code != 404 or body is None:
            return super().send_error(code, message, explain)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_output(output: Path, bind: str, port: int) -> None:
    handler = functools.partial(SiteHandler, directory=str(output))
    with http.server.ThreadingHTTPServer((bind, port), handler) as server:
        print(f"Serving {output} at http://{bind}:{port}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


class LiveSiteHandler(StaticFileHandler):
    """livereload's file handler answering as SiteHandler does. (Tornado already sends a
    folder without index.html as a 404, never a listing.)"""

    def set_default_headers(self):
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    def get(self, path, include_body=True):
        if refused_in_production(self.request.path):
            raise web.HTTPError(404)
        return super().get(path, include_body)

    def write_error(self, status_code, **kwargs):
        body = not_found_page(self.root)
        if status_code != 404 or body is None:
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(body)


class LiveServer(Server):
    """livereload's Server, serving the site under the production Content-Security-Policy.

    The library adds an inline script to every page, which that policy blocks (no
    'unsafe-inline'), to load /livereload.js. Here each page gets a plain <script src> for
    it instead, allowed by script-src 'self'; the script's WebSocket back to the same host
    and port is allowed by connect-src 'self' (CSP level 3; tests/test_preview_servers.py
    checks a reload in Chromium). So the policy needs no exception for previews. The
    library's other routes are kept as they are.
    """

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css

        class ScriptTag(LiveScriptInjector):
            script = f'<script src="/livereload.js?port={port}"></script>'.encode()

        handlers = [
            (r"/livereload", LiveReloadHandler),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/(.*)", LiveSiteHandler, {"path": self.root, "default_filename": "index.html"}),
        ]
        web.Application(handlers, debug=bool(debug), transforms=[ScriptTag]).listen(port, address=host)


def live(output: Path, port: int, rebuild) -> None:
    """Serve output/ with live reload; ``rebuild()`` returns False when the build failed.

    A failed build leaves output/ as it was (see atomic.py), so the browser keeps the
    last good page while the terminal shows what to fix.
    """

    def on_change():
        if not rebuild():
            print("Build failed: the last good site is still being served.")

    rebuild()
    server = LiveServer()
    for name in WATCHED:
        server.watch(str(ROOT / name), on_change)
    server.serve(port=port, host="127.0.0.1", root=str(output))
