"""The theme's templates as a Template field may name them: each found where Pelican finds it
(the overrides before the theme), and which of them render a post's or a page's content."""

import re
from pathlib import Path

from plugins.content_model import template_folders

# A template's output of a post's or page's content, and the templates it extends or includes.
RENDERED_CONTENT = re.compile(r"\{\{-?\s*(article|page)\.content\b")
TEMPLATE_USED = re.compile(r"""\{%-?\s*(?:extends|include)\s+["']([^"']+)["']""")


def template_files(settings: dict) -> dict[str, Path]:
    """Each template by the name Pelican finds it by (its path under the folder, as written after
    extends or include), from the first folder that has it: overrides before the theme."""
    found = {}
    for folder in reversed(template_folders(settings)):
        files = folder.rglob("*") if folder.is_dir() else []
        found |= {path.relative_to(folder).as_posix(): path for path in files if path.is_file()}
    return found


def rendered_contents(
    name: str, files: dict[str, Path], texts: dict, seen: frozenset = frozenset()
) -> set[str]:
    """What ``name`` renders the content of ("article", "page"), itself or by a template it extends
    or includes: Pelican gives a post's template ``article``, a page's ``page``, and no other.
    ``texts`` keeps each template read, so that one extended by many is read once."""
    if name not in files or name in seen:
        return set()
    if name not in texts:
        texts[name] = files[name].read_text(encoding="utf-8")
    contents = set(RENDERED_CONTENT.findall(texts[name]))
    for other in TEMPLATE_USED.findall(texts[name]):
        contents |= rendered_contents(other, files, texts, seen | {name})
    return contents


class ThemeTemplates:
    """The names a Template field may give, by the content it is for: the templates are read at
    the first Template field checked, then kept for the rest of the files checked with it."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.renders = None  # [(a top-level template's name, what it renders the content of)]

    def names_for(self, content: str) -> list[str]:
        """The top-level templates that render ``content`` ("article", "page"; a page's may be 404)."""
        if self.renders is None:
            files, texts = template_files(self.settings), {}
            self.renders = [
                (path.stem, rendered_contents(name, files, texts))
                for name, path in files.items()
                if "/" not in name and path.suffix in self.settings["TEMPLATE_EXTENSIONS"]
            ]
        return sorted(stem for stem, contents in self.renders if content in contents)
