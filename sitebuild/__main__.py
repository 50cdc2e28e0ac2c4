"""Command line for the build: ``python -m sitebuild [--production] [--siteurl URL] [--output DIR]``.

Exit status 0 on success; 1 with one line per problem on a content error, and no
Python traceback, because the reader of that message is an author, not a developer.
"""

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path

from . import Build
from .build.drafts import PREVIEW_ORIGIN, collecting_drafts, describe
from .build.errors import code_fault
from .build.pipeline import BuildError, build
from .console import print_failure, start_logging


def user_path(text: str) -> Path:
    """A folder as typed, "~/" the home folder's, as the shell reads it but not after "--output="
    ("~name", another account's home, stays as typed)."""
    return Path.home() / text[2:] if text == "~" or text.startswith("~/") else Path(text)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__)
    parser.add_argument("--production", action="store_true", help="use publishconf.py")
    parser.add_argument("--siteurl", help="absolute origin the site will be served from")
    parser.add_argument(
        "--output", type=user_path, default=Build.output, help="folder to replace with the site"
    )
    parser.add_argument("--content", type=user_path, help="content folder (default: content/)")
    parser.add_argument("--cache", type=user_path, help="Pelican cache folder (default: cache/)")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="log only warnings and errors, and the summary of a build that succeeded",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks of failures")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="override one setting, e.g. --set MINIFY=false (repeatable)",
    )
    return parser.parse_args(argv)


class Stopped(BaseException):
    """The build was asked to stop (SIGTERM, SIGHUP or Ctrl-C)."""


def stop(signum, frame):
    raise Stopped(signum)


def main(argv=None):
    args = parse(argv)
    # Stopping runs the build's clean-up (staging folder removed, workers ended) before
    # exiting; SIGKILL cannot be caught, and its leftovers go with the next build.
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, stop)
    start_logging(args.quiet)
    overrides = {}
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        overrides[name] = json.loads(value)
    site = Build(args.output, args.content, args.production, args.siteurl, args.cache, overrides)
    try:
        with collecting_drafts() as drafts:
            build(site)
    except BuildError as error:
        return failed(args, error.problems, error.__cause__)
    except Exception as error:  # a fault in the build's code: one line too (--debug shows where)
        return failed(args, code_fault(error).problems, error)
    except Stopped as stopped:
        print(
            f"\nBuild stopped by {signal.Signals(stopped.args[0]).name}; {args.output} was left unchanged.",
            file=sys.stderr,
        )
        return 128 + stopped.args[0]
    if drafts:
        print(describe(drafts, (args.siteurl or PREVIEW_ORIGIN).rstrip("/")))
    return 0


def failed(args, problems: list[str], cause: BaseException | None) -> int:
    print_failure(args.output, problems)
    if args.debug and cause is not None:
        import traceback

        traceback.print_exception(cause)
    return 1


def exit_now(status: int) -> None:
    """End the process without tearing down the interpreter. Everything the build writes
    is closed, and the output swapped, before main() returns; what is left is freeing
    Pelican's whole content model object by object (its cost: docs/performance.md)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(main())
