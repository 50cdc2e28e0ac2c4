"""``<h1{{ article|lang_attr }}>``: ` lang="fr"` on the words of a post in another language than
the site's (DEFAULT_LANG), with ` dir="rtl"` where it is written the other way (CLDR's, through Babel);
the page's frame keeps the site's (Pagefind indexes a page by ``<html lang>``) (WCAG 2.2 SC 3.1.2).
``{{ version.lang|autonym }}``: a language's name in itself ("français") and the language of that
name, marked up by ``language_attributes``. And one order, by language, for a post's versions."""

from functools import cache
from operator import attrgetter

from babel import Locale, UnknownLocaleError
from markupsafe import Markup
from pelican import signals
from pelican.utils import order_content

from .content_model import CONTENT_LISTS, EVERY_TRANSLATION, every_content, language_apart


@cache
def direction(tag: str) -> str:
    """ "rtl" for a language written right to left (ar, he, fa-AF, az-Arab), else "ltr"."""
    for identifier in (tag, tag.split("-")[0]):
        try:
            return Locale.parse(identifier, sep="-").text_direction
        except (UnknownLocaleError, ValueError):
            continue
    return "ltr"


def language_attributes(lang: str, site_lang: str) -> Markup:
    """` lang="ar" dir="rtl"`, escaped: a browser lays out words by ``dir``, never by ``lang``, so
    Arabic in an English page needs both, or its punctuation and lists run the wrong way."""
    if direction(lang) == direction(site_lang):
        return Markup(' lang="{}"').format(lang)
    return Markup(' lang="{}" dir="{}"').format(lang, direction(lang))


def lang_attr(item, site_lang: str) -> Markup:
    """The attributes ``item``'s words need on a page in ``site_lang``: see language_attributes."""
    lang = language_apart(item, site_lang)
    return language_attributes(lang, site_lang) if lang else Markup("")


def autonym(tag: str, site_lang: str) -> tuple[str, str]:
    """The language of a BCP 47 ``tag`` named in itself, and the tag of the language that name is
    in: "fr" is "français", "pt-BR" "português (Brasil)". A tag whose language CLDR has data for
    but not the whole tag (fr-JP: French as in Japan) is named by its language alone; one whose
    language it has no data for ("sm", which lint takes as CLDR names it) in ``site_lang`` ("Samoan")."""
    for identifier in (tag, tag.split("-")[0]):
        try:
            return Locale.parse(identifier, sep="-").display_name, tag
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(site_lang, sep="-").languages.get(tag.split("-")[0], tag), site_lang


def add_filters(generator):
    site_lang = generator.settings["DEFAULT_LANG"]
    generator.env.filters["lang_attr"] = lambda item: lang_attr(item, site_lang)
    generator.env.filters["autonym"] = lambda tag: autonym(tag, site_lang)
    generator.env.filters["language_attributes"] = lambda tag: language_attributes(tag, site_lang)


def order_versions(generator):
    """Pelican reads posts in the order of a set, which varies from process to process, and keeps
    it among one Slug's versions: the feeds listed translations of one Date, and every list the
    versions with none in DEFAULT_LANG, in another order in each build."""
    for content in every_content([generator], CONTENT_LISTS + EVERY_TRANSLATION):
        content.translations.sort(key=attrgetter("lang"))
    for name in ("articles", "hidden_articles", "drafts"):  # Pelican's order, ties by Slug, then Lang
        posts = getattr(generator, name, None)
        if posts is not None:
            posts.sort(key=attrgetter("slug", "lang"))
            order_content(posts, generator.settings["ARTICLE_ORDER_BY"])


def register():
    signals.generator_init.connect(add_filters)
    signals.article_generator_pretaxonomy.connect(order_versions)
    signals.page_generator_finalized.connect(order_versions)
