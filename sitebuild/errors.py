"""Turn Pelican's logged errors into one failure that names each post and the problem.

Pelican logs most content problems and carries on, leaving a site with pages missing.
Every ERROR record is collected here instead, and the build fails after Pelican returns,
listing all of them at once so an author can fix every post in one pass.
"""

import logging
import os
import sys


def plain_log_handler() -> logging.Handler:
    """Warnings and notes on stderr, one unwrapped line each (a terminal-wide layout
    broke file names in two). Errors are left to the summary printed when the build
    fails, so each is printed once."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.addFilter(lambda record: record.levelno < logging.ERROR)
    return handler


class BuildError(Exception):
    """A build that must not be published. ``problems`` are one-line messages."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        # Pelican logs "Could not process x.md" without the exception unless DEBUG is set;
        # the handler runs inside its except block, so the reason can still be had here.
        self.records.append((record, sys.exc_info()[1]))

    def messages(self, content_path):
        seen = []
        for record, exception in self.records:
            message = describe(record, content_path, exception)
            if message not in seen:
                seen.append(message)
        return seen

    def raise_if_any(self, content_path):
        if self.records:
            raise BuildError(self.messages(content_path))


def describe(record, content_path, exception=None):
    """One line for a log record, with absolute content paths made relative to content/."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call must not hide the original problem
        message = str(record.msg)
    if record.exc_info and record.exc_info[1] is not None:
        exception = record.exc_info[1]
    detail = str(exception or "").strip()
    if detail and detail not in message:
        message = f"{message}: {detail}"
    prefix = str(content_path).rstrip(os.sep) + os.sep
    # Some of Pelican's messages span lines ("Cannot load plugin…\nCannot import…"); a
    # problem is one line, so that each line of the report is one problem.
    return "; ".join(line.strip() for line in message.replace(prefix, "").splitlines() if line.strip())
