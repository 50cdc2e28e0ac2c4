"""The speed kit: plugins that change how fast the site builds, never what it builds.

Each module replaces a piece of Pelican's, Python-Markdown's or Pygments' internals, so
``SPEED_KIT`` turns them all off; test_plugins_speed_kit_builds.py finds both builds
byte-identical, and test_plugins_speed_kit.py checks each ``*_INTERNALS`` against ``*_CHECKED``."""

SETTING = "SPEED_KIT"


def enabled(settings) -> bool:
    return bool(settings.get(SETTING))


def register():
    from . import frozen_urls, highlight_styles, markdown_reuse, page_reuse

    for module in (frozen_urls, markdown_reuse, page_reuse, highlight_styles):
        module.register()
