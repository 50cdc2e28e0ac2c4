"""Local preview servers, answering as production (deploy/nginx.conf) does wherever a
reader could tell: the same Content-Security-Policy, the site's 404 page for what
production refuses. ``serve``: a built site. ``live_preview``: rebuilds on every change
(watching.py, live_build.py) and reloads the open pages; a failed build's problems are
shown on every page, and a body edit's early page (early_page.py) while the site builds."""

import contextlib
import dataclasses
import functools
import html
import http.server
import json
import logging
import posixpath
import re
import sys
import time
import urllib.parse
from pathlib import Path

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from ..build.stamp import built_for
from . import watching

# What this module relies on in livereload's internals (tests/test_plugins_speed_kit.py).
LIVERELOAD_CHECKED = "2.7.1"
LIVERELOAD_INTERNALS = {
    "livereload.handlers.LiveReloadHandler.waiters": "set",  # the open pages' sockets
    "livereload.handlers.LiveReloadHandler.watcher": "present",  # read by /forcereload; set here
    "livereload.handlers.LiveReloadHandler.on_message": "(self, message)",
    "livereload.handlers.LiveReloadHandler.send_message": "(self, message)",
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


def content_security_policy(request_path: str) -> str:
    is_xml = XML_PATH.search(urllib.parse.urlsplit(request_path).path)
    return XML_CONTENT_SECURITY_POLICY if is_xml else CONTENT_SECURITY_POLICY


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

    policy = None  # the page policy for the 404 page, whatever the path

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy or content_security_policy(self.path))
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
        self.policy = CONTENT_SECURITY_POLICY
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


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
    handler = functools.partial(SiteHandler, directory=str(output))
    with listen_or_exit("serve", port, http.server.ThreadingHTTPServer, (bind, port), handler) as server:
        print(f"Serving {output} at http://{bind}:{port}/ (Ctrl-C to stop)")
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
            server.serve_forever()


# Pages the live preview serves itself, never the build: a dot-folder, which production
# refuses to serve (DOT_PATH) and the build never writes, so no reader can see them.
PREVIEW_PREFIX = "/.preview/"
PREVIEW_ASSETS = Path(__file__).resolve().parent / "assets"
# Added to a page's address, shows the last good build's page instead of the errors.
LAST_GOOD = "last-good"


class BuildState:
    """The problems of the last build (none when it succeeded), and the early page of the
    build under way, if it has one."""

    def __init__(self):
        self.problems: list[str] = []
        self.early: EarlyPage | None = None


@dataclasses.dataclass(frozen=True)
class EarlyPage:
    save_as: str
    html: bytes

    def answers(self, request_path: str | None) -> bool:
        address = "/" + self.save_as
        folder = address.removesuffix("index.html") if address.endswith("/index.html") else address
        return request_path in (address, folder)

    def differs_from(self, output: Path) -> bool:
        with contextlib.suppress(OSError):
            return (output / self.save_as).read_bytes() != self.html
        return True


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


class LiveSiteHandler(StaticFileHandler):
    """livereload's file handler answering as SiteHandler does (Tornado already sends a
    folder without index.html as a 404, never a listing), and while the last build has
    failed, answering every page with its problems instead (``?last-good``: the page)."""

    def initialize(self, state: BuildState, **kwargs):
        super().initialize(**kwargs)
        self.state = state

    def set_default_headers(self):
        self.set_header("Content-Security-Policy", content_security_policy(self.request.path))

    def get(self, path, include_body=True):
        if refused_in_production(self.request.path):
            raise web.HTTPError(404)
        early = self.state.early
        if early is not None and early.answers(self.request.path):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            return self.finish(early.html if include_body else b"")
        if self.state.problems and self._is_page(path) and LAST_GOOD not in self.request.query.split("&"):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            return self.finish(failed_build_page(self.state.problems))
        return super().get(path, include_body)

    def compute_etag(self):
        # A page from memory (the early page) has no file to tag; it is sent as no-store.
        return super().compute_etag() if getattr(self, "absolute_path", None) else None

    @staticmethod
    def _is_page(path: str) -> bool:
        return path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]

    def write_error(self, status_code, **kwargs):
        body = not_found_page(self.root)
        if status_code != 404 or body is None:
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.finish(body)


