"""``toc``: the post's sections, for a table of contents on long posts.

Why a local plugin: Python-Markdown's toc extension gives every heading an id and a
permalink, but Pelican does not pass its table of contents to templates, and the
published pelican-toc plugin re-parses every page with BeautifulSoup. Headings are
read back from the rendered body with one regular expression (a full HTML parser per
post costs seconds at thousands of posts).
A post gets a ``toc`` only when it has at least ``TOC_MIN_HEADINGS`` h2/h3 headings.
"""

import html
import re

from content_model import TAG, rendered_body

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
