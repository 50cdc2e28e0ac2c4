"""Summaries are plain text, escaped wherever shown; ``standfirst`` is the one a post's header shows.

Why a local plugin: Pelican renders ``Summary`` as Markdown and cuts the HTML body for posts
without one, so no template could escape a summary right. A post without one gets its first
paragraph with text outside a figure or quote, cut at ``SUMMARY_MAX_LENGTH`` words."""

import html
import re

from pelican import signals

from .content_model import TAG, rendered_body

PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
# A figure holds a picture and its caption, or a /// quote; a Markdown ">" quote is a bare blockquote.
QUOTED = re.compile(r"<(/?)(?:figure|blockquote)\b")


def words_of_first_paragraph(body: str) -> list[str]:
    """The words of the first paragraph with any outside a figure or a quote: a picture alone
    in a paragraph has none, and a caption or a quote is not the post's own text."""
    depth, seen = 0, 0
    for paragraph in PARAGRAPH.finditer(body):
        for tag in QUOTED.finditer(body, seen, paragraph.start()):
            depth += -1 if tag[1] else 1
        seen = paragraph.start()
        words = html.unescape(TAG.sub("", paragraph[1])).split()
        if words and not depth:
            return words
    return []


def text_of_first_paragraph(body: str, max_words: int | None) -> str:
    words = words_of_first_paragraph(body)
    if max_words and len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return " ".join(words)


def ensure_plain_summary(content):
    body = rendered_body(content)
    if body is None:
        return
    written = content.metadata.get("summary")
    if written is None:
        max_words = content.settings.get("SUMMARY_MAX_LENGTH")
        content.metadata["summary"] = text_of_first_paragraph(body, max_words)
        content.standfirst = ""
    else:  # typeset already (typography.py), as the body is
        words = written.removesuffix("…").split()
        content.standfirst = "" if words == words_of_first_paragraph(body)[: len(words)] else written


def register():
    signals.content_object_init.connect(ensure_plain_summary)
