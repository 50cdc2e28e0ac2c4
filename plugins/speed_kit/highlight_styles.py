"""Pygments' style tables for code blocks are computed once per style, not once per block.

Why: codehilite makes a formatter per code block, and each walks the whole style to build
``ttype2class`` and ``class2style``, which depend only on class, style and prefix. A subclass
put in ``MARKDOWN`` at ``initialized`` overrides the private ``_create_stylesheet`` to share them."""

import functools

from pelican import signals
from pygments.formatters import HtmlFormatter

from . import enabled

CODEHILITE = "markdown.extensions.codehilite"

# Checked against this Pygments; tests/test_plugins_speed_kit.py fails when it changes.
PYGMENTS_CHECKED = "2.19.2"
PYGMENTS_INTERNALS = {
    "pygments.formatters.html.HtmlFormatter._create_stylesheet": "(self)",
    "pygments.formatters.html.HtmlFormatter().ttype2class": "dict",
    "pygments.formatters.html.HtmlFormatter().class2style": "dict",
    "pygments.formatters.html.HtmlFormatter().classprefix": "str",
    "pygments.formatters.html.HtmlFormatter().style": "StyleMeta",
}


class SharedStyleTables(HtmlFormatter):
    """Mixed in before an ``HtmlFormatter`` subclass: the first formatter of each (style,
    classprefix) builds the tables, later ones take the same dicts."""

    _style_tables: dict  # set on each subclass by reusing_tables()

    def _create_stylesheet(self):
        key = (self.style, self.classprefix)
        tables = self._style_tables.get(key)
        if tables is None:
            super()._create_stylesheet()
            self._style_tables[key] = (self.ttype2class, self.class2style)
        else:
            self.ttype2class, self.class2style = tables


@functools.cache
def reusing_tables(formatter: type[HtmlFormatter]) -> type[HtmlFormatter]:
    """The subclass of ``formatter`` that shares its style tables; one per formatter, so
    a formatter overriding how classes are named keeps tables of its own."""
    if issubclass(formatter, SharedStyleTables):
        return formatter
    name = f"TablesReused{formatter.__name__}"
    subclass = type(name, (SharedStyleTables, formatter), {"__module__": __name__, "_style_tables": {}})
    globals()[name] = subclass
    return subclass


def reuse_style_tables(pelican):
    settings = pelican.settings
    markdown = settings.get("MARKDOWN") or {}
    configs = markdown.get("extension_configs") or {}
    if not enabled(settings) or CODEHILITE not in configs:
        return
    codehilite = configs[CODEHILITE]
    formatter = codehilite.get("pygments_formatter")
    # A formatter given by name, codehilite makes through Pygments' registry: left alone.
    if not (isinstance(formatter, type) and issubclass(formatter, HtmlFormatter)):
        return
    codehilite = {**codehilite, "pygments_formatter": reusing_tables(formatter)}
    settings["MARKDOWN"] = {**markdown, "extension_configs": {**configs, CODEHILITE: codehilite}}


def register():
    signals.initialized.connect(reuse_style_tables)
