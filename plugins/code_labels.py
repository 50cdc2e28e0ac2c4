"""A Pygments formatter that labels each highlighted code block with its fence's language.

Why: a reader who meets ``$ zgrep …`` or ``CONFIG_XEN=y`` should see at a glance whether
it is a shell session, a configuration file or a script. Python-Markdown's codehilite
hands a custom formatter the fence's language as ``lang_str`` (``language-console``);
Pygments' own HTML formatter ignores it. This one writes it as a text label before the
``<pre>``, inside codehilite's ``<div class="highlight">``, so it needs no script and no
CSS ``content:``. pymdownx.highlight could title blocks too, but only by replacing
codehilite and fenced_code, which the whole site's code blocks rely on.
"""

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
        yield from super().wrap(source)
