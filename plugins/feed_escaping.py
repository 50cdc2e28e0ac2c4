"""Feeds carry titles and summaries exactly as written, whatever characters they hold.

Why a local plugin: Pelican's feed writer passes each title through
``Markup(title).striptags()``, which deletes anything that looks like a tag, so a post
titled "Why <script> tags break feeds" loses words; and it hands the plain-text summary
to Atom's ``type="html"`` summary, where ``<`` would become markup. Escaping both once
before the writer sees them makes the feed show the text the author wrote.

Used through site_writer.py, the plugin that hands Pelican the site's writer.
"""

from markupsafe import escape
from pelican.writers import Writer


class _FeedItem:
    """A content object as the feed writer should see it."""

    def __init__(self, item):
        self._item = item

    def __getattr__(self, name):
        return getattr(self._item, name)

    @property
    def title(self):
        return str(escape(self._item.title))

    @property
    def summary(self):
        return str(escape(self._item.summary))


class EscapingWriter(Writer):
    def _add_item_to_the_feed(self, feed, item):
        return super()._add_item_to_the_feed(feed, _FeedItem(item))
