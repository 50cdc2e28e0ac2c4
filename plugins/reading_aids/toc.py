"""``toc``: the post's sections, when it has at least ``TOC_MIN_HEADINGS`` h2/h3 headings.

Why a local plugin: Pelican does not pass Markdown's table of contents to templates, and
pelican-toc re-parses every page with BeautifulSoup; one regular expression reads them here.
"""

import html
import re

from ..content_model import TAG, rendered_body

TOC_MIN_HEADINGS = 3
# Python-Markdown's toc extension writes <h2 id="…">Text<a class="headerlink" …>#</a></h2>.
HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
PERMALINK = re.compile(r'<a class="headerlink".*?</a>', re.S)


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of each h2/h3 in a rendered body, in order."""
    found = []
    for level, anchor, inner in HEADING.findall(body):
        text = html.unescape(TAG.sub("", PERMALINK.sub("", inner)))
        found.append((int(level), anchor, " ".join(text.split())))
    return found


def table_of_contents(content, settings) -> list[tuple[int, str, str]]:
    """The post's headings if there are enough of them to be worth a table, else none."""
    found = headings(rendered_body(content))
    return found if len(found) >= settings.get("TOC_MIN_HEADINGS", TOC_MIN_HEADINGS) else []
