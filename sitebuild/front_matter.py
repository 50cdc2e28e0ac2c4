"""A post's front matter as the build reads it: the fields Python-Markdown's meta extension takes
(its own patterns), for lint's checks and for ``invoke new``'s look at the slugs and spellings
posts use."""

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE


def lines_of(text: str) -> list[str]:
    """``text``'s lines as Pelican reads a post (universal newlines: \\r\\n, \\r or \\n), not
    str.splitlines's U+2028 too."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def front_matter(text: str) -> list[tuple[int, str, str]]:
    """(line number, lower-case key, value) for each field, as Python-Markdown's meta reads it
    (its own patterns), and (line number, "", text) for each indented line it adds to the field
    above. The fields end at a blank line or at any other line that is not a field."""
    fields = []
    lines = lines_of(text.expandtabs(4))  # Python-Markdown expands tabs before meta reads
    for number, line in enumerate(lines, start=1):
        if number == 1 and BEGIN_RE.match(line):  # meta skips a "---" line above the fields
            continue
        match = META_RE.match(line)
        if not line.strip() or END_RE.match(line):
            break
        if match:
            fields.append((number, match["key"].lower(), match["value"].strip()))
        elif META_MORE_RE.match(line) and fields:
            fields.append((number, "", line.strip()))
        else:
            break
    return fields
