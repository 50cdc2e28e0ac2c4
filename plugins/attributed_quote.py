"""Markdown block for an attributed quotation: ``/// quote | Author`` (options: kind, title,
source, date, cite), rendered as a ``<figure>`` with a ``<figcaption>`` and ``<blockquote cite>``.

Why a local extension: pymdown's ``blocks.caption`` cannot put ``cite`` on the quote nor
structure the caption. A ``cite`` that is not an http(s) address is left out and reported."""

import datetime
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string, type_string_in

from .content_checks import RENDERING_PROBLEM

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
