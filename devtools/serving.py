"""A built site served on 127.0.0.1 from a background thread, answering as `invoke serve`
does (sitebuild/preview/server.py: the site's CSP and 404 page), for the browser tests and the
benchmarks that load pages."""

import asyncio
import contextlib
import threading
from pathlib import Path

from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from sitebuild.preview.server import SiteHandler


@contextlib.contextmanager
def serving(output: Path, port: int = 0):
    """Serve ``output`` until the block ends; yield its base URL.

    Port 0 picks a free port. The folder may be (re)built while it is served, so a
    build can be made for the URL yielded here. No log line per request: a test or an
    audit makes hundreds.
    """
    sockets = bind_sockets(port, "127.0.0.1")
    loop = asyncio.new_event_loop()
    site = web.Application(
        [(r"/(.*)", SiteHandler, {"path": str(output)})], log_function=lambda handler: None
    )

    def serve():  # its own thread and loop: a caller may be running one (Playwright's)
        asyncio.set_event_loop(loop)
        HTTPServer(site).add_sockets(sockets)
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        for sock in sockets:
            sock.close()
        loop.close()
