"""The live preview's early page: after a body edit of one post that the build would accept, its
page rendered from the last build's content model, shown while the whole site is built (never in output/)."""

import contextlib
import copy
import importlib
import logging
import tempfile
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from plugins.content_model import CONTENT_LISTS, EVERY_TRANSLATION, declared_fields, every_content

from ..build.errors import ErrorCollector
from ..checks.lint import Lint

POST_LISTS = CONTENT_LISTS + EVERY_TRANSLATION


@contextlib.contextmanager
def catching(caught: dict):
    """Record into ``caught`` what the Pelican run inside the block did: its model, once done."""
    with (
        signals.initialized.connected_to(lambda pelican: caught.update(initialized=pelican)),
        signals.all_generators_finalized.connected_to(lambda found: caught.update(generators=found)),
        signals.finalized.connected_to(lambda pelican: caught.update(pelican=pelican)),
    ):
        yield caught


def render(pelican, generator, old, post) -> str:
    """The page of ``post`` (``old`` with a new body), written by ``generator`` as it writes ``old``'s."""
    settings = {**pelican.settings, "REUSE_UNCHANGED_PAGES": False}  # render it; never link a file
    writer_type = next((c for _, c in signals.get_writer.send(pelican) if isinstance(c, type)), Writer)
    with tempfile.TemporaryDirectory(prefix="early-page-") as folder:
        writer = writer_type(folder, settings=settings)
        write_any = writer.write_file

        def write_the_post(name, template, context, relative_urls=settings["RELATIVE_URLS"], **options):
            for key in ("article", "page"):
                if options.get(key) is old:
                    write_any(name, template, context, relative_urls=relative_urls, **{**options, key: post})

        writer.write_file = write_the_post
        if isinstance(generator, ArticlesGenerator):  # as its generate_output writes posts
            for generate in (generator.generate_articles, generator.generate_drafts):
                generate(write_the_post)
        else:
            generator.generate_output(writer)
        return (Path(folder) / post.save_as).read_text(encoding="utf-8")


def early_page(model: dict, changed: list[str]) -> dict | None:
    """``{"save_as": ..., "html": ...}`` for a body edit of one post, else None; ``model``: what
    catching() recorded of the last build that succeeded."""
    if "pelican" not in model or len(changed) != 1 or not changed[0].endswith(".md"):
        return None
    source, settings = Path(changed[0]).resolve(), model["pelican"].settings
    posts = ((g, p) for g in model["generators"] for p in every_content([g], POST_LISTS))
    generator, old = next(((g, p) for g, p in posts if Path(p.source_path) == source), (None, None))
    if old is None:
        return None
    problems = ErrorCollector()  # an error it logs, the build reports; a warning stops neither
    logging.getLogger().addHandler(problems)
    try:  # checked first as the build's lint step checks it, then read as the build reads it
        if Lint(settings).check_file(source, source.relative_to(settings["PATH"]).as_posix()):
            return None
        relative, context = source.relative_to(generator.path).as_posix(), generator.context
        new = generator.readers.read_file(generator.path, relative, content_class=type(old), context=context)
        if problems.records or type(new) is not type(old):  # not one that the build would skip
            return None
        # A body edit changes the summary of a post without one (plugins/plain_summary.py); any other change
        # of front matter (not what plugins compute from it) or of a body's pictures waits for the build.
        fields = sorted((set(declared_fields(settings)) | {"body_images"}) - {"summary"})
        # A post's status and address also follow from the clock (a scheduled post's date passes).
        as_read = [(*map(p.metadata.get, fields), p.status, p.save_as, p.url) for p in (old, new)]
        if as_read[0] != as_read[1]:
            return None
        post = copy.copy(old)  # the last build's post (related posts, translations, frozen URLs)...
        post.__dict__.update(vars(new), translations=old.translations)  # ... with the new body and its aids
        for name in ("tags", "categories", "authors"):  # as the build spelt them (content_checks.py)
            for term, spelt in zip(vars(new).get(name) or [], vars(old).get(name) or [], strict=False):
                term.name = spelt.name
        importlib.import_module("plugins.reading_aids").add_post_aids(post, settings)
        checked = importlib.import_module("plugins.content_checks").check_post(post, context, settings)
        if checked or importlib.import_module("plugins.corrections").read_corrections(post)[1]:
            return None
        html = render(model["pelican"], generator, old, post)
        return None if problems.records else {"save_as": post.save_as, "html": html}
    finally:
        logging.getLogger().removeHandler(problems)
