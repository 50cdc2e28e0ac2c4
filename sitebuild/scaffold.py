"""Create a new post from a title: a unique slug, today's date, the front matter authors need."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings

from plugins.capped_slugs import slug_of

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "content" / "articles"
SLUG_LINE = re.compile(r"^slug:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)
TITLE_LINE = re.compile(r"^title:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)
# Placeholders the author replaces; lint.py refuses to publish a post that still has them.
PLACEHOLDER_SUMMARY = "One or two sentences for the home page, feeds and search results."
PLACEHOLDER_BODY = "Write the post here. Remove `Status: draft` when it is ready to publish."


def existing_slugs(articles: Path, limit: int) -> set[str]:
    """Each post's slug (its Slug, else the one the build makes from its Title) and file name."""
    slugs = set()
    for path in articles.rglob("*.md"):
        text = path.read_text(encoding="utf-8", errors="replace")
        slug, title = SLUG_LINE.search(text), TITLE_LINE.search(text)
        slugs |= {path.stem, slug.group(1) if slug else slug_of(title.group(1), limit) if title else ""}
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


def front_matter(title, slug, date, category, tags):
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
) -> Path:
    """Write the post file and return its path; never overwrite an existing file."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a post needs a title")
    if title.startswith("-"):
        # invoke hands an unknown option after `new` over as the title.
        raise ValueError(
            f"the title “{title}” starts with “-”, so it looks like a mistyped option. "
            "Options: --category, --tags (python3 make.py new --help). For a title that "
            "really starts with “-”, create the post and edit its Title: line."
        )
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    # The build reads a Date without a zone in the site's TIMEZONE, not in the author's.
    now = now or datetime.datetime.now(ZoneInfo(settings["TIMEZONE"]))
    slug = unique_slug(title, articles, settings["SLUG_MAX_LENGTH"])
    path = articles / f"{now:%Y}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(front_matter(title, slug, now, names(category) or "uncategorized", names(tags)))
    return path
