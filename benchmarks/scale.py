"""Build at scale: this site against plain Pelican + ``simple`` on the same synthetic archive.

``python -m benchmarks.scale --posts 1000,5000 [--repeat 3] [--work DIR] [--profile]``: plain,
render, publish and rebuilds, each round in folders of its own (see settle); the fastest timed
round of each, memory from one more round. Prints a Markdown report."""

import argparse
import filecmp
import json
import os
import re
import shutil
import sys
import tempfile
import time
from math import inf
from pathlib import Path

from .corpus import generate
from .measure import ROOT, machine, measure

PY = sys.executable
# Pagefind holds one index for the whole site in memory (1.3 GiB at 5,000 posts): that
# is the build machine's to carry; the render must stay small.
TARGETS = {"render": 1.15, "publish": 2.0, "rebuild": 0.5, "render_peak_mib": 200}
PER_PAGE = 10  # DEFAULT_PAGINATION in pelicanconf.py
SETTLE_SECONDS = 65  # ext4's window for recently freed inodes is 60 s once they are written out


def commands(corpus: Path, work: Path) -> dict[str, list[str]]:
    site = [PY, "-m", "sitebuild", "--quiet", "--content", str(corpus)]

    def plain(settings: str, output: str) -> list[str]:
        return [PY, "-m", "pelican", str(corpus), "-s", str(ROOT / "benchmarks" / settings)] + [
            "-o",
            str(work / output),
            "-q",
        ]

    # Publish before the two rebuilds: each of those removes the output it replaces, and
    # files created just after thousands are removed are slow to create (see SETTLE_SECONDS).
    return {
        "plain": plain("plainconf.py", "plain"),
        "plain, a folder per page": plain("plainconf_folders.py", "plain-folders"),
        # Pelican producing the site's pages, as plain Pelican does; the development build
        # (invoke build) also indexes them for search, timed on its own.
        "render": site
        + ["--set", "SEARCH_INDEX=false", "--cache", str(work / "cache-render")]
        + ["--output", str(work / "render")],
        "development build": site + ["--cache", str(work / "cache-dev"), "--output", str(work / "dev")],
        "publish": site
        + ["--production", "--cache", str(work / "cache-production"), "--output", str(work / "production")],
        "full rebuild": site + ["--cache", str(work / "cache-rebuilds"), "--output", str(work / "dev")],
        "rebuild": site + ["--cache", str(work / "cache-rebuilds"), "--output", str(work / "dev")],
    }


def edit_one_post(corpus: Path, round_number: int) -> None:
    post = sorted((corpus / "articles").rglob("*.md"))[0]
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nAn added paragraph, edit number {round_number}.\n")


def run_size(count: int, work: Path, repeat: int, settle_seconds: float = SETTLE_SECONDS) -> dict:
    corpus = generate(count, work / "corpus")
    best: dict[str, dict] = {}
    # Timed rounds, then one round that only samples memory: sampling walks every process's
    # page tables (measure.py) and took a core from the build's second process.
    for round_number in range(1, repeat + 2):
        sampled = round_number > repeat
        settle(settle_seconds)
        round_folder = work / f"round-{round_number}"  # nothing removed before a step is timed
        steps = commands(corpus, round_folder)
        for step, command in steps.items():
            if step == "rebuild":
                edit_one_post(corpus, round_number)
            os.sync()  # start each step without the previous one's writes still being flushed
            result = measure(command, sample_memory=sampled)
            kept = best.setdefault(
                step, {"seconds": inf, "cpu_seconds": inf, "peak_mib": 0, "peak_total_mib": 0}
            )
            if not sampled:  # only timed rounds count for time
                kept["seconds"] = min(result.seconds, kept["seconds"])
                kept["cpu_seconds"] = min(result.cpu_seconds, kept["cpu_seconds"])
            kept["peak_mib"] = max(result.peak_mib, kept["peak_mib"])
            kept["peak_total_mib"] = max(result.peak_total_mib, kept["peak_total_mib"])
    last = work / f"round-{repeat + 1}"  # the memory round: the corpus as last edited
    files = sum(1 for p in (last / "production").rglob("*") if p.is_file())
    identical = rebuild_matches_clean_build(corpus, last)
    size = sum(p.stat().st_size for p in (last / "production").rglob("*") if p.is_file())
    return {
        "posts": count,
        "files": files,
        "mib": size / 2**20,
        "steps": best,
        "commands": {k: " ".join(v) for k, v in commands(Path("CORPUS"), Path("WORK")).items()},
        "listings": listing_sizes(last / "dev"),
        "rebuild_identical": identical,
    }


def settle(seconds: float) -> None:
    """Wait until files removed by the steps before (the rebuilds replace their output)
    no longer slow the next step. ext4 without a journal, as on the machine these figures
    come from, passes over inodes freed in the last SETTLE_SECONDS when it creates a file:
    creating 3,000 files took 0.5 ms each just after thousands were removed, 0.02 ms
    each after a pause. Every build of the site and of plain Pelican creates thousands."""
    os.sync()
    time.sleep(seconds)


def rebuild_matches_clean_build(corpus: Path, work: Path) -> bool:
    """Whether the rebuilt output (pages reused from the build before) is byte-identical
    to a build of the same corpus from nothing: speed that gave a stale site is no speed."""
    clean = work / "dev-clean"
    for name in (clean.name, "cache-clean"):
        shutil.rmtree(work / name, ignore_errors=True)
    measure(
        [
            PY,
            "-m",
            "sitebuild",
            "--quiet",
            "--content",
            str(corpus),
            "--cache",
            str(work / "cache-clean"),
            "--output",
            str(clean),
        ]
    )
    result = filecmp.dircmp(work / "dev", clean)
    return not _differences(result)


