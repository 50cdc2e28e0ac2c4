"""What a page costs a reader on first view, checked against the budget.

``python -m benchmarks.page_weight SITE PAGE [--max-brotli BYTES] [--max-requests N] ...``:
headless Chromium loads PAGE of a built folder (answered for its own origin) or a served
site; every response is listed raw, gzip -9 and brotli 11. Exit status 1 over budget."""

import argparse
import contextlib
import gzip
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli

from devtools.browser import launch
from devtools.serving import serving
from sitebuild.checks.site import siteurl_of

MAX_BROTLI_BYTES = 7 * 1024
MAX_REQUESTS = 2
MAX_SCRIPT_BYTES = 0
SCRIPT_TYPES = {"script", "worker"}


@dataclass
class Resource:
    url: str
    kind: str
    raw: int
    gzip: int
    brotli: int
    status: int | None

    @classmethod
    def of(cls, url, kind, body, status):
        return cls(
            url,
            kind,
            len(body),
            len(gzip.compress(body, 9, mtime=0)),
            len(brotli.compress(body, quality=11)),
            status,
        )

    @property
    def is_script(self):
        return self.kind in SCRIPT_TYPES


@dataclass
class Budget:
    max_brotli: int = MAX_BROTLI_BYTES
    max_requests: int = MAX_REQUESTS
    max_script_bytes: int = MAX_SCRIPT_BYTES

    def problems(self, resources):
        total = sum(r.brotli for r in resources)
        scripts = sum(r.raw for r in resources if r.is_script)
        found = []
        if total > self.max_brotli:
            found.append(f"{total:,} bytes brotli in total, over the budget of {self.max_brotli:,}")
        if len(resources) > self.max_requests:
            found.append(f"{len(resources)} requests, over the budget of {self.max_requests}")
        if scripts > self.max_script_bytes:
            found.append(f"{scripts:,} bytes of JavaScript, over the budget of {self.max_script_bytes:,}")
        failed = [r.url for r in resources if r.status is None or r.status >= 400]
        found += [f"request failed: {url}" for url in failed]
        return found


def record_page(browser, page_url, serve_origin=None, from_base=None):
    """Load ``page_url`` in a fresh context and return a Resource per request it made,
    in the order they were made (a failed request has status None).

    With ``serve_origin`` and ``from_base``, requests to serve_origin are answered from
    the server at from_base (a folder built for another origin, served locally).
    """
    context = browser.new_context()
    requests = []
    if serve_origin:

        def answer_locally(route):
            parts = urlsplit(route.request.url)
            local = from_base + parts.path + (f"?{parts.query}" if parts.query else "")
            route.fulfill(response=route.fetch(url=local))

        context.route(f"{serve_origin}/**", answer_locally)
    try:
        page = context.new_page()
        # A data: URI is no request: its bytes are already counted in the page that holds it.
        page.on("request", lambda request: request.url.startswith("data:") or requests.append(request))
        page.goto(page_url, wait_until="networkidle")
        resources = []
        for request in requests:
            response = request.response()
            body = response_body(response)
            resources.append(
                Resource.of(request.url, request.resource_type, body, response.status if response else None)
            )
        return resources
    finally:
        context.close()


def response_body(response):
    if response is None or 300 <= response.status < 400:
        return b""  # failed, or a redirect: no body of its own
    return response.body()


@contextlib.contextmanager
def page_url_for(site: str, page: str):
    """Yield (url to load, origin to answer locally or None, local base URL or None)."""
    if site.startswith(("http://", "https://")):
        yield urljoin(site.rstrip("/") + "/", page.lstrip("/")), None, None
        return
    folder = Path(site)
    if not (folder / "index.html").is_file():
        raise FileNotFoundError(f"{folder} is not a built site (no index.html)")
    built_for = siteurl_of(folder)
    with serving(folder) as local:
        origin = built_for or local
        url = urljoin(origin + "/", page.lstrip("/"))
        yield (url, None, None) if origin == local else (url, origin, local)


def measure(site: str, page: str, browser=None) -> list[Resource]:
    """Every resource the page loads on first view, in the order they were requested."""
    with page_url_for(site, page) as (url, origin, local):
        if browser is not None:
            return record_page(browser, url, origin, local)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = launch(playwright)
            try:
                return record_page(own, url, origin, local)
            finally:
                own.close()


def report(page, resources):
    width = max([len(r.url) for r in resources] + [40])
    lines = [
        f"Page weight of {page}",
        f"{'resource':<{width}} {'type':<10} {'raw':>9} {'gzip -9':>9} {'brotli 11':>9}",
    ]
    for r in resources:
        lines.append(f"{r.url:<{width}} {r.kind:<10} {r.raw:>9,} {r.gzip:>9,} {r.brotli:>9,}")
    totals = [sum(getattr(r, size) for r in resources) for size in ("raw", "gzip", "brotli")]
    lines.append(
        f"{f'total: {len(resources)} requests':<{width}} {'':<10} " + " ".join(f"{t:>9,}" for t in totals)
    )
    return "\n".join(lines)


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.page_weight",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", help="built output folder, or base URL of a served site")
    parser.add_argument("page", help="path of the page, e.g. /2011/06/linux-3-0-full-support-for-xen-dom0/")
    parser.add_argument(
        "--max-brotli", type=int, default=MAX_BROTLI_BYTES, help="bytes, brotli, all resources"
    )
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--max-script-bytes", type=int, default=MAX_SCRIPT_BYTES)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    resources = measure(args.site, args.page)
    print(report(args.page, resources))
    problems = Budget(args.max_brotli, args.max_requests, args.max_script_bytes).problems(resources)
    if not resources:
        problems.append("the page loaded nothing")
    for problem in problems:
        print(f"over budget: {problem}")
    if not problems:
        print(
            f"within budget: ≤ {args.max_brotli:,} bytes brotli, ≤ {args.max_requests} requests, "
            f"≤ {args.max_script_bytes:,} bytes of JavaScript"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
