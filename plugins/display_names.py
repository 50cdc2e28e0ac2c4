"""Display names for categories, apart from their slugs: ``{{ category|display_name }}``.

Why: a category's name in front matter makes its slug, and so its page and its feed,
which must not move when the site changes how it prints the name ("xen" shown as
"Xen"). ``CATEGORY_DISPLAY_NAMES`` (pelicanconf.py) maps slugs to the names readers
see, in one place; a category it does not name shows its name as written. Pelican
has no setting for this and no maintained plugin adds one.
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
