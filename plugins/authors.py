"""Author profiles from content/authors.toml (AUTHORS_FILE): name, bio, portrait, links and a
fediverse handle, for author pages, bylines and JSON-LD (context ``author_profiles``, by the
slug of the author page: "Ada Example" and a byline "ada example" share one).

The file is checked strictly: any problem stops the build, naming the file and the entry."""

import difflib
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.urlwrappers import Author

from . import images
from .content_checks import ContentError
from .content_model import CONTENT_LISTS, CONTROL_CHARACTER, EVERY_TRANSLATION, every_content

log = logging.getLogger(__name__)
KEYS = {"name", "bio", "portrait", "links", "fediverse"}
FEDIVERSE_HANDLE = re.compile(r"@[A-Za-z0-9_.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
# An https address with a host, and nothing that could end an HTML attribute.
LINK = re.compile(r"https://[^\s\"'<>/?#]*[A-Za-z0-9][^\s\"'<>/?#]*(?:[/?#][^\s\"'<>]*)?")
EXAMPLE = '[[author]]\nname = "…"'


@dataclass(frozen=True)
class Profile:
    name: str
    bio: str
    portrait: object  # a ResponsiveImage (plugins/images), or None
    links: tuple
    fediverse: str


def problems_of(entry, root: Path) -> list[str]:
    if not isinstance(entry, dict):
        return ["is not a table; write each author as [[author]] with name = …"]
    found = [
        f"has the unknown key “{key}”; known keys: {', '.join(sorted(KEYS))}"
        for key in sorted(set(entry) - KEYS)
    ]
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        found.append("has no name; add name = “…”")
    for key in ("bio", "portrait", "fediverse"):
        if not isinstance(entry.get(key, ""), str):
            found.append(f"has a {key} that is not text")
    controls = control_characters(entry)
    found += [
        f"has a {'link' if key == 'links' else key} with the control character U+{ord(control):04X}, "
        "which cannot be published; delete it"
        for key, control in controls.items()
    ]
    portrait = entry.get("portrait", "")
    if isinstance(portrait, str) and portrait and "portrait" not in controls:  # a NUL breaks the path
        path = (root / portrait).resolve()
        if not path.is_relative_to(root / "images") or not path.is_file():
            found.append(f"has the portrait “{portrait}”, which is not a file under content/images/")
    links = entry.get("links", [])
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        found.append("has links that are not a list of addresses")
    else:
        found += [
            f"has the link “{link}”, which is not an https:// address with a host and without "
            "spaces, quotes or <>; write it as https://host.example/…"
            for link in links
            if not LINK.fullmatch(link)
        ]
    handle = entry.get("fediverse", "")
    if isinstance(handle, str) and handle and not FEDIVERSE_HANDLE.fullmatch(handle):
        found.append(f"has the fediverse handle “{handle}”; write it as @user@host.example")
    return found


def control_characters(entry) -> dict[str, str]:
    """The first control character in each field's text, each link's too: a TOML escape such as
    \\u0007 writes one, which the pages would carry."""
    found = {}
    for key in sorted(KEYS & set(entry)):
        texts = entry[key] if isinstance(entry[key], list) else [entry[key]]
        control = CONTROL_CHARACTER.search("".join(text for text in texts if isinstance(text, str)))
        if control:
            found[key] = control[0]
    return found


def read_profiles(settings) -> dict[str, dict]:
    """{name: entry} from the data file, or {} when there is none; ContentError after logging."""
    root = Path(settings["PATH"]).resolve()
    path = root / settings["AUTHORS_FILE"]
    if not path.is_file():
        return {}
    label = settings["AUTHORS_FILE"]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        return refuse([f"{label}: cannot be read ({problem}); each author is a table: {EXAMPLE}"])
    problems = [
        f"{label}: has the unknown key “{key}”; list authors as {EXAMPLE}"
        for key in sorted(set(data) - {"author"})
    ]
    entries = data.get("author", [])
    profiles, slugs = {}, {}
    for number, entry in enumerate(entries if isinstance(entries, list) else [entries], 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        where = f"{label}: author {number}" + (f" (“{name}”)" if isinstance(name, str) and name else "")
        problems += [f"{where} {problem}." for problem in problems_of(entry, root)]
        slug = Author(name, settings).slug if isinstance(name, str) else None
        if slug is not None and slug in slugs:
            problems.append(
                f"{where} makes the same author page (author/{slug}/) as “{slugs[slug]}” listed before; "
                "keep one entry per author."
            )
        slugs.setdefault(slug, name)
        profiles[name] = entry
    return refuse(problems) if problems else profiles


def refuse(problems):
    for problem in problems:
        log.error("%s", problem)
    raise ContentError(f"{len(problems)} content problem(s)")


def profile(entry, settings) -> Profile:
    portrait = None
    if entry.get("portrait"):
        portrait = images.picture_for(settings["AUTHORS_FILE"], entry["portrait"], entry["name"])
    bio = " ".join(entry.get("bio", "").split())
    return Profile(entry["name"], bio, portrait, tuple(entry.get("links", [])), entry.get("fediverse", ""))


def collect(generators):
    generator = next(g for g in generators if hasattr(g, "articles"))
    settings = generator.settings
    entries = {Author(name, settings).slug: entry for name, entry in read_profiles(settings).items()}
    warn_of_unused(entries, generators, settings["AUTHORS_FILE"])
    generator.context["author_profiles"] = {slug: profile(entry, settings) for slug, entry in entries.items()}
    # Page reuse (speed_kit) keys pages on metadata: a changed profile renders its bylines again.
    for post in generator.articles + generator.drafts:
        post.metadata["author_profiles"] = tuple(repr(entries.get(a.slug)) for a in post.authors)


def warn_of_unused(entries, generators, label) -> None:
    """A profile no post's byline names shows nowhere: most often a name misspelt in one place."""
    bylines = {
        author.slug: author.name
        for post in every_content(generators, CONTENT_LISTS + EVERY_TRANSLATION)
        for author in getattr(post, "authors", None) or []
    }
    for number, (slug, entry) in enumerate(entries.items(), 1):
        if slug in bylines:
            continue
        close = difflib.get_close_matches(entry["name"], sorted(bylines.values()), n=1, cutoff=0.6)
        fix = f": did you mean “{close[0]}”?" if close else " (spell it as the bylines do)."
        log.warning(
            "%s: author %d (“%s”) is named in no post's Author or Authors, so its profile shows nowhere%s",
            label,
            number,
            entry["name"],
            fix,
        )


def register():
    signals.all_generators_finalized.connect(collect)
