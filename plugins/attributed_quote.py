"""Markdown block for an attributed quotation: ``/// quote | Author``.

Why a local extension: pymdown-extensions' ``blocks.caption`` wraps a block in a
``<figure>`` but cannot put ``cite`` on the ``<blockquote>`` nor give the caption its
structure (author, work, date, link), and raw HTML in posts is what authors should not
have to write. This builds on pymdown's ``blocks`` framework, so the syntax is the one
authors already use for captions and details:

    /// quote | Linus Torvalds
        kind: email
        title: "Re: Xen is a feature"
        source: linux-kernel mailing list
        date: 2009-06-02
        cite: https://lkml.indiana.edu/hypermail/linux/kernel/0906.0/00864.html

    The quoted text, in **Markdown**.
    ///

renders as ``<figure class="quote quote-email">`` holding a ``<figcaption>`` and a
``<blockquote cite="…">``. Every option but the author is optional: leave out what is
not known rather than guess. ``kind: email`` lays the caption out as mail headers
above the text; ``kind: comment`` (a reply that may run to many paragraphs) names its
author above the text, "Jeremy Fitzhardinge, in a comment on Slashdot:", so the reader
knows whose words follow; any other kind puts a one-line attribution below it.

``cite`` takes only a web address (``https://`` or ``http://`` and a host): it becomes a
link, and a ``javascript:`` or ``data:`` one would run or show whatever it holds. Any
other value is left out of the page and reported (content_checks.py names the file).
An invalid option cannot simply be refused here: pymdown's blocks then render the block
as plain text and say nothing.
"""

import datetime
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string, type_string_in

from content_checks import RENDERING_PROBLEM

KINDS = ("", "email", "comment", "speech", "article")


def type_date(value):
    """Accept a YAML date (``2009-06-02``) or an ISO date string."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(type_string(value))


def web_address(value):
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _text(parent, tag, text, **attrib):
    element = etree.SubElement(parent, tag, attrib)
    element.text = AtomicString(text)
    return element


class AttributedQuote(Block):
    NAME = "quote"
    ARGUMENT = True
    OPTIONS = {
        "kind": ("", type_string_in(KINDS)),
        "title": ("", type_string),
        "source": ("", type_string),
        "date": (None, type_date),
        "cite": ("", type_string),
    }

    def on_create(self, parent):
        kind = self.options["kind"]
        figure = etree.SubElement(parent, "figure", {"class": f"quote quote-{kind}" if kind else "quote"})
        cite = self.options["cite"]
        if cite and not web_address(cite):
            figure.set(
                RENDERING_PROBLEM,
                f"the quote by “{self.argument}” cites “{cite}”, which is not a web "
                "address. Give the original's address, starting with https:// (or http://), or leave "
                "cite out.",
            )
            self.options["cite"] = ""
        if kind == "email":
            self._email_caption(figure)
        elif kind == "comment":
            self._line_caption(figure, lead_in=True)
        attrib = {"cite": self.options["cite"]} if self.options["cite"] else {}
        etree.SubElement(figure, "blockquote", attrib)
        if kind not in ("email", "comment"):
            self._line_caption(figure)
        return figure

    def on_add(self, block):
        return block.find("blockquote")

    def _email_caption(self, figure):
        caption = etree.SubElement(figure, "figcaption")
        fields = etree.SubElement(caption, "dl", {"class": "quote-headers"})
        _text(fields, "dt", "From")
        _text(fields, "dd", self.argument, **{"class": "quote-author"})
        if self.options["title"]:
            _text(fields, "dt", "Subject")
            _text(etree.SubElement(fields, "dd"), "cite", self.options["title"])
        if self.options["date"]:
            _text(fields, "dt", "Date")
            self._time(etree.SubElement(fields, "dd"))
        if self.options["source"]:
            _text(fields, "dt", "List")
            _text(fields, "dd", self.options["source"])
        if self.options["cite"]:
            _text(fields, "dt", "Archive")
            host = urlsplit(self.options["cite"]).hostname or self.options["cite"]
            _text(etree.SubElement(fields, "dd"), "a", host, href=self.options["cite"])

    def _line_caption(self, figure, lead_in=False):
        """ "— Author, title, source, date (source)" below the text, or the same facts
        before it ending in a colon (``lead_in``)."""
        caption = etree.SubElement(figure, "figcaption")
        caption.text = AtomicString("" if lead_in else "— ")
        last = _text(caption, "span", self.argument, **{"class": "quote-author"})
        if self.options["title"]:
            last.tail = AtomicString(", ")
            last = _text(caption, "cite", self.options["title"])
        if self.options["source"]:
            last.tail = AtomicString(", " + self.options["source"])
        if self.options["date"]:
            last.tail = AtomicString((last.tail or "") + ", ")
            last = self._time(caption)
        if self.options["cite"]:
            last.tail = AtomicString((last.tail or "") + " (")
            last = _text(caption, "a", "source", href=self.options["cite"])
            last.tail = AtomicString(")")
        if lead_in:
            last.tail = AtomicString((last.tail or "") + ":")

    def _time(self, parent):
        date = self.options["date"]
        label = f"{date:%A} {date.day} {date:%B %Y}"
        return _text(parent, "time", label, datetime=date.isoformat())


class AttributedQuoteExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):
        block_mgr.register(AttributedQuote, self.getConfigs())


def makeExtension(*args, **kwargs):
    return AttributedQuoteExtension(*args, **kwargs)
