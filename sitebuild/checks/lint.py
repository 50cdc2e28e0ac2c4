"""Check content/ and every post's file and front matter before Pelican reads them, one line
per problem naming the file, line and fix (Pelican skips an unreadable post unsaid).
Fields are checked by the kind their reader declares (plugins/content_model.py). Front matter
is read by a small parser, not Pelican's reader, which renders the whole body (too slow before
every preview build); tests/test_front_matter_fields.py checks the two agree."""

import difflib
import fnmatch
import functools
import itertools
import logging
import mimetypes
import os
import posixpath
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from markdown.extensions.meta import BEGIN_RE, END_RE, META_RE
from pelican.readers import ensure_metadata_list

from plugins.capped_slugs import slug_of
from plugins.content_model import CONTROL_CHARACTER, NO, YES, declared_fields, template_folders
from plugins.favicon import ICON
from plugins.output_paths import ON_THIS_SITE, leaves_the_site
from plugins.site_links import MARKDOWN_SUFFIXES

from ..front_matter import front_matter, lines_of
from ..scaffold import PLACEHOLDER_BODY, PLACEHOLDER_SUMMARY
from .body_syntax import SiteMarkdown, body_problems
from .language_tags import invalid_language

log = logging.getLogger(__name__)

STATUSES = {"published", "draft", "hidden"}
# A line that may be meant as a field: a name, then a colon (the name as Python-Markdown's
# meta takes it is META_RE's, which this tells apart from a near miss).
FIELD_LIKE = re.compile(r"^(?P<key>\s*[^\s:][^:]*?)(?P<space>\s*):")
YAML_ITEM = re.compile(r"^\s*- ")
# Python's own table of file types, not the machine's (which calls .bak and .old types too).
FILE_TYPES = mimetypes.MimeTypes()
CONTROL_BYTES = bytes(code for code in range(0x20) if CONTROL_CHARACTER.match(chr(code)))
# Undecodable bytes (as surrogates) or control characters: a name Pelican cannot write or
# that would break the one line a message has.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# Unicode's embeddings and overrides (closed by PDF, U+202C) and isolates (closed by PDI, U+2069):
# one left open in a field runs on into the text a page puts after it (UAX #9).
EMBEDDINGS, ISOLATES = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068"
DIRECTION_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Other generators' names for fields this site has (Hugo, Jekyll).
FOREIGN_KEYS = {"draft": "status", "lastmod": "modified", "description": "summary", "categories": "category"}
# A file name may take up the 255 bytes a filesystem allows less room for the .gz and .br
# copies production writes beside it (as plugins/output_paths.py allows for pages).
FILE_NAME_BYTES = 255 - len(".min")
# The documented forms only: 2011-06-01, 2011-06-01 09:00, 2011-06-01T09:00:30+02:00. Pelican
# would read "11/12/2026" too, as 12 November (US order), and "Nov 28th, 2026 at 10am".
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")
# What a Slug may hold: the characters of every slug the build makes from a title
# (plugins/capped_slugs.py), which an address, a feed and a sitemap all carry as typed.
SLUG_CHARACTERS = "a-z0-9_-"
# What plugins/images/ makes copies of (writing.md, Images): a picture kept beside its post.
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png"}
# What URL and Save_as may hold: RFC 3986's unreserved characters and "/", which no address escapes.
PATH_CHARACTERS = "A-Za-z0-9._~/-"
# A template's output of a post's or page's content, and the templates it extends or includes.
RENDERED_CONTENT = re.compile(r"\{\{-?\s*(article|page)\.content\b")
TEMPLATE_USED = re.compile(r"""\{%-?\s*(?:extends|include)\s+["']([^"']+)["']""")
CONTENT_NAMES = {"article": "posts", "page": "pages"}
DATE_FORM = (
    "Write it as YYYY-MM-DD, optionally with a time HH:MM or HH:MM:SS and a zone "
    "(Z or +02:00), e.g. 2011-06-01 09:00."
)


def not_a_field(number: int, line: str, known) -> str:
    """The message for the line the fields end at when it is not blank: Python-Markdown publishes
    it, and all below it, as the post's text ("Status draft" would publish a draft)."""
    shown, attempt = line.strip(), FIELD_LIKE.match(line)
    key = attempt["key"].strip() if attempt else ""
    joined = re.sub(r"\s+", "_", key)
    if END_RE.match(line):
        return (
            f"{number}: “{shown}” closes YAML front matter, which posts here do not have: Python-Markdown "
            "would drop it and publish the lines below it as the post's text. Put a blank line in its place."
        )
    if attempt and attempt["space"] and META_RE.match(f"{key}:"):
        fix = f"it has a space before its colon. Write “{key}: …”"
    elif attempt and key != joined and joined.lower() in known:
        fix = f"its name “{key}” has a space. Write “{joined}: …”"
    else:
        fix = "a field is “Key: value”, the key one word. If it is meant as one, write it so"
    return (
        f"{number}: “{shown}” is not a field, so the fields end above it and it would be published, "
        f"with all below it, as the post's text: {fix}; if it begins the text, put a blank line above it."
    )


