"""Smarty's inline pass leaves alone, untried, a text with nothing in it to change.

Why: the smarty extension runs a second inline pass of its own, trying every one of its
patterns on every text of a post. Each pattern consumes a quote, "--", "..." or an angle
pair, so a text without one is returned unchanged by the stock pass too."""

import re

from markdown.treeprocessors import InlineProcessor

# Checked against this Python-Markdown; tests/test_plugins_speed_kit.py fails when it changes.
MARKDOWN_CHECKED = "3.11.3"
MARKDOWN_INTERNALS = {
    "markdown.treeprocessors.InlineProcessor._InlineProcessor__handleInline": (
        "(self, data: 'str', patternIndex: 'int' = 0) -> 'str'"
    ),
}
# What one of smarty's patterns (markdown/extensions/smarty.py) must find to match.
MARKS = re.compile(r"['\"]|--|\.\.\.|<<|>>")


class SkippingPlainText(InlineProcessor):
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if MARKS.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def skip_plain_text(markdown):
    """Make ``markdown``'s smarty pass, if it has the stock one, skip texts without marks."""
    if "smarty" in markdown.treeprocessors and type(markdown.treeprocessors["smarty"]) is InlineProcessor:
        markdown.treeprocessors["smarty"].__class__ = SkippingPlainText
    return markdown
