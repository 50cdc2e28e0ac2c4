"""Check content/ and every post's file and front matter before Pelican reads them, one line
per problem naming the file, line and fix (Pelican skips an unreadable post unsaid). Each
field's value is checked by its kind (field_values.py). Front matter is read by a small parser,
not Pelican's reader, which renders the whole body (too slow before every preview build);
tests/test_front_matter_fields.py checks the two agree."""

import difflib
import fnmatch
import functools
import itertools
import logging
import mimetypes
import os
import posixpath
import re
from pathlib import Path
from xml.etree import ElementTree

from markdown.extensions.meta import BEGIN_RE

from plugins.content_model import CONTROL_CHARACTER, declared_fields
from plugins.favicon import ICON
from plugins.site_links import MARKDOWN_SUFFIXES

from ..front_matter import front_matter, lines_of
from ..scaffold import PLACEHOLDER_BODY, PLACEHOLDER_SUMMARY
from .body_syntax import SiteMarkdown, body_problems
from .field_values import (
    FIELD_LIKE,
    FOREIGN_KEYS,
    KINDS,
    NAME_KINDS,
    SPELLED,
    continued,
    field_size,
    foreign_field,
    names,
    not_a_field,
    raise_it,
    rendering,
    unpaired_direction_control,
    updated_before_published,
)
from .theme_templates import ThemeTemplates

log = logging.getLogger(__name__)

YAML_ITEM = re.compile(r"^\s*- ")
# Python's own table of file types, not the machine's (which calls .bak and .old types too).
FILE_TYPES = mimetypes.MimeTypes()
CONTROL_BYTES = bytes(code for code in range(0x20) if CONTROL_CHARACTER.match(chr(code)))
# Undecodable bytes (as surrogates) or control characters: a name Pelican cannot write or
# that would break the one line a message has.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# A file name may take up the 255 bytes a filesystem allows less room for the .gz and .br
# copies production writes beside it (as plugins/output_paths.py allows for pages).
FILE_NAME_BYTES = 255 - len(".min")
# What plugins/images/ makes copies of (writing.md, Images): a picture kept beside its post.
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def template_leftovers(fields, body: list[str], first: int) -> list[str]:
    """Lines still holding the placeholder text `invoke new` writes (scaffold.py)."""
    found = [
        f"{line}: the Summary is still the placeholder `new` wrote; write the post's own."
        for line, key, value in fields
        if key == "summary" and value == PLACEHOLDER_SUMMARY
    ]
    return found + [
        f"{number}: this is still the placeholder text `new` wrote; replace it with the post."
        for number, line in enumerate(body, start=first)
        if line.strip() == PLACEHOLDER_BODY
    ]


@functools.lru_cache(maxsize=8)
def _any_of(patterns: tuple[str, ...]):
    """One compiled test for all the patterns, rather than fnmatch once per pattern."""
    expression = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns) or "(?!)")
    return lambda name: expression.match(os.path.normcase(name)) is not None


def content_entries(root: Path, patterns) -> list[tuple[str, os.DirEntry]]:
    """(path relative to ``root``, entry) for everything under ``root`` that Pelican does not
    ignore, in path order. Links are listed, never followed."""
    matches = _any_of(tuple(patterns))
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        with os.scandir(root / folder) as entries:
            for entry in entries:
                if not matches(entry.name):
                    found.append((folder + entry.name, entry))
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(f"{folder}{entry.name}/")
    return sorted(found, key=lambda pair: pair[0])


def under(relative: str, folders) -> bool:
    return any(folder in ("", ".") or relative.startswith(folder.rstrip("/") + "/") for folder in folders)


def read_as(relative: str, settings: dict, kind: str) -> bool:
    """Whether Pelican's ``kind`` ("ARTICLE" or "PAGE") generator reads the file at ``relative``."""
    return under(relative, settings[f"{kind}_PATHS"]) and not under(relative, settings[f"{kind}_EXCLUDES"])


