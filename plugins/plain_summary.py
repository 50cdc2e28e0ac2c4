"""Summaries are plain text: written as text in front matter, escaped wherever shown.

Why a local plugin: Pelican renders ``Summary`` as Markdown and cuts the HTML body for posts
without one, so no template could escape a summary right. A post without one gets its first
paragraph's text, cut at ``SUMMARY_MAX_LENGTH`` words; ``|starts_with_text`` tells templates so."""

import html
import re

from markupsafe import Markup
from pelican import signals

from .content_model import TAG, rendered_body

FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def text_of_first_paragraph(body: str, max_words: int | None) -> str:
    match = FIRST_PARAGRAPH.search(body)
    words = html.unescape(TAG.sub("", match.group(1) if match else "")).split()
    if max_words and len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return " ".join(words)


def ensure_plain_summary(content):
    body = rendered_body(content)
    if "summary" not in content.metadata and body is not None:
        summary = text_of_first_paragraph(body, content.settings.get("SUMMARY_MAX_LENGTH"))
        content.metadata["summary"] = summary


def starts_with_text(body: str, text: str) -> bool:
    """``Markup(body).striptags().startswith(text)``, reading only as much of ``body`` as it
    needs. striptags() goes from tag to tag, as here; where a tag's end is followed by a space,
    no word or entity goes on past it, so the text up to there is the start of the whole."""
    end = 0
    while (start := body.find("<", end)) != -1:
        comment = body.startswith("<!--", start)
        end = body.find("-->" if comment else ">", start + (4 if comment else 0))
        if end == -1:
            break  # unclosed: striptags() keeps the rest as text
        end += 3 if comment else 1
        if end >= len(text) and body[end : end + 1].isspace():
            seen = Markup(body[:end]).striptags()
            if len(seen) >= len(text):
                return seen.startswith(text)
    return Markup(body).striptags().startswith(text)


def add_filter(generator):
    generator.env.filters["starts_with_text"] = starts_with_text


def register():
    signals.content_object_init.connect(ensure_plain_summary)
    signals.generator_init.connect(add_filter)
