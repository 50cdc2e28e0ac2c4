"""A Google News sitemap, ``news-sitemap.xml``: the posts of the last two days, counted back
from the newest post's date, not the clock, so the same content always builds the same
file (a site built a week after its last post still lists that day's news). Production
builds only, as robots.txt names it only there; every value is escaped by ElementTree."""

from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

from pelican import signals

from .content_model import with_translations

WINDOW = timedelta(days=2)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def news_language(tag: str) -> str:
    """A post's language as Google News takes it: the ISO 639 code alone (``pt`` for ``pt-BR``),
    but ``zh-cn`` or ``zh-tw`` for Chinese in simplified or traditional characters."""
    language, *rest = tag.lower().split("-")
    if language != "zh":
        return language
    traditional = "hant" in rest or ("hans" not in rest and any(r in ("tw", "hk", "mo") for r in rest))
    return "zh-tw" if traditional else "zh-cn"


def news_sitemap(articles, settings: dict) -> bytes:
    ElementTree.register_namespace("", SITEMAP)
    ElementTree.register_namespace("news", NEWS)
    urlset = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    newest = max((article.date for article in articles), default=None)
    for article in sorted(articles, key=lambda a: (a.date, a.url), reverse=True):
        if article.date < newest - WINDOW:
            break
        url = ElementTree.SubElement(urlset, f"{{{SITEMAP}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{settings['SITEURL']}/{article.url}"
        news = ElementTree.SubElement(url, f"{{{NEWS}}}news")
        publication = ElementTree.SubElement(news, f"{{{NEWS}}}publication")
        ElementTree.SubElement(publication, f"{{{NEWS}}}name").text = settings["SITENAME"]
        ElementTree.SubElement(publication, f"{{{NEWS}}}language").text = news_language(article.lang)
        ElementTree.SubElement(news, f"{{{NEWS}}}publication_date").text = article.date.isoformat()
        ElementTree.SubElement(news, f"{{{NEWS}}}title").text = article.title
    return ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def write_news_sitemap(generator, writer):
    if not generator.settings.get("PRODUCTION"):
        return
    target = Path(writer.output_path) / generator.settings["NEWS_SITEMAP_SAVE_AS"]
    # Translations are news in their language too.
    target.write_bytes(news_sitemap(with_translations(generator.articles), generator.settings))


def register():
    signals.article_writer_finalized.connect(write_news_sitemap)
