"""What every feed says of a post, alike in Atom and RSS (site_writer.py) and JSON Feed
(json_feed.py): its body without the page's reading aids, its categories and tags once
each, and its lead picture as a built file of the site; an Atom entry's language; and a body's
direction, in these and in the corrections feed (corrections.py). Not a plugin: it registers nothing.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import Markup, escape

from .content_model import language_apart
from .languages import direction, language_attributes

# Heading permalinks (the toc extension, pelicanconf.py) and code labels (code_labels.py)
# help on a page; a feed reader shows them as stray "#" and "console" text. The code block's
# focus stop (code_labels.py) lets a page scroll by keyboard; a feed reader has no use for it.
PAGE_AIDS = re.compile(
    r'<a class="headerlink"[^>]*>[^<]*</a>|<span class="code-lang">[^<]*</span>|(?<=<pre) tabindex="0"'
)


# An empty feed's date: feedgenerator would give the build's clock, and builds must stay identical.
NO_POST_YET = datetime(1970, 1, 1, tzinfo=UTC)


def feed_content(html: str) -> str:
    return PAGE_AIDS.sub("", html)


def entry_language(entry: dict) -> dict:
    """An Atom entry's attributes (feedgenerator's ``item_attributes``): the ``xml:lang`` of
    an entry given a ``language``, that of a post in another language than the feed's."""
    return {"xml:lang": entry["language"]} if entry.get("language") else {}


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
    alt: str
    caption: str
    credit_line: str  # IMAGE_CREDIT_LINE, or empty without a credit
    credit_attributes: str = ""  # the credit line's lang (and dir) where the post is in another language

    def figure(self) -> str:
        """The picture with its caption and credit as HTML, for the top of an entry's content:
        feed readers show an enclosure without either. The credit line is in the site's language,
        as on the post's page, where the caption is in the post's."""
        credit = escape(self.credit_line)
        if credit and self.credit_attributes:
            credit = Markup("<span{}>{}</span>").format(Markup(self.credit_attributes), credit)
        words = Markup(" ").join(part for part in (escape(self.caption), credit) if part)
        caption = f"<figcaption>{words}</figcaption>" if words else ""
        return f'<figure><img src="{escape(self.url)}" alt="{escape(self.alt)}">{caption}</figure>'


def lead_file(item, base: str) -> LeadFile | None:
    """The copy of ``item``'s lead picture that link previews use (plugins/images/), as an
    absolute URL under ``base`` (the site's FEED_DOMAIN); None without a lead picture."""
    image = getattr(item, "lead_image", None)
    if image is None:
        return None
    copy = image.share
    caption, credit = (
        " ".join(str(getattr(item, field, "") or "").split()) for field in ("image_caption", "image_credit")
    )
    credit = item.settings["IMAGE_CREDIT_LINE"].format(credit) if credit else ""
    site_lang = item.settings["DEFAULT_LANG"]
    # An entry of a translation is in its language (xml:lang, and dir where it runs the other way).
    own = language_apart(item, site_lang)
    credit_attributes = language_attributes(site_lang, own) if own else ""
    url = f"{base.rstrip('/')}/{copy.address}"
    return LeadFile(url, copy.mime, copy.length, image.alt, caption, credit, credit_attributes)


def entry_content(item, base: str, siteurl: str) -> str:
    """An entry's content: the lead picture (under ``base``) with its caption and credit, then
    the body (its links under ``siteurl``), in its direction."""
    image = lead_file(item, base)
    return in_its_direction((image.figure() if image else "") + feed_content(item.get_content(siteurl)), item)


def in_its_direction(html: str, item) -> str:
    """``html`` of ``item``, in a ``dir`` of its own where its language is written the other way
    from the site's, as on its page (a feed reader lays it out by ``dir``, not lang)."""
    own = direction(getattr(item, "lang", None) or item.settings["DEFAULT_LANG"])
    return html if own == direction(item.settings["DEFAULT_LANG"]) else f'<div dir="{own}">{html}</div>'