def _differences(comparison: filecmp.dircmp) -> list[str]:
    found = comparison.left_only + comparison.right_only + comparison.diff_files + comparison.funny_files
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def listing_sizes(output: Path) -> dict:
    """For each kind of listing page: pages, and the most posts and bytes on one page."""
    kinds = {
        "home": [output / "index.html", *output.glob("page/*/index.html")],
        "tag": list(output.glob("tag/**/index.html")),
        "category": list(output.glob("category/**/index.html")),
        "author": list(output.glob("author/**/index.html")),
        "archives index": [output / "archives" / "index.html"],
        "year archives": [p for p in output.glob("[0-9][0-9][0-9][0-9]/index.html")],
        "month archives": [p for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html")],
    }
    sizes = {}
    for kind, pages in kinds.items():
        counts = [posts_listed(page.read_text(encoding="utf-8")) for page in pages]
        sizes[kind] = {
            "pages": len(pages),
            "most_posts": max(counts, default=0),
            "largest_kib": max((p.stat().st_size for p in pages), default=0) / 1024,
        }
    return sizes


def posts_listed(html: str) -> int:
    """Posts on a listing page: teasers (partials/teaser.html) or archive lines (a link after a <time>)."""
    return max(len(re.findall(r'<article class="?teaser', html)), len(re.findall(r"</time>: <a href=", html)))


def ratio_rows(result: dict) -> list[str]:
    steps = result["steps"]
    plain = steps["plain"]["seconds"]
    render, publish = steps["render"]["seconds"], steps["publish"]["seconds"]
    rebuild, full_rebuild = steps["rebuild"]["seconds"], steps["full rebuild"]["seconds"]
    cpu = {step: s["cpu_seconds"] for step, s in steps.items()}
    rows = [
        ("render ÷ plain Pelican", render / plain, TARGETS["render"], "×"),
        ("render ÷ plain Pelican, CPU time", cpu["render"] / cpu["plain"], None, "×"),
        (
            "render ÷ plain Pelican with the site's folder per page",
            render / steps["plain, a folder per page"]["seconds"],
            None,
            "×",
        ),
        (
            "development build (render and search index) ÷ plain Pelican",
            steps["development build"]["seconds"] / plain,
            None,
            "×",
        ),
        ("publish ÷ plain Pelican", publish / plain, TARGETS["publish"], "×"),
        ("publish ÷ plain Pelican, CPU time (two cores at work)", cpu["publish"] / cpu["plain"], None, "×"),
        ("rebuild after one edit ÷ full rebuild", rebuild / full_rebuild, TARGETS["rebuild"], "×"),
        (
            "render: peak memory, all its processes",
            steps["render"]["peak_total_mib"],
            TARGETS["render_peak_mib"],
            " MiB",
        ),
        (
            "publish: peak memory, all its processes (Pagefind's one index)",
            steps["publish"]["peak_total_mib"],
            None,
            " MiB",
        ),
    ]
    return [
        f"| {name} | {value:.2f}{unit} | ≤ {target}{unit} | {'met' if value <= target else 'MISSED'} |"
        if target is not None
        else f"| {name} | {value:.2f}{unit} | (no target) | |"
        for name, value, target, unit in rows
    ]


def report(results: list[dict]) -> str:
    lines = [f"Machine: {machine()}", ""]
    for result in results:
        steps = result["steps"]
        lines += [
            f"### {result['posts']:,} posts ({result['files']:,} files, {result['mib']:.0f} MiB published)",
            "",
            "| step | wall time | CPU time | peak memory, largest process | peak memory, all processes |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {step} | {s['seconds']:.2f} s | {s['cpu_seconds']:.2f} s | {s['peak_mib']:.0f} MiB "
            f"| {s['peak_total_mib']:.0f} MiB |"
            for step, s in steps.items()
        ]
        lines += [
            "",
            "| measure | value | target | |",
            "| --- | ---: | ---: | --- |",
            *ratio_rows(result),
            "",
            "The rebuilt site is "
            + ("byte-identical to" if result["rebuild_identical"] else "DIFFERENT from")
            + " a clean build of the edited corpus.",
            "",
            "| listing | pages | most posts on a page | largest page |",
            "| --- | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {kind} | {s['pages']} | {s['most_posts']} | {s['largest_kib']:.0f} KiB |"
            for kind, s in result["listings"].items()
        ]
        lines.append("")
    if len(results) > 1:
        small, large = results[0], results[-1]
        factor = large["posts"] / small["posts"]
        lines += [
            f"Growth from {small['posts']:,} to {large['posts']:,} posts ({factor:.0f}× the posts; "
            "linear growth would give the same factor):",
            "",
        ]
        for step in small["steps"]:
            grown = large["steps"][step]["seconds"] / small["steps"][step]["seconds"]
            lines.append(f"- {step}: {grown:.1f}× the time")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--posts", default="1000,5000", help="comma-separated corpus sizes")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="timed runs per size, the fastest counts; then one run samples memory",
    )
    parser.add_argument(
        "--settle", type=float, default=SETTLE_SECONDS, help="seconds to pause before each round (see settle)"
    )
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the render step at the largest size (cProfile, top functions)",
    )
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.posts.split(",")]
    if args.work and args.work.exists() and (not args.work.is_dir() or any(args.work.iterdir())):
        parser.error(f"--work {args.work}: give a new or empty folder (every step writes into a fresh one)")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        results = [run_size(n, work / str(n), args.repeat, args.settle) for n in sizes]
        print(report(results))
        if args.work:
            (work / "results.json").write_text(json.dumps(results, indent=1))
        if args.profile:
            from .profile import profile_render

            print(profile_render(work / str(sizes[-1])))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
