"""Check every post's file and front matter before Pelican reads it.

Pelican skips a post it cannot read and carries on, so a typo makes a post vanish
from the site without a word. This runs first and refuses the build with one line per
problem, naming the file (relative to content/), the line, what is wrong and the fix.
"""

import difflib
import fnmatch
import functools
import os
import posixpath
import re
from datetime import datetime
from pathlib import Path

from pelican.utils import get_date

# Front matter keys Pelican, its plugins and this theme read. Anything else is a typo.
KNOWN_KEYS = {
    "title", "date", "modified", "category", "tags", "author", "authors", "slug", "summary",
    "status", "template", "save_as", "url", "lang", "translation",
    "comments",  # theme: "closed" prints "Comments are closed."
    "featured",  # theme: "yes" puts the newest such post in full at the top of the home page
    "changefreq", "priority",  # pelican-sitemap
}
STATUSES = {"published", "draft", "hidden"}
KEY_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+)\s*:\s*(?P<value>.*)$")
CONTINUATION = re.compile(r"^( {4,}|\t)\S")
PATH_KEYS = {"slug", "url", "save_as"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}


def front_matter(text: str) -> list[tuple[int, str, str]]:
    """(line number, lower-case key, value) for each field, as Python-Markdown's meta reads it."""
    fields = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = KEY_LINE.match(line)
        if match:
            fields.append((number, match["key"].lower(), match["value"].strip()))
        elif CONTINUATION.match(line) and fields:
            number0, key, value = fields[-1]
            fields[-1] = (number0, key, f"{value} {line.strip()}")
        else:
            break
    return fields


def unsafe_path(value: str) -> bool:
    normalized = posixpath.normpath(value.replace("\\", "/")) if value else ""
    return value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) is not None or \
        normalized == ".." or normalized.startswith("../") or "/../" in f"/{normalized}/"


def check_fields(fields) -> list[str]:
    problems = []
    keys = {}
    for line, key, value in fields:
        if key not in KNOWN_KEYS:
            hint = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.6)
            fix = f" Did you mean “{hint[0].capitalize()}”?" if hint else \
                f" Known fields: {', '.join(sorted(k.capitalize() for k in KNOWN_KEYS))}."
            problems.append(f"{line}: unknown front matter field “{key.capitalize()}”.{fix}")
            continue
        if key in keys:
            problems.append(f"{line}: “{key.capitalize()}” is given twice (first on line {keys[key]}); keep one.")
        keys[key] = line
        if key in ("date", "modified"):
            try:
                valid_date(value)
            except ValueError:
                problems.append(f"{line}: {key.capitalize()} “{value}” is not a valid date. "
                                "Write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2011-06-01 09:00.")
        elif key == "status" and value.lower() not in STATUSES:
            problems.append(f"{line}: Status “{value}” is not one of {', '.join(sorted(STATUSES))}.")
        elif key in PATH_KEYS and unsafe_path(value):
            problems.append(f"{line}: {key.capitalize()} “{value}” would write outside output/. "
                            "Use a relative path without “..”.")
        elif key in ("title", "category", "slug") and not value:
            problems.append(f"{line}: {key.capitalize()} is empty.")
    if "title" not in keys:
        problems.append("1: the post has no Title. Start the file with a line such as "
                        "“Title: What happened”, followed by the other fields and a blank line.")
    return problems


def check_file(path: Path) -> list[str]:
    data = path.read_bytes()
    if not data.strip():
        return ["the file is empty. Add front matter (at least “Title:”) and some text, or delete it."]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [f"{line}: byte {error.start} is not UTF-8 ({data[error.start:error.start + 1]!r}). "
                "Save the file with UTF-8 encoding."]
    return check_fields(front_matter(text))


def valid_date(value: str) -> None:
    """Raise ValueError unless Pelican can read ``value`` as a date. Most dates are ISO
    8601, which the standard library checks at a hundredth of dateutil's cost."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        get_date(value)


def ignored(relative: str, patterns) -> bool:
    """Pelican's rule: a file is skipped when its name, or a folder's, matches a pattern."""
    matches = _any_of(tuple(patterns))
    return any(matches(part) for part in relative.split("/"))


@functools.lru_cache(maxsize=8)
def _any_of(patterns: tuple[str, ...]):
    """One compiled test for all the patterns (fnmatch one by one was a fifth of lint's time)."""
    expression = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns) or "(?!)")
    return lambda name: expression.match(os.path.normcase(name)) is not None


def source_files(settings: dict) -> list[Path]:
    root = Path(settings["PATH"])
    folders = [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]
    found = set()
    for folder in folders:
        for path in (root / folder).rglob("*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in MARKDOWN_SUFFIXES and not ignored(relative, settings["IGNORE_FILES"]):
                found.add(path)
    return sorted(found)


def lint_content(settings: dict) -> list[str]:
    """One message per problem, each starting with the file's path relative to content/."""
    root = Path(settings["PATH"])
    problems = []
    for path in source_files(settings):
        relative = path.relative_to(root).as_posix()
        problems += [f"{relative}:{p}" if p[0].isdigit() else f"{relative}: {p}" for p in check_file(path)]
    return problems
