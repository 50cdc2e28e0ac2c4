"""Checks of one front matter field's value by the kind its reader declares (KINDS; the kinds
are collected by plugins/content_model.py), of its length and name count, and the messages for
a line among the fields that is not one or is another generator's field, each naming the fix."""

import posixpath
import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markdown.extensions.meta import END_RE, META_RE
from pelican.readers import ensure_metadata_list

from plugins.capped_slugs import slug_of
from plugins.content_model import NO, YES
from plugins.output_paths import ON_THIS_SITE, leaves_the_site

from .language_tags import invalid_language
from .theme_templates import ThemeTemplates

STATUSES = {"published", "draft", "hidden"}
# A line that may be meant as a field: a name, then a colon (the name as Python-Markdown's
# meta takes it is META_RE's, which this tells apart from a near miss).
FIELD_LIKE = re.compile(r"^(?P<key>\s*[^\s:][^:]*?)(?P<space>\s*):")
# Unicode's embeddings and overrides (closed by PDF, U+202C) and isolates (closed by PDI, U+2069):
# one left open in a field runs on into the text a page puts after it (UAX #9).
EMBEDDINGS, ISOLATES = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068"
DIRECTION_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Other generators' names for fields this site has (Hugo, Jekyll).
FOREIGN_KEYS = {"draft": "status", "lastmod": "modified", "description": "summary", "categories": "category"}
# The documented forms only: 2011-06-01, 2011-06-01 09:00, 2011-06-01T09:00:30+02:00. Pelican
# would read "11/12/2026" too, as 12 November (US order), and "Nov 28th, 2026 at 10am".
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")
# What a Slug may hold: the characters of every slug the build makes from a title
# (plugins/capped_slugs.py), which an address, a feed and a sitemap all carry as typed.
SLUG_CHARACTERS = "a-z0-9_-"
# What URL and Save_as may hold: RFC 3986's unreserved characters and "/", which no address escapes.
PATH_CHARACTERS = "A-Za-z0-9._~/-"
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
