"""Build orchestration shared by tasks.py and the tests.

Markdown in content/ → Pelican (plugins/, theme/) → a fresh staging folder →
post-processing → swapped into output/ only when every step succeeded.
"""
