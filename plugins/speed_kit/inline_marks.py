"""Python-Markdown's inline passes leave alone, untried, a text no pattern of theirs can match.

Why: each pass (the main one, smarty's own) tries every pattern on every text of a post. Each
pattern known here needs a mark (a bracket, a backtick, a quote…), so a text, or a whole post,
without one comes back unchanged from the stock pass too; an unknown pattern turns it off."""

import functools

from markdown import inlinepatterns as stock
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

# Checked against this Python-Markdown; tests/test_plugins_speed_kit.py fails when it changes.
MARKDOWN_CHECKED = "3.11.3"
MARKDOWN_INTERNALS = {
    "markdown.treeprocessors.InlineProcessor._InlineProcessor__handleInline": (
        "(self, data: 'str', patternIndex: 'int' = 0) -> 'str'"
    ),
    "markdown.treeprocessors.InlineProcessor.run": (
        "(self, tree: 'etree.Element', ancestors: 'list[str] | None' = None) -> 'etree.Element'"
    ),
}
SINGLE_QUOTES = (
    *(smarty.singleQuoteStartRe, smarty.decadeAbbrRe, smarty.remainingSingleQuotesRegex),
    *(smarty.openingSingleQuotesRegex, smarty.closingSingleQuotesRegex, smarty.closingSingleQuotesRegex2),
    # These need a double quote too.
    *(
        smarty.doubleQuoteSetsRe,
        smarty.singleQuoteSetsRe,
        smarty.doubleQuoteSetsRe2,
        smarty.singleQuoteSetsRe2,
    ),
)
DOUBLE_QUOTES = (
    *(smarty.doubleQuoteStartRe, smarty.remainingDoubleQuotesRegex, smarty.openingDoubleQuotesRegex),
    *(smarty.closingDoubleQuotesRegex, smarty.closingDoubleQuotesRegex2),
)
# By a pattern's regular expression: what a text must hold for it to match, consumed or looked
# for (either string of a pair). A replaced match leaves a placeholder holding none of them.
NEEDS = {
    stock.BACKTICK_RE: ["`"],
    stock.ESCAPE_RE: ["\\"],
    stock.LINK_RE: ["["],  # and REFERENCE_RE
    stock.IMAGE_LINK_RE: ["!["],  # and IMAGE_REFERENCE_RE
    r"\[\^([^\]]*)\]": ["[^"],  # the footnotes extension's
    stock.AUTOLINK_RE: ["<"],
    stock.AUTOMAIL_RE: ["<"],
    stock.HTML_RE: ["<"],
    stock.ENTITY_RE: ["&"],
    stock.LINE_BREAK_RE: ["  \n"],
    r"\*|_": ["*", "_"],  # emphasis: DelimiterProcessor's tokens
    **dict.fromkeys(SINGLE_QUOTES, ["'"]),
    **dict.fromkeys(DOUBLE_QUOTES, ['"']),
    r"(?<!-)---(?!-)": ["---"],
    r"(?<!-)--(?!-)": ["--"],
    r"(?<!\.)\.{3}(?!\.)": ["..."],
    r"\<\<": ["<<"],
    r"\>\>": [">>"],
}


def marks(patterns):
    """The strings one of which a text needs for any of ``patterns``; None if one is unknown."""
    return marks_of(tuple(pattern.getCompiledRegExp().pattern for pattern in patterns))


@functools.cache
def marks_of(expressions: tuple[str, ...]) -> tuple[str, ...] | None:
    needed = [NEEDS.get(expression) for expression in expressions]
    if None in needed:
        return None
    return tuple(sorted({mark for need in needed for mark in need}))


def marked(text: str, marks: tuple[str, ...]) -> bool:
    return any(mark in text for mark in marks)


class SkippingUnmarked(InlineProcessor):
    def run(self, tree, ancestors=None):
        self.marks = marks(self.inlinePatterns)  # each post: the patterns as they are now
        if self.marks is not None and not marked("\0".join(texts(tree)), self.marks):
            return tree  # no text to change: the stock pass would leave every one as it is
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if self.marks is not None and not marked(data, self.marks):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def texts(tree):
    """Every text and tail in ``tree``, the root's too: a superset of what a pass reads."""
    return [text for element in tree.iter() for text in (element.text, element.tail) if text]


def skip_unmarked(markdown):
    """Make ``markdown``'s stock inline passes skip the texts without marks."""
    for processor in markdown.treeprocessors:
        if type(processor) is InlineProcessor:
            processor.__class__ = SkippingUnmarked
    return markdown
