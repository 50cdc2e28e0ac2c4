"""Minify the built HTML with minify-html (spec-compliant: no forbidden unquoted attributes).

pelican-minify is not used: it corrupts JavaScript. The stylesheet is minified where it is
generated (plugins/stylesheet.py), so its fingerprint matches its bytes.
"""

import minify_html


def minify_page(html: str) -> str:
    # Keep <html> and <head> so the lang attribute and the document outline stay explicit.
    return minify_html.minify(html, keep_html_and_head_opening_tags=True, minify_css=True)
