"""Read every Markdown post with one Python-Markdown instance, reset between posts.

Why a local plugin: Pelican's Markdown reader builds a new ``Markdown`` object for every
file, loading and configuring each extension again; with this site's extensions that
was about an eighth of the render time at 1,000 posts. Python-Markdown's ``reset()``
clears every extension's state, so one instance gives the same HTML.

Pelican's reader deregisters the ``meta`` preprocessor after each file (so formatted
fields can be converted without it), which is why it cannot reuse the instance; this
site formats no metadata fields (``FORMATTED_FIELDS = []``), so the metadata is
processed here without touching the instance. With formatted fields configured, the
stock reader is kept.
"""

from markdown import Markdown
from pelican import signals
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open


class ReusingMarkdownReader(MarkdownReader):
    def read(self, source_path):
        self._source_path = source_path
        markdown = self.__dict__.get("_shared")
        if markdown is None:
            markdown = self._shared = Markdown(**self.settings["MARKDOWN"])
        markdown.reset()
        self._md = markdown
        with pelican_open(source_path) as text:
            content = markdown.convert(text)
        return content, self._metadata(getattr(markdown, "Meta", {}))

    def _metadata(self, meta):
        output = {}
        for name, values in meta.items():
            name = name.lower()
            single = not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True) or len(values) == 1
            output[name] = self.process_metadata(name, values[0] if single else values)
        return output


def use_reusing_reader(readers):
    if readers.settings.get("FORMATTED_FIELDS"):
        return
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = ReusingMarkdownReader


def register():
    signals.readers_init.connect(use_reusing_reader)
