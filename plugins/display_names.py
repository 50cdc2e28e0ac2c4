"""Display names for categories, apart from their slugs: ``{{ category|display_name }}``.

Why: a category's name makes its slug, page and feed, which must not move when only its
printed name changes. ``CATEGORY_DISPLAY_NAMES`` maps slugs to names; Pelican has no setting.
"""

from pelican import signals


def display_name(term, names: dict) -> str:
    """The name readers see for a category (or any term with a slug)."""
    return names.get(term.slug, term.name)


def add_filter(generator):
    names = generator.settings.get("CATEGORY_DISPLAY_NAMES", {})
    generator.env.filters["display_name"] = lambda term: display_name(term, names)


def register():
    signals.generator_init.connect(add_filter)
