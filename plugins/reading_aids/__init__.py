"""Reading aids: ``reading_minutes``, ``toc`` and ``related`` on each post.

One plugin because all three are read from the finished content model at the same moment;
each module (reading_time.py, toc.py, related.py) says why no maintained plugin does its job.
Drafts, hidden posts and translations get them too, so a preview shows what publishing will."""

from pelican import signals

from ..content_model import CONTENT_LISTS, EVERY_TRANSLATION, every_content
from .reading_time import reading_minutes
from .related import add_related
from .toc import table_of_contents


def add_post_aids(content, settings) -> None:
    """The aids read from the post's own body (the preview's early page needs just these:
    sitebuild/preview/early_page.py)."""
    content.reading_minutes = reading_minutes(content, settings)
    content.toc = table_of_contents(content, settings)


def add_per_post_aids(generator):
    # Translations too: Pelican keeps them out of the lists of posts, not out of readers' sight.
    for content in every_content([generator], CONTENT_LISTS + EVERY_TRANSLATION):
        add_post_aids(content, generator.settings)


def add_reading_aids(generator):
    add_per_post_aids(generator)
    add_related(generator)


def register():
    signals.article_generator_finalized.connect(add_reading_aids)
    signals.page_generator_finalized.connect(add_per_post_aids)
