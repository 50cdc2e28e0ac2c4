"""The speed kit (plugins/speed_kit/) gives what stock Pelican gives, and every module that
relies on a package's internals (NAME_INTERNALS, NAME_CHECKED) finds them unchanged.
Unit tests: no site build."""

import importlib
import inspect
import json
import pickle
from importlib.metadata import version

import pytest
from markdown import Markdown
from markdown.inlinepatterns import SimpleTextInlineProcessor
from pelican.contents import Content
from pelican.paginator import Page
from pelican.readers import MarkdownReader, Readers
from pelican.writers import Writer
from pluginhelpers import ROOT, generators, post, site_settings
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from plugins import content_model, site_writer, speed_kit
from plugins.code_labels import LanguageLabelFormatter
from plugins.speed_kit import (
    frozen_urls,
    highlight_styles,
    inline_marks,
    markdown_reuse,
    page_reuse,
)
from sitebuild import Build, console
from sitebuild.preview import live

PATCHING = [frozen_urls, markdown_reuse, page_reuse, content_model, console]
# (module, the distribution whose internals it relies on, the prefix of its NAME_CHECKED
# and NAME_INTERNALS)
RELIANCES = [(module, "pelican", "PELICAN") for module in PATCHING] + [
    (highlight_styles, "pygments", "PYGMENTS"),
    (inline_marks, "markdown", "MARKDOWN"),
    # The live preview's: it changes how it builds, not what.
    (live, "pelican", "PELICAN"),
]
RELIANCE_IDS = [f"{module.__name__}-{distribution}" for module, distribution, _ in RELIANCES]
# Instances to look for attributes Pelican sets in __init__ ("Writer()._written_files").
INSTANCES = {
    "pelican.writers.Writer": lambda: Writer("/nonexistent", settings={}),
    "pelican.readers.Readers": lambda: Readers(site_settings()),
    "pelican.paginator.Page": lambda: Page("index", "", [], 1, None, {}),
    "pelican.contents.Content": lambda: Content("<p>Body</p>", settings=site_settings()),
    "pygments.formatters.html.HtmlFormatter": HtmlFormatter,
}


def resolve(dotted: str):
    """The object a dotted name stands for; "Class().attribute" reads an instance's."""
    owner, _, attribute = dotted.rpartition(".")
    if owner.endswith("()"):
        return getattr(INSTANCES[owner[:-2]](), attribute)
    module, _, name = owner.rpartition(".")
    try:
        parent = getattr(importlib.import_module(module), name)
    except (ImportError, ValueError):
        parent = importlib.import_module(owner)
    found = inspect.getattr_static(parent, attribute)
    return found.fget if isinstance(found, property) else found


@pytest.mark.parametrize("module, distribution, prefix", RELIANCES, ids=RELIANCE_IDS)
def test_checked_against_the_installed_version(module, distribution, prefix):
    checked, installed = getattr(module, f"{prefix}_CHECKED"), version(distribution)
    assert installed == checked, (
        f"{module.__name__} was checked against {distribution} {checked}, not {installed}: "
        f"read what it relies on ({prefix}_INTERNALS) in the new version, then update {prefix}_CHECKED"
    )


@pytest.mark.parametrize("module, distribution, prefix", RELIANCES, ids=RELIANCE_IDS)
def test_the_internals_it_relies_on_are_unchanged(module, distribution, prefix):
    for dotted, expected in getattr(module, f"{prefix}_INTERNALS").items():
        found = resolve(dotted)
        if expected == "present":  # a class attribute the code sets: only its existence is relied on
            changed = False
        elif expected.startswith("("):
            changed = str(inspect.signature(found)) != expected
        else:
            changed = type(found).__name__ != expected
        assert not changed, f"{module.__name__}: {distribution} changed {dotted}"


def test_frozen_urls_keep_pelicans_values_and_only_with_the_kit_on(tmp_path):
    articles = [("a.md", post("A post", Tags="xen, dom0", Category="linux"))]
    for on in (False, True):
        found, pages = generators(tmp_path / str(on), articles, SPEED_KIT=on)
        article = found.articles[0]
        stock = (article.url, article.save_as, [tag.url for tag in article.tags])
        frozen_urls.freeze_everything([found, pages])
        article.slug = article.tags[0].slug = "renamed"  # Pelican's properties would now say so
        if on:
            assert (article.url, article.save_as, [tag.url for tag in article.tags]) == stock
        else:
            assert article.url == "2011/06/renamed/" and article.tags[0].url == "tag/renamed/"