class PreviewAssetHandler(web.StaticFileHandler):
    def set_default_headers(self):
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)


def application(output: Path, port: int, state: BuildState) -> web.Application:
    """The site, livereload's routes and the preview's own pages, under the production policy:
    each page loads /livereload.js by a <script src> (script-src 'self'), not livereload's
    inline script, and its WebSocket is connect-src 'self' (tests/test_preview_servers.py)."""
    LiveReloadHandler.watcher = Watcher()  # read by /forcereload; changes are watched by watching.py

    class ScriptTag(LiveScriptInjector):
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()

    handlers = [
        (r"/livereload", PageReloadHandler),
        (r"/forcereload", ForceReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (re.escape(PREVIEW_PREFIX) + r"(.*)", PreviewAssetHandler, {"path": str(PREVIEW_ASSETS)}),
        (r"/(.*)", LiveSiteHandler, {"path": str(output), "default_filename": "index.html", "state": state}),
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


def live(output: Path, port: int, rebuild, watched=None) -> None:
    """Build, serve ``output`` with live reload, and rebuild and reload on every change.
    ``rebuild(changed, on_early)`` returns a dict whose "problems" are empty on success,
    maybe after passing ``on_early`` an early page; ``watched``: as watching.changes_run
    takes it. A failed build leaves output/ as it was (atomic.py)."""
    state, loop = BuildState(), IOLoop.current()

    def show_early(page: dict) -> None:
        state.early = EarlyPage(page["save_as"], page["html"].encode("utf-8"))
        loop.add_callback(reload_browsers, state.early.answers)

    def build_and_reload(changed):
        problems = list(rebuild(changed, show_early)["problems"])
        early, state.early, state.problems = state.early, None, problems
        if problems:
            print("The browser shows why; the last good site is still being served.", flush=True)
        if problems or early is None or early.differs_from(output):
            loop.add_callback(reload_browsers)
        else:  # the early page is what the build made: the pages showing it are current
            loop.add_callback(reload_browsers, lambda path: not early.answers(path))

    # Bound before the first build, which must not touch output/ if the port is taken.
    listen_or_exit("livereload", port, application(output, port, state).listen, port, "127.0.0.1")
    state.problems = list(rebuild([], None)["problems"])
    logger = logging.getLogger("livereload")  # browsers connecting, and reloads, on the terminal
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.StreamHandler())
    print(f"Serving {output} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    with watching.changes_run(build_and_reload, watched), contextlib.suppress(KeyboardInterrupt):
        loop.start()


def live_preview(output: Path, port: int, content: Path | None = None, cache: Path | None = None) -> None:
    """`invoke livereload`: ``live`` with a LiveBuilder, saying in the terminal how long each
    build took, what failed, and where the drafts are."""
    from ..build.drafts import Draft, describe
    from .live_build import LiveBuilder

    origin, listed = f"http://127.0.0.1:{port}", None

    def rebuild(changed, on_early):
        nonlocal listed
        started = time.perf_counter()

        def show_early(page):
            print(f"Early page {page['save_as']} in {time.perf_counter() - started:.2f} s", flush=True)
            on_early(page)

        result = builder.rebuild(changed, show_early if on_early else None)
        if result["problems"]:
            print(f"\nBuild failed; {output} was left unchanged.", file=sys.stderr)
            print("".join(f"  error: {problem}\n" for problem in result["problems"]), end="", file=sys.stderr)
            return result
        print(f"Built in {time.perf_counter() - started:.2f} s", flush=True)
        if (drafts := [Draft(**draft) for draft in result["drafts"]]) != listed:
            listed = drafts
            print(describe(drafts, origin) or "Drafts: none", flush=True)
        return result

    with LiveBuilder(output, content, cache) as builder:
        live(output, port, rebuild, watching.project_sources(content))
