"""Build the site's single stylesheet and give it a fingerprinted name (``stylesheet_path``).

Why a local plugin: one CSS request, Pygments colours generated (never hand-copied) for both
schemes, and a content hash so it can be cached forever; pelican-webassets is far larger.
Sources in ``STYLESHEET_SOURCES`` order, then Pygments' rules; minified when ``MINIFY`` is on."""

import functools
import hashlib
import re
from pathlib import Path

import rcssmin
from pelican import signals
from pygments.formatters import HtmlFormatter


@functools.cache  # the stylesheet is named, reserved and written from the same settings
def token_rules(style, selector=".highlight"):
    """{declarations: [token class…]}, the token colours only: code.css gives code blocks their
    background and text colour from the theme's tokens, and the site numbers no lines, so
    Pygments' background and line-number rules would be bytes every page pays for and no
    page uses. Token classes with the same declarations share one rule: each token class is
    in exactly one, so order cannot matter, and the palettes shrink by a third."""
    classes_of = {}
    for rule in HtmlFormatter(style=style).get_token_style_defs(selector):
        selectors, _, declarations = rule.partition("{")
        declarations = re.sub(r"/\*.*?\*/", "", declarations).strip().removesuffix("}").strip()
        # Lower case like the theme's own colours: brotli finds more repeats.
        declarations = re.sub(r"#[0-9A-F]+\b", lambda colour: colour[0].lower(), declarations)
        classes_of.setdefault(declarations, []).append(selectors.strip().removeprefix(selector).strip())
    return classes_of


def pygments_css(style, selector=".highlight", light=None):
    """The rules of ``style``, each ``selector :is(.a, .b)`` (as specific as ``selector .a``).
    With ``light``, the dark palette over it: a token styled alike in both is left out, since
    the light rule already applies in either scheme."""
    light_rules = token_rules(light, selector) if light else {}
    already = {(c, d) for d, classes in light_rules.items() for c in classes}
    rules = []
    for declarations, classes in token_rules(style, selector).items():
        classes = [c for c in classes if (c, declarations) not in already]
        if classes:
            group = classes[0] if len(classes) == 1 else f":is({', '.join(classes)})"
            rules.append(f"{selector} {group} {{ {declarations} }}")
    return "\n".join(rules)


def build_stylesheet(settings):
    """Return the stylesheet text for these settings."""
    css_dir = Path(settings["THEME"]) / "static" / "css"
    parts = [(css_dir / name).read_text(encoding="utf-8") for name in settings["STYLESHEET_SOURCES"]]
    light, dark = settings["PYGMENTS_STYLES"]
    parts.append(pygments_css(light))
    parts.append(f"@media (prefers-color-scheme: dark) {{\n{pygments_css(dark, light=light)}\n}}")
    text = "\n".join(parts)
    return rcssmin.cssmin(text) + "\n" if settings.get("MINIFY") else text


def fingerprinted_name(text, folder):
    """``folder``/site.HASH.css: the theme's files go to ``THEME_STATIC_DIR``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{folder}/site.{digest}.css"


def stylesheet_path(settings) -> str:
    """Where the stylesheet of these settings goes, named by its hash: the file pages link
    and the build writes, which plugins/output_paths.py keeps posts from."""
    return fingerprinted_name(build_stylesheet(settings), settings["THEME_STATIC_DIR"])


def link_stylesheet(generators):
    """``STYLESHEET_URL``, which every page links: before any page is written, in the template
    context the generators share, not a setting."""
    generators[0].context["STYLESHEET_URL"] = stylesheet_path(generators[0].settings)


def write_stylesheet(pelican):
    text = build_stylesheet(pelican.settings)  # the same bytes as named: a few milliseconds
    target = Path(pelican.output_path) / fingerprinted_name(text, pelican.settings["THEME_STATIC_DIR"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def register():
    signals.all_generators_finalized.connect(link_stylesheet)
    signals.finalized.connect(write_stylesheet)
