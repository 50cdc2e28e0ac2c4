"""Index the pages for search with Pagefind (the pinned ``pagefind[bin]`` wheel's binary) into
``<output>/pagefind/``, before they are minified: minified HTML has no space between ``</p><p>``
and Pagefind would join the words. It reads links to the marked pages, in a folder of their own,
so the build may replace them meanwhile; the bundle is checked: Pagefind does not report failed writes."""

import errno
import gzip
import json
import os
import shutil
import subprocess
import zlib
from contextlib import contextmanager
from pathlib import Path

from pagefind_bin import get_executable

from plugins.output_paths import BUNDLE_DIR

from ..lifeline import child_dies_with_me
from .errors import BuildError, nearly_full
from .search_order import put_in_order

UNUSED_BUNDLE_FILES = ["pagefind-*ui.*", "pagefind-highlight.js"]  # its UIs: search.js is the site's
# Not prose, so never in an excerpt: heading permalinks, footnote markers and arrows, tables
# (flattened into a run of cells) and code blocks' language labels.
NOT_TEXT_SELECTORS = [".headerlink", ".footnote-ref", ".footnote-backref", "table", ".code-lang"]
TIMEOUT_SECONDS = 600
MARKER = b"data-pagefind-body"
COMPRESSED_SUFFIXES = {".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"}
PAGEFIND_INPUT = ".pagefind-input"  # below the output while Pagefind runs: links to the marked pages
NOTHING_TO_INDEX = f"search index: the site has no post or page to index (none is marked {MARKER.decode()})"


def start_pagefind(site: Path, bundle: Path) -> subprocess.Popen:
    """Pagefind indexing ``site`` into ``bundle``, running; ``wait_for_pagefind`` checks it."""
    # The binary itself: `python -m pagefind` would start a Python only to exec it.
    command = [str(get_executable()), "--silent", "--site", str(site), "--output-path", str(bundle)]
    command += [option for selector in NOT_TEXT_SELECTORS for option in ("--exclude-selectors", selector)]
    try:
        tied = child_dies_with_me()
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=tied)
    except OSError as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error


def wait_for_pagefind(pagefind: subprocess.Popen, site: Path, bundle: Path) -> None:
    """Wait for Pagefind (its output waits in the pipe meanwhile); raise BuildError if it
    failed, took too long (the caller stops it) or its bundle is not whole."""
    try:
        output = pagefind.communicate(timeout=TIMEOUT_SECONDS)[0].decode("utf-8", "replace")
    except subprocess.TimeoutExpired as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
    if pagefind.returncode < 0:
        raise BuildError([f"search index: Pagefind was killed (signal {-pagefind.returncode})"])
    if pagefind.returncode != 0 or not (bundle / "pagefind.js").is_file():
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        detail = " ".join(dict.fromkeys(lines)) or f"exit status {pagefind.returncode}"
        raise BuildError([f"search index: Pagefind failed on {site}: {detail}"])
    check_bundle(bundle)


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with a file missing, empty or cut short (the compressed ones carry
    their length and checksum); where the disk is full, say so."""
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_bytes())["languages"].values()
        listed = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages]
        listed += [f"wasm.{lang['wasm'] or 'unknown'}.pagefind" for lang in languages]
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


@contextmanager
def indexing(output_dir: Path, files: list[Path], *, required: bool = True):
    """Index the marked pages among ``files``, ``output_dir``'s, while the body runs; yields
    them, a set. The body may replace them but not write into them (Pagefind reads links to
    them). With none, fail if ``required`` (a release), else write no index (a preview)."""
    marked = [page for page in files if page.suffix == ".html" and MARKER in page.read_bytes()]
    if not marked:
        if required:
            raise BuildError([NOTHING_TO_INDEX])
        yield set()
        return
    site, bundle = output_dir / PAGEFIND_INPUT, output_dir / BUNDLE_DIR
    try:
        for page in marked:
            link = site / page.relative_to(output_dir)
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(page, link)
        pagefind = start_pagefind(site, bundle)
        try:
            yield set(marked)
            wait_for_pagefind(pagefind, output_dir, bundle)
        except BaseException:
            pagefind.kill()  # no Pagefind outlives a failed build
            pagefind.communicate()
            raise
    finally:
        shutil.rmtree(site, ignore_errors=True)
    put_in_order(bundle)
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
