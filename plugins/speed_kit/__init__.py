"""The speed kit: plugins that change how fast the site builds, never what it builds.

- frozen_urls.py: each URL and file name is computed once per build, not on every read;
- markdown_reuse.py: one Python-Markdown instance reads every post;
- page_reuse.py: a development rebuild links unchanged pages from the previous build
  (used through site_writer.py, because Pelican takes one writer class);
- highlight_styles.py: Pygments builds its style tables once per style, not once per
  code block.

Why kept apart: each works by replacing a piece of Pelican's (or Pygments') internals,
which no public signal reaches. So the kit is switched by one setting, ``SPEED_KIT``: off (or
unset), Pelican builds exactly as it would without these modules, and
tests/test_plugins_speed_kit_builds.py builds the site both ways, in development and in
production, and finds every file byte-identical. Each module lists what it relies on
in Pelican (``PELICAN_INTERNALS``) and the Pelican version it was checked against, or in
Pygments (``PYGMENTS_INTERNALS``, ``PYGMENTS_CHECKED``);
tests/test_plugins_speed_kit.py fails when Pelican, Pygments or any of those changes.
"""

SETTING = "SPEED_KIT"


def enabled(settings) -> bool:
    return bool(settings.get(SETTING))


def register():
    from . import frozen_urls, highlight_styles, markdown_reuse, page_reuse

    for module in (frozen_urls, markdown_reuse, page_reuse, highlight_styles):
        module.register()
