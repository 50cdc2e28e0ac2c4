"""Local preview servers, answering as production (deploy/nginx.conf) does wherever a reader
could tell: the same Content-Security-Policy, the site's 404 page for what production refuses.
``serve``: a built site. The live preview (live.py) adds live reload, a failed build's
problems on every page, and a body edit's early page (early_page.py) while the site builds."""

import contextlib
import html
import json
import posixpath
import re
import sys
import urllib.parse
from pathlib import Path

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from ..build.stamp import built_for

# What this module relies on in livereload's internals (tests/test_plugins_speed_kit.py).
LIVERELOAD_CHECKED = "2.7.1"
LIVERELOAD_INTERNALS = {
    "livereload.handlers.LiveReloadHandler.waiters": "set",  # the open pages' sockets
    "livereload.handlers.LiveReloadHandler.watcher": "present",  # read by /forcereload; set here
    "livereload.handlers.LiveReloadHandler.on_message": "(self, message)",
    "livereload.handlers.LiveReloadHandler.send_message": "(self, message)",
    "livereload.handlers.StaticFileHandler.should_return_304": "(self)",  # never: pages change
    "livereload.server.LiveScriptInjector.transform_first_chunk": "(self, status_code, headers, "
    "chunk, finishing)",
}

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
# Pages the live preview serves itself, never the build: a dot-folder, which production
# refuses (DOT_PATH) and the build never writes, so no reader can see them.
PREVIEW_PREFIX = "/.preview/"
PREVIEW_ASSETS = Path(__file__).resolve().parent / "assets"
LAST_GOOD = "last-good"  # added to a page's address, shows the last good build's page, not the errors


def refused_in_production(request_path: str) -> bool:
    """Whether production answers 404 for ``request_path`` (as sent: %-escaped, maybe a query),
    read as nginx reads it: unescaped, with ./ and ../ resolved."""
    path = urllib.parse.unquote(request_path.split("?", 1)[0].split("#", 1)[0])
    return bool(REFUSED_IN_PRODUCTION.search(posixpath.normpath(path)))


class BuildState:
    """The live preview's: the problems of the last build (none when it succeeded), and the
    early page of the build under way, if it has one: (where the build writes it, its HTML)."""

    problems: list[str] = []
    early: tuple[str, bytes] | None = None


def addresses(save_as: str) -> set[str]:
    """The addresses of the page written to ``save_as``."""
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


class SiteHandler(StaticFileHandler):
    """Serve a built site as production does: directory URLs as their index.html (never a
    listing), refused and missing paths as its 404 page, under its policy. Given the live
    preview's ``state``: the early page at its addresses, and while the last build has failed,
    its problems on every page instead (``?last-good``: the page)."""

    def initialize(self, path, state=None):
        super().initialize(path, default_filename="index.html")
        self.state = state

    def set_default_headers(self):
        is_xml = XML_PATH.search(self.request.path)
        self.set_header(
            "Content-Security-Policy", XML_CONTENT_SECURITY_POLICY if is_xml else CONTENT_SECURITY_POLICY
        )

    def get(self, path, include_body=True):
        if refused_in_production(self.request.path):
            raise web.HTTPError(404)
        state, page = self.state or BuildState, None
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

    def compute_etag(self):
        # A page from memory (the early page, the problems) has no file to tag; it is sent as no-store.
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


def application(output: Path, port: int, state: BuildState) -> web.Application:
    """The site, livereload's routes and the preview's own pages, under the production policy:
    each page loads /livereload.js by a <script src> (script-src 'self'), not livereload's
    inline script, and its WebSocket is connect-src 'self' (tests/test_preview_servers.py)."""
    LiveReloadHandler.watcher = Watcher()  # read by /forcereload; changes are watched by live.py

    class ScriptTag(LiveScriptInjector):
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()

    class PreviewAssetHandler(web.StaticFileHandler):
        def set_default_headers(self):
            self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    handlers = [
        (r"/livereload", PageReloadHandler),
        (r"/forcereload", ForceReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (re.escape(PREVIEW_PREFIX) + r"(.*)", PreviewAssetHandler, {"path": str(PREVIEW_ASSETS)}),
        (r"/(.*)", SiteHandler, {"path": str(output), "state": state}),
    ]
    return web.Application(handlers, transforms=[ScriptTag])


class PageReloadHandler(LiveReloadHandler):
    """livereload's socket to one open page, remembering which page: livereload.js says
    so when it connects, and an early page reloads only the pages showing it."""

    page_path = None

    def on_message(self, message):
        with contextlib.suppress(ValueError, AttributeError):
            said = json.loads(message)
            if said.get("command") == "info" and "url" in said:
                self.page_path = urllib.parse.urlsplit(str(said["url"])).path
        return super().on_message(message)


def reload_browsers(which=None) -> None:
    """Tell every connected page (or those whose path ``which`` accepts) to reload, on
    the server's thread."""
    for page in list(LiveReloadHandler.waiters):
        if which is None or which(getattr(page, "page_path", None)):
            page.send_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})
