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
# A second <h1> beside the title, and one the table of contents leaves out, in any of its
# spellings: a "#" first (Python-Markdown needs no space after it, and no space before it), in a
# list item, a footnote or a definition too ("- #climate"); a line of "=" under a line of text;
# an <h1> tag. Only where the site's Markdown makes one: a table's "# | Team" row is text.
ITEM = r"(?: {0,3}(?:[-*+]|\d+[.)]|:|\[\^[^\]]+\]:)[ \t]+)"  # a list item's, a definition's, a footnote's
TOP_HEADING = re.compile(rf"^(?P<lead>{ITEM}?)#(?!#)[ \t]*(.*?)[ \t#]*$")
UNDERLINE = re.compile(r"^=[=-]* *$")
H1_TAG = re.compile(r"<h1(?:\s[^>]*)?>", re.IGNORECASE)
# Put in a line to find it in the rendered body: letters only, which no extension rewrites.
MARKER = "Zqheadingline{}Zq"
RENDERED_H1 = re.compile(r"<h1\b[^>]*>.*?(?:</h1\s*>|$)", re.S | re.IGNORECASE)
RENDERED_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


# Every pattern above, and a block's line, needs one of these (a heading, a line starting with
# "#"); a body with none is not read line by line (the lint step's cost: docs/performance.md).
MARKS = ("!!!", "$$", "\\(", "\\[", "<!--", "///")
HEADING_MARK = re.compile(rf"^(?: {{0,3}}> ?)*(?:{ITEM}?#(?!#)|=[=-]* *$)|<h1[\s>]", re.M | re.IGNORECASE)
HEADING_CHARACTERS = ("#", "\n=", ">=", "> =", "<h1", "<H1")  # looked for first: quicker than HEADING_MARK
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
    body = "\n" + "\n".join(lines)
    if not any(mark in body for mark in MARKS) and not (
        any(mark in body for mark in HEADING_CHARACTERS) and HEADING_MARK.search(body)
    ):
        return []
    problems, headings, fence, hidden, previous = [], {}, None, None, None
    for number, line in enumerate(lines, start=first):
        quoted = QUOTE_MARKERS.match(line)
        line = line[quoted.end() :] if quoted else line
        above, previous = previous, None  # the line of text a line of "=" may underline
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
        offset = quoted.end() if quoted else 0  # where ``line`` starts in the line as written
        if heading := TOP_HEADING.match(line):
            at = heading.end("lead")
            headings[number] = (heading_problem(line, at, heading[2]), [offset + at + 1])
            continue
        if above and UNDERLINE.match(line):
            headings[above[0]] = (underline_problem(above[1]), [len(lines[above[0] - first])])
        spans = [span.span() for span in CODE_SPAN.finditer(line)]
        if tags := [tag for tag in H1_TAG.finditer(line) if not any(a <= tag.start() < b for a, b in spans)]:
            headings[number] = (tag_problem(line, tags[0]), [offset + tag.end() for tag in tags])
        text = CODE_SPAN.sub("", line)
        problems += [(number, message) for pattern, message in FOREIGN_SYNTAX if pattern.search(text)]
        previous = (number, line) if line.strip() else None
    if headings:
        made = top_headings(lines, first, {number: at for number, (_, at) in headings.items()}, site)
        problems += [(number, message) for number, (message, _) in headings.items() if number in made]
    return [f"{number}: {message}" for number, message in sorted(problems, key=lambda problem: problem[0])]


def top_headings(lines: list[str], first: int, marks: dict[int, list[int]], site: SiteMarkdown) -> set[int]:
    """Which of the lines numbered in ``marks`` the site's Markdown makes an <h1> of, each line
    marked (MARKER) at the positions given: where the heading's text or the tag's content starts."""
    marked = list(lines)
    for number, positions in marks.items():
        for position in sorted(positions, reverse=True):
            line = marked[number - first]
            marked[number - first] = f"{line[:position]}{MARKER.format(number)}{line[position:]}"
    rendered = RENDERED_COMMENT.sub("", site.html("\n".join(marked)))
    found = "".join(RENDERED_H1.findall(rendered))
    return {int(number) for number in re.findall(MARKER.format(r"(\d+)"), found)}


TWO_MAIN_HEADINGS = "the page would have two main headings, and the table of contents would leave it out."


def heading_problem(line: str, at: int, text: str) -> str:
    """For a "#" heading, its "#" at ``at`` in ``line``."""
    shown = line.strip()
    if line[at + 1 : at + 2] in (" ", "\t"):
        return (
            f"“{shown}” is a heading of the title's level: {TWO_MAIN_HEADINGS} Start the post's "
            f"sections at ##: “## {text}”."
        )
    # "#1 in the charts", "#hashtag": most often a "#" meant as typed, which a backslash keeps.
    escaped, section = f"{line[:at]}\\{line[at:]}".strip(), f"; for a section, “## {text}”" if text else ""
    return (
        f"“{shown}” is a heading of the title's level: a “#” that starts a line makes one, even with "
        f"no space after it. To print the “#” as typed, write “{escaped}”{section}."
    )


def underline_problem(line: str) -> str:
    text = line.strip()
    return (
        f"“{text}”, over a line of “=”, is a heading of the title's level: {TWO_MAIN_HEADINGS} Start the "
        f"post's sections at ##: “## {text}”, without the line of “=” (for a line across the page, "
        "write “***” instead, with a blank line above it)."
    )


def tag_problem(line: str, tag: re.Match) -> str:
    text = " ".join(re.sub(r"<[^>]*>", "", line[tag.end() :].split("</", 1)[0]).split())
    return (
        f"“{line.strip()}” is a heading of the title's level: {TWO_MAIN_HEADINGS} Start the post's "
        f"sections at ##: “## {text}” (or <h2> in HTML)."
    )
