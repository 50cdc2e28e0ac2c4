"""Compute each post's, page's and term's ``url`` and ``save_as`` once per build.

Why: Pelican recomputes both from the settings on every read, and templates read them often.
The ``url`` and ``save_as`` properties of ``Content`` and ``URLWrapper`` are wrapped (no signal
can replace a property); an object with no frozen values gets Pelican's own property."""

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from ..content_model import CONTENT_LISTS, TRANSLATIONS, every_content
from . import enabled

# Checked against this Pelican; tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.contents.Content.url": "(self) -> str",
    "pelican.contents.Content.save_as": "(self) -> str",
    "pelican.urlwrappers.URLWrapper.url": "(self, *, key='URL', get_page_name=False)",
    "pelican.urlwrappers.URLWrapper.save_as": "(self, *, key='SAVE_AS', get_page_name=False)",
}

FROZEN = "_frozen_urls"
NAMES = ("url", "save_as")


def _remembering(name, original):
    def getter(self):
        frozen = self.__dict__.get(FROZEN)
        if frozen is not None:
            return frozen[name]
        return original.fget(self)

    getter.__doc__ = original.__doc__
    getter.__wrapped__ = original.fget  # what inspect (and tests/test_plugins_speed_kit.py) look at
    return property(getter)


def install():
    """Wrap Pelican's properties once; objects without frozen values behave as before."""
    for cls in (Content, URLWrapper):
        for name in NAMES:
            current = cls.__dict__[name]
            if not getattr(current.fget, "_remembers", False):
                wrapped = _remembering(name, current)
                wrapped.fget._remembers = True
                setattr(cls, name, wrapped)


def freeze(obj):
    obj.__dict__[FROZEN] = None
    obj.__dict__[FROZEN] = {name: getattr(obj, name) for name in NAMES}


def freeze_term(term, known):
    """Tags, categories and authors: every post holds its own objects, but a term's URL
    depends only on its kind, name and slug, so each is computed once, not once per post
    carrying it."""
    key = (type(term), term.name, term.slug)
    if key not in known:
        freeze(term)
        known[key] = term.__dict__[FROZEN]
    term.__dict__[FROZEN] = known[key]


def terms_of(content):
    yield from getattr(content, "tags", None) or []
    yield from getattr(content, "categories", [])
    yield from getattr(content, "authors", [])
    yield from filter(None, [getattr(content, "category", None), getattr(content, "author", None)])


def freeze_everything(generators):
    if not generators or not enabled(generators[0].settings):
        return
    install()
    known = {}
    for content in every_content(generators, CONTENT_LISTS + TRANSLATIONS):
        if isinstance(content, Content) and type(content).url is Content.url:
            freeze(content)
        for term in terms_of(content):
            freeze_term(term, known)
    for generator in generators:
        for term in getattr(generator, "tags", {}) or {}:
            freeze_term(term, known)
        for attribute in ("categories", "authors"):
            for term, _ in getattr(generator, attribute, []) or []:
                freeze_term(term, known)


def register():
    signals.all_generators_finalized.connect(freeze_everything)
