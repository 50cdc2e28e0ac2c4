"""Write .gz and .br copies of every text file, as the last step of a production build.

Why not pelican-precompress: it runs inside Pelican, before the search index and the
minifier have rewritten the files (so its copies would be stale), and it always uses
brotli quality 11, which costs about 60× the time of quality 6 for ~15 % smaller files.

Qualities (see docs/performance.md): the stylesheet and scripts are fetched by every
page and compressed once, so they get brotli 11; HTML, feeds and other per-page files
get brotli 6. gzip -9 everywhere (cheap). Both formats are deterministic: gzip is
written with mtime 0 and no file name. Work is spread over the available cores.
"""

import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".webmanifest"}
SHARED_ASSET_SUFFIXES = {".css", ".js", ".mjs"}
# Below this size a compressed copy saves nothing worth a request header.
MIN_SIZE = 256


def brotli_quality(path: Path) -> int:
    return 11 if path.suffix in SHARED_ASSET_SUFFIXES else 6


def compress_file(path: Path) -> None:
    data = path.read_bytes()
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    br = brotli.compress(data, mode=brotli.MODE_TEXT, quality=brotli_quality(path))
    for suffix, blob in ((".gz", gz), (".br", br)):
        target = path.with_name(path.name + suffix)
        if len(blob) < len(data):
            target.write_bytes(blob)
        elif target.exists():
            target.unlink()


def files_to_compress(output: Path) -> list[Path]:
    return sorted(p for p in Path(output).rglob("*")
                  if p.suffix in TEXT_SUFFIXES and p.is_file() and p.stat().st_size >= MIN_SIZE)


def precompress_output(output: Path, settings: dict) -> None:
    files = files_to_compress(output)
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(files) < 50:
        for path in files:
            compress_file(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(compress_file, files, chunksize=32))
