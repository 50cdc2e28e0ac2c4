"""Turn Pelican's logged errors into one failure that names each post and the problem, all
at once, so an author fixes every post in one pass; a full disk, and a template's error by
its file and line, are named as such."""

import errno
import logging
import os
import sys
import traceback
from pathlib import Path

import jinja2
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from .. import ROOT
from ..console import one_line

JINJA = Path(jinja2.__file__).parent  # its built-in filters and tests


class BuildError(Exception):
    """A build that must not be published. ``problems`` are one-line messages; ``fault``:
    the cause is a fault in the build's code, not the content or the machine."""

    def __init__(self, problems, fault=False):
        self.problems = list(problems)
        self.fault = fault
        super().__init__("\n".join(self.problems))


class ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        # Pelican logs "Could not process x.md" without the exception unless DEBUG is set;
        # the handler runs inside its except block, so the reason can still be had here.
        self.records.append((record, sys.exc_info()[1]))

    def raise_if_any(self, content_path):
        if self.records:
            # The cause: a full disk (build() names its folder), else the first error (--debug shows it).
            errors = [error for _, error in self.records if error is not None]
            cause = next((error for error in errors if disk_full(error)), errors[0] if errors else None)
            messages = (describe(record, content_path, error) for record, error in self.records)
            raise BuildError(list(dict.fromkeys(messages))) from cause


def disk_full(error: BaseException | None) -> OSError | None:
    """The "no space left" or "quota exceeded" error behind ``error``, if any."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return error
        error = error.__cause__ or error.__context__
    return None


def nearly_full(folder) -> bool:
    """Whether the disk holding ``folder`` has less than a mebibyte free."""
    try:
        space = os.statvfs(folder)
    except OSError:
        return False
    return space.f_bavail * space.f_frsize < 1 << 20


def code_fault(error: Exception) -> BuildError:
    """The one line for an error no check expected: a fault in the build's code."""
    return BuildError([f"the build failed unexpectedly: {type(error).__name__}: {error}"], fault=True)


def template_problem(error: Exception) -> str | None:
    """The line for an error in a template, where Jinja says where: "theme/templates/x.html:3: …";
    any error a template's own code raises ("Part " + a number) is named by its place too."""
    if isinstance(error, TemplateSyntaxError):  # TemplateAssertionError too: found while compiling
        places = [(error.filename, error.lineno)] if error.filename else []
    else:  # raised while rendering: Jinja maps its frames to templates
        frames = list(traceback.walk_tb(error.__traceback__))
        places = [(f.f_code.co_filename, line) for f, line in frames if "__jinja_exception__" in f.f_globals]
        # Jinja's own errors come from its runtime; any other is the template's only where its code
        # or Jinja's raised it ("|sort" of mixed values), not a plugin's filter (a fault in the build's code).
        raised_in = frames[-1][0].f_code.co_filename if frames else ""
        jinja = Path(raised_in).is_relative_to(JINJA)
        if not isinstance(error, TemplateError) and places and raised_in != places[-1][0] and not jinja:
            places = []
    if not places:
        return None
    path, line = places[-1]  # the innermost: an included template's, not the page's
    message = error.message if isinstance(error, TemplateError) else f"{type(error).__name__}: {error}"
    if isinstance(error, TemplateNotFound):
        message = f"no template named {error.name}"
    return one_line(f"{shown(path)}:{line}: {message}")


def shown(path) -> str:
    """``path`` as an author finds it: relative to the project when inside it."""
    return os.path.relpath(path, ROOT) if Path(os.path.abspath(path)).is_relative_to(ROOT) else str(path)


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
    return one_line(message.replace(str(content_path).rstrip(os.sep) + os.sep, ""))
