"""Pagefind 1.5.2 writes its filter index in hash-map order, different on every run (its
issue #638), so the same site would give other bytes. This sorts each filter's values and the
filters, and names the filter and metadata files by their new content: a fixed order, the
same files. Only the small CBOR subset Pagefind writes there is read (checked against 1.5.2;
tests/test_search_index.py fails when the installed Pagefind differs)."""

import gzip
import hashlib
import json
from pathlib import Path

PAGEFIND_CHECKED = "1.5.2"
SIGNATURE = b"pagefind_dcd"  # before the CBOR of every compressed file
WIDTHS = {24: 1, 25: 2, 26: 4, 27: 8}  # CBOR's additional info for a 1-, 2-, 4- or 8-byte length


def decode(data: bytes, at: int = 0):
    """(value, next offset): unsigned integers, text and arrays, all Pagefind writes here."""
    head, at = data[at], at + 1
    kind, info = head >> 5, head & 31
    if info > 27:
        raise ValueError(f"CBOR additional info {info} is not in Pagefind {PAGEFIND_CHECKED}'s index")
    width = WIDTHS.get(info, 0)
    size, at = (int.from_bytes(data[at : at + width], "big") if width else info), at + width
    if kind == 0:
        return size, at
    if kind == 3:
        return data[at : at + size].decode("utf-8"), at + size
    if kind == 4:
        items = []
        for _ in range(size):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {kind} is not in Pagefind {PAGEFIND_CHECKED}'s index")


def _head(kind: int, size: int) -> bytes:
    if size < 24:
        return bytes([kind << 5 | size])
    info, width = next((info, width) for info, width in WIDTHS.items() if size < 1 << (8 * width))
    return bytes([kind << 5 | info]) + size.to_bytes(width, "big")


def encode(value) -> bytes:
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        text = value.encode("utf-8")
        return _head(3, len(text)) + text
    return _head(4, len(value)) + b"".join(encode(item) for item in value)


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    value, end = decode(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name} has bytes after its index")
    return value


def write(folder: Path, prefix: str, digits: int, suffix: str, value) -> str:
    """Write ``value`` as a Pagefind file named by its content; return the name's hash part."""
    data = SIGNATURE + encode(value)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def _language_prefix(hashed: str) -> str:
    return hashed.rsplit("_", 1)[0] + "_"  # "en_9bc6f0e" -> "en_"


def put_in_order(bundle: Path) -> None:
    """Sort the filter index of every language of ``bundle``, renaming what changes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_bytes())
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = read(meta_path)
        version, chunks, fragments, filters, *rest = meta
        if version != PAGEFIND_CHECKED:
            raise ValueError(f"the index is Pagefind {version}'s; search_order.py reads {PAGEFIND_CHECKED}'s")
        named = []
        for name, hashed in filters:
            path = bundle / "filter" / f"{hashed}.pf_filter"
            filter_name, values = read(path)
            path.unlink()
            ordered = [filter_name, sorted([value, sorted(pages)] for value, pages in values)]
            named.append([name, write(path.parent, _language_prefix(hashed), 7, ".pf_filter", ordered)])
        meta_path.unlink()
        meta = [version, chunks, fragments, sorted(named), *rest]
        hashed = write(bundle, f"pagefind.{_language_prefix(language['hash'])}", 10, ".pf_meta", meta)
        language["hash"] = hashed.removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
