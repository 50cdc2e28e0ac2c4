"""The corrections log: the ``/// correction | Correction, 4 June 2011`` notes of every post and
page, dated, for the corrections page, its Atom feed (CORRECTIONS_FEED_ATOM) and a post's JSON-LD.

Why a local plugin: no maintained Pelican plugin reads corrections out of post bodies; a
correction whose date cannot be read stops the build, naming the post."""

import html
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from feedgenerator import Atom1Feed
from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pelican.utils import sanitised_join

from .content_checks import ContentError, source
from .content_model import CONTENT_LISTS, EVERY_TRANSLATION, TAG, every_content, language_apart
from .feed_entry import NO_POST_YET, feed_content, in_its_direction
from .languages import lang_attr

log = logging.getLogger(__name__)
OPENING = re.compile(r'<div class="admonition correction">\s*<p class="admonition-title">(.*?)</p>', re.S)
DIV = re.compile(r"<(/?)div\b")
BLOCK_END = re.compile(r"</(?:p|li|h\d|blockquote|pre)>|<br\s*/?>")
# "Correction, 4 June 2011": a label, a comma, the day, the month (in English or in the post's
# language: "Correctif, 4 juin 2011" in French), the year. The month is any word, which months()
# reads: a name with vowel signs ("มิถุนายน", "जून") is not letters alone. The day may end in a
# dot, as German and the Nordic languages write it ("Korrektur, 4. Juni 2011"), and the month
# stand between "de"s, as in Spanish and Portuguese ("Corrección, 4 de junio de 2011"). Arabic,
# Persian and Urdu write their own comma ("تصحيح، ٤ يونيو ٢٠١١"; \d reads their digits).
DATED_TITLE = re.compile(r"[^,،]+[,،] (\d{1,2})\.? (?:de )?(\S+) (?:de )?(\d{4})")
EXAMPLE = "“/// correction | Correction, 4 June 2011” (the month in English or in the post's language)"


@dataclass(frozen=True)
class Correction:
    post: object
    date: datetime
    html: str  # the correction's body, as rendered on the post
    number: int  # among the post's corrections of its day, in the post's order

    @property
    def key(self) -> str:
        """What tells it apart for good (its feed entry's id): adding or removing another
        correction of the post never changes it."""
        return f"correction-{self.date.date()}-{self.number}"

    @property
    def text(self) -> str:
        return " ".join(html.unescape(TAG.sub("", BLOCK_END.sub(" ", self.html))).split())

    @property
    def as_schema(self) -> dict:
        day = self.date.date().isoformat()
        return {"@type": "CorrectionComment", "text": self.text, "datePublished": day}


def blocks(body: str):
    """(title, inner HTML) of each correction note in a rendered body, in order."""
    for opening in OPENING.finditer(body):
        depth, position = 1, opening.end()
        for tag in DIV.finditer(body, position):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                title = html.unescape(TAG.sub("", opening.group(1))).strip()
                yield title, body[position : tag.start()].strip()
                break


@cache
def months(lang: str) -> dict[str, int]:
    """Each month's number by its name, in English and in ``lang`` (CLDR's, through Babel),
    in the forms a date and a heading use ("juin", "Juni"), and the word a written date makes
    of it ("ביוני", in June, in Hebrew's "4 ביוני 2011"), case folded."""
    names = {}
    for tag in ("en", lang):
        try:
            locale = Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        for context in ("format", "stand-alone"):
            names.update({name.casefold(): number for number, name in locale.months[context]["wide"].items()})
        for number, name in locale.months["format"]["wide"].items():
            written = format_date(date(2011, number, 4), "long", locale=locale).split()
            names.update({word.casefold(): number for word in written if name.casefold() in word.casefold()})
    return names


def dated(title: str, post) -> datetime:
    match = DATED_TITLE.fullmatch(title)
    day = None
    if match:
        try:
            day = date(int(match[3]), months(getattr(post, "lang", "en"))[match[2].casefold()], int(match[1]))
        except (ValueError, KeyError):
            day = None
    if day is None:
        raise ValueError(f"the correction titled “{title}” has no date that can be read; title it {EXAMPLE}")
    kind = "page" if isinstance(post, Page) else "post"
    if not hasattr(post, "date"):  # a page may have none: then nothing bounds the correction's
        raise ValueError(
            f"the correction titled “{title}” needs the page's Date, the day it was published: "
            "add “Date: YYYY-MM-DD” to its fields"
        )
    zone = post.date.tzinfo or UTC
    if day < post.date.date():
        raise ValueError(
            f"the correction titled “{title}” is dated before the {kind} ({post.date.date()}); give the day "
            "the correction was made"
        )
    if day > datetime.now(zone).date():
        raise ValueError(
            f"the correction titled “{title}” is dated in the future; give the day the correction was made"
        )
    return datetime(day.year, day.month, day.day, tzinfo=zone)


# Every post and page a build reads; the public ones are listed (a hidden post stays unlisted).
EVERY = (*CONTENT_LISTS, *EVERY_TRANSLATION)
PUBLIC = ("articles", "translations", "pages")


