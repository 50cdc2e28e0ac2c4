"""Images: responsive pictures for Markdown images and the ``Image:`` field, and share cards.

What it does, for every post and page:

- each ``![alt]({static}/images/x.jpg)`` in the body becomes a ``<picture>``: AVIF
  variants at the widths ``IMAGE_WIDTHS`` (never wider than the source) with a fallback
  ``<img>`` in the source's own format, ``width``/``height`` so the page never shifts,
  ``sizes`` from ``IMAGE_SIZES``, ``decoding="async"``, and ``loading="lazy"`` on all
  but the first picture of the page (variants.py, responsive.py, body.py);
- ``Image: {static}/images/x.jpg`` with ``Image_alt:`` gives it ``lead_image`` (the same
  description, for templates: partials/lead_image.html) (lead.py);
- ``share_image`` is what link previews show (og:image): the lead image's 1200-px copy,
  or a 1200×630 card with the title drawn at build time (cards.py, card_files.py).
  ``SHARE_IMAGE`` in the templates' context is the site's own card, for listings;
- a file published as it is (``extra/``, a ``{static}`` link) that carries EXIF, GPS, XMP
  or other metadata is refused by name (originals.py).

Every picture is named by a digest of its bytes, every card by its key (so a page can
name a card a worker of the build has yet to draw: card_files.py). Every build,
development or production, caches them by a key that covers everything that makes their
bytes (variants.py, cards.py), so a build encodes only new pictures and draws only new
cards (about 2 ms a card, in worker processes beside Pelican). A source that is
missing, not a JPEG or PNG (a multi-picture JPEG is published from its first picture),
damaged, too big (``IMAGE_MAX_PIXELS``) or too long a side for AVIF and JPEG is logged
as an error naming the post and the file; the build collects these and fails
(sitebuild/errors.py).

Why Pillow directly rather than pelican-image-process: that plugin, as documented,
processes only images an author marks with a class, names derived files after the
transformation rather than their content, keeps no cache across builds and does not set
``width``/``height`` or ``loading``; it is not on the package index this project installs
from either. Its job here is some 300 lines over Pillow, which the share cards need anyway.
"""

import logging
import posixpath
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page

from content_model import rendered_body

from .body import rewrite
from .card_files import Cards
from .lead import ShareImage, card_image, lead_image
from .originals import refuse_revealing_originals
from .responsive import publish
from .variants import ImageProblem, open_source

log = logging.getLogger(__name__)
# The front matter read here (lead.py): the lead picture and its description.
FIELDS = {"image": "text", "image_alt": "text"}


class Outputs(dict):
    """{path in the site: bytes} of the files a build makes. Given the output folder, each
    file is written there as soon as it is made and only its path is kept: holding 5,000
    cards' bytes until Pelican finished put the render at 300 MiB. A path names its bytes
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


class Build:
    """What one build made: the files to write (``Outputs``) and the cache."""

    def __init__(self, settings, output_folder=None):
        self.settings = settings
        self.outputs = Outputs(output_folder)
        self.cache = cache_folder(settings)
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
                raise ImageProblem("does not exist. Put the file under content/images/ and check the path.")
            source = open_source(path, self.settings["IMAGE_MAX_PIXELS"])
            return publish(source, relative, alt, self.settings, self.cache, self.outputs)
        except ImageProblem as problem:
            self.error(post, f"the image {target} {problem}")
            return None


_build = None


def cache_folder(settings) -> Path | None:
    """The content-addressed cache of pictures and cards (``IMAGE_CACHE_PATH``, set by
    sitebuild/build.py), shared by development and production builds: every key covers
    all that makes an entry's bytes (variants.py, cards.py). None when Pelican runs alone."""
    path = settings.get("IMAGE_CACHE_PATH")
    return Path(path) if path else None


def start(pelican):
    global _build
    # Run by hand, Pelican may be stopped before it writes anything (sitebuild_only.py):
    # then the files wait in memory for the end, as a small site's can.
    run_by_sitebuild = pelican.settings.get("BUILD_FINGERPRINT")
    _build = Build(pelican.settings, pelican.output_path if run_by_sitebuild else None)
    pelican.settings["SHARE_IMAGE"] = card_image(pelican.settings["SITE_DESCRIPTION"], _build)


def process(content):
    if not isinstance(content, (Article, Page)) or _build is None:
        return
    post = content.relative_source_path
    here = posixpath.dirname(post)
    lead = lead_image(content, post, _build)
    body = rendered_body(content)
    if body is not None:
        made = []

        def picture(relative, alt, target):
            image = _build.picture(post, target, relative, alt)
            made.append(image)
            return image

        content._content = rewrite(body, here, picture, first_is_eager=lead is None)
        # Page reuse (speed_kit) keys pages on metadata: a new picture renders them again.
        content.metadata["body_images"] = tuple(image.src for image in made if image)
    share = ShareImage.of(lead) if lead else card_image(content.title, _build)
    content.lead_image = content.metadata["lead_image"] = lead
    content.share_image = content.metadata["share_image"] = share


def write(pelican):
    if _build is None:
        return
    for path, data in sorted(_build.outputs.items()):
        if data is None:  # written when it was made
            continue
        target = Path(pelican.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # The output folder is the build's no more (it is swapped in next); a post read again
    # after it (the live preview's early page, sitebuild/early_page.py) keeps in memory
    # whatever file it makes.
    _build.outputs.folder = None


def register():
    signals.initialized.connect(start)
    signals.content_object_init.connect(process)
    signals.static_generator_finalized.connect(refuse_revealing_originals)
    signals.finalized.connect(write)