def test_one_markdown_instance_reads_every_post_as_pelicans_reader_does():
    settings = site_settings()
    stock, reusing = MarkdownReader(settings), markdown_reuse.ReusingMarkdownReader(settings)
    posts = sorted((ROOT / "content").rglob("*.md"))
    assert len(posts) >= 4
    for path in posts * 2:  # the second round reads with an instance that has read them all
        assert reusing.read(str(path)) == stock.read(str(path)), path


INLINE_TEXTS = [
    'He said "it\'s done" -- at last... See [the "notes"](https://example.org/a--b...c/it\'s).',
    '"*word*" \'em\' ---- -- - .... "\'Quoted\' words" \'80s \'"hi"\' `grep -- "x" ...` <<a>>',
    "*a* **b** _c_ __d__ <b>e</b> &amp; &copy; f  \ng \\*h\\* ![i](/j.png) [k][1] <https://l.org/>"
    " <m@n.org>[^1]\n\n[1]: /o/\n\n[^1]: A note with a [link](/p/).",
    "No marks at all, in a paragraph.\n\n> Nor in a quote.\n\n1. Nor in a list",
]


@pytest.mark.parametrize("text", INLINE_TEXTS)
def test_inline_passes_skipping_unmarked_texts_give_the_stock_html(text):
    settings = site_settings()["MARKDOWN"]
    options = {**settings, "extensions": list(settings["extension_configs"])}
    stock, skipping = Markdown(**options), inline_marks.skip_unmarked(Markdown(**options))
    passes = [skipping.treeprocessors[name] for name in ("inline", "smarty")]
    assert all(type(inline_pass) is inline_marks.SkippingUnmarked for inline_pass in passes)
    assert skipping.convert(text) == stock.convert(text)
    assert all(inline_pass.marks is not None for inline_pass in passes), "a pattern is not in NEEDS"


def test_an_unknown_inline_pattern_turns_skipping_off():
    assert inline_marks.marks([SimpleTextInlineProcessor(r"@")]) is None


@pytest.mark.parametrize(
    "settings, reader",
    [
        ({"SPEED_KIT": True}, markdown_reuse.ReusingMarkdownReader),
        ({"SPEED_KIT": False}, MarkdownReader),
        ({"SPEED_KIT": True, "FORMATTED_FIELDS": ["summary"]}, MarkdownReader),
    ],
)
def test_the_markdown_reader_is_swapped_only_with_the_kit_on_and_no_formatted_fields(settings, reader):
    readers = Readers(site_settings(**settings))
    markdown_reuse.use_reusing_reader(readers)
    assert readers.reader_classes["md"] is reader


@pytest.mark.parametrize(
    "on, writer", [(True, site_writer.ReusingSiteWriter), (False, site_writer.SiteWriter)]
)
def test_page_reuse_is_in_the_writer_only_with_the_kit_on(on, writer):
    class FakePelican:
        settings = {"SPEED_KIT": on}

    assert site_writer.writer_class(FakePelican()) is writer
    assert speed_kit.enabled(FakePelican.settings) is on


def test_a_previous_page_is_trusted_only_with_its_key_and_identity(tmp_path):
    previous, cache = tmp_path / "output", tmp_path / "cache"
    (previous / "about").mkdir(parents=True)
    page = previous / "about" / "index.html"
    page.write_text("<p>About</p>", encoding="utf-8")
    stat = page.stat()
    cache.mkdir()
    (cache / page_reuse.MANIFEST_NAME).write_text(
        json.dumps({"pages": {"about/index.html": ["key", stat.st_ino, stat.st_size, stat.st_mtime_ns]}})
    )
    settings = {"SITEBUILD": Build(output=previous, fingerprint="f" * 32), "CACHE_PATH": str(cache)}
    reuse = page_reuse.PageReuse(settings, str(tmp_path / "new"))
    assert reuse.previous_file("about/index.html", "key") == page
    assert reuse.previous_file("about/index.html", "other key") is None
    page.write_text("<p>About, edited by hand</p>", encoding="utf-8")
    assert reuse.previous_file("about/index.html", "key") is None


