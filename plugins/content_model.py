"""What the plugins mean by "all the content" and by "the text of some HTML".

Not a plugin (it registers nothing): the definitions the plugins share, so that the
checks, the reading aids and the speed kit never disagree about which posts exist.
"""

import importlib
import re
from pathlib import Path

# The reader's HTML is kept only in Pelican's private ``Content._content``; checked against
# this Pelican, and tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {"pelican.contents.Content()._content": "str"}

# Every list of posts and pages Pelican's generators keep, under the same names in the
# template context: published, draft and hidden articles; published, hidden and draft pages.
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
# Translations of published posts and pages (generators only: the context has none).
TRANSLATIONS = ("translations",)
# Translations of drafts: the article generator's name for them, then the page generator's.
DRAFT_TRANSLATIONS = ("drafts_translations", "draft_translations")
# Every translation a build reads, hidden and draft ones too.
EVERY_TRANSLATION = (*TRANSLATIONS, "hidden_translations", *DRAFT_TRANSLATIONS)
# An HTML tag, for text made from rendered HTML (summaries, word counts, headings).
TAG = re.compile(r"<[^>]+>")
# What feeds (XML 1.0) cannot carry, nor HTML: refused in posts (lint) and profiles (authors).
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def every_content(generators, lists=CONTENT_LISTS):
    """Each post and page the generators hold, list by list."""
    for generator in generators:
        for name in lists:
            yield from getattr(generator, name, [])


def article_generator(generators):
    """The generator of articles (and of the tags, categories and authors they are filed under)."""
    return next(g for g in generators if hasattr(g, "articles") and hasattr(g, "tags"))


def with_translations(posts) -> list:
    """``posts`` and their translations (every version has one original: content_checks.py)."""
    return [*posts, *(version for post in posts for version in post.translations)]


def language_apart(item, site_lang: str) -> str | None:
    """``item``'s language where it is not the site's (a translation's), else None."""
    lang = getattr(item, "lang", site_lang)
    return lang if lang != site_lang else None


def scheduled(content) -> bool:
    """Held back by its future date, not by its author's ``Status: draft``."""
    return content.status == "draft" and content.metadata.get("status") != "draft"


def rendered_body(content) -> str:
    """The post's HTML as its reader made it.

    Pelican's public ``content`` resolves ``{filename}`` links against the whole site,
    which is not complete while generators run and which hides a link to a missing
    post; ``_content`` is the only place the reader's output is kept as it was. None
    for content that has no body.
    """
    return getattr(content, "_content", None)


def replace_body(content, html: str) -> None:
    """Give the post a new body, seen by Pelican's ``content`` and by later plugins."""
    content._content = html


# Front matter. Each plugin that reads a field declares it after its imports, as
# ``FIELDS = {"image": "text"}``, and each template as ``{# front matter: comments (text) #}``;
# sitebuild/checks/lint.py refuses any other field and checks each by its kind (field_values.KINDS).
# Pelican's own fields are declared here (the packaged plugin, pelican-neighbors, reads none).
PELICAN_FIELDS = {
    "title": "title",
    "date": "date",
    "modified": "update date",
    "category": "categories",  # comma-separated: multi_category.py
    "tags": "names",
    "author": "name",
    "authors": "names",
    "slug": "slug",
    "summary": "summary",
    "status": "status",
    "template": "template",
    "save_as": "path",
    "url": "path",
    "lang": "language",
    "translation": "true/false",  # Pelican reads anything but "false" as true, "no" included
}
# The spellings of a yes/no field's answers (content_checks.py turns them into "yes" or "no").
YES, NO = {"yes", "true", "on", "1"}, {"no", "false", "off", "0"}
TEMPLATE_FIELDS = re.compile(r"\{#-?\s*front matter:(.*?)-?#\}", re.DOTALL)
DECLARED_FIELD = re.compile(r"(\w+) \(([^)]+)\)")


def template_folders(settings) -> list[Path]:
    """Where Pelican looks for templates: any overrides, then the theme's."""
    return [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES", [])] + [
        Path(settings["THEME"]) / "templates"
    ]


def declared_fields(settings) -> dict[str, str]:
    """Every front matter field the build reads, with its kind: Pelican's, then those of the
    plugins in PLUGINS, then those the templates declare."""
    fields = dict(PELICAN_FIELDS)
    for name in settings["PLUGINS"]:
        try:
            module = importlib.import_module(name) if isinstance(name, str) else name
        except ImportError:  # Pelican names a plugin it cannot load, and stops the build
            continue
        fields |= getattr(module, "FIELDS", {})
    for folder in template_folders(settings):
        for path in sorted(folder.rglob("*")):
            if path.suffix in settings["TEMPLATE_EXTENSIONS"]:
                for declaration in TEMPLATE_FIELDS.findall(path.read_text(encoding="utf-8")):
                    fields |= dict(DECLARED_FIELD.findall(declaration))
    return fields


def same_but_case(root, relative: str) -> str | None:
    """The path of the file under ``root`` that ``relative`` names but for the case of its letters
    (images/rotated.jpg for images/rotated.JPG), or None: the disk of the site's server, and
    this build's, tell them apart."""
    folder, found = Path(root), []
    for part in relative.split("/"):
        try:
            names = sorted(path.name for path in folder.iterdir())
        except OSError:
            return None
        match = part if part in names else next((n for n in names if n.lower() == part.lower()), None)
        if match is None:
            return None
        folder, found = folder / match, [*found, match]
    return "/".join(found) if folder.is_file() and found != relative.split("/") else None


def case_advice(root, relatives, kind: str | None) -> str | None:
    """The advice for a path to no file under ``root`` that names one but for case, "Did you mean …?"
    with the path whole, as the author can write it anywhere: from content/ after ``{kind}``
    ("{static}/images/x.jpg"), or bare where ``kind`` is None; else None."""
    meant = next(filter(None, (same_but_case(root, relative) for relative in relatives)), None)
    if meant is None:
        return None
    return f"Did you mean {'{' + kind + '}/' if kind else ''}{meant}? A path's case counts."
