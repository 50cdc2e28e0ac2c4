"""Summaries are plain text: written as text in front matter, escaped wherever shown.

Why a local plugin: Pelican renders ``Summary`` as Markdown and cuts the HTML body for posts
without one, so no template could escape a summary right. A post without one gets its first
paragraph's text, cut at ``SUMMARY_MAX_LENGTH`` words."""

import html
import re

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


def register():
    signals.content_object_init.connect(ensure_plain_summary)
