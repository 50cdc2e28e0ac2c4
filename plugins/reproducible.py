"""Keep builds byte-identical for the same content.

Why a local plugin: pelican-sitemap stamps pages that are not articles (home, archives)
with the time of the build, so two builds of the same content differ. The honest
``lastmod`` of those listings is the newest post's date, which this sets instead.
"""

from pelican import signals


def newest_date(articles):
    dates = [getattr(a, "modified", None) or a.date for a in articles]
    return max(dates) if dates else None


def stamp_sitemap_with_newest_post(generator):
    from pelican.plugins.sitemap import sitemap

    newest = newest_date(generator.articles)
    if newest is not None:
        sitemap.generator.now = newest


def register():
    signals.article_generator_finalized.connect(stamp_sitemap_with_newest_post)
