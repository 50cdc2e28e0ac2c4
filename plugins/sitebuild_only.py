"""Stop Pelican run by hand on publishconf.py, before it writes anything.

Why: such a run would write an unfinished site (not minified, no search index, no stamp)
over output/. A sitebuild run carries ``BUILD_FINGERPRINT``, which a direct run lacks.
"""

from pelican import signals

COMMAND = "python3 make.py publish"


def refuse_direct_runs(pelican):
    if not pelican.settings.get("BUILD_FINGERPRINT"):
        # SystemExit, not an exception: Pelican logs those with a traceback and goes on
        # to exit; this is one line for a person who typed the wrong command.
        raise SystemExit(
            f"Run `{COMMAND}` instead: Pelican alone does not minify, index for search "
            "or stamp for deploy the production site (publishconf.py)."
        )


def register():
    signals.initialized.connect(refuse_direct_runs)
