"""Measurements of the built site in a real browser: page weight against its budget
(page_weight.py) and Lighthouse scores (audit.py). Performance figures live here, never
in timed test assertions."""
