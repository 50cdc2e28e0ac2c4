"""Minify the built HTML with minify-html (a maintained Rust library, spec-compliant by
default: it never writes unquoted attribute values that HTML forbids).

pelican-minify 2.0.2 is not used: it corrupts JavaScript. The stylesheet is minified
where it is generated (plugins/stylesheet.py), so its fingerprint matches its bytes.
"""

import os
from pathlib import Path

import minify_html


def minify_page(html: str) -> str:
    # Keep <html> and <head> so the lang attribute and the document outline stay explicit.
    return minify_html.minify(html, keep_html_and_head_opening_tags=True, minify_css=True)


def minify_file(path: Path) -> None:
    """Minify one page; raise ValueError naming what went wrong."""
    html = path.read_text(encoding="utf-8")
    try:
        minified = minify_page(html)
    except Exception as error:  # minify-html raises plain exceptions on bad input
        raise ValueError(f"could not be minified: {error}") from error
    # A new file, never a rewrite in place: a page may be a link shared with the
    # previous build (plugins/page_reuse.py).
    fresh = path.with_name(path.name + ".min")
    fresh.write_text(minified, encoding="utf-8")
    os.replace(fresh, path)
