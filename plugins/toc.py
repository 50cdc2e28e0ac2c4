"""``content.toc``: the post's sections, for a table of contents on long posts.

Why a local plugin: Python-Markdown's toc extension gives every heading an id and a
permalink, but Pelican does not pass its table of contents to templates, and the
published pelican-toc plugin re-parses every page with BeautifulSoup. Headings are
read back from the rendered body here with the standard library's HTML parser.
A post gets a ``toc`` only when it has at least ``TOC_MIN_HEADINGS`` h2/h3 headings.
"""

from html.parser import HTMLParser

from pelican import signals

TOC_MIN_HEADINGS = 3


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3") and attrs.get("id"):
            self._current = [int(tag[1]), attrs["id"], ""]
        elif self._current and tag == "a" and "headerlink" in (attrs.get("class") or ""):
            self._current.append("skip")

    def handle_endtag(self, tag):
        if self._current and tag == "a" and self._current[-1] == "skip":
            self._current.pop()
        elif self._current and tag in ("h2", "h3"):
            level, anchor, text = self._current[:3]
            self.headings.append((level, anchor, " ".join(text.split())))
            self._current = None

    def handle_data(self, data):
        if self._current and self._current[-1] != "skip":
            self._current[2] += data


def headings(html: str) -> list[tuple[int, str, str]]:
    parser = _Headings()
    parser.feed(html)
    return parser.headings


def add_toc(generator):
    minimum = generator.settings.get("TOC_MIN_HEADINGS", TOC_MIN_HEADINGS)
    contents = getattr(generator, "articles", None)
    if contents is None:
        contents = generator.pages
    for content in [*contents, *getattr(generator, "drafts", [])]:
        found = headings(content._content)
        content.toc = found if len(found) >= minimum else []


def register():
    signals.article_generator_finalized.connect(add_toc)
    signals.page_generator_finalized.connect(add_toc)
