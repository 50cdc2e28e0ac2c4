"""The site's writer: Pelican's, with escaped feeds and reuse of unchanged pages.

Pelican builds with the first writer class a plugin offers (``get_writer``), so the two
behaviours live in their own modules and are combined here: feed escaping
(feed_escaping.py) and page reuse (page_reuse.py).
"""

import weakref

from pelican import signals

from feed_escaping import EscapingWriter
from page_reuse import PageReuseMixin

# The writer is local to Pelican.run(); ``finalized`` reaches it through its output path.
_writers = weakref.WeakValueDictionary()


class SiteWriter(PageReuseMixin, EscapingWriter):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        _writers[str(output_path)] = self


def writer_class(pelican_object):
    return SiteWriter


def save_reuse_manifest(pelican_object):
    writer = _writers.pop(str(pelican_object.output_path), None)
    if writer is not None and writer.page_reuse is not None:
        writer.page_reuse.save()


def register():
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(save_reuse_manifest)
