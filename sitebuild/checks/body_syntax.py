"""Find syntax from other Markdown sites (MkDocs' ``!!! note``, ``$$`` math, WordPress'
``<!-- more -->``), ``///`` lines that open no block of the site's, and ``# `` headings of the
title's level, which look right in the editor and wrong on the site. Each is named with its
line and what to write instead. Read line by line: code, HTML comments and raw <pre> blocks
are skipped, a blockquote's lines read without their ">"."""

import re

from markdown import Markdown
from pymdownx.blocks import RE_END, RE_START

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
INDENTED_CODE = re.compile(r"^( {4}|\t)")
QUOTE_MARKERS = re.compile(r"^(?: {0,3}> ?)+")
# What Markdown never prints as typed: an HTML comment, and a raw <pre> block (a line that starts it).
COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
RAW_PRE = re.compile(r"^ {0,3}<pre[\s>]", re.IGNORECASE)
FOREIGN_SYNTAX = [
    (
        re.compile(r"^!!!"),
        "“!!!” admonitions are not read here and would be printed as typed. Write the block as "
        "“/// note” (or warning, tip, danger…) on its own line, the text unindented, then “///”.",
    ),
    (
        re.compile(r"^\$\$|\$\$.+?\$\$|\\\(.+?\\\)|^\\\[\s*$"),
        "math (“$$…$$”, “\\(…\\)”) is not supported: reading pages carry no JavaScript to typeset "
        "it, so it would be printed as typed. Write the formula as text or as code (`x^2 + 1`).",
    ),
    (
        re.compile(r"<!--\s*more\s*-->", re.IGNORECASE),
        "“<!-- more -->” does nothing here: the home page and feeds show the Summary field "
        "(or the first paragraph). Delete the marker and write “Summary: …” in the front matter.",
    ),
]
# A heading of one "#" (Python-Markdown needs no space after it, and no space before it): a
# second <h1> beside the title, and one the table of contents leaves out.
TOP_HEADING = re.compile(r"^#(?!#)[ \t]*(.*?)[ \t#]*$")


# Every pattern above, and a block's line, needs one of these (a heading, a line starting with
# "#"); a body with none is not read line by line (the lint step's cost: docs/performance.md).
MARKS = ("!!!", "$$", "\\(", "\\[", "<!--", "///")
HEADING_MARK = re.compile(r"^(?: {0,3}> ?)*#(?!#)", re.M)
# A line pymdownx.blocks may read as a block's start or end: three or more slashes first.
BLOCK_LINE = re.compile(r"^ {0,3}///")


def block_names(settings: dict) -> frozenset[str]:
    """The names a ``///`` block may have: those the site's Markdown extensions register."""
    markdown = settings["MARKDOWN"]
    configs = markdown.get("extension_configs", {})
    extensions = list(dict.fromkeys([*markdown.get("extensions", []), *configs]))
    processors = Markdown(extensions=extensions, extension_configs=configs).parser.blockprocessors
    return frozenset(processors["blocks"].blocks) if "blocks" in processors else frozenset()


def block_problem(line: str, blocks: frozenset[str]) -> str | None:
    """Why a ``///`` line opens no block (a name the site has none of, or a colon for the
    "|" before a title), which pymdownx.blocks would print as typed; None if it is fine."""
    opening = RE_START.fullmatch(line)
    if RE_END.fullmatch(line) or (opening and opening[2].lower() in blocks):
        return None
    return (
        f"“{line.strip()}” opens no block and would be printed as typed. Open a block with "
        f"“/// NAME” or “/// NAME | title” on its own line, the NAME one of {', '.join(sorted(blocks))}."
    )


def body_problems(lines: list[str], first: int, blocks: frozenset[str]) -> list[str]:
    """``line: message`` for each foreign construct in ``lines``, numbered from ``first``;
    ``blocks``: block_names() of the site's settings."""
    body = "\n".join(lines)
    if not any(mark in body for mark in MARKS) and not HEADING_MARK.search(body):
        return []
    problems, fence, hidden = [], None, None
    for number, line in enumerate(lines, start=first):
        line = QUOTE_MARKERS.sub("", line)
        if hidden:  # inside a comment or a <pre> block until its end
            hidden = None if hidden in line.lower() else hidden
            continue
        opening = FENCE.match(line)
        if fence:
            fence = None if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) else fence
            continue
        if opening:
            fence = opening[1]
            continue
        if INDENTED_CODE.match(line):
            continue
        if RAW_PRE.match(line) and "</pre>" not in line.lower():
            hidden = "</pre>"
            continue
        if (comment := COMMENT.search(CODE_SPAN.sub("", line))) and not comment[1]:
            hidden, line = "-->", comment.string[: comment.start()]
        if BLOCK_LINE.match(line) and (problem := block_problem(line, blocks)):
            problems.append(f"{number}: {problem}")
            continue
        if heading := TOP_HEADING.match(line):
            problems.append(f"{number}: {heading_problem(line, heading[1])}")
            continue
        text = CODE_SPAN.sub("", line)
        problems += [f"{number}: {message}" for pattern, message in FOREIGN_SYNTAX if pattern.search(text)]
    return problems


def heading_problem(line: str, text: str) -> str:
    return (
        f"“{line.strip()}” is a heading of the title's level: the page would have two main headings, "
        f"and the table of contents would leave it out. Start the post's sections at ##: “## {text}”."
    )
