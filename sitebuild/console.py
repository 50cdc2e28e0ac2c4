"""The build's terminal output: warnings one unwrapped line each, errors left to the summary
of a failed build, and Pelican's closing summary on one line, only for a render that
succeeded. Pelican prints it on ``pelican.log.console`` (undocumented): checked against this
Pelican, tripwired in tests/test_plugins_speed_kit.py."""

import logging
import sys

PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {"pelican.log.console": "Console", "pelican.log.console.soft_wrap": "bool"}


def one_line(message: str) -> str:
    """Some of Pelican's messages span lines ("Cannot get modification stamp…\\n\\t[Errno 2]…");
    a problem is one line, so that each line of the terminal is one problem."""
    return "; ".join(line.strip() for line in message.splitlines() if line.strip())


class OneLineFormatter(logging.Formatter):
    def formatMessage(self, record):  # the message only: a traceback (--debug) keeps its lines
        return one_line(super().formatMessage(record))


def plain_log_handler() -> logging.Handler:
    """Warnings and notes on stderr, one line each (a terminal-wide layout broke file names
    in two); errors are printed once, in the failed build's summary."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(levelname)s: %(message)s"))
    handler.addFilter(lambda record: record.levelno < logging.ERROR)
    return handler


def print_failure(output, problems: list[str]) -> None:
    """A failed build's summary, as the command line and the live preview print it."""
    errors = "".join(f"\n  error: {problem}" for problem in problems)
    print(f"\nBuild failed; {output} was left unchanged.{errors}", file=sys.stderr)


def start_logging(quiet: bool) -> None:
    from pelican.log import console
    from pelican.log import init as init_logging

    console.soft_wrap = True  # not folded at the terminal's width, even mid-word
    init_logging(level=logging.WARNING if quiet else logging.INFO, handler=plain_log_handler())


def holding_summary():
    """Hold back what Pelican prints on its console (its "Done: Processed …" line) while the
    block runs: ``held.get()`` is printed only if the render turns out to have succeeded.
    Not stdout: what a plugin (or pdb) prints, or another thread (the live preview's server).
    Pelican has no public way to leave the line out (docs/architecture.md)."""
    from pelican.log import console

    return console.capture()  # in this thread only (rich's buffer is per thread)
