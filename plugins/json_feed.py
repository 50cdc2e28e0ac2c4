"""The site's JSON Feed 1.1 beside Pelican's Atom and RSS, written to ``FEED_ALL_JSON``: the
posts and translations the whole-site Atom feed lists. Why a local plugin: Pelican writes no
JSON Feed, and the plugins on GitHub write 1.0 and replace Pelican's writer (which must stay
site_writer.py). Every value is made by ``json.dumps``, so metadata cannot break its string."""

import json
import os

from pelican import signals
from pelican.utils import order_content, sanitised_join

from .feed_entry import entry_content, lead_file, names

VERSION = "https://jsonfeed.org/version/1.1"


def absolute(base: str, url: str) -> str:
    return f"{base}/{url}"


def item(article, base: str, settings: dict) -> dict:
    url = absolute(base, article.url)
    entry = {
        "id": url,
        "url": url,
        "title": article.title,
        "content_html": entry_content(article, base, base),
        "summary": article.summary,
        "date_published": article.date.isoformat(),
    }
    if getattr(article, "modified", None):
        entry["date_modified"] = article.modified.isoformat()
    image = lead_file(article, base)
    if image:
        entry["image"] = image.url  # JSON Feed gives an image its URL alone
    entry["authors"] = [
        {"name": author.name, "url": absolute(base, author.url)} for author in getattr(article, "authors", [])
    ]
    tags = names(article)
    if tags:
        entry["tags"] = tags
    if article.lang != settings["DEFAULT_LANG"]:
        entry["language"] = article.lang
    return entry


def json_feed(articles, settings: dict) -> dict:
    """The feed as a JSON object, for ``articles`` (newest first)."""
    base = (settings.get("FEED_DOMAIN") or settings["SITEURL"]).rstrip("/")
    return {
        "version": VERSION,
        "title": settings["SITENAME"],
        "home_page_url": f"{base}/",
        "feed_url": absolute(base, settings["FEED_ALL_JSON"]),
        "description": settings.get("SITESUBTITLE") or "",
        "authors": [{"name": settings["AUTHOR"]}],
        "language": settings["DEFAULT_LANG"],
        "items": [item(article, base, settings) for article in articles[: settings["FEED_MAX_ITEMS"]]],
    }


def with_translations(articles, settings: dict) -> list:
    """``articles`` and their translations, as Pelican's generate_feeds gives FEED_ALL_ATOM."""
    every = [*articles, *(translation for article in articles for translation in article.translations)]
    # Once each (as site_writer.py gives Atom's): with no version in DEFAULT_LANG, every version is a post.
    return order_content(list(dict.fromkeys(every)), order_by=settings["ARTICLE_ORDER_BY"])


def write_json_feed(generator, writer):
    settings = generator.settings
    if not settings.get("FEED_ALL_JSON"):
        return
    target = sanitised_join(writer.output_path, settings["FEED_ALL_JSON"])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    feed = json_feed(with_translations(generator.articles, settings), settings)
    text = json.dumps(feed, ensure_ascii=False, separators=(",", ":"))
    with open(target, "w", encoding="utf-8") as file:
        file.write(text + "\n")


def register():
    signals.article_writer_finalized.connect(write_json_feed)
