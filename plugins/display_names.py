"""Display names for categories, apart from their slugs: ``{{ category|display_name }}`` on pages,
``feed_name`` for a category feed's title. Why: a category's name makes its slug, page and feed,
which must not move when only its printed name changes; ``CATEGORY_DISPLAY_NAMES`` maps slugs to
names, and Pelican has no such setting."""

from pelican import signals

CATEGORY_FEEDS = ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS")


def display_name(term, names: dict) -> str:
    """The name readers see for a category (or any term with a slug)."""
    return names.get(term.slug, term.name)


def feed_name(path: str, name: str, settings: dict) -> str:
    """The name a feed written at ``path`` for ``name`` is titled with: a category's display name
    for its feed (Pelican passes the category's name only), else ``name``."""
    names = settings.get("CATEGORY_DISPLAY_NAMES", {})
    for slug, shown in names.items():
        if path in {str(settings.get(key) or "").format(slug=slug) for key in CATEGORY_FEEDS}:
            return shown
    return name


def add_filter(generator):
    names = generator.settings.get("CATEGORY_DISPLAY_NAMES", {})
    generator.env.filters["display_name"] = lambda term: display_name(term, names)


def register():
    signals.generator_init.connect(add_filter)
