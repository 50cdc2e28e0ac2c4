"""Series: posts told in parts (``Series:`` and ``Series_part:``), each with a "Part 2 of 4" nav,
a page listing the parts in order (SERIES_URL) and an Atom feed (SERIES_FEED_ATOM), a series
being its page's slug. Only published posts count in "of N". Two claims to one part, a part
that is not a positive whole number, a part without a series, a published part after one that
is not, two spellings of one slug and a translation's or hidden post's series fields stop the build."""

import contextlib
import logging
from dataclasses import dataclass, field

from pelican import signals

from .capped_slugs import slug_of
from .content_checks import ContentError, source
from .content_model import EVERY_TRANSLATION, every_content

log = logging.getLogger(__name__)
FIELDS = {"series": "text", "series_part": "part number"}


@dataclass
class Series:
    name: str
    slug: str
    url: str
    save_as: str
    feed: str
    parts: list = field(default_factory=list)  # published posts, in part order

    @property
    def shown_posts(self) -> list:
        """The posts its page shows (title, date, standfirst): page reuse keys the page on them."""
        return self.parts


@dataclass(frozen=True)
class Place:
    """A post's place in its series: the series, its part number and the parts around it."""

    series: Series
    part: int
    parts: list  # the published parts, and this post when it is a draft

    @property
    def count(self) -> int:
        """The published parts, and a draft among them: its preview shows it as it would be published."""
        return len(self.parts)


def part_number(post) -> int:
    text = str(post.metadata.get("series_part", "")).strip()
    if not text.isdecimal() or int(text) < 1:  # isdigit() takes "²", which int() refuses
        raise ValueError(f"Series_part “{text}” is not a positive whole number; number the parts 1, 2, 3…")
    return int(text)


def series_of(name: str, settings) -> Series:
    # Cut as a post's slug is, so that a long name still makes a file name the disk takes.
    slug = slug_of(name, settings["SLUG_MAX_LENGTH"])
    url = settings["SERIES_URL"].format(slug=slug)
    return Series(
        name,
        slug,
        url,
        settings["SERIES_SAVE_AS"].format(slug=slug),
        settings["SERIES_FEED_ATOM"].format(slug=slug),
    )


def collect(generators):
    """Give each post in a series its ``series_place``; list the series in the context as ``series``."""
    problems, found, spellings = [], {}, {}  # found: a Series by slug; spellings: its names' posts
    published = {id(post) for post in every_content(generators, ("articles",))}
    members = []
    for post in every_content(generators, ("articles", "drafts")):
        name = " ".join(str(post.metadata.get("series", "")).split())
        if not name:
            if "series_part" in post.metadata:
                problems.append(
                    f"{source(post)}: has Series_part but no Series. Add “Series: name of the series”."
                )
            continue
        try:
            part = part_number(post)
        except ValueError as problem:
            problems.append(f"{source(post)}: {problem}.")
            continue
        series = series_of(name, post.settings)
        if not series.slug:
            problems.append(
                f"{source(post)}: the series “{name}” has no letters or digits to make an address "
                "from; rename it."
            )
            continue
        spellings.setdefault(series.slug, {}).setdefault(name, []).append(source(post))
        members.append((found.setdefault(series.slug, series), part, post))
    for post in every_content(generators, EVERY_TRANSLATION):
        if "series" in post.metadata or "series_part" in post.metadata:  # else dropped without a word
            problems.append(
                f"{source(post)}: is the “{post.lang}” version of a post, and a series lists only originals, "
                "so its Series and Series_part would show nowhere. Delete them: the original's page "
                "links the series."
            )
    hidden = set()  # (series' slug, part) of hidden posts: reported here, not as a missing part
    for post in sorted(every_content(generators, ("hidden_articles",)), key=source):
        if "series" in post.metadata or "series_part" in post.metadata:  # else dropped without a word
            name = " ".join(str(post.metadata.get("series", "")).split())
            with contextlib.suppress(ValueError):
                hidden.add((series_of(name, post.settings).slug, part_number(post)))
            problems.append(
                f"{source(post)}: is hidden (Status: hidden): published, but listed nowhere, a series' page "
                "and its parts' links included, so its Series and Series_part would show nowhere. Make "
                "it a part with Status: published, or delete both lines (and renumber the parts after it)."
            )
    for slug, names in sorted(spellings.items()):
        if len(names) > 1:  # one page, and one count of parts, for two names
            listed = "; ".join(
                f"“{name}” in {', '.join(sorted(posts))}" for name, posts in sorted(names.items())
            )
            problems.append(
                f"the series {listed} would share the page {found[slug].url}. Spell the series the "
                "same way in each of its parts, or give another series a name of its own."
            )
    claimed = {}
    for series, part, post in members:
        other = claimed.setdefault((series.slug, part), post)
        if other is not post:
            problems.append(
                f"{source(post)}: claims part {part} of “{series.name}”, as {source(other)} does. "
                "Renumber one of them."
            )
    numbered = {}
    for series, part, post in members:
        if id(post) in published:
            numbered.setdefault(series.slug, []).append((part, post))
    for slug, parts in numbered.items():
        expected = 1
        for part, post in sorted(parts, key=lambda p: p[0]):
            while (slug, expected) in hidden:  # said to be hidden, and counted: the parts after it stand
                expected += 1
            if part > expected:  # its nav would read "part 3 of 2"
                problems.append(
                    f"{source(post)}: is part {part} of “{found[slug].name}”, but part {expected} is not "
                    "published. Publish the parts in order, or renumber them 1, 2, 3…"
                )
                break
            expected = part + 1
    for problem in problems:
        log.error("%s", problem)
    if problems:
        raise ContentError(f"{len(problems)} content problem(s)")
    for series, _, post in sorted(members, key=lambda m: m[1]):
        if id(post) in published:
            series.parts.append(post)
    for series, part, post in members:
        parts = (
            series.parts
            if id(post) in published
            else sorted([*series.parts, post], key=lambda p: part_number(p))
        )
        post.series_place = Place(series, part, parts)
        # Page reuse (speed_kit) keys pages on metadata: a new part renders the others again.
        post.metadata["series_parts"] = tuple(p.url for p in parts)
    listed = sorted((s for s in found.values() if s.parts), key=lambda s: s.slug)
    next(g for g in generators if hasattr(g, "articles")).context["series"] = listed


def write_series(generator, writer):
    """Each series' page, and its feed written as the site's other feeds are (site_writer.py)."""
    template = generator.get_template("series")
    for series in generator.context.get("series", []):
        writer.write_file(series.save_as, template, generator.context, series=series, url=series.url)
        writer.write_feed(series.parts, generator.context, series.feed, feed_title=series.name)


def register():
    signals.all_generators_finalized.connect(collect)
    signals.article_writer_finalized.connect(write_series)
