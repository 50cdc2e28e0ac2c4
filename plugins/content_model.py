"""What the plugins mean by "all the content" and by "the text of some HTML".

Not a plugin (it registers nothing): the definitions the plugins share, so that the
checks, the reading aids and the speed kit never disagree about which posts exist.
"""

import re

# The reader's HTML is kept only in Pelican's private ``Content._content``; checked against
# this Pelican, and tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {"pelican.contents.Content()._content": "str"}

# Every list of posts and pages Pelican's generators keep, under the same names in the
# template context: published, draft and hidden articles; published, hidden and draft pages.
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
# Translations of published posts and pages (generators only: the context has none).
TRANSLATIONS = ("translations",)
# An HTML tag, for text made from rendered HTML (summaries, word counts, headings).
TAG = re.compile(r"<[^>]+>")


def every_content(generators, lists=CONTENT_LISTS):
    """Each post and page the generators hold, list by list."""
    for generator in generators:
        for name in lists:
            yield from getattr(generator, name, [])


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
