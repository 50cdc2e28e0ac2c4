"""Create a new post from a title: a unique slug, today's date, the front matter authors need."""

import datetime
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings
from pelican.urlwrappers import Category, Tag

from plugins.capped_slugs import slug_of

from . import MAKE_COMMAND
from .front_matter import front_matter

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "content" / "articles"
# Placeholders the author replaces; lint.py refuses to publish a post that still has them.
PLACEHOLDER_SUMMARY = "One or two sentences for the home page, feeds and search results."
PLACEHOLDER_BODY = "Write the post here. Remove `Status: draft` when it is ready to publish."


def existing_slugs(articles: Path, limit: int) -> set[str]:
    """Each post's slug (its Slug, else the one the build makes from its Title) and file name."""
    slugs = set()
    for path in articles.rglob("*.md"):
        fields = {}
        for _, key, value in front_matter(path.read_text(encoding="utf-8", errors="replace")):
            fields.setdefault(key, value)  # the build takes a Slug's first value
        slugs |= {path.stem, fields.get("slug") or slug_of(fields.get("title", ""), limit)}
    return slugs


def unique_slug(title: str, articles: Path, limit: int) -> str:
    """The slug the build would make from ``title``, with -2, -3… if a post has it."""
    base = slug_of(title, limit) or "post"
    taken = existing_slugs(articles, limit)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def names(listed: str) -> str:
    """Comma-separated names, however they were listed (one a line would end the front matter),
    each once as first typed: the build takes "Xen" and "xen" as one name."""
    found = {}
    for name in (name.strip() for line in listed.splitlines() for name in line.split(",")):
        if name:
            found.setdefault(name.lower(), name)
    return ", ".join(found.values())


# The fields whose names the build lists by slug (tag and category pages), with the kind of name.
LISTED = {"category": Category, "tags": Tag}


def site_spellings(articles: Path, settings: dict) -> dict[str, dict[str, str]]:
    """{field: {slug: name}} of the categories and tags the site's posts give, each in the spelling
    the build lists it by, the one most posts give (content_checks.check_terms)."""
    given = {field: defaultdict(Counter) for field in LISTED}
    for path in sorted(articles.rglob("*.md")):
        for _, key, value in front_matter(path.read_text(encoding="utf-8", errors="replace")):
            for name in filter(None, (name.strip() for name in value.split(","))) if key in LISTED else ():
                given[key][LISTED[key](name, settings).slug][name] += 1
    return {
        field: {slug: max(sorted(names), key=names.__getitem__) for slug, names in by_slug.items()}
        for field, by_slug in given.items()
    }


def respelled(listed: str, field: str, spellings: dict[str, str], settings: dict) -> tuple[str, list[str]]:
    """``listed`` (as names() writes it) with each name in the site's spelling of its slug, else in
    the first given of its slug, and a note for each name so changed: two spellings of one tag
    make the build warn, or stop."""
    written, notes = {}, []  # written: {slug: name}
    label = LISTED[field].__name__.lower()
    for name in filter(None, listed.split(", ")):
        slug = LISTED[field](name, settings).slug or name  # a name with no letters the build refuses
        site = spellings.get(slug, name)
        if site != name:
            notes.append(f"the {label} “{name}” is written “{site}”, the spelling the site's posts use.")
        elif written.get(slug, name) != name:
            notes.append(
                f"the {label} “{name}” is written “{written[slug]}”, given before it, since both would "
                f"have the page {label}/{slug}/; if they are two, rename one of them so their "
                "names differ in letters or digits."
            )
        written.setdefault(slug, site)
    return ", ".join(written.values()), notes


def new_front_matter(title, slug, date, category, tags):
    lines = [
        f"Title: {title}",
        f"Slug: {slug}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {category}",
        f"Tags: {tags}",
        f"Summary: {PLACEHOLDER_SUMMARY}",
        "Status: draft",
        "",
        PLACEHOLDER_BODY,
        "",
    ]
    return "\n".join(lines)


def new_post(
    title: str,
    category: str = "",
    tags: str = "",
    articles: Path = ARTICLES,
    now: datetime.datetime | None = None,
) -> tuple[Path, list[str]]:
    """Write the post file, never over an existing one; return its path and a note for each name
    written in the site's spelling rather than as given."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a post needs a title")
    if title.startswith("-"):
        # invoke hands an unknown option after `new` over as the title.
        raise ValueError(
            f"the title “{title}” starts with “-”, so it looks like a mistyped option. "
            f"Options: --category, --tags ({MAKE_COMMAND} new --help). For a title that "
            "really starts with “-”, create the post and edit its Title: line."
        )
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    # The build reads a Date without a zone in the site's TIMEZONE, not in the author's.
    now = now or datetime.datetime.now(ZoneInfo(settings["TIMEZONE"]))
    slug = unique_slug(title, articles, settings["SLUG_MAX_LENGTH"])
    spellings = site_spellings(articles, settings)
    category, category_notes = respelled(
        names(category) or "uncategorized", "category", spellings["category"], settings
    )
    tags, tag_notes = respelled(names(tags), "tags", spellings["tags"], settings)
    path = articles / f"{now:%Y}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(new_front_matter(title, slug, now, category, tags))
    return path, category_notes + tag_notes
