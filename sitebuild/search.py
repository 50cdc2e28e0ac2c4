"""Index the finished HTML for search with Pagefind, into ``<output>/pagefind/``.

Pagefind (PyPI ``pagefind[bin]``, exact pin in requirements.txt) is a Rust program
shipped in a wheel; it runs in a subprocess, so the pinned binary indexes the site and
its messages can be reported when it fails. Only elements marked ``data-pagefind-body``
(article and page bodies) are indexed; everything else is left out by Pagefind itself
once any page carries that mark. Pagefind's output for the same HTML is byte-identical
from run to run (tests/test_search_index.py builds twice).

One index for the whole site, in one Pagefind run: a reader's first search then loads
one set of index chunks. (An index split into shards to cap the build's memory made a
first search at 5,000 posts load 71 requests and 623 KiB instead of 11 and 199 KiB;
Pagefind's 1.3 GiB for that one run is the build machine's to carry, not the reader's.)

The site's search page uses its own small script (theme/static/js/search.js) on
Pagefind's JavaScript API, so the prebuilt user interfaces Pagefind also writes are
deleted rather than published unused.

Pagefind must read pages as rendered, not minified: minified HTML has no space between
``</p><p>``, and Pagefind then joins the last word of a paragraph to the first of the
next. The finisher (sitebuild/finishing.py) therefore minifies a searchable page only
once the index is written. Pagefind does not report a write that failed (a full disk
left every file empty), so the bundle is checked before the build goes on (``check_bundle``).
"""

import contextlib
import errno
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from .errors import BuildError, nearly_full
from .lifeline import child_dies_with_me

BUNDLE_DIR = "pagefind"
PAGES_DIR = ".search-pages"  # inside the staging folder for the length of one Pagefind run
UNUSED_BUNDLE_FILES = [
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
]
# Not prose, so never in an excerpt: the permalink beside each heading (Markdown's toc
# extension), footnote markers and their return arrows (a "1" glued to the word before
# it), tables (flattened into a run of cells) and code blocks' language labels.
NOT_TEXT_SELECTORS = [".headerlink", ".footnote-ref", ".footnote-backref", "table", ".code-lang"]
TIMEOUT_SECONDS = 600
MARKER = b"data-pagefind-body"
COMPRESSED_SUFFIXES = {".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"}


def pagefind_command(site: Path, bundle: Path) -> list[str]:
    excluded = [option for selector in NOT_TEXT_SELECTORS for option in ("--exclude-selectors", selector)]
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--silent",
        "--site",
        str(site),
        "--output-path",
        str(bundle),
    ] + (excluded)


@contextlib.contextmanager
def pagefind_running(site: Path, bundle: Path):
    """Run Pagefind on ``site`` while the block runs; leaving the block waits for it (and
    raises BuildError if it failed), leaving by an exception stops it. Its messages go to a
    temporary file, so a chatty failure never blocks it on a full pipe meanwhile."""
    with tempfile.TemporaryFile() as messages:
        try:
            process = subprocess.Popen(
                pagefind_command(site, bundle),
                stdout=messages,
                stderr=subprocess.STDOUT,
                preexec_fn=child_dies_with_me(),
            )
        except OSError as error:
            raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
        try:
            yield
            try:
                returncode = process.wait(timeout=TIMEOUT_SECONDS)  # counted from the block's end
            except subprocess.TimeoutExpired as error:
                raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
            if returncode < 0:
                raise BuildError([f"search index: Pagefind was killed (signal {-returncode})"])
            if returncode != 0 or not (bundle / "pagefind.js").is_file():
                messages.seek(0)
                text = messages.read().decode("utf-8", "replace")
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                detail = " ".join(dict.fromkeys(lines)) or f"exit status {returncode}"
                raise BuildError([f"search index: Pagefind failed on {site}: {detail}"])
            check_bundle(bundle)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with a file missing, empty or cut short (the compressed ones carry
    their length and checksum); where the disk is full, say so."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        listed = [
            name
            for language in entry["languages"].values()
            for name in (
                f"pagefind.{language['hash']}.pf_meta",
                f"wasm.{language['wasm'] or 'unknown'}.pagefind",
            )
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return _incomplete(bundle, f"pagefind-entry.json cannot be read ({error})")
    for name in listed:
        if not (bundle / name).is_file():
            return _incomplete(bundle, f"{name}, listed in pagefind-entry.json, is missing")
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if not data:
            return _incomplete(bundle, f"{path.relative_to(bundle)} is empty")
        if path.suffix in COMPRESSED_SUFFIXES:
            try:
                gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as error:
                return _incomplete(bundle, f"{path.relative_to(bundle)} is cut short ({error})")


def _incomplete(bundle: Path, problem: str) -> None:
    if nearly_full(bundle):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(bundle))
    raise BuildError([f"search index: {problem} (Pagefind does not report failed writes: is the disk full?)"])


def run_pagefind(site: Path, bundle: Path) -> None:
    with pagefind_running(site, bundle):
        pass


@contextlib.contextmanager
def search_index(output_dir: Path, searchable: list):
    """Index the marked pages of ``output_dir`` (``searchable``: noted by the finisher as
    Pelican writes them) into ``<output_dir>/pagefind/``, Pagefind running while the block
    runs. Leaving the block waits for the index; leaving it by an exception stops Pagefind."""
    output_dir = Path(output_dir)
    if not searchable:
        raise BuildError(
            ["search index: the site has no post or page to index (none is marked data-pagefind-body)"]
        )
    bundle = output_dir / BUNDLE_DIR
    # Pagefind is shown only the marked pages (hard links, at their paths in the site):
    # it would otherwise read every listing page to find no mark in it, 0.7-0.9 s of
    # 7-8 s at 5,000 posts. The index is byte-identical either way.
    pages = output_dir / PAGES_DIR
    try:
        for page in searchable:
            link = pages / Path(page).relative_to(output_dir)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, link)
        with pagefind_running(pages, bundle):
            yield
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()


def build_search_index(output_dir: Path, searchable: list) -> None:
    """Write the Pagefind index of ``output_dir`` for the pages in ``searchable``."""
    with search_index(output_dir, searchable):
        pass
