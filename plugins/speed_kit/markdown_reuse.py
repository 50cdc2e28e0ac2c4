"""Read every Markdown post with one Python-Markdown instance, reset between posts.

Why: Pelican's reader builds and configures a new ``Markdown`` for every file; ``reset()``
gives the same HTML. With ``FORMATTED_FIELDS`` set, or the kit off, the stock reader stays.
The class replaces ``MarkdownReader.read`` and the private ``_parse_metadata``."""

from markdown import Markdown
from pelican import signals
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open

from . import enabled
from .inline_marks import skip_unmarked

# Checked against this Pelican; tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.readers.MarkdownReader.__init__": "(self, *args, **kwargs)",
    "pelican.readers.MarkdownReader.read": "(self, source_path)",
    "pelican.readers.MarkdownReader._parse_metadata": "(self, meta)",
    "pelican.readers.MarkdownReader.process_metadata": "(self, name, value)",
    "pelican.readers.DUPLICATES_DEFINITIONS_ALLOWED": "dict",
    "pelican.readers.Readers().reader_classes": "dict",
    "pelican.utils.pelican_open": "(filename: 'str', mode: 'str' = 'r') -> 'Generator[str]'",
}


class ReusingMarkdownReader(MarkdownReader):
    def read(self, source_path):
        self._source_path = source_path
        markdown = self.__dict__.get("_shared")
        if markdown is None:
            markdown = self._shared = skip_unmarked(Markdown(**self.settings["MARKDOWN"]))
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
    if not enabled(readers.settings) or readers.settings.get("FORMATTED_FIELDS"):
        return
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = ReusingMarkdownReader


def register():
    signals.readers_init.connect(use_reusing_reader)
