"""Local preview servers: a plain one for a built site, and one that rebuilds and reloads."""

import functools
import http.server
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve directory URLs as their index.html and missing paths as the site's 404 page."""

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
