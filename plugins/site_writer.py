"""The site's writer: Pelican's, with feeds that keep titles and summaries as written, and,
with the speed kit on, reuse of unchanged pages (speed_kit/page_reuse.py). Pelican strips
anything tag-like from feed titles, so each feed is given its own title and its posts escaped,
and each entry is completed on Pelican's ``feed_generated`` signal; one module: one writer."""

from feedgenerator import Atom1Feed, Enclosure
from markupsafe import escape
from pelican import signals
from pelican.writers import Writer

from . import speed_kit
from .content_model import language_apart
from .display_names import feed_name
from .feed_entry import NO_POST_YET, entry_content, entry_language, lead_file, names
from .speed_kit.page_reuse import PageReuseMixin


class _FeedItem:
    """A content object as the feed writer should see it."""

    def __init__(self, item, writer):
        self._item = item
        self._writer = writer

    def __getattr__(self, name):
        return getattr(self._item, name)

    @property
    def base(self):  # set by Writer.write_feed before it adds an entry
        return self._writer.feed_domain or self._writer.site_url

    @property
    def title(self):
        return str(escape(self._item.title))

    @property
    def summary(self):
        return str(escape(self._item.summary))

    def get_content(self, siteurl):
        return entry_content(self._item, self.base, siteurl)


def complete(entry: dict, item: _FeedItem, site_lang: str) -> None:
    """What Pelican's entry for ``item`` leaves out."""
    entry["language"] = language_apart(item, site_lang)  # a translation's: an Atom entry says so
    entry["categories"] = names(item)  # Pelican lists only the first category
    authors = [str(author) for author in getattr(item, "authors", [])]
    if len(authors) > 1:  # Pelican names only the first; feedgenerator takes one name
        entry["author_name"] = ", ".join(authors)
    if not entry["unique_id"].startswith(("http://", "https://")):
        # RSS 2.0 reads a <guid> as a link unless told otherwise.
        entry["unique_id_is_permalink"] = False
    image = lead_file(item, item.base)
    if image:
        entry["enclosures"] = [Enclosure(image.url, str(image.length), image.mime)]


class SiteWriter(Writer):
    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        items = [_FeedItem(item, self) for item in elements]

        def complete_entries(_context, feed):  # Pelican adds one entry per item, in order
            site_lang = self.settings["DEFAULT_LANG"]
            feed.feed["language"] = site_lang  # Atom's xml:lang, RSS's <language>
            if isinstance(feed, Atom1Feed):  # feedgenerator's hook for an entry's attributes
                feed.item_attributes = entry_language
            for entry, item in zip(feed.items, items, strict=False):
                complete(entry, item, site_lang)
            if not feed.items:
                feed.latest_post_date = lambda: NO_POST_YET

        # A tag's name, escaped, comes back from the title's striptags() as written ("C<sharp>").
        title = feed_title and str(escape(feed_name(path, feed_title, self.settings)))
        with signals.feed_generated.connected_to(complete_entries):
            return super().write_feed(items, context, path, url, feed_type, override_output, title)


class ReusingSiteWriter(PageReuseMixin, SiteWriter):
    """The writer with the speed kit on."""


def writer_class(pelican_object):
    return ReusingSiteWriter if speed_kit.enabled(pelican_object.settings) else SiteWriter


def register():
    signals.get_writer.connect(writer_class)
