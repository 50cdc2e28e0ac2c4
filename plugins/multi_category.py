"""Several categories per post: ``Category: linux, xen, operating system``.

Why a local plugin: Pelican keeps one category per article, and pelican-more-categories
imports ``six`` and breaks on Python 3. The first stays ``article.category``; every one
lists the post and carries it in its feed."""

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
