"""Build the site's single stylesheet and give it a fingerprinted name.

Why a local plugin: the theme wants exactly one CSS request, with Pygments colours
generated from Pygments itself (never hand-copied) for both colour schemes, and a
content hash in the file name so it can be cached forever. Asset plugins such as
pelican-webassets bring a pipeline and dependencies far larger than this one job.

The theme's sources are concatenated in the order ``STYLESHEET_SOURCES`` lists them
(tokens first, then elements, then components), the Pygments rules follow, the dark
scheme's wrapped in ``prefers-color-scheme``; with ``MINIFY`` on (production) rcssmin
minifies it before hashing. Templates link ``STYLESHEET_URL``.
"""

import hashlib
from pathlib import Path

import rcssmin
from pelican import signals
from pygments.formatters import HtmlFormatter


def pygments_css(style, selector=".highlight"):
    return HtmlFormatter(style=style).get_style_defs(selector)


def build_stylesheet(settings):
    """Return the stylesheet text for these settings."""
    css_dir = Path(settings["THEME"]) / "static" / "css"
    parts = [(css_dir / name).read_text(encoding="utf-8") for name in settings["STYLESHEET_SOURCES"]]
    light, dark = settings["PYGMENTS_STYLES"]
    parts.append(pygments_css(light))
    parts.append("@media (prefers-color-scheme: dark) {\n%s\n}" % pygments_css(dark))
    text = "\n".join(parts)
    return rcssmin.cssmin(text) + "\n" if settings.get("MINIFY") else text


def fingerprinted_name(text, folder):
    """``folder``/site.HASH.css: the theme's files go to ``THEME_STATIC_DIR``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{folder}/site.{digest}.css"


def plan_stylesheet(pelican):
    """Compute the stylesheet once, before any template renders, and name it."""
    text = build_stylesheet(pelican.settings)
    name = fingerprinted_name(text, pelican.settings["THEME_STATIC_DIR"])
    pelican.settings["STYLESHEET_TEXT"] = text
    pelican.settings["STYLESHEET_URL"] = name


def write_stylesheet(pelican):
    target = Path(pelican.output_path) / pelican.settings["STYLESHEET_URL"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(pelican.settings["STYLESHEET_TEXT"], encoding="utf-8")


def register():
    signals.initialized.connect(plan_stylesheet)
    signals.finalized.connect(write_stylesheet)
