"""Stop Pelican run by hand on publishconf.py, before it writes anything: it would write an
unfinished site (not minified, no search index, no stamp) over output/. A sitebuild run's
settings carry its build (``sitebuild.build_of``); a direct run's do not."""

from pelican import signals

from sitebuild import MAKE_COMMAND, build_of


def refuse_direct_runs(pelican):
    if not build_of(pelican.settings).by_sitebuild:
        # SystemExit, not an exception: Pelican logs those with a traceback and goes on
        # to exit; this is one line for a person who typed the wrong command.
        raise SystemExit(
            f"Run `{MAKE_COMMAND} publish` instead: Pelican alone does not minify, index for search "
            "or stamp for deploy the production site (publishconf.py)."
        )


def register():
    signals.initialized.connect(refuse_direct_runs)
