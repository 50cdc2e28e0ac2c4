"""Find syntax from other Markdown sites (MkDocs' ``!!! note``, ``$$`` math, WordPress'
``<!-- more -->``), ``///`` lines that open no block of the site's, and ``# `` headings of the
title's level, which look right in the editor and wrong on the site. Each is named with its
line and what to write instead. Read line by line (code, HTML comments and raw <pre> blocks
skipped, a blockquote's lines without their ">"); a heading only if the site's Markdown makes one."""

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
# second <h1> beside the title, and one the table of contents leaves out. Only where the site's
# Markdown makes it one: a table's "# | Team" row and a raw HTML block's "#tag" line are text.
TOP_HEADING = re.compile(r"^#(?!#)[ \t]*(.*?)[ \t#]*$")
# Put in a line to find it in the rendered body: letters only, which no extension rewrites.
MARKER = "Zqheadingline{}Zq"
RENDERED_H1 = re.compile(r"<h1\b[^>]*>.*?(?:</h1\s*>|$)", re.S | re.IGNORECASE)


# Every pattern above, and a block's line, needs one of these (a heading, a line starting with
# "#"); a body with none is not read line by line (the lint step's cost: docs/performance.md).
MARKS = ("!!!", "$$", "\\(", "\\[", "<!--", "///")
HEADING_MARK = re.compile(r"^(?: {0,3}> ?)*#(?!#)", re.M)
# A line pymdownx.blocks may read as a block's start or end: three or more slashes first.
BLOCK_LINE = re.compile(r"^ {0,3}///")


class SiteMarkdown:
    """The site's Markdown as Pelican reads a post with it (``MARKDOWN``): the names a ``///``
    block may have (those its extensions register), and the HTML it makes of a body."""

    def __init__(self, settings: dict):
        options = dict(settings["MARKDOWN"])
        configs = options.get("extension_configs", {})
        options["extensions"] = list(dict.fromkeys([*options.get("extensions", []), *configs]))
        self.markdown = Markdown(**options)
        processors = self.markdown.parser.blockprocessors
        self.blocks = frozenset(processors["blocks"].blocks) if "blocks" in processors else frozenset()

    def html(self, text: str) -> str:
        return self.markdown.reset().convert(text)


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


def body_problems(lines: list[str], first: int, site: SiteMarkdown) -> list[str]:
    """``line: message`` for each foreign construct in ``lines``, numbered from ``first``."""
    body = "\n".join(lines)
    if not any(mark in body for mark in MARKS) and not HEADING_MARK.search(body):
        return []
    problems, headings, fence, hidden, marked = [], {}, None, None, list(lines)
    for number, line in enumerate(lines, start=first):
        quoted = QUOTE_MARKERS.match(line)
        line = line[quoted.end() :] if quoted else line
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
        if BLOCK_LINE.match(line) and (problem := block_problem(line, site.blocks)):
            problems.append((number, problem))
            continue
        if heading := TOP_HEADING.match(line):
            headings[number] = heading_problem(line, heading[1])
            written, after = lines[number - first], len(quoted[0]) + 1 if quoted else 1  # after the "#"
            marked[number - first] = f"{written[:after]}{MARKER.format(number)}{written[after:]}"
            continue
        text = CODE_SPAN.sub("", line)
        problems += [(number, message) for pattern, message in FOREIGN_SYNTAX if pattern.search(text)]
    if headings:
        made = top_headings(marked, site)
        problems += [(number, message) for number, message in headings.items() if number in made]
    return [f"{number}: {message}" for number, message in sorted(problems, key=lambda problem: problem[0])]


def top_headings(marked: list[str], site: SiteMarkdown) -> set[int]:
    """The numbers of the marked lines (MARKER) that the site's Markdown makes an <h1> of."""
    found = "".join(RENDERED_H1.findall(site.html("\n".join(marked))))
    return {int(number) for number in re.findall(MARKER.format(r"(\d+)"), found)}


def heading_problem(line: str, text: str) -> str:
    shown = line.strip()
    if re.match(r"#[ \t]", shown):
        return (
            f"“{shown}” is a heading of the title's level: the page would have two main headings, "
            f"and the table of contents would leave it out. Start the post's sections at ##: “## {text}”."
        )
    # "#1 in the charts", "#hashtag": most often a "#" meant as typed, which a backslash keeps.
    section = f"; for a section, “## {text}”" if text else ""
    return (
        f"“{shown}” is a heading of the title's level: a “#” that starts a line makes one, even with "
        f"no space after it. To print the “#” as typed, write “\\{shown}”{section}."
    )
