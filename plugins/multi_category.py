"""Several categories per post: ``Category: linux, xen, operating system``.

Why a local plugin: Pelican core keeps one ``Category`` per article, and the only
published plugin for this, pelican-more-categories 0.1.0, is unmaintained and imports
``six``, so it breaks every build on a clean Python 3 environment.

The first category listed stays ``article.category`` (Pelican's URLs, feeds and
templates keep working); ``article.categories`` holds them all, and the generator's
category index is rebuilt so the post is listed on, and in the feed of, every one.
"""

from collections import defaultdict

from pelican import signals
from pelican.urlwrappers import Category


def split_categories(content):
    """Give every content object a ``categories`` list built from its Category field."""
    category = getattr(content, "category", None)
    if category is None:
        content.categories = []
        return
    names = [name.strip() for name in category.name.split(",") if name.strip()]
    content.categories = [Category(name, content.settings) for name in names]
    if content.categories:
        content.category = content.categories[0]


def index_every_category(generator):
    """Rebuild ``generator.categories`` so each article appears under all its categories."""
    by_category = defaultdict(list)
    for article in generator.articles:
        for category in getattr(article, "categories", []):
            by_category[category].append(article)
    categories = sorted(by_category.items(), reverse=generator.settings["REVERSE_CATEGORY_ORDER"])
    generator.categories = categories
    generator.context["categories"] = categories


def register():
    signals.content_object_init.connect(split_categories)
    signals.article_generator_finalized.connect(index_every_category)
