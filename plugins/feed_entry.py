"""What every feed says of a post, alike in Atom and RSS (site_writer.py) and JSON Feed
(json_feed.py): its body without the page's reading aids, its categories and tags once
each, and its lead picture as a built file of the site. Not a plugin: it registers nothing.
"""

import re
from dataclasses import dataclass

# Heading permalinks (the toc extension, pelicanconf.py) and code labels (code_labels.py)
# help on a page; a feed reader shows them as stray "#" and "console" text.
PAGE_AIDS = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>|<span class="code-lang">[^<]*</span>')


def feed_content(html: str) -> str:
    return PAGE_AIDS.sub("", html)


def names(article) -> list[str]:
    """Every category, then the tags, each once: an entry's categories in every feed."""
    terms = [
        *(getattr(article, "categories", None) or [getattr(article, "category", None)]),
        *(getattr(article, "tags", None) or []),
    ]
    once = {}
    for term in terms:
        if term:
            once.setdefault(str(term).casefold(), str(term))
    return list(once.values())


@dataclass(frozen=True)
class LeadFile:
    url: str
    mime: str
    length: int


def lead_file(item, base: str) -> LeadFile | None:
    """The copy of ``item``'s lead picture that link previews use (plugins/images/), as an
    absolute URL under ``base`` (the site's FEED_DOMAIN); None without a lead picture."""
    image = getattr(item, "lead_image", None)
    if image is None:
        return None
    copy = image.share
    return LeadFile(f"{base.rstrip('/')}/{copy.path}", copy.mime, copy.length)
