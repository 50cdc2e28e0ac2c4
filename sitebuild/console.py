"""The build's terminal output: warnings one unwrapped line each, errors left to the summary
of a failed build, and Pelican's closing summary on one line, only for a render that
succeeded. Pelican prints it on ``pelican.log.console`` (undocumented): checked against this
Pelican, tripwired in tests/test_plugins_speed_kit.py."""

import logging
import sys

PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {"pelican.log.console": "Console", "pelican.log.console.soft_wrap": "bool"}


def plain_log_handler() -> logging.Handler:
    """Warnings and notes on stderr, one line each (a terminal-wide layout broke file names
    in two); errors are printed once, in the failed build's summary."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.addFilter(lambda record: record.levelno < logging.ERROR)
    return handler


def start_logging(quiet: bool) -> None:
    from pelican.log import console
    from pelican.log import init as init_logging

    console.soft_wrap = True
    init_logging(level=logging.WARNING if quiet else logging.INFO, handler=plain_log_handler())


def holding_summary():
    """Hold back what Pelican prints on its console (its "Done: Processed …" line) while the
    block runs: ``held.get()`` is printed only if the render turns out to have succeeded."""
    from pelican.log import console

    return console.capture()