def read_as_post(relative: str, settings: dict) -> bool:
    """Whether Pelican's article or page generator reads the file at ``relative``."""
    return read_as(relative, settings, "ARTICLE") or read_as(relative, settings, "PAGE")


def markdown_name(name: str) -> str | None:
    """The name the build would read ``name`` by as a post, if it names one in any case or with
    more after its suffix, as an editor's copy has (Draft.MD, draft.md.save), else None. More
    that makes a known file type (slides.md.pdf, export.markdown.zip) is that file, not a copy."""
    stem, *suffixes = name.split(".")
    for index, suffix in enumerate(suffixes):
        if f".{suffix.lower()}" in MARKDOWN_SUFFIXES:
            after = suffixes[index + 1 :]
            if after and FILE_TYPES.guess_type(name, strict=False) != (None, None):
                return None
            return ".".join([stem, *suffixes[:index], suffix.lower()])
    return None


def listed(folders) -> str:
    return " or ".join(f"{folder.rstrip('/')}/" for folder in folders)


class Lint:
    """The checks of posts, with what they share made once for all the files a run checks, each
    part when first needed: the fields the build reads by kind, the site's Markdown, the theme's
    templates."""

    def __init__(self, settings: dict):
        self.settings, self.templates = settings, ThemeTemplates(settings)

    @functools.cached_property
    def known(self) -> dict[str, str]:
        return declared_fields(self.settings)

    @functools.cached_property
    def markdown(self) -> SiteMarkdown:
        return SiteMarkdown(self.settings)

    def check_fields(self, fields, content: str = "article") -> list[str]:
        """Problems with a post's (or, for ``content`` "page", a page's) fields, given the kind of
        each field the build reads."""
        settings, known = self.settings, self.known
        problems, checks = [], KINDS | {"template": rendering(content, self.templates)}
        keys, values = {}, {}
        for index, (line, key, value) in enumerate(fields):
            if not key:
                problems.append(f"{line}: {continued(line, fields)}")
                continue
            if key in FOREIGN_KEYS:
                problems.append(f"{line}: {foreign_field(key, value)}")
                continue
            if key not in known:
                hint = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
                fix = (
                    f" Did you mean “{hint[0].capitalize()}”?"
                    if hint
                    else f" Known fields: {', '.join(sorted(k.capitalize() for k in known))}."
                )
                problems.append(f"{line}: unknown front matter field “{key.capitalize()}”.{fix}")
                continue
            if key in keys:
                problems.append(
                    f"{line}: “{key.capitalize()}” is given twice (first on line {keys[key]}); keep one."
                )
            keys[key], values[key] = line, value
            # Empty, with its text on the indented lines after it: their message says to join them,
            # where an empty field's would say to write it or delete the line.
            continues = not value and index + 1 < len(fields) and not fields[index + 1][1]
            problem = not continues and checks[known[key]](
                SPELLED.get(key, key.capitalize()), value, settings
            )
            if problem:
                problems.append(f"{line}: {problem}")
            problems += field_size(line, key, known[key], value, settings)
            listed = names(known[key], value) if known[key] in NAME_KINDS else [value]  # each shown alone
            if direction := next(filter(None, map(unpaired_direction_control, listed)), None):
                problems.append(
                    f"{line}: {key.capitalize()} holds the direction control U+{ord(direction):04X}, which "
                    "would turn around what pages show after it (the site's name in the title bar, the "
                    "byline's date). Delete it: a post in Arabic or Hebrew needs none, its Lang lays it out "
                    f"(or pair it within the {'name' if len(listed) > 1 else 'field'}: U+202C closes "
                    "U+202A–202E, U+2069 closes U+2066–2068)."
                )
        problems += updated_before_published(keys, values, settings)
        for key in ("author", "authors"):
            if key in keys and not names("names", values[key]):  # Pelican credits the site's AUTHOR
                problems.append(
                    f"{keys[key]}: {key.capitalize()} is empty, so the post would be credited to "
                    f"{settings.get('AUTHOR') or 'no one'}. Name who wrote it, or delete the line."
                )
        if "author" in keys and "authors" in keys:
            problems.append(
                f"{keys['author']}: “Author” and “Authors” are both given, and one would be dropped. "
                "Name every author in “Authors: …” and delete the Author line."
            )
        if "title" not in keys:
            problems.append(
                "1: the post has no Title. Start the file with a line such as "
                "“Title: What happened”, followed by the other fields and a blank line."
            )
        return problems

    def check_file(self, path: Path, relative: str) -> list[str]:
        """Problems with one post."""
        settings = self.settings
        try:
            with open(path, "rb") as handle:
                most = settings["POST_MAX_BYTES"]
                if os.fstat(handle.fileno()).st_size > most:  # not read, however large
                    return [
                        f"the file is larger than {most:,} bytes. A post that long is almost always a "
                        "paste accident; put a long log or data in extra/ and link to it "
                        f"{raise_it('POST_MAX_BYTES')}."
                    ]
                data = handle.read()
        except OSError as error:
            return [f"cannot be read ({error.strerror}). Check the file's permissions."]
        if not data.strip():
            return ["the file is empty. Add front matter (at least “Title:”) and some text, or delete it."]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            return [
                f"{line}: byte {error.start} is not UTF-8 ({data[error.start : error.start + 1]!r}). "
                "Save the file with UTF-8 encoding."
            ]
        if len(data.translate(None, CONTROL_BYTES)) < len(data):  # cheaper than the regular expression
            control = CONTROL_CHARACTER.search(text)
            line = text.count("\n", 0, control.start()) + 1
            return [
                f"{line}: control character U+{ord(control[0]):04X} cannot be published (feeds are XML, "
                "which refuses it). Delete it; most editors show it as a box or not at all."
            ]
        lines = lines_of(text)
        if BEGIN_RE.match(lines[0]) or lines[0].strip() == "+++":
            return [
                f"1: the file starts with “{lines[0].strip()}”, as YAML or TOML front matter does. Posts "
                "here start with Pelican's Markdown fields instead: “Key: value” lines at the very top "
                f"(“Title: …”, “Date: …”), no “{lines[0].strip()}” lines, then a blank line before the text."
            ]
        fields = front_matter(text)
        body_start = (fields[-1][0] if fields else 0) + 1
        for number, key, value in fields:
            items = list(itertools.takewhile(YAML_ITEM.match, lines[number:]))  # the lines after the field's
            if key and not value and items:
                listed = ", ".join(item.strip()[2:].strip(" \"'") for item in items)
                return [
                    f"{number + 1}: {key.capitalize()} is followed by a YAML list (“- …” lines); here names "
                    f"are written on the field's line, separated by commas: “{key.capitalize()}: {listed}”."
                ]
        ending = lines[body_start - 1] if body_start <= len(lines) else ""
        # A line right under the fields that is not one ends them, and is published with all below
        # it ("Status draft"): the text starts after a blank line.
        if ending.strip() and (fields or FIELD_LIKE.match(ending)):
            return [not_a_field(body_start, ending, self.known)]
        content = "page" if read_as(relative, settings, "PAGE") else "article"
        body = lines[body_start - 1 :]
        problems = self.check_fields(fields, content)
        problems += body_problems(body, body_start, self.markdown)
        leftovers = template_leftovers(fields, body, body_start)
        status = next((value.lower() for _, key, value in fields if key == "status"), "published")
        if settings.get("PRODUCTION") and status != "draft":
            return problems + leftovers
        for leftover in leftovers:  # a draft in progress: say so, but let the author preview it
            log.warning("%s:%s", relative, leftover)
        return problems

    def check_entry(self, relative: str, entry: os.DirEntry) -> list[str]:
        """Problems with one file or folder under content/, reading it only if it is a post."""
        settings = self.settings
        if UNPRINTABLE.search(entry.name):
            return [
                "the name has a control character or bytes that are not UTF-8, which the build cannot "
                "publish. Rename it."
            ]
        if entry.is_symlink():
            # Pelican follows links, so one would publish what it points at, /etc/passwd as
            # readily as a file in content/. Links are refused, not read, even harmless ones.
            return [
                "is a symbolic link, which could publish a file from outside content/. "
                "Replace the link with a copy of the file or folder."
            ]
        if relative in settings["TEMPLATE_PAGES"]:  # Pelican would read it instead of the theme's
            return [
                f"would replace the theme's template for {settings['TEMPLATE_PAGES'][relative]}: edit the "
                f"theme's templates/{relative} instead, or rename it."
            ]
        if entry.is_dir(follow_symlinks=False):
            return []
        if not entry.is_file(follow_symlinks=False):
            return [
                "is not a regular file (a pipe, socket or device), which the build cannot read. Delete it."
            ]
        suffix = posixpath.splitext(entry.name)[1]
        size = len(entry.name.encode())
        if suffix.lower() not in MARKDOWN_SUFFIXES and size > FILE_NAME_BYTES:
            return [
                f"the name is {size} bytes long; a published file has .gz and .br copies beside it, "
                f"and a name may be at most 255 bytes. Rename it to at most {FILE_NAME_BYTES} bytes."
            ]
        post_name, reads = markdown_name(entry.name), read_as_post(relative, settings)
        if post_name == entry.name and reads:
            return self.check_file(Path(entry.path), relative)
        if post_name and reads and suffix.lower() in MARKDOWN_SUFFIXES:
            return [
                "the build reads only lower-case suffixes, so this post would be left out; "
                f"rename it to {post_name}."
            ]
        if post_name and reads:
            return [
                f"“{entry.name[len(post_name) :]}” after its suffix makes it a copy of a post (an editor's "
                f"backup?), which the build would leave out. Delete it, or rename it to {post_name}."
            ]
        if post_name:
            articles, pages = listed(settings["ARTICLE_PATHS"]), listed(settings["PAGE_PATHS"])
            fate = "never be published"
            if under(relative, settings["STATIC_PATHS"]):
                fate = "be published as it is, draft or not, and never as a post"
            renamed = f" as {post_name}" if post_name != entry.name else ""
            return [
                f"is a post outside {articles} and {pages}, so it would {fate}. "
                f"Move it into {articles} (stories) or {pages} (fixed pages){renamed}, or delete it."
            ]
        if relative == ICON:
            return not_an_icon(Path(entry.path))
        if reads and not under(relative, settings["STATIC_PATHS"]):
            # Pelican would read .rst and .html posts unchecked, and drop any other file unsaid.
            static = listed(settings["STATIC_PATHS"])
            if suffix.lower() in PICTURE_SUFFIXES:  # from extra/ it would be published as it is, EXIF and all
                return [
                    "is a picture, and only Markdown posts are published from here. Move it to images/ "
                    f"and show it with ![what it shows]({{static}}/images/{entry.name})."
                ]
            return [
                f"is not a Markdown post (.md), and only those are published from here. Write the post "
                f"in Markdown, or move the file to {static} and link it with {{static}}."
            ]
        return []


def not_an_icon(path: Path) -> list[str]:
    """The site's icon, which every page inlines as text (plugins/favicon.py): an SVG image in UTF-8."""
    try:
        svg = ElementTree.fromstring(path.read_bytes().decode("utf-8-sig")).tag
    except (UnicodeDecodeError, ElementTree.ParseError):
        svg = None
    if svg == "{http://www.w3.org/2000/svg}svg":
        return []
    return [
        "is the site's icon, which every page shows from its text, but it is not an SVG image "
        '(<svg xmlns="http://www.w3.org/2000/svg" …>) in UTF-8. Save the site\'s icon as SVG, in UTF-8, '
        "under this name."
    ]


def lint_content(settings: dict) -> list[str]:
    """One message per problem, each starting with the file's path relative to content/."""
    problems, lint = [], Lint(settings)
    for relative, entry in content_entries(Path(settings["PATH"]), settings["IGNORE_FILES"]):
        shown = UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", relative)
        problems += [
            f"{shown}:{problem}" if problem[0].isdigit() else f"{shown}: {problem}"
            for problem in lint.check_entry(relative, entry)
        ]
    return problems
