"""The sitemap as it should be: byte-identical for the same content, and read by search engines.

Why a local plugin: pelican-sitemap stamps listings with the build's time (here, the newest
post's date) and writes a translation's alternate link as ``ref=`` for ``href=`` (its
one-line template is corrected here)."""

from pelican import signals
from pelican.plugins.sitemap import sitemap

# pelican-sitemap has no setting for either, so its module globals are set; checked against
# this version, and tests/test_plugins_speed_kit.py fails when it changes.
SITEMAP_CHECKED = "1.2.2"
SITEMAP_INTERNALS = {
    "pelican.plugins.sitemap.sitemap.generator.now": "datetime",
    "pelican.plugins.sitemap.sitemap.XML_TRANSLATION": "str",
}


def newest_date(articles):
    dates = [getattr(a, "modified", None) or a.date for a in articles]
    return max(dates) if dates else None


def stamp_sitemap_with_newest_post(generator, writer=None):
    # Once the posts are written: their ``modified`` counts corrections by then (corrections.py).
    newest = newest_date(generator.articles)
    if newest is not None:
        sitemap.generator.now = newest


def register():
    sitemap.XML_TRANSLATION = sitemap.XML_TRANSLATION.replace(' ref="', ' href="')
    signals.article_writer_finalized.connect(stamp_sitemap_with_newest_post)
