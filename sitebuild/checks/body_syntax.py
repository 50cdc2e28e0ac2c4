"""Find syntax from other Markdown sites (MkDocs' ``!!! note``, ``$$`` math, WordPress'
``<!-- more -->``) that Python-Markdown would print as typed or drop unsaid, so the post
looks right in the editor and wrong on the site. Each is named with its line and what to
write instead; code (fenced, indented or in backticks) is skipped."""

import re

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
INDENTED_CODE = re.compile(r"^( {4}|\t)")
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


# Every pattern above needs one of these; a body with none is not read line by line
# (the lint step's cost: docs/performance.md).
MARKS = ("!!!", "$$", "\\(", "\\[", "<!--")


def body_problems(lines: list[str], first: int) -> list[str]:
    """``line: message`` for each foreign construct in ``lines``, numbered from ``first``."""
    body = "\n".join(lines)
    if not any(mark in body for mark in MARKS):
        return []
    problems, fence = [], None
    for number, line in enumerate(lines, start=first):
        opening = FENCE.match(line)
        if fence:
            fence = None if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) else fence
            continue
        if opening:
            fence = opening[1]
            continue
        if INDENTED_CODE.match(line):
            continue
        text = CODE_SPAN.sub("", line)
        problems += [f"{number}: {message}" for pattern, message in FOREIGN_SYNTAX if pattern.search(text)]
    return problems