def unsafe_path(value: str) -> bool:
    normalized = posixpath.normpath(value.replace("\\", "/")) if value else ""
    return (
        value.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", value) is not None
        or normalized == ".."
        or normalized.startswith("../")
        or "/../" in f"/{normalized}/"
    )


def names(kind: str, value: str) -> list[str]:
    """The names a field holds, split as Pelican (tags, authors) and multi_category do."""
    if kind == "categories":
        return [name.strip() for name in value.split(",") if name.strip()]
    return ensure_metadata_list(value) if kind == "names" else [value] if value else []


def raise_it(setting: str) -> str:
    return f"(or raise {setting} in pelicanconf.py)"


def field_size(line: int, key: str, kind: str, value: str, settings: dict) -> list[str]:
    """The limits are far above any real post, so that a paste accident fails here, by name,
    rather than as a file name the disk refuses or a build that runs for minutes."""
    most = settings["FIELD_MAX_LENGTH"]
    if kind not in NAME_KINDS and len(value) > most:
        return [
            f"{line}: {key.capitalize()} is {len(value)} characters long; at most {most} "
            f"are allowed. Shorten it {raise_it('FIELD_MAX_LENGTH')}."
        ]
    listed = names(kind, value) if kind in NAME_KINDS else []
    most = settings["NAMES_MAX_COUNT"]
    if len(listed) > most:
        return [
            f"{line}: {key.capitalize()} lists {len(listed)} names; at most {most} are allowed, "
            "as each has a page. Keep the ones that say what the post is about "
            f"{raise_it('NAMES_MAX_COUNT')}."
        ]
    longest = max(listed, key=len, default="")
    most = settings["NAME_MAX_LENGTH"]
    if len(longest) > most:
        return [
            f"{line}: {key.capitalize()} has a name {len(longest)} characters long; at most "
            f"{most} are allowed, as it names a page. "
            f"Shorten it, or separate names with commas {raise_it('NAME_MAX_LENGTH')}."
        ]
    return []


def template_files(settings: dict) -> dict[str, Path]:
    """Each template by the name Pelican finds it by (its path under the folder, as written after
    extends or include), from the first folder that has it: overrides before the theme."""
    found = {}
    for folder in reversed(template_folders(settings)):
        files = folder.rglob("*") if folder.is_dir() else []
        found |= {path.relative_to(folder).as_posix(): path for path in files if path.is_file()}
    return found


def rendered_contents(
    name: str, files: dict[str, Path], texts: dict, seen: frozenset = frozenset()
) -> set[str]:
    """What ``name`` renders the content of ("article", "page"), itself or by a template it extends
    or includes: Pelican gives a post's template ``article``, a page's ``page``, and no other.
    ``texts`` keeps each template read, so that one extended by many is read once."""
    if name not in files or name in seen:
        return set()
    if name not in texts:
        texts[name] = files[name].read_text(encoding="utf-8")
    contents = set(RENDERED_CONTENT.findall(texts[name]))
    for other in TEMPLATE_USED.findall(texts[name]):
        contents |= rendered_contents(other, files, texts, seen | {name})
    return contents


