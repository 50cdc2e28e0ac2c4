"""Local preview servers, answering as production (deploy/nginx.conf) does wherever a reader
could tell: the same Content-Security-Policy, the site's 404 page for what production refuses.
``serve``: a built site. The live preview (live.py) adds livereload.js's socket, a failed
build's problems on every page, and a body edit's early page while the site builds."""

import contextlib
import dataclasses
import html
import json
import posixpath
import re
import sys
import urllib.parse
from pathlib import Path

from livereload.handlers import LiveReloadJSHandler, StaticFileHandler
from tornado import web, websocket
from tornado.ioloop import IOLoop

from ..build.stamp import built_for

# The policy the site is published under (the same string as deploy/_headers and
# deploy/nginx.conf on the deploy branch): nothing inline, nothing from another host.
# Pagefind compiles its WebAssembly, which needs 'wasm-unsafe-eval' (never 'unsafe-eval').
# Previews and the browser tests send it too, so a template that breaks it fails locally.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# XML documents' own policy (deploy/nginx.conf): a browser shows a feed or the sitemap
# opened as a page with its own XML viewer, which styles the tree inline.
XML_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
XML_PATH = re.compile(r"\.xml$")
# deploy/nginx.conf's pattern for the dot-files and dot-folders it refuses, all but
# /.well-known/ at the root (tests/test_nginx.py checks the two are the same).
DOT_PATH = r"^/\.(?!well-known/)|./\."
# What production answers 404 for whatever is on disk: those, and the 404 page's own address.
REFUSED_IN_PRODUCTION = re.compile(rf"{DOT_PATH}|^/404\.html$")
# The live preview's own pages, in a dot-folder: production refuses it, the build never writes it.
PREVIEW_PREFIX = "/.preview/"
LAST_GOOD = "last-good"  # added to a page's address, shows the last good build's page, not the errors


def refused_in_production(request_path: str) -> bool:
    """Whether production answers 404 for ``request_path`` (as sent: %-escaped, maybe a query),
    read as nginx reads it: unescaped, with ./ and ../ resolved."""
    path = urllib.parse.unquote(request_path.split("?", 1)[0].split("#", 1)[0])
    return bool(REFUSED_IN_PRODUCTION.search(posixpath.normpath(path)))


@dataclasses.dataclass
class BuildState:
    """The live preview's: the last build's problems (none if it succeeded), and the early
    page of the build under way, if there is one: (where the build writes it, its HTML)."""

    problems: list[str] = dataclasses.field(default_factory=list)
    early: tuple[str, bytes] | None = None


def addresses(save_as: str) -> set[str]:
    return {f"/{save_as}", "/" + save_as.removesuffix("index.html")}


def failed_build_page(problems: list[str]) -> bytes:
    items = "".join(f"<li><pre>{html.escape(problem)}</pre></li>\n" for problem in problems)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Preview: the build failed</title>\n"
        f'<link rel="stylesheet" href="{PREVIEW_PREFIX}preview.css">\n'
        '</head>\n<body>\n<main class="preview-failed">\n<h1>The build failed</h1>\n'
        "<p>Nothing was published: the preview still holds the last good build. "
        "Fix what is listed and save; this page reloads by itself.</p>\n"
        # A query alone: the same page's address, never another host's (a path may be //host/).
        f'<ul>\n{items}</ul>\n<p><a href="?{LAST_GOOD}">Show the last good page</a></p>\n'
        "</main>\n</body>\n</html>\n"
    ).encode()


