"""Checks of the content before a build (lint.py, and the checks it runs: field_values.py,
theme_templates.py, language_tags.py, body_syntax.py) and of a built site after it (site.py,
html_validity.py). Import nothing from build/ but its stamp, nor preview/ or deploy/."""
