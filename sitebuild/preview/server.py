"""Local preview servers, answering as production (deploy/nginx.conf) does wherever a reader could
tell (its CSP, 404 page, no listings); the live one (live.py) adds livereload.js, failed and early pages."""

import contextlib
import html
import json
import posixpath
import re
import sys
import urllib.parse
from importlib.resources import files
from pathlib import Path

from tornado import httpserver, ioloop, netutil, web, websocket

from .. import MAKE_COMMAND
from ..checks.site import built_for

# The site's policy (deploy/_headers, deploy/nginx.conf; wasm: Pagefind): a template breaking it fails here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# XML documents' own (deploy/nginx.conf): the browser's XML viewer styles the tree inline.
XML_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
XML_PATH = re.compile(r"\.xml$")
# 404 even if on disk, as in production (deploy/nginx.conf, tests/test_nginx.py): dot-paths but .well-known/
DOT_PATH = r"^/\.(?!well-known/)|./\."
REFUSED_IN_PRODUCTION = re.compile(rf"{DOT_PATH}|^/404\.html$")
PREVIEW_PREFIX = "/.preview/"  # the live preview's own files: production refuses it, no build writes it
LAST_GOOD = "last-good"  # added to a page's address: the last good build's page, not the errors
PROTOCOL = "http://livereload.com/protocols/official-7"  # livereload.js's, answered here
# Its link is a query alone: the same page's address, never another host's (a path may be //host/).
FAILED_BUILD = (Path(__file__).parent / "failed-build.html").read_text(encoding="utf-8")


class BuildState:
    """The live preview's: the last build's problems, the early page (save_as, HTML) if any."""

    def __init__(self):
        self.problems, self.early = [], None


def addresses(save_as: str) -> set[str]:
    return {f"/{save_as}", "/" + save_as.removesuffix("index.html")}


class SiteHandler(web.StaticFileHandler):
    """A built site as production serves it, and the live preview's ``state``: its early and failed pages."""

    def initialize(self, path, state=None):
        super().initialize(path, default_filename="index.html")
        self.state = state or BuildState()

    def set_default_headers(self):
        xml = XML_PATH.search(self.request.path)
        self.set_header(
            "Content-Security-Policy", XML_CONTENT_SECURITY_POLICY if xml else CONTENT_SECURITY_POLICY
        )

    def get(self, path, include_body=True):
        # ``path`` as nginx reads it: unescaped (by tornado), with ./ and ../ resolved.
        if REFUSED_IN_PRODUCTION.search(posixpath.normpath(f"/{path}")):
            raise web.HTTPError(404)
        early = self.state.early
        problems = LAST_GOOD not in self.request.query.split("&") and self.state.problems
        if early and self.request.path in addresses(early[0]):
            page = early[1]
        elif problems and posixpath.splitext(path)[1] in ("", ".html"):  # a page, not what it loads
            self.set_status(500)
            items = "".join(f"<li><pre>{html.escape(problem)}</pre></li>\n" for problem in problems)
            page = FAILED_BUILD.format(prefix=PREVIEW_PREFIX, items=items, last_good=LAST_GOOD).encode()
        else:
            return super().get(path, include_body)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        return self.finish(page if include_body else b"")

    def should_return_304(self):  # never: a page may change within its time stamp's second
        return False

    def compute_etag(self):  # a page from memory has no file to tag
        return None

    def write_error(self, status_code, **kwargs):
        page = Path(self.root) / "404.html"
        if status_code != 404 or not page.is_file():
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.finish(page.read_bytes())


def listen(command: str, site: web.Application, port: int, bind="127.0.0.1", sockets=None) -> list:
    """Serve ``site`` on ``sockets``, or on the port's: if it cannot be had, one line names it and the fix."""
    try:
        sockets = sockets or netutil.bind_sockets(port, bind)
    except OSError as error:
        sys.exit(
            f"{command}: cannot listen on port {port} ({error.strerror}); stop the server "
            f"using it, or choose another port: --port {port + 1}"
        )
    httpserver.HTTPServer(site).add_sockets(sockets)
    return sockets


def serve_output(output: Path, bind: str, port: int) -> None:
    listen("serve", web.Application([(r"/(.*)", SiteHandler, {"path": str(output)})]), port, bind)
    origin, published_for = f"http://{bind}:{port}", built_for(output)
    print(f"Serving {output} at {origin}/ (Ctrl-C to stop)", flush=True)
    if not (output / "index.html").is_file():  # else every address answers a bare 404, unexplained
        print(
            f"serve: {output} holds no built site yet: run `{MAKE_COMMAND} build` (or publish); "
            "this server shows it once built",
            file=sys.stderr,
        )
    if published_for not in (None, origin):  # its stylesheet, scripts and links would come from there
        print(
            f"serve: {output} was published for {published_for}, so its pages load their "
            f"stylesheet and links from there, not from this server; to preview it here, "
            f"run `{MAKE_COMMAND} publish --siteurl {origin}`",
            file=sys.stderr,
        )
    with contextlib.suppress(KeyboardInterrupt):
        ioloop.IOLoop.current().start()


class PageSocket(websocket.WebSocketHandler):
    """livereload.js's socket from one open page, which says which page it shows."""

    pages: set = set()  # those that said which they show

    def on_message(self, message):
        said = json.loads(message)
        if said.get("command") == "hello":
            self.write_message({"command": "hello", "protocols": [PROTOCOL]})
        elif said.get("command") == "info":
            self.path = urllib.parse.urlsplit(str(said.get("url"))).path
            self.pages.add(self)
            print(f"Browser Connected: {said.get('url')}", flush=True)

    def on_close(self):
        self.pages.discard(self)


def reload_browsers(which=lambda path: True) -> None:
    """Tell the open pages whose path ``which`` accepts to reload; on the loop's thread."""
    for page in [page for page in PageSocket.pages if which(page.path)]:
        with contextlib.suppress(websocket.WebSocketClosedError):  # a page closed meanwhile
            page.write_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})


class ScriptTag(web.OutputTransform):
    """Each page loads livereload.js by a <script src> (script-src 'self'), not inline."""

    script = b'<script src="/livereload.js"></script>'

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", self.script + b"</head>", 1)
            headers["Content-Length"] = str(int(headers["Content-Length"]) + len(self.script))
        return status_code, headers, chunk


def application(output: Path, state: BuildState) -> web.Application:
    """The live preview: the site, livereload.js and its socket, and the preview's own files."""
    handlers = [
        (r"/livereload", PageSocket),
        (r"/(livereload\.js)", SiteHandler, {"path": str(files("livereload") / "vendors")}),  # its script
        (re.escape(PREVIEW_PREFIX) + r"(.*)", SiteHandler, {"path": str(Path(__file__).parent / "assets")}),
        (r"/(.*)", SiteHandler, {"path": str(output), "state": state}),
    ]
    return web.Application(handlers, transforms=[ScriptTag])
