"""The build's terminal output: warnings one unwrapped line each, errors left to the summary
of a failed build, and Pelican's closing summary on one line, only for a render that
succeeded."""

import io
import logging
import sys
from contextlib import redirect_stdout


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


def start_logging(quiet: bool) -> None:
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING if quiet else logging.INFO, handler=plain_log_handler())


def holding_summary() -> redirect_stdout:
    """Hold back what Pelican prints on stdout while the block runs (its "Done: Processed …"
    line); ``summary(held)`` is printed only if the render turns out to have succeeded."""
    return redirect_stdout(io.StringIO())


def summary(held: io.StringIO) -> str:
    """The held summary on one line: rich wrapped it at the terminal's width."""
    text = " ".join(line.strip() for line in held.getvalue().splitlines() if line.strip())
    return text + "\n" if text else ""
