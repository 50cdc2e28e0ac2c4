"""``<h1{{ article|lang_attr }}>``: ` lang="fr"` on the words of a post in another language
than the site's (DEFAULT_LANG), nothing on one in it. Why: a translation keeps the page's
frame, its masthead, byline and footer, in the site's language (and Pagefind indexes a page
by ``<html lang>``), so its own title, standfirst and body say theirs (WCAG 2.2 SC 3.1.2)."""

from markupsafe import Markup
from pelican import signals


def lang_attr(item, site_lang: str) -> Markup:
    """The ``lang`` attribute ``item``'s words need on a page in ``site_lang``, escaped."""
    lang = getattr(item, "lang", site_lang)
    return Markup(' lang="{}"').format(lang) if lang != site_lang else Markup("")


def add_filter(generator):
    site_lang = generator.settings["DEFAULT_LANG"]
    generator.env.filters["lang_attr"] = lambda item: lang_attr(item, site_lang)


def register():
    signals.generator_init.connect(add_filter)
