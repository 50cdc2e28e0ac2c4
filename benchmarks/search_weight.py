"""What a reader's first search costs on a large site, checked against the budget.

    python -m benchmarks.search_weight [--posts 5000] [--query buffer]
                                       [--max-requests 12] [--max-kib 220]

Builds the benchmark corpus (benchmarks/corpus.py) for production, serves it on
127.0.0.1, and in headless Chromium opens the search page, types the query and waits
until the results are listed and the network is idle. Every request made from the
first keystroke on counts: Pagefind's script and WebAssembly, the index metadata, the
index chunks and the result fragments. Bytes are the bodies as served (Pagefind's index
files are gzip-compressed already; the scripts are counted as served, uncompressed).
Exit status 1 when a budget is exceeded.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sitebuild.preview import serving

from .browser import launch
from .corpus import generate
from .page_weight import response_body

MAX_REQUESTS = 12
MAX_KIB = 220


def first_search(browser, base_url: str, query: str) -> list[tuple[str, int]]:
    """(url, bytes) of every request the first search makes, in order."""
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
        return [(request.url, len(response_body(request.response()))) for request in requests]
    finally:
        context.close()


def measure(posts: int, query: str) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="search-weight-") as work:
        work = Path(work)
        corpus = generate(posts, work / "content")
        with serving(work / "output") as base_url:
            subprocess.run([sys.executable, "-m", "sitebuild", "--quiet", "--production", "--siteurl", base_url,
                            "--content", str(corpus), "--cache", str(work / "cache"), "--output", str(work / "output")],
                           check=True)
            with sync_playwright() as playwright:
                browser = launch(playwright)
                try:
                    return first_search(browser, base_url, query)
                finally:
                    browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search_weight", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--query", default="buffer")
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--max-kib", type=int, default=MAX_KIB)
    args = parser.parse_args(argv)
    loaded = measure(args.posts, args.query)
    for url, size in loaded:
        print(f"{size:>9,}  {url}")
    total = sum(size for _, size in loaded)
    print(f"first search for “{args.query}” at {args.posts:,} posts: {len(loaded)} requests, {total / 1024:,.0f} KiB")
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
