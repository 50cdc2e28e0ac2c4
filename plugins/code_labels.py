"""A Pygments formatter that labels each code block with its fence's language, and makes the
block focusable, so that the keyboard can scroll a line wider than the screen in every browser.
Why: a reader should see at a glance whether ``$ zgrep …`` is a shell session or a script.
codehilite hands a custom formatter the language (``lang_str``), which Pygments' own ignores;
this writes it as a text label before the ``<pre>``: no script, no CSS ``content:``."""

from html import escape

from pygments.formatters import HtmlFormatter

PREFIX = "language-"
# What codehilite calls a fence without a language: nothing worth a label.
UNLABELLED = {"", "text"}


class LanguageLabelFormatter(HtmlFormatter):
    def __init__(self, lang_str="", **options):
        super().__init__(**options)
        language = lang_str.removeprefix(PREFIX)
        self.language = "" if language in UNLABELLED else language

    def wrap(self, source):
        if self.language:
            yield 0, f'<span class="code-lang">{escape(self.language)}</span>'
        for kind, html in super().wrap(source):
            # Only some browsers let the keyboard reach a scrolling element that is not focusable.
            if kind == 0 and html.startswith("<pre"):
                html = html.replace("<pre", '<pre tabindex="0"', 1)
            yield kind, html
