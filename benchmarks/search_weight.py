"""What a reader's first search costs on a large site, checked against the budget.

``python -m benchmarks.search_weight [--posts 5000] [--query buffer] [--max-requests 12] [--max-kib 220]``:
every request from the first keystroke counts, at the bytes the production server sends
(the build's brotli copy where one exists). Exit status 1 when a budget is exceeded."""

import argparse
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from devtools.browser import chromium
from devtools.serving import serving

from .audit import build_for
from .corpus import generate

MAX_REQUESTS = 12
MAX_KIB = 220


def downloaded_bytes(output: Path, base_url: str, url: str) -> int:
    """What nginx sends for ``url`` to a browser that accepts brotli."""
    path = output / urlsplit(url).path.removeprefix(urlsplit(base_url).path).lstrip("/")
    compressed = path.with_name(path.name + ".br")
    return (compressed if compressed.is_file() else path).stat().st_size


def first_search(browser, base_url: str, query: str) -> list[str]:
    """The URL of every request the first search makes, in order."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "/search/", wait_until="networkidle")
        requests = []
        page.on("request", lambda request: requests.append(request))
        page.fill("#search-input", query)
        page.locator("#search-status").filter(has_text=re.compile(r"results? for")).wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # result fragments requested after the status line
        assert all(request.response() and request.response().ok for request in requests), "a request failed"
        return [request.url for request in requests]
    finally:
        context.close()


def measure(posts: int, query: str, browser=None) -> list[tuple[str, int]]:
    """(url, bytes downloaded) of every request of a first search on a corpus of ``posts``."""
    with tempfile.TemporaryDirectory(prefix="search-weight-") as work:
        work = Path(work)
        corpus = generate(posts, work / "content")
        with serving(work / "output") as base_url:
            build_for(base_url, work / "output", corpus)
            with chromium(browser) as using:
                urls = first_search(using, base_url, query)
            return [(url, downloaded_bytes(work / "output", base_url, url)) for url in urls]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.search_weight",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--query", default="buffer")
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--max-kib", type=int, default=MAX_KIB)
    args = parser.parse_args(argv)
    loaded = measure(args.posts, args.query)
    for url, size in loaded:
        print(f"{size:>9,}  {url}")
    total = sum(size for _, size in loaded)
    print(
        f"first search for “{args.query}” at {args.posts:,} posts: "
        f"{len(loaded)} requests, {total / 1024:,.0f} KiB"
    )
    problems = []
    if len(loaded) > args.max_requests:
        problems.append(f"{len(loaded)} requests, over the budget of {args.max_requests}")
    if total > args.max_kib * 1024:
        problems.append(f"{total / 1024:,.0f} KiB, over the budget of {args.max_kib} KiB")
    for problem in problems:
        print(f"over budget: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