class ThemeTemplates:
    """The names a Template field may give, by the content it is for: the templates are read at
    the first Template field checked, then kept for the rest of the files checked with it."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.renders = None  # [(a top-level template's name, what it renders the content of)]

    def names_for(self, content: str) -> list[str]:
        """The top-level templates that render ``content`` ("article", "page"; a page's may be 404)."""
        if self.renders is None:
            files, texts = template_files(self.settings), {}
            self.renders = [
                (path.stem, rendered_contents(name, files, texts))
                for name, path in files.items()
                if "/" not in name and path.suffix in self.settings["TEMPLATE_EXTENSIONS"]
            ]
        return sorted(stem for stem, contents in self.renders if content in contents)


def unpaired_direction_control(text: str) -> str | None:
    """The first direction control in ``text`` that opens what it does not close, or closes what
    it did not open; None when each is paired within it, as UAX #9 pairs them (a PDI also
    closes the embeddings inside its isolate)."""
    opened = []
    for character in DIRECTION_CONTROL.findall(text):
        if character in EMBEDDINGS or character in ISOLATES:
            opened.append(character)
        elif character == "\u202c" and opened and opened[-1] in EMBEDDINGS:
            opened.pop()
        elif character == "\u2069" and any(c in ISOLATES for c in opened):
            while opened.pop() not in ISOLATES:
                pass
        else:
            return character
    return opened[0] if opened else None


def invalid_date(key, value, settings):
    if not valid_date(value):
        return f"{key} “{value}” is not a valid date. {DATE_FORM}"
    if value.startswith("0"):  # a typo: its year, 211, would make addresses such as /211/06/…
        return f"{key} “{value}” is in the year {int(value[:4])}: a typo? Write the year in full. {DATE_FORM}"
    return None


def invalid_update_date(key, value, settings):
    if not valid_date(value) or not in_the_future(value, settings):
        return invalid_date(key, value, settings)
    return (
        f"{key} “{value}” is in the future: readers would see the post "
        "“Updated” on a day that has not come. Give the date of the update, or delete the line."
    )


def invalid_yes_no(key, value, settings):
    if value.lower() in YES | NO:
        return None
    return f"{key} “{value}” is neither yes nor no. Write yes, true, on or 1 (or no, false, off, 0)."


def invalid_names(key, value, settings):
    if not value.startswith(("[", "- ")):
        return None
    listed = ", ".join(n.strip(" \"'") for n in re.split(r",| - ", value.strip("[]- ")))
    return (
        f"{key} “{value}” is written as a list, as in YAML; here names are "
        f"separated by commas, without brackets or quotes: “{key}: {listed}”."
    )


def invalid_name(key, value, settings):
    if "," not in value or value.startswith(("[", "- ")):
        return invalid_names(key, value, settings)
    # Pelican splits only Authors at commas: one byline, and one author page, for every name here.
    return (
        f"{key} “{value}” holds a comma, but {key} names one person, so the post would be credited to one "
        f"author of that name. For several, write “Authors: {value}”; a name written with a comma is "
        "written without it here (“Sammy Davis Jr.”)."
    )


def others(value: str, allowed: str) -> str:
    """The characters of ``value`` outside ``allowed`` (a character class), each named once."""
    found = dict.fromkeys(re.sub(f"[{allowed}]", "", value))
    return ", ".join("a space" if character == " " else f"“{character}”" for character in found)


def invalid_path(key, value, settings):
    if not value:  # Pelican writes no page for an empty Save_as, yet lists and links the post
        return (
            f"{key} is empty, so the post would be listed and linked but have no page. "
            "Give a path, or delete the line to have it made from the Slug."
        )
    if unsafe_path(value):
        return f"{key} “{value}” would write outside output/. Use a relative path without “..”."
    if leaves_the_site(value):
        return f"{key} “{value}” is not an address on this site. {ON_THIS_SITE}"
    if odd := others(value, PATH_CHARACTERS):
        return (
            f"{key} “{value}” holds {odd}; it may hold only letters A–Z and a–z, digits and - . _ ~ /, "
            "which every address carries as typed (write a dash for a space)."
        )
    tidy = posixpath.normpath(value) + "/" * value.endswith("/")
    if tidy != value:  # "a//b/", "a/./b/": one page, two addresses
        return f"{key} “{value}” has an empty or “.” folder in it: write “{tidy}”."
    return None


def invalid_slug(key, value, settings):
    if not (odd := others(value, SLUG_CHARACTERS)):
        return None
    suggested = slug_of(value, settings["SLUG_MAX_LENGTH"])
    fix = f"Write “{suggested}”" if suggested else "Write one of those"
    # Not invalid_path's "a relative path without ..": a slug holds no folder at all.
    problem = "would write outside output/" if unsafe_path(value) else f"holds {odd}"
    return (
        f"{key} “{value}” {problem}; a slug may hold only lower-case letters a–z, digits, - and _, "
        f"as the slugs the build makes from titles do. {fix}, or delete the line to have it made "
        "from the title."
    )


def rendering(content: str, templates: ThemeTemplates):
    """The check of the Template of a post (``content`` "article") or a page ("page"): another
    template would render it empty or stop the build naming no file (base, series, tag)."""

    def invalid_template(key, value, settings):
        allowed = templates.names_for(content)
        if value in allowed:
            return None
        return (
            f"{key} “{value}” is not one of the theme's templates for {CONTENT_NAMES[content]}: "
            f"{', '.join(allowed)}. Write one of those, or delete the line."
        )

    return invalid_template


def one_of(values):
    def invalid_choice(key, value, settings):
        return (
            None if value.lower() in values else f"{key} “{value}” is not one of {', '.join(sorted(values))}."
        )

    return invalid_choice


def invalid_part_number(key, value, settings):
    if value.isdecimal() and int(value) >= 1:  # isdigit() takes "²", which int() refuses
        return None
    return f"{key} “{value}” is not a positive whole number; number the parts 1, 2, 3…"


def invisible(key: str, value: str) -> str | None:
    """That ``value`` shows nothing, where it holds only spaces and format characters (a zero-width
    space, a word joiner): to a reader, and in the author's editor, the field is empty."""
    if not value or any(not c.isspace() and unicodedata.category(c) != "Cf" for c in value):
        return None
    codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(value) if not c.isspace())
    return f"{key} is empty: it holds only invisible characters ({codes}). Write it, or delete the line."