CODE = {
    "console": "$ zgrep CONFIG_XEN /proc/config.gz\nCONFIG_XEN=y\n",
    "ini": "[xen]\ndom0_mem = 1024M ; <small> & safe\n",
    "sh": 'for f in /boot/config-*; do grep -q "XEN_DOM0=y" "$f" && echo "$f"; done\n',
    "python": "def f(x):\n    return x ** 2  # squared\n",
    "text": "plain <text> & more\n",
}


class CountingFormatter(LanguageLabelFormatter):
    """A formatter class of its own, so no other test has filled its tables yet."""

    built = 0

    def _create_stylesheet(self):
        CountingFormatter.built += 1
        super()._create_stylesheet()


@pytest.mark.parametrize("style", ["a11y-light", "a11y-dark"])
@pytest.mark.parametrize("language", CODE)
def test_shared_style_tables_highlight_as_pygments_does(language, style):
    reusing = highlight_styles.reusing_tables(LanguageLabelFormatter)
    lexer = get_lexer_by_name(language)
    options = {"lang_str": f"language-{language}", "style": style, "cssclass": "highlight"}
    stock = highlight(CODE[language], lexer, LanguageLabelFormatter(**options))
    for _ in range(2):  # the second formatter takes the tables the first one built
        assert highlight(CODE[language], lexer, reusing(**options)) == stock
        assert highlight(CODE[language], lexer, reusing(**options, noclasses=True)) == highlight(
            CODE[language], lexer, LanguageLabelFormatter(**options, noclasses=True)
        )
    stock_css = LanguageLabelFormatter(**options).get_style_defs(".highlight")
    assert reusing(**options).get_style_defs(".highlight") == stock_css


def test_style_tables_are_built_once_per_style_and_prefix():
    reusing = highlight_styles.reusing_tables(CountingFormatter)
    made = [
        reusing(style=style, classprefix=prefix)
        for _ in range(5)
        for style in ("a11y-light", "a11y-dark")
        for prefix in ("", "pg-")
    ]
    assert CountingFormatter.built == 4
    first, again = made[0], made[4]
    assert first.ttype2class is again.ttype2class and first.class2style is again.class2style
    assert made[1].class2style is not first.class2style  # another style, other tables
    assert highlight_styles.reusing_tables(reusing) is reusing


class FakePelican:
    def __init__(self, settings):
        self.settings = settings


def formatter_in(markdown_settings):
    return markdown_settings["extension_configs"]["markdown.extensions.codehilite"]["pygments_formatter"]


@pytest.mark.parametrize("on", [True, False])
def test_the_formatter_is_swapped_only_with_the_kit_on(on):
    settings = site_settings(SPEED_KIT=on)
    written = settings["MARKDOWN"]
    highlight_styles.reuse_style_tables(FakePelican(settings))
    reusing = highlight_styles.reusing_tables(LanguageLabelFormatter)
    assert formatter_in(settings["MARKDOWN"]) is (reusing if on else LanguageLabelFormatter)
    # The settings file's own dicts are left as written, for the next build in the process.
    assert formatter_in(written) is LanguageLabelFormatter
    # Pelican's content cache pickles the settings with every post.
    assert pickle.loads(pickle.dumps(settings["MARKDOWN"])) == settings["MARKDOWN"]


@pytest.mark.parametrize("reader_class", [MarkdownReader, markdown_reuse.ReusingMarkdownReader])
def test_readers_highlight_with_shared_tables_as_without(reader_class, monkeypatch):
    stock = site_settings(SPEED_KIT=False)
    swapped = site_settings(SPEED_KIT=True)
    highlight_styles.reuse_style_tables(FakePelican(swapped))
    reusing = highlight_styles.reusing_tables(LanguageLabelFormatter)
    monkeypatch.setattr(reusing, "_style_tables", {})
    for path in sorted((ROOT / "content").rglob("*.md")):
        assert reader_class(swapped).read(str(path)) == reader_class(stock).read(str(path)), path
    assert reusing._style_tables, "no code block was highlighted with the shared tables"
