"""The live preview's early page: after a body edit of one post, its page rendered from the
last build's content model, for the preview to show while the whole site is built. Only a
body edit the build would accept qualifies; anything else waits for the build. Nothing is
written to output/ (docs/reliability.md)."""

import contextlib
import copy
import importlib
import logging
import tempfile
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.writers import Writer

from plugins.content_model import declared_fields

from ..checks.lint import check_file

# A body edit changes the summary of a post without a Summary field (plugins/plain_summary.py);
# any other change of front matter, or of the pictures a body shows (made by the whole
# build), waits for the build.
BODY_METADATA, MADE_BY_THE_BUILD = {"summary"}, {"body_images"}
# The lists whose posts have a page of their own, and the template arguments each page is
# rendered with, as Pelican's generators have them (tests/test_plugins_speed_kit.py).
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.generators.ArticlesGenerator.generate_articles": "(self, write)",
    "pelican.generators.ArticlesGenerator.generate_drafts": "(self, write)",
    "pelican.generators.PagesGenerator.generate_output": "(self, writer)",
}
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages")


class LastModel:
    """The content model of the last build that succeeded: Pelican's generators, its
    settings and its writer class."""

    generators = settings = writer_class = None

    @contextlib.contextmanager
    def catching(self, caught: dict):
        """Let the last model go (memory for one, not two), record into ``caught`` what the
        Pelican run inside the block did, and keep its model if the block succeeds."""
        self.generators = self.settings = self.writer_class = None
        with (
            signals.initialized.connected_to(lambda pelican: caught.update(initialized=pelican)),
            signals.all_generators_finalized.connected_to(lambda found: caught.update(generators=found)),
            signals.finalized.connected_to(lambda pelican: caught.update(pelican=pelican)),
        ):
            yield caught
        if "generators" in caught and "pelican" in caught:
            offered = [cls for _, cls in signals.get_writer.send(caught["pelican"]) if isinstance(cls, type)]
            self.generators, self.settings = caught["generators"], caught["pelican"].settings
            self.writer_class = offered[0] if offered else Writer


def find_post(generators, source: Path):
    """(generator, post, is_article) for the post read from ``source``, or None."""
    for generator in generators:
        is_article = hasattr(generator, "articles")
        for name in ARTICLE_LISTS if is_article else PAGE_LISTS:
            for post in getattr(generator, name, []):
                if Path(post.source_path) == source:
                    return generator, post, is_article
    return None


class Noticing(logging.Handler):
    """Whether anything logged a warning or an error: then the whole build says what is wrong."""

    seen = False

    def emit(self, record):
        self.seen = True


def only_the_body_changed(old, new, fields) -> bool:
    """Whether every front-matter field (``fields``: declared_fields) is as before; what
    plugins computed into the metadata after reading (series, profiles) is not compared."""
    keys = ((set(old.metadata) | set(new.metadata)) & (set(fields) | MADE_BY_THE_BUILD)) - BODY_METADATA
    # A post's status and address also follow from the clock (a scheduled post becomes
    # published once its date has passed), not from its metadata alone.
    return (
        type(old) is type(new)
        and all(old.metadata.get(key) == new.metadata.get(key) for key in keys)
        and (old.status, old.save_as, old.url) == (new.status, new.save_as, new.url)
    )


def edited_post(old, new, settings):
    """The previous build's post with the new body: everything a generator added after
    reading (related posts, translations, frozen URLs) is kept, the aids read from the
    body are made again."""
    post = copy.copy(old)  # a copy of old's attributes, then new's over them
    post.__dict__.update(new.__dict__)
    if hasattr(old, "reading_minutes"):  # translations have none
        importlib.import_module("plugins.reading_aids").add_post_aids(post, settings)
    return post


def render(model: LastModel, generator, post, is_article: bool) -> str:
    settings = {**model.settings, "REUSE_UNCHANGED_PAGES": False}  # render it; never link a file
    arguments = {"override_output": hasattr(post, "override_save_as"), "url": post.url}
    if is_article:
        arguments.update(article=post, category=getattr(post, "category", None), blog=True)
        if post.status == "draft":
            arguments["all_articles"] = generator.articles
    else:
        arguments["page"] = post
    with tempfile.TemporaryDirectory(prefix="early-page-") as folder:
        writer = model.writer_class(folder, settings=settings)
        template = generator.get_template(post.template)
        writer.write_file(
            post.save_as, template, generator.context, relative_urls=settings["RELATIVE_URLS"], **arguments
        )
        return (Path(folder) / post.save_as).read_text(encoding="utf-8")


def early_page(model: LastModel, changed: list[str]) -> dict | None:
    """``{"save_as": ..., "html": ...}`` for a body edit of one post, else None."""
    if model.generators is None or len(changed) != 1 or not changed[0].endswith(".md"):
        return None
    found = find_post(model.generators, Path(changed[0]).resolve())
    if found is None:
        return None
    (generator, old, is_article), settings = found, model.settings
    path, problems = Path(old.source_path), Noticing(logging.WARNING)
    logging.getLogger().addHandler(problems)
    try:  # checked first as the build's lint step checks it, then read as the build reads it
        if check_file(path, path.relative_to(settings["PATH"]).as_posix(), settings):
            return None
        relative = path.relative_to(generator.path).as_posix()
        new = generator.readers.read_file(
            generator.path, relative, content_class=type(old), context=generator.context
        )
        if problems.seen or not isinstance(new, (Article, Page)):
            return None
        if not only_the_body_changed(old, new, declared_fields(settings)):
            return None
        post = edited_post(old, new, settings)
        if importlib.import_module("plugins.content_checks").check_post(post, generator.context, settings):
            return None
        html = render(model, generator, post, is_article)
        return None if problems.seen else {"save_as": post.save_as, "html": html}
    finally:
        logging.getLogger().removeHandler(problems)
