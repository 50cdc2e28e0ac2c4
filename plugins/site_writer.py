"""The site's writer: Pelican's, with feeds that keep titles and summaries as written, and,
with the speed kit on, reuse of unchanged pages (speed_kit/page_reuse.py).

Pelican strips anything tag-like from feed titles and has no hook before a feed entry but
the private ``Writer._add_item_to_the_feed``; one module, as Pelican takes one writer class."""

from feedgenerator import Enclosure
from markupsafe import escape
from pelican import signals
from pelican.writers import Writer

from . import speed_kit
from .feed_entry import entry_content, lead_file, names
from .speed_kit.page_reuse import PageReuseMixin

# Checked against this Pelican; tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.writers.Writer._add_item_to_the_feed": "(self, feed, item)",
}


class _FeedItem:
    """A content object as the feed writer should see it."""

    def __init__(self, item, base):
        self._item = item
        self._base = base

    def __getattr__(self, name):
        return getattr(self._item, name)

    @property
    def title(self):
        return str(escape(self._item.title))

    @property
    def summary(self):
        return str(escape(self._item.summary))

    def get_content(self, siteurl):
        return entry_content(self._item, self._base, siteurl)


class SiteWriter(Writer):
    def _add_item_to_the_feed(self, feed, item):
        base = self.feed_domain or self.site_url
        super()._add_item_to_the_feed(feed, _FeedItem(item, base))
        entry = feed.items[-1]
        entry["categories"] = names(item)  # Pelican lists only the first category
        authors = [str(author) for author in getattr(item, "authors", [])]
        if len(authors) > 1:  # Pelican names only the first; feedgenerator takes one name
            entry["author_name"] = ", ".join(authors)
        if not entry["unique_id"].startswith(("http://", "https://")):
            # RSS 2.0 reads a <guid> as a link unless told otherwise.
            entry["unique_id_is_permalink"] = False
        image = lead_file(item, base)
        if image:
            entry["enclosures"] = [Enclosure(image.url, str(image.length), image.mime)]


class ReusingSiteWriter(PageReuseMixin, SiteWriter):
    """The writer with the speed kit on."""


def writer_class(pelican_object):
    return ReusingSiteWriter if speed_kit.enabled(pelican_object.settings) else SiteWriter


def register():
    signals.get_writer.connect(writer_class)