def not_empty(check, kind="name"):
    def invalid_if_empty(key, value, settings):
        problem = check(key, value, settings) or invisible(key, value)
        return problem or (None if names(kind, value) else f"{key} is empty.")

    return invalid_if_empty


def anything(key, value, settings):
    return None


def invalid_summary(key, value, settings):
    if value.strip():
        return invisible(key, value)
    # Pelican takes an empty Summary as one, so no first paragraph would stand in for it.
    return (
        f"{key} is empty, so the post would have no description on the home page, in feeds or in "
        "search results. Write one or two sentences, or delete the line to have the first paragraph used."
    )


# What each kind of field may hold: a function of (field name as shown, value, settings)
# giving the problem, or None. Fields declare their kind (plugins/content_model.py).
KINDS = {
    "text": anything,
    "title": not_empty(anything),
    "summary": invalid_summary,
    "date": invalid_date,
    "update date": invalid_update_date,
    "yes/no": invalid_yes_no,
    "name": invalid_name,
    "names": invalid_names,
    "categories": not_empty(invalid_names, "categories"),
    "path": invalid_path,
    "slug": not_empty(invalid_slug),
    "status": one_of(STATUSES),
    "true/false": one_of({"true", "false"}),
    # "template": rendering(the file's content), in check_fields
    "language": invalid_language,
    "part number": invalid_part_number,
}
NAME_KINDS = {"name", "names", "categories"}
# A field named in a message as the authors' guide spells it, where that is not capitalize()'s.
SPELLED = {"url": "URL"}


def continued(line: int, fields) -> str:
    """The message for an indented line under a field: Pelican makes the field a list of its
    lines, which a title or summary cannot be shown as, and keeps only the first of a date or tags."""
    first, key, _ = next(field for field in reversed(fields) if field[1] and field[0] < line)
    return (
        f"the line is indented, so it would continue {SPELLED.get(key, key.capitalize())} from line "
        f"{first}, and the build reads a field from one line only. Join it to line {first}: a field "
        "takes one line, however long."
    )


def foreign_field(key: str, value: str) -> str:
    """The message for another generator's field (Hugo's, Jekyll's)."""
    if key == "draft":
        fix = "write “Status: draft”" if value.lower() in YES else "delete the line"
        return (
            f"“Draft” is another generator's field (Hugo's, Jekyll's). Here a post is published unless "
            f"it says “Status: draft”: {fix}."
        )
    ours = FOREIGN_KEYS[key].capitalize()
    return f"“{key.capitalize()}” is another generator's field; here it is “{ours}”."


def moment(value: str, settings: dict) -> datetime:
    """A date of valid_date's forms as the time it names, in the site's TIMEZONE unless it names a zone."""
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(settings["TIMEZONE"]))


def in_the_future(value: str, settings: dict) -> bool:
    return moment(value, settings) > datetime.now(UTC)


def updated_before_published(keys: dict[str, int], values: dict[str, str], settings: dict) -> list[str]:
    """A Modified earlier than the Date: the header would say "Updated" on a day before the post
    came out, and JSON-LD and the feeds would say the same. An equal one shows no "Updated"."""
    if not all(key in keys and valid_date(values[key]) for key in ("date", "modified")):
        return []
    if moment(values["modified"], settings) >= moment(values["date"], settings):
        return []
    return [
        f"{keys['modified']}: Modified “{values['modified']}” is earlier than the Date “{values['date']}” "
        f"(line {keys['date']}): the post would be updated before it was published. Give the date and "
        "time of the update (a date alone is its midnight), or delete the line."
    ]


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


def valid_date(value: str) -> bool:
    """Whether ``value`` is a real date in one of the documented forms (not 2011-13-45, nor
    an offset of a day or more, which Pelican's dateutil would accept and feeds cannot carry)."""
    if not DATE.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


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
