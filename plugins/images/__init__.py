"""Images: responsive ``<picture>``s for Markdown images and the ``Image:`` field, share cards,
and originals refused when they carry metadata (body.py, lead.py, cards.py, originals.py).

Why Pillow directly, not pelican-image-process: that plugin needs a class on each image,
keeps no cache, sets no ``width``/``height`` or ``loading``, and is not on our index."""

import copy
import datetime
import logging
import posixpath
import unicodedata
from pathlib import Path

from sitebuild import build_of

from ..content_model import case_advice, rendered_body, replace_body
from .body import rewrite
from .card_files import Cards
from .lead import ShareImage, card_image, lead_image, undrawable_letters
from .originals import publish_originals
from .picture_cache import tidy, used
from .responsive import publish
from .variants import ImageProblem, open_source

# Pelican is imported in the functions that use it: card_worker.py, a process of its own,
# imports this package to draw cards and needs none of Pelican, slower to import than Pillow.

log = logging.getLogger(__name__)
# The front matter read here (lead.py): the lead picture, its description for readers who
# cannot see it, and the caption and credit printed under it.
FIELDS = {"image": "text", "image_alt": "text", "image_caption": "text", "image_credit": "text"}


class Outputs(dict):
    """{path in the site: bytes} of the files a build makes. Given the output folder, each
    file is written there as soon as it is made and only its path is kept, so the render's
    memory does not grow with the number of cards (docs/performance.md). A path names its bytes
    (their digest, or a card's key), so a path made twice is written once."""

    def __init__(self, folder=None):
        super().__init__()
        self.folder = folder

    def __setitem__(self, path, data):
        if self.folder is None:
            super().__setitem__(path, data)
            return
        if path not in self:
            target = Path(self.folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        super().__setitem__(path, None)

    def note(self, path):
        """A file put in the output folder some other way (a card linked or drawn by a worker)."""
        super().__setitem__(path, None)


class Pictures:
    """The pictures and cards one build makes: the files to write (``Outputs``) and the cache."""

    def __init__(self, settings, output_folder=None):
        self.settings = settings
        self.outputs = Outputs(output_folder)
        self.cache = cache_folder(settings)
        used.clear()  # of the last build in this process (the live preview's)
        self.content_root = Path(settings["PATH"]).resolve()
        self.cards = Cards(settings, self.outputs, self.cache)

    def error(self, post: str, problem: str) -> None:
        log.error("%s: %s", post, problem)

    def picture(self, post: str, target: str, relative: str | None, alt: str):
        """The ResponsiveImage for ``relative`` (content-relative), or None after logging."""
        try:
            path = (self.content_root / relative).resolve() if relative else None
            if path is None or not path.is_relative_to(self.content_root):
                raise ImageProblem("is outside content/. Keep pictures under content/images/.")
            if not path.is_file():
                kind = "static" if target.startswith("{static}") else None  # the Image field's, else bare
                fix = case_advice(self.content_root, [relative], kind) or (
                    "Put the file under content/images/ and check the path."
                )
                raise ImageProblem(f"does not exist. {fix}")
            source = open_source(path, self.settings["IMAGE_MAX_PIXELS"])
            return publish(source, relative, alt, self.settings, self.cache, self.outputs)
        except ImageProblem as problem:
            self.error(post, f"the image {target} {problem}")
            return None


_pictures = None


def picture_for(source: str, target: str, alt: str):
    """The picture ``source`` (a file below content/) names as ``target``, made by the build
    under way as a post's are: for other plugins' files (authors.py's portraits)."""
    return _pictures.picture(source, target, target, alt) if _pictures is not None else None


def cache_folder(settings) -> Path | None:
    """The content-addressed cache of pictures and cards (sitebuild.Build.image_cache):
    every key covers all that makes an entry's bytes (variants.py, cards.py). None when
    Pelican runs alone."""
    return build_of(settings).image_cache


def start(pelican):
    global _pictures
    if _pictures is not None:  # the last build in this process stopped before its end
        _pictures.cards.abandon()
    # Run by hand, Pelican may be stopped before it writes anything (sitebuild_only.py):
    # then the files wait in memory for the end, as a small site's can.
    run_by_sitebuild = build_of(pelican.settings).by_sitebuild
    _pictures = Pictures(pelican.settings, pelican.output_path if run_by_sitebuild else None)


def share_site_card(generators):
    """``SHARE_IMAGE``, the card of pages that show no post or page (the home page, listings,
    tag, category and author pages): before any page is written, in the template context the
    generators share, not a setting."""
    settings = generators[0].settings
    generators[0].context["SHARE_IMAGE"] = card_image(settings["SITE_DESCRIPTION"], _pictures)


def written(content) -> bool:
    """Whether the build writes ``content``'s page: production writes no draft's (publishconf.py).
    A future-dated article is not a draft yet at content_object_init: Pelican makes it one
    next (Article.__init__), so it is judged as one here."""
    from pelican.contents import Article

    date = getattr(content, "date", None)
    now = date and datetime.datetime.now(datetime.UTC if date.tzinfo else None)
    if isinstance(content, Article) and date and date > now and not content.settings["WITH_FUTURE_DATES"]:
        content = copy.copy(content)
        content.status = "draft"
    # A published or hidden page is always written (lint refuses an empty Save_as); working out
    # a draft's address is left to the drafts.
    return content.status != "draft" or bool(content.save_as)


def process(content):
    from pelican.contents import Article, Page

    # A page that is not written publishes nothing: no picture, card or original of it.
    if not isinstance(content, (Article, Page)) or _pictures is None or not written(content):
        return
    post = content.relative_source_path
    here = posixpath.dirname(post)
    lead = lead_image(content, post, _pictures)
    body = rendered_body(content)
    if body is not None:
        made = []

        def picture(relative, alt, target):
            if relative is None or not (_pictures.content_root / relative).is_file():
                return None  # named with every link to no file, by content_checks.check_links
            image = _pictures.picture(post, target, relative, alt)
            made.append(image)
            return image

        replace_body(content, rewrite(body, here, picture, first_is_eager=lead is None))
        # Page reuse (speed_kit) keys pages on metadata: a new picture renders them again.
        content.metadata["body_images"] = tuple(image.src for image in made if image)
    share = ShareImage.of(lead) if lead else card_of(content, post)
    content.lead_image = content.metadata["lead_image"] = lead
    content.share_image = content.metadata["share_image"] = share


def card_of(content, post: str) -> ShareImage:
    """The post's own card, or the site's where the card's fonts lack letters of its title."""
    if missing := undrawable_letters(content.title):
        scripts = dict.fromkeys(
            unicodedata.name(letter, "?").split(" ")[0].capitalize() for letter in missing
        )
        log.warning(
            "%s: the share card's fonts have no %s letters, so links to it preview with the site's "
            "card; give it an Image: for a picture of its own",
            post,
            " or ".join(scripts),
        )
        return card_image(content.settings["SITE_DESCRIPTION"], _pictures)
    return card_image(content.title, _pictures)


def write(pelican):
    if _pictures is None:
        return
    _pictures.cards.collect()
    if _pictures.cache and _pictures.cache.is_dir():  # every entry the build uses is read or written by now
        tidy(_pictures.cache)
    for path, data in sorted(_pictures.outputs.items()):
        if data is None:  # written when it was made
            continue
        target = Path(pelican.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # The output folder is the build's no more (it is swapped in next); a post read again
    # after it (the live preview's early page, sitebuild/preview/early_page.py) keeps in memory
    # whatever file it makes.
    _pictures.outputs.folder = None


def register():
    from pelican import signals

    signals.initialized.connect(start)
    signals.content_object_init.connect(process)
    signals.all_generators_finalized.connect(share_site_card)
    signals.static_generator_finalized.connect(publish_originals)
    signals.finalized.connect(write)
