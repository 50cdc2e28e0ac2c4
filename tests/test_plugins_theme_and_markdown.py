"""plugins/stylesheet.py, plugins/attributed_quote.py and plugins/output_paths.py,
called directly: the stylesheet for given settings, one Markdown conversion, paths."""

import hashlib
import re

import markdown
import pytest
from pluginhelpers import ROOT, site_settings
from pygments.formatters import HtmlFormatter

from plugins import attributed_quote, output_paths, stylesheet
from plugins.content_checks import RENDERING_PROBLEM


@pytest.mark.parametrize("folder", ["theme", "static"])
def test_the_stylesheet_is_named_by_its_hash_under_theme_static_dir(folder):
    settings = site_settings(THEME_STATIC_DIR=folder)
    text, name = stylesheet.build_stylesheet(settings), stylesheet.stylesheet_path(settings)
    assert name == f"{folder}/site.{hashlib.sha256(text.encode()).hexdigest()[:10]}.css"
    assert text.startswith((ROOT / "theme/static/css/tokens.css").read_text(encoding="utf-8"))
    assert "@media (prefers-color-scheme: dark)" in text and ".highlight" in text


def test_production_minifies_the_stylesheet():
    minified = stylesheet.build_stylesheet(site_settings(MINIFY=True))
    assert len(minified) < len(stylesheet.build_stylesheet(site_settings()))


def token_styles(css):
    """{token class: declarations} for each scheme, as the stylesheet's Pygments rules set them."""
    light_rules, _, dark_rules = css.rpartition("@media (prefers-color-scheme: dark) {")
    styles = {}
    for scheme, rules in (("light", light_rules), ("dark", light_rules + dark_rules)):
        styles[scheme] = {}
        for selector, declarations in re.findall(r"\.highlight ([^{}]+?) \{ ([^{}]*) \}", rules):
            for token in re.sub(r"^:is\((.*)\)$", r"\1", selector).split(", "):
                styles[scheme][token] = declarations
    return styles


def test_every_token_keeps_pygments_colours_in_both_schemes_and_no_rule_is_said_twice():
    """Tokens styled alike in both palettes are left out of the dark block: the light rule
    already applies in either scheme."""
    css = stylesheet.build_stylesheet(site_settings())
    styles = token_styles(css)
    for scheme, style in zip(("light", "dark"), site_settings()["PYGMENTS_STYLES"], strict=True):
        expected = {}
        for rule in HtmlFormatter(style=style).get_token_style_defs(".highlight"):
            selector, declarations = re.match(r"\.highlight (\S+) \{ ([^}]*?) \}", rule).groups()
            expected[selector] = re.sub(r"\s*/\*.*?\*/", "", declarations).strip().lower()
        assert {token: (styles[scheme].get(token) or "").lower() for token in expected} == expected
    assert not re.search(r"#[0-9a-f]*[A-F]", css), "a colour in upper case compresses worse"
    dark_block = css.rpartition("@media (prefers-color-scheme: dark) {")[2]
    for selector, declarations in re.findall(r"\.highlight ([^{}]+?) \{ ([^{}]*) \}", dark_block):
        for token in re.sub(r"^:is\((.*)\)$", r"\1", selector).split(", "):
            assert styles["light"].get(token) != declarations, f"{token} restated in the dark block"


def quote(options, text="The quoted text."):
    md = markdown.Markdown(extensions=[attributed_quote.makeExtension()])
    return md.convert(f"/// quote | Linus Torvalds\n{options}\n\n{text}\n///\n")


def test_a_quote_is_a_figure_with_a_cited_blockquote_and_a_caption():
    html = quote('    title: "Re: Xen"\n    cite: https://lkml.org/x')
    assert html.startswith('<figure class="quote">\n<blockquote cite="https://lkml.org/x">')
    assert '<figcaption>— <span class="quote-author">Linus Torvalds</span>, <cite>Re: Xen</cite>' in html


def test_a_cite_that_is_not_a_web_address_is_left_out_and_reported():
    html = quote("    cite: javascript:alert(1)")
    assert "javascript" not in html.replace(f'{RENDERING_PROBLEM}="', "").split('"', 1)[0]
    assert f'{RENDERING_PROBLEM}="the quote by “Linus Torvalds” cites “javascript:alert(1)”' in html
    assert "<blockquote>" in html


@pytest.mark.parametrize(
    "url, file",
    [
        ("2011/06/x/", "2011/06/x/index.html"),
        ("about.html", "about.html"),
        ("", "index.html"),
        ("a%20b/", "a b/index.html"),
    ],
)
def test_the_file_a_server_sends_for_a_url(url, file):
    assert output_paths.file_of_url(url) == file


@pytest.mark.parametrize(
    "value", ["https://x.org/", "//x.org/", "java\tscript:alert(1)", " data:text/html,x"]
)
def test_addresses_that_leave_the_site(value):
    assert output_paths.leaves_the_site(value)


def test_the_build_owns_the_theme_folder_named_by_the_setting():
    settings = site_settings(THEME_STATIC_DIR="static")
    folders = output_paths.generated_folders(settings)
    assert folders["static"] == "the theme's files" and folders["tag"] == "the tag pages"
    # The stylesheet's own name, from its settings alone: no plugin need have run.
    assert (stylesheet.stylesheet_path(settings), "the stylesheet") in output_paths.generated_files(settings)
    assert output_paths.pagination_pattern(site_settings()).match("tag/xen/page/2/index.html")
