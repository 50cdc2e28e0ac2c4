"""The site's JSON Feed 1.1 beside Pelican's Atom and RSS, written to ``FEED_ALL_JSON``: the
posts and translations the whole-site Atom feed lists. Why a local plugin: Pelican writes no
JSON Feed, and the plugins on GitHub write 1.0 and replace Pelican's writer (which must stay
site_writer.py). Every value is made by ``json.dumps``, so metadata cannot break its string."""

import json
import os

from pelican import signals
from pelican.utils import order_content, sanitised_join

from .content_model import language_apart, with_translations
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
    if lang := language_apart(article, settings["DEFAULT_LANG"]):
        entry["language"] = lang
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


def write_json_feed(generator, writer):
    settings = generator.settings
    if not settings.get("FEED_ALL_JSON"):
        return
    target = sanitised_join(writer.output_path, settings["FEED_ALL_JSON"])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    posts = order_content(with_translations(generator.articles), settings["ARTICLE_ORDER_BY"])
    feed = json_feed(posts, settings)
    text = json.dumps(feed, ensure_ascii=False, separators=(",", ":"))
    with open(target, "w", encoding="utf-8") as file:
        file.write(text + "\n")


def register():
    signals.article_writer_finalized.connect(write_json_feed)
