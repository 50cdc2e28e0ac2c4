"""Local preview servers: a plain one for a built site, and one that rebuilds and reloads."""

import contextlib
import functools
import http.server
import threading
from pathlib import Path

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


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve directory URLs as their index.html and missing paths as the site's 404 page,
    under the site's Content-Security-Policy."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class QuietSiteHandler(SiteHandler):
    """SiteHandler without a log line per request, for servers run by tests and audits."""

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(output: Path, port: int = 0):
    """Serve ``output`` on 127.0.0.1 from a background thread; yield its base URL.

    Port 0 picks a free port. The folder may be (re)built while it is served, so a
    build can be made for the URL yielded here.
    """
    handler = functools.partial(QuietSiteHandler, directory=str(output))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


def serve_output(output: Path, bind: str, port: int) -> None:
    handler = functools.partial(SiteHandler, directory=str(output))
    with http.server.ThreadingHTTPServer((bind, port), handler) as server:
        print(f"Serving {output} at http://{bind}:{port}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def live(output: Path, port: int, rebuild) -> None:
    """Serve output/ with live reload; ``rebuild()`` returns False when the build failed.

    A failed build leaves output/ as it was (see atomic.py), so the browser keeps the
    last good page while the terminal shows what to fix.
    """
    from livereload import Server

    def on_change():
        if not rebuild():
            print("Build failed: the last good site is still being served.")

    rebuild()
    server = Server()
    for name in WATCHED:
        server.watch(str(ROOT / name), on_change)
    server.serve(port=port, host="127.0.0.1", root=str(output))