class SiteHandler(StaticFileHandler):  # livereload's: never a 304, as a page may change
    """Serve a built site as production does: directory URLs as their index.html (never a
    listing), refused and missing paths as its 404 page, under its policy. Given the live
    preview's ``state``: the early page at its addresses, and while the last build has failed,
    its problems on every page instead (``?last-good``: the page)."""

    def initialize(self, path, state=None):
        super().initialize(path, default_filename="index.html")
        self.state = state

    def set_default_headers(self):
        xml = XML_PATH.search(self.request.path)
        self.set_header(
            "Content-Security-Policy", XML_CONTENT_SECURITY_POLICY if xml else CONTENT_SECURITY_POLICY
        )

    def get(self, path, include_body=True):
        if refused_in_production(self.request.path):
            raise web.HTTPError(404)
        state, page = self.state or BuildState(), None
        if state.early and self.request.path in addresses(state.early[0]):
            page = state.early[1]
        elif state.problems and is_page(path) and LAST_GOOD not in self.request.query.split("&"):
            self.set_status(500)
            page = failed_build_page(state.problems)
        if page is None:
            return super().get(path, include_body)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        return self.finish(page if include_body else b"")

    def compute_etag(self):  # a page from memory has no file to tag; it is sent as no-store
        return super().compute_etag() if getattr(self, "absolute_path", None) else None

    def write_error(self, status_code, **kwargs):
        page = Path(self.root) / "404.html"
        if status_code != 404 or not page.is_file():
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.finish(page.read_bytes())


def is_page(path: str) -> bool:
    return path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


def listen_or_exit(command: str, port: int, listen, *args):
    """``listen(*args)``, or, if the port cannot be had, one line naming it and the fix."""
    try:
        return listen(*args)
    except OSError as error:
        sys.exit(
            f"{command}: cannot listen on port {port} ({error.strerror}); stop the server "
            f"using it, or choose another port: --port {port + 1}"
        )


def serve_output(output: Path, bind: str, port: int) -> None:
    site = web.Application([(r"/(.*)", SiteHandler, {"path": str(output)})])
    listen_or_exit("serve", port, site.listen, port, bind)
    print(f"Serving {output} at http://{bind}:{port}/ (Ctrl-C to stop)", flush=True)
    origin, published_for = f"http://{bind}:{port}", built_for(output)
    if published_for not in (None, origin):
        # Its pages name that origin for every stylesheet, script and link, which the
        # browser fetches from there (or the site's policy blocks): it looks broken here.
        print(
            f"serve: {output} was published for {published_for}, so its pages load their "
            f"stylesheet and links from there, not from this server; to preview it here, "
            f"run `python3 make.py publish --siteurl {origin}`",
            file=sys.stderr,
        )
    with contextlib.suppress(KeyboardInterrupt):
        IOLoop.current().start()


class PageSocket(websocket.WebSocketHandler):
    """livereload.js's socket from one open page, which says which page it shows."""

    pages: set = set()
    path = None

    def on_message(self, message):
        said = json.loads(message)
        if said.get("command") == "hello":
            self.write_message(
                {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
            )
        elif said.get("command") == "info":
            self.path = urllib.parse.urlsplit(str(said.get("url"))).path
            self.pages.add(self)
            print(f"Browser Connected: {said.get('url')}", flush=True)

    def on_close(self):
        self.pages.discard(self)


def reload_browsers(which=None) -> None:
    """Tell every open page (or those whose path ``which`` accepts) to reload; on the loop's thread."""
    for page in list(PageSocket.pages):
        if which is None or which(page.path):
            with contextlib.suppress(websocket.WebSocketClosedError):  # a page closed meanwhile
                page.write_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})


class ForceReload(web.RequestHandler):
    def get(self):
        reload_browsers()
        self.write("ok")


class ScriptTag(web.OutputTransform):
    """Each page loads livereload.js by a <script src> (script-src 'self'), not inline."""

    script = b'<script src="/livereload.js"></script>'

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", self.script + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(self.script))
        return status_code, headers, chunk


class PreviewAsset(web.StaticFileHandler):
    def set_default_headers(self):
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)


def application(output: Path, state: BuildState) -> web.Application:
    """The live preview: the site, livereload.js and its socket, and the preview's own pages."""
    assets = {"path": str(Path(__file__).resolve().parent / "assets")}
    handlers = [
        (r"/livereload", PageSocket),
        (r"/forcereload", ForceReload),
        (r"/livereload.js", LiveReloadJSHandler),
        (re.escape(PREVIEW_PREFIX) + r"(.*)", PreviewAsset, assets),
        (r"/(.*)", SiteHandler, {"path": str(output), "state": state}),
    ]
    return web.Application(handlers, transforms=[ScriptTag])
