"""The tag, category and author pages a build writes, as ``term_pages`` (by kind, their slugs),
so that a post links only those. Why a local plugin: Pelican makes them from the published
posts in the site's language alone, so a hidden post's, a draft's or a translation's own tag
has no page, and Pelican's templates link it all the same."""

from pelican import signals

from .content_model import article_generator


def pages_of(generator) -> dict[str, set[str]]:
    """The article generator's term pages, by kind: their slugs."""
    return {
        "tag": {tag.slug for tag in generator.tags},
        "category": {category.slug for category, _ in generator.categories},
        "author": {author.slug for author, _ in generator.authors},
    }


def collect(generators):
    generator = article_generator(generators)  # its terms as multi_category.py files them
    generator.context["term_pages"] = pages_of(generator)


def register():
    signals.all_generators_finalized.connect(collect)
