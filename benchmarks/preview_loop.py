"""Save → reloaded page under `invoke livereload`, as an author sees it, in Chromium.

``python -m benchmarks.preview_loop [--posts N] [--edits 7] [--work DIR]``: appends a
paragraph to the open post and times until the page shows it, and until the whole site is
built (the preview's "Built in" line). Prints each time and the medians."""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from devtools.browser import chromium

from .corpus import generate
from .measure import ROOT

STORY_FILE = Path("articles/2011/linux-3-0-xen-dom0.md")
STORY_URL = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
CORPUS_POST = 2500  # a post in the middle of the archive
START_TIMEOUT = 600  # a cold first build of 5,000 posts takes about 40 s on an idle machine
PAUSE = 1.0  # between edits, as a person would pause


def post_and_url(content: Path, output: Path, posts: int) -> tuple[Path, str]:
    if not posts:
        return content / STORY_FILE, STORY_URL
    number = min(CORPUS_POST, posts)
    source = next(content.glob(f"articles/*/post-{number:05d}.md"))
    page = next(output.glob(f"*/*/post-{number:05d}/index.html"))
    return source, "/" + page.parent.relative_to(output).as_posix() + "/"


@contextmanager
def preview_server(work: Path, content: Path, port: int):
    """The live preview over ``content``, in a session of its own (stopped with whatever it
    started); yields its log file once the site is served."""
    starter = (
        "import sys; from pathlib import Path; from sitebuild.preview.live import live; "
        "live(Path(sys.argv[1]), int(sys.argv[2]), None, Path(sys.argv[3]), Path(sys.argv[4]))"
    )
    command = [sys.executable, "-c", starter, *map(str, [work / "output", port, content, work / "cache"])]
    log = work / "livereload.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until(
            lambda: process.poll() is not None or "Serving " in log.read_text(),
            START_TIMEOUT,
            "the preview to serve",
        )
        if process.poll() is not None:
            raise RuntimeError(f"the preview exited:\n{log.read_text()}")
        yield log
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def builds_done(log: Path) -> int:
    return log.read_text().count("Built in ")


def measure_edits(page, source: Path, edits: int, log: Path) -> list[tuple[float, float]]:
    """(save → reloaded page, save → whole site built) for each edit."""
    times = []
    for number in range(1, edits + 1):
        marker = f"Preview loop edit {number} at {time.time_ns()}"
        text = source.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}.\n"
        built = builds_done(log)
        source.write_text(text, encoding="utf-8")
        saved = time.perf_counter()
        page.get_by_text(marker).wait_for(timeout=120_000)
        shown = time.perf_counter() - saved
        wait_until(lambda: builds_done(log) > built, 120, "the whole build")  # noqa: B023
        times.append((shown, time.perf_counter() - saved))
        time.sleep(PAUSE)
    return times


def run(posts: int, edits: int, work: Path) -> list[tuple[float, float]]:
    from devtools.nginx import free_port

    content = work / "content"
    shutil.rmtree(content, ignore_errors=True)
    if posts:
        generate(posts, content)
    else:
        shutil.copytree(ROOT / "content", content)
    port = free_port()
    with preview_server(work, content, port) as log, chromium() as browser:
        source, url = post_and_url(content, work / "output", posts)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}{url}")
        wait_until(lambda: "Browser Connected" in log.read_text(), 30, "the live-reload connection")
        return measure_edits(page, source, edits, log)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.preview_loop", description=__doc__)
    parser.add_argument("--posts", type=int, default=0, help="a corpus of N posts instead of content/")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder for content, output and cache (default: temporary)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="preview-loop-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        times = run(args.posts, args.edits, work)
    site = f"{args.posts} posts" if args.posts else "content/ (the site as it is)"
    print(f"{site}, {len(times)} edits:")
    columns = zip(*times, strict=True)
    for what, measured in zip(("Save → reloaded page", "Save → whole site built"), columns, strict=True):
        print(
            f"  {what}: median {statistics.median(measured):.2f} s "
            f"(fastest {min(measured):.2f} s, slowest {max(measured):.2f} s); "
            "each: " + ", ".join(f"{t:.2f}" for t in measured)
        )


if __name__ == "__main__":
    main()
