"""Cap a slug made from the title at ``SLUG_MAX_LENGTH`` characters, cut between words.

Why a local plugin: Pelican has no such limit, and a very long headline makes a folder name
longer than the filesystem allows, stopping the build. The cut is deterministic; slugs that
then clash, and a too-long ``Slug`` written by the author, are refused by content_checks.py."""

from pelican import signals
from pelican.utils import slugify

# pelicanconf.py's SLUG_REGEX_SUBSTITUTIONS, which `invoke new` uses too, so a file's name
# matches its URL: Pelican's defaults after a dash for a point between digits, so "Xen 4.1" gives
# "xen-4-1", not "xen-41" (which reads as version 41).
SLUG_SUBSTITUTIONS = [
    (r"(?<=\d)\.(?=\d)", "-"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


def capped(slug: str, limit: int) -> str:
    """``slug`` cut at its last dash within ``limit`` characters; `invoke new` names files with it too."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    return slug[:cut] if cut > 0 else slug[:limit]


def slug_of(text: str, limit: int) -> str:
    """The slug the build makes of ``text`` as a title; `invoke new` and lint's suggestions use it too."""
    return capped(slugify(text, regex_subs=SLUG_SUBSTITUTIONS), limit)


def cap_slug(content):
    limit = content.settings.get("SLUG_MAX_LENGTH")
    if limit and "slug" not in content.metadata and getattr(content, "slug", None):
        content.slug = capped(content.slug, limit)


def register():
    signals.content_object_init.connect(cap_slug)
