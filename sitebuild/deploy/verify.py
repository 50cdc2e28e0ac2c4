"""Before deploy ships a build: the stamp (build/stamp.py) proves the output is a whole
production build, unchanged since, for the origin named."""

import json
from pathlib import Path
from urllib.parse import urlsplit

from .. import MAKE_COMMAND
from ..build.stamp import STAMP_NAME, file_digests
from ..siteurl import unusable_siteurl


class StampError(Exception):
    """The output folder is not exactly what a successful production build wrote."""


def verified_stamp(root: Path, siteurl: str | None = None) -> dict:
    """The stamp of ``root`` if it is an unchanged production build for ``siteurl`` (when
    None: for the origin it was built for, unless that is a local preview's), never for a
    reserved example name; else StampError."""
    root = Path(root)
    path = root / STAMP_NAME
    if not root.is_dir():
        raise StampError(
            f"{root} does not exist: run `{MAKE_COMMAND} publish --siteurl URL` first, URL the "
            "address the site is served from"
        )
    if not path.is_file():
        raise StampError(f"{root} was not written by a successful `{MAKE_COMMAND} publish` (no {STAMP_NAME})")
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        recorded, built_for, production = stamp["files"], stamp["siteurl"], stamp["production"]
    except (ValueError, KeyError, TypeError) as error:
        raise StampError(f"{path} is unreadable ({error}): run `{MAKE_COMMAND} publish` again") from None
    if not production:
        raise StampError(f"{root} is a development build: run `{MAKE_COMMAND} publish`")
    if siteurl is None and is_local(built_for):
        raise StampError(
            f"{root} was built for {built_for!r}, a preview on this machine: run "
            f"`{MAKE_COMMAND} publish --siteurl URL` with the address the site is served from"
        )
    if siteurl is not None and built_for != siteurl.rstrip("/"):
        raise StampError(
            f"{root} was built for {built_for!r}, not {siteurl!r}: run `{MAKE_COMMAND} publish "
            f"--siteurl {siteurl}` first, or name no origin (no --siteurl, no SITEURL in the "
            f"environment) to deploy it for {built_for}"
        )
    if is_reserved(built_for):
        raise StampError(
            f"{root} was built for {built_for!r}, a name reserved for examples that no site is served "
            f"from: run `{MAKE_COMMAND} publish --siteurl URL` (or set SITEURL) with the address the "
            f"site is served from"
        )
    if problem := unusable_siteurl(built_for):  # a stamp publish would not write now: never ship it
        raise StampError(f"{root} was built for {built_for!r}, which {problem}")
    problems = changed_files(recorded, file_digests(root))
    if problems:
        listed = "\n  ".join(problems[:20]) + ("\n  …" if len(problems) > 20 else "")
        raise StampError(f"{root} changed after `{MAKE_COMMAND} publish`; run it again:\n  {listed}")
    return stamp


def is_local(siteurl: str) -> bool:
    """Whether ``siteurl`` is served from this machine only (a preview, an audit)."""
    host = urlsplit(siteurl).hostname or ""
    return host == "localhost" or host.endswith(".localhost") or host.startswith("127.") or host == "::1"


# RFC 2606 and 6761: never a public site. localhost is is_local's: a preview, not a placeholder.
RESERVED_NAMES = ("example", "test", "invalid", "example.com", "example.net", "example.org")


def is_reserved(siteurl: str) -> bool:
    """Whether ``siteurl``'s host is, or is under, a name reserved for examples and tests."""
    host = (urlsplit(siteurl).hostname or "").rstrip(".")
    return any(host == name or host.endswith(f".{name}") for name in RESERVED_NAMES)


def changed_files(recorded: dict, actual: dict) -> list[str]:
    problems = [f"missing: {name}" for name in recorded if name not in actual]
    problems += [f"not from the build: {name}" for name in actual if name not in recorded]
    problems += [
        f"modified: {name}" for name in recorded if name in actual and actual[name] != recorded[name]
    ]
    return sorted(problems, key=lambda line: line.split(": ", 1)[1])
