"""Index the pages for search with Pagefind (the pinned ``pagefind[bin]`` wheel's binary, run
in a subprocess) into ``<output>/pagefind/``, before the pages are minified: minified HTML has
no space between ``</p><p>`` and Pagefind would join the words. Only ``data-pagefind-body``
elements are indexed; the bundle is checked, as Pagefind does not report failed writes.
"""

import errno
import gzip
import json
import os
import subprocess
import zlib
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


def pagefind_command(site: Path, bundle: Path) -> list[str]:
    # The binary itself: `python -m pagefind` would start a Python only to exec it.
    excluded = [option for selector in NOT_TEXT_SELECTORS for option in ("--exclude-selectors", selector)]
    return [str(get_executable()), "--silent", "--site", str(site), "--output-path", str(bundle), *excluded]


def run_pagefind(site: Path, bundle: Path) -> None:
    """Index ``site`` into ``bundle``; raise BuildError if Pagefind failed."""
    try:
        done = subprocess.run(
            pagefind_command(site, bundle),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=child_dies_with_me(),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError([f"search index: could not run Pagefind: {error}"]) from error
    if done.returncode < 0:
        raise BuildError([f"search index: Pagefind was killed (signal {-done.returncode})"])
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        lines = [line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
        detail = " ".join(dict.fromkeys(lines)) or f"exit status {done.returncode}"
        raise BuildError([f"search index: Pagefind failed on {site}: {detail}"])
    check_bundle(bundle)


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with a file missing, empty or cut short (the compressed ones carry
    their length and checksum); where the disk is full, say so."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        languages = entry["languages"].values()
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


def build_search_index(output_dir: Path, *, required: bool = True) -> None:
    """Write the Pagefind index of the marked pages of ``output_dir``. With nothing to index,
    fail if ``required`` (a release), else write none (a new site's preview)."""
    output_dir = Path(output_dir)
    pages = (Path(folder, name) for folder, _, names in os.walk(output_dir) for name in names)
    if not any(page.suffix == ".html" and MARKER in page.read_bytes() for page in pages):
        if required:
            raise BuildError(
                [f"search index: the site has no post or page to index (none is marked {MARKER.decode()})"]
            )
        return
    bundle = output_dir / BUNDLE_DIR
    run_pagefind(output_dir, bundle)
    put_in_order(bundle)
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
