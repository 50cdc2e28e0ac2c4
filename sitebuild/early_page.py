"""The live preview's early page: a saved post's own page, rendered before the rest of the site.

At 5,000 posts a rebuild takes seconds, however little changed: Pelican reads every
post again (from its cache) and decides for every page whether to render it. The
author looks at one page. So, as Hugo's server renders the pages being viewed first
("fast render"), the warm build process (warm_build.py) renders the saved post's page
from the content model of the build before, with only that post read again, and the
preview server shows it while the whole site is built. When the build is done the
preview serves output/ again and compares: if the built page is not byte for byte the
early one, the browser reloads once more (preview.py). Nothing of the early page is
written to output/ or beside it: a file a plugin makes while the post is read again
(a share card for a new title) stays in memory (plugins/images), or goes to the image
cache, whose entries are named by everything that makes their bytes.

Only a body edit of one post that the last build rendered qualifies (its Summary field
too, which only listings show besides it). Any other change (other front matter, a
status or address the clock changed, a new or removed post, a picture added to the
body, a template, the code, several files at once) waits for the whole build, since it
can change what other posts and the page's own surroundings show; so does an edit the
build would refuse: the post's file is checked as the build's lint step checks it, and
its body as plugins/content_checks.py does, before the page is rendered.
"""

import contextlib
import copy
import importlib
import logging
import tempfile
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.writers import Writer

from .lint import check_file

# Metadata a body edit changes: the summary of a post without a Summary field is its
# first paragraph (plugins/plain_summary.py). Any other difference, ``body_images``
# among them (a picture's files are made by the whole build only), waits for the build.
BODY_METADATA = {"summary"}
# The generators' lists whose posts have a page of their own, and the template
# argument each page is rendered with (pelican/generators.py, generate_articles,
# generate_drafts and PagesGenerator.generate_output).
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages")


class LastModel:
    """The content model of the last build that succeeded: Pelican's generators, its
    settings and its writer class. ``catching()`` around a build records it."""

    def __init__(self):
        self.generators = None
        self.settings = None
        self.writer_class = None

    def forget(self) -> None:
        """Let the model go, before the next build makes another (memory for one, not two)."""
        self.generators = self.settings = self.writer_class = None

    @contextlib.contextmanager
    def catching(self):
        """Record the model of the Pelican run inside the block, if it finishes; ``keep()``
        after the build has succeeded as a whole."""
        self.forget()
        caught = {}

        def generators_done(generators):
            caught["generators"] = generators

        def finished(pelican):
            caught["pelican"] = pelican

        with (
            signals.all_generators_finalized.connected_to(generators_done),
            signals.finalized.connected_to(finished),
        ):
            yield caught

    def keep(self, caught: dict) -> None:
        if "generators" not in caught or "pelican" not in caught:
            return
        pelican = caught["pelican"]
        offered = [cls for _, cls in signals.get_writer.send(pelican) if isinstance(cls, type)]
        self.generators = caught["generators"]
        self.settings = pelican.settings
        self.writer_class = offered[0] if offered else Writer


def find_post(generators, source: Path):
    """(generator, post, is_article) for the post read from ``source``, or None."""
    for generator in generators:
        lists = ARTICLE_LISTS if hasattr(generator, "articles") else PAGE_LISTS
        for name in lists:
            for post in getattr(generator, name, []):
                if Path(post.source_path) == source:
                    return generator, post, hasattr(generator, "articles")
    return None


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record):
        self.seen = True


@contextlib.contextmanager
def noticing_problems():
    """Whether anything logged a warning or an error inside the block: then the whole
    build, not the early page, says what is wrong."""
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def read_again(generator, post):
    """The post read from its source now, through the same readers and plugins."""
    relative = Path(post.source_path).relative_to(generator.path).as_posix()
    return generator.readers.read_file(
        base_path=generator.path, path=relative, content_class=type(post), context=generator.context
    )


def only_the_body_changed(old, new) -> bool:
    keys = (set(old.metadata) | set(new.metadata)) - BODY_METADATA
    # A post's status and address also follow from the clock (a scheduled post becomes
    # published once its date has passed), not from its metadata alone.
    return (
        type(old) is type(new)
        and all(old.metadata.get(key) == new.metadata.get(key) for key in keys)
        and (old.status, old.save_as, old.url) == (new.status, new.save_as, new.url)
    )


def lint_problems(post, settings) -> list[str]:
    """What the build's first step (lint.py) would refuse in the post's file."""
    path = Path(post.source_path)
    return check_file(path, path.relative_to(settings["PATH"]).as_posix(), settings)


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
    with tempfile.TemporaryDirectory(prefix="early-page-") as folder:
        writer = model.writer_class(folder, settings=settings)
        arguments = {
            "override_output": hasattr(post, "override_save_as"),
            "url": post.url,
            "relative_urls": settings["RELATIVE_URLS"],
        }
        if is_article:
            arguments.update(article=post, category=getattr(post, "category", None), blog=True)
            if post.status == "draft":
                arguments["all_articles"] = generator.articles
        else:
            arguments["page"] = post
        writer.write_file(post.save_as, generator.get_template(post.template), generator.context, **arguments)
        return (Path(folder) / post.save_as).read_text(encoding="utf-8")


def early_page(model: LastModel, changed: list[str]) -> dict | None:
    """``{"save_as": ..., "html": ...}`` for a body edit of one post, else None."""
    if model.generators is None or len(changed) != 1 or not changed[0].endswith(".md"):
        return None
    found = find_post(model.generators, Path(changed[0]).resolve())
    if found is None:
        return None
    generator, old, is_article = found
    settings = model.settings
    with noticing_problems() as problems:
        if lint_problems(old, settings):
            return None
        new = read_again(generator, old)
        if not isinstance(new, (Article, Page)) or problems.seen or not only_the_body_changed(old, new):
            return None
        post = edited_post(old, new, settings)
        if importlib.import_module("plugins.content_checks").check_post(post, generator.context, settings):
            return None
        html = render(model, generator, post, is_article)
        if problems.seen:
            return None
    return {"save_as": post.save_as, "html": html}
