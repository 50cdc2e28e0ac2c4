"""Stop Pelican run by hand on publishconf.py, before it writes anything.

Why: `pelican content -s publishconf.py` would otherwise write a site into output/ that
looks published but is not finished: not minified or precompressed, without its search
index or the stamp `invoke deploy` checks, and written over whatever output/ held rather
than swapped in whole. Those steps belong to sitebuild/, which runs Pelican itself; its
settings carry the build it runs (``sitebuild.build_of``), which a direct run lacks.

Why a local plugin: it guards this project's own build pipeline, which no maintained
plugin knows about; publishconf.py is the only place that enables it.
"""

from pelican import signals

from sitebuild import build_of

COMMAND = "python3 make.py publish"


def refuse_direct_runs(pelican):
    if not build_of(pelican.settings).by_sitebuild:
        # SystemExit, not an exception: Pelican logs those with a traceback and goes on
        # to exit; this is one line for a person who typed the wrong command.
        raise SystemExit(
            f"Run `{COMMAND}` instead: Pelican alone does not minify, index for search "
            "or stamp for deploy the production site (publishconf.py)."
        )


def register():
    signals.initialized.connect(refuse_direct_runs)