def read_corrections(post) -> tuple[list[Correction], list[str]]:
    """The post's corrections, and a problem for each one that cannot be dated."""
    found, problems = [], []
    for title, body in blocks(post.content):
        try:
            day = dated(title, post)
        except ValueError as problem:
            problems.append(f"{source(post)}: {problem}.")
            continue
        found.append(Correction(post, day, body, 1 + sum(c.date == day for c in found)))
    return found, problems


def collect(generators):
    """Give each post its ``corrections``, and its last change as ``modified``; list the
    published ones, newest first, in the context as ``corrections``. A changed correction is
    part of the site's structure (every listing shows it), so it goes into the metadata the
    speed kit's page reuse keys on."""
    problems, listed = [], []
    published = {id(post) for post in every_content(generators, PUBLIC)}
    for post in every_content(generators, EVERY):
        found, undated = read_corrections(post)
        problems += undated
        post.corrections = found
        # ``modified`` is the date every reader of dates takes (JSON-LD, feeds, the sitemap), and a
        # correction is a change; the header's "Updated" shows the author's Modified, ``updated``.
        post.updated = getattr(post, "modified", None)
        if found:
            post.metadata["corrections"] = [(c.date.isoformat(), c.html) for c in found]
            post.modified = max([post.updated or post.date, *(c.date for c in found)])
        if id(post) in published:
            listed += found
    for problem in problems:
        log.error("%s", problem)
    if problems:
        raise ContentError(f"{len(problems)} content problem(s)")
    listed.sort(key=lambda c: (c.date, c.post.date, c.post.url), reverse=True)
    context = next(g for g in generators if hasattr(g, "articles")).context
    context["corrections"] = listed
    context["corrections_policy"] = policy_page(generators)


def policy_page(generators):
    """The page at CORRECTIONS_POLICY_URL, which the footer and the log link; None without one."""
    pages = every_content(generators, ("pages", "hidden_pages"))
    return next((page for page in pages if page.url == page.settings.get("CORRECTIONS_POLICY_URL")), None)


class _Marking:
    """feedgenerator's XML writer, giving the elements named in ``marks`` those attributes too."""

    def __init__(self, handler, marks: dict):
        self._handler, self._marks = handler, marks

    def __getattr__(self, name):
        return getattr(self._handler, name)

    def addQuickElement(self, name, contents=None, attrs=None):
        self._handler.addQuickElement(name, contents, {**(attrs or {}), **self._marks.get(name, {})})


class CorrectionsFeed(Atom1Feed):
    """Atom, each entry's elements given the attributes of its ``marks``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(_Marking(handler, item["marks"]), item)


def entry_title(post, site_lang: str) -> tuple[str, dict]:
    """A correction's entry title, "Correction: …", in the site's language, and the attributes of
    the entry's elements. A translation's correction is in its language, and so is its post's
    title; an Atom text title has one language (RFC 4287, 3.1.1.1), so that title is HTML,
    marking the post's title as on the corrections page."""
    lang = language_apart(post, site_lang)
    if not lang:
        return f"Correction: {post.title}", {}
    title = Markup("Correction: <span{}>{}</span>").format(lang_attr(post, site_lang), post.title)
    return str(title), {"title": {"type": "html"}, "content": {"xml:lang": lang}}


def corrections_feed(corrections, articles, settings) -> Atom1Feed:
    base = (settings.get("FEED_DOMAIN") or settings["SITEURL"]).rstrip("/")
    feed = CorrectionsFeed(
        title=f"{settings['SITENAME']}: corrections",
        link=f"{base}/{settings['CORRECTIONS_URL']}",
        description=f"Corrections published on {settings['SITENAME']}, newest first.",
        feed_url=f"{base}/{settings['CORRECTIONS_FEED_ATOM']}",
        language=settings["DEFAULT_LANG"],
    )
    for correction in corrections[: settings["FEED_MAX_ITEMS"]]:
        post = correction.post
        title, marks = entry_title(post, settings["DEFAULT_LANG"])
        feed.add_item(
            title=title,
            link=f"{base}/{post.url}",
            unique_id=f"{base}/{post.url}#{correction.key}",
            description="",
            content=in_its_direction(feed_content(correction.html), post),
            pubdate=correction.date,
            author_name=settings["AUTHOR"],
            marks=marks,
        )
    if not corrections:  # an empty feed is as new as the site, never the build's clock
        dates = [getattr(a, "modified", None) or a.date for a in articles]
        feed.latest_post_date = lambda: max(dates, default=NO_POST_YET)
    return feed


def write_corrections_feed(generator, writer):
    settings = generator.settings
    if settings.get("CORRECTIONS_FEED_ATOM"):
        target = Path(sanitised_join(writer.output_path, settings["CORRECTIONS_FEED_ATOM"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        feed = corrections_feed(generator.context.get("corrections", []), generator.articles, settings)
        with target.open("w", encoding="utf-8") as file:
            feed.write(file, "utf-8")


def register():
    signals.all_generators_finalized.connect(collect)
    signals.article_writer_finalized.connect(write_corrections_feed)
