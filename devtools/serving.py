"""A built site served on 127.0.0.1 from a background thread, answering as `invoke serve`
does (sitebuild/preview/server.py: the site's CSP and 404 page), for the browser tests and the
benchmarks that load pages."""

import contextlib
import functools
import http.server
import threading
from pathlib import Path

from sitebuild.preview.server import SiteHandler


class QuietSiteHandler(SiteHandler):
    """SiteHandler without a log line per request: a test or an audit makes hundreds."""

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(output: Path, port: int = 0):
    """Serve ``output`` until the block ends; yield its base URL.

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
