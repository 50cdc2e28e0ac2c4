"""Checks of the content before a build (lint.py, body_syntax.py) and of a built site after
it (site.py, html_validity.py). Import nothing from build/ but its stamp, nor preview/ or deploy/."""
