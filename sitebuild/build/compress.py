"""Write .gz and .br copies of a text file (sitebuild/build/finishing.py decides when).

Why not pelican-precompress: it runs before the search index and minifier rewrite the files,
and uses brotli 11 for everything. Here brotli 11 for shared assets, 6 for per-page files,
gzip -9 everywhere (docs/performance.md); both deterministic."""

import gzip
from pathlib import Path

import brotli

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".webmanifest"}
SHARED_ASSET_SUFFIXES = {".css", ".js", ".mjs"}
# Below this size a compressed copy saves nothing worth a request header.
MIN_SIZE = 256


def brotli_quality(path: Path) -> int:
    return 11 if path.suffix in SHARED_ASSET_SUFFIXES else 6


def compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    """gzip and brotli copies of ``data``."""
    return (
        gzip.compress(data, compresslevel=9, mtime=0),
        brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality),
    )


def compress_file(path: Path, data: bytes | None = None) -> None:
    """Write ``path``.gz and ``path``.br from ``data`` (by default, the file's bytes)."""
    data = path.read_bytes() if data is None else data
    if path.suffix not in TEXT_SUFFIXES or len(data) < MIN_SIZE:
        return
    for suffix, blob in zip((".gz", ".br"), compressed(data, brotli_quality(path)), strict=True):
        target = path.with_name(path.name + suffix)
        if len(blob) < len(data):
            target.write_bytes(blob)
        elif target.exists():
            target.unlink()
