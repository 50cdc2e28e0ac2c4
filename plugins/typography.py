"""Curly quotes, dashes and ellipses in titles and written summaries, as Python-Markdown's
``smarty`` extension gives bodies (pelicanconf.py). Both are plain text, escaped where shown,
so this works on text: straight quotes become curly by what stands before them."""

import re

from pelican import signals

# In this order: "---" before "--", and quotes after dashes so "--'" reads as an opening.
REPLACEMENTS = [
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r"---"), "—"),
    (re.compile(r"--"), "–"),
    # A quote at the start, or after a space, a dash or an opening bracket, opens.
    (re.compile(r"""(^|(?<=[\s(\[{“‘—–]))\""""), "“"),
    (re.compile(r'"'), "”"),
    (re.compile(r"""(^|(?<=[\s(\[{“‘—–]))'(?=\w)(?!(?i:\d0s|n\b|tis\b|twas\b))"""), "‘"),
    (re.compile(r"'"), "’"),  # a closing quote or an apostrophe (it's, '90s)
]


def smart(text: str) -> str:
    for pattern, replacement in REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text


def typeset(content):
    if getattr(content, "title", None):
        content.title = smart(content.title)
    if "summary" in content.metadata:
        content.metadata["summary"] = smart(content.metadata["summary"])


def register():
    signals.content_object_init.connect(typeset)
