"""Build the development site again and again in one process, for previews:
``python -m sitebuild.warm_build [--output DIR] [--content DIR] [--cache DIR]``.

Starting Python and importing Pelican, Markdown, Pygments and the plugins took most of a
small site's rebuild; a process that stays up pays it once. It reads ``build`` lines on
stdin, each with the JSON list of the files changed since the build before, and
answers each with one JSON line on stdout: ``{"problems": [...], "drafts": [...]}`` (no
problems: the new site is in the output folder). Before it, for a body edit of one post,
comes ``{"early": {"save_as": ..., "html": ...}}``: that post's page, rendered from the
last build's content model (early_page.py) for the preview to show first. Everything
else it prints goes to stderr, so nothing Pelican or a plugin prints can garble an answer.

Each build is sitebuild.build.build, as `python -m sitebuild` runs it: lock, staging
folder, atomic swap.

What Pelican keeps between runs in one process was checked, and is
reset here where it would change a build: Pelican's log filter drops a message it has
already shown (so a second build would hide the warnings of the first), and
pelicanconf.py prepends plugins/ to sys.path each time it is read (one copy is kept: an
early page may be the first read to import a Markdown extension from it). Plugins connect
module-level functions to blinker signals, which keys receivers by identity, so
connecting them again on every ``Pelican()`` adds nothing; the finishing and draft
receivers are disconnected after each build. Templates are read afresh by each
``Pelican()``; what each compiles to is kept in memory (Jinja's bytecode cache, checked
against the template's text, so an edited template is compiled again): compiling the
theme once per generator was half of a small site's rebuild.

Plugins also keep state between Pelican's signals (pelican-sitemap holds its queue of
pages from ``get_generators`` to ``finalized``), which a run stopped half-way leaves
behind: content_checks.py stops Pelican on a content error. So a build that started
Pelican and did not see it finish is this process's last (``"last": true`` in the
answer); live_build.py starts a new one for the next build.

What this process cannot see is an edit to its own code, the plugins, the settings
files or the installed packages, already imported: sitebuild/live_build.py replaces the
process when any of them changes (tests/test_preview_loop.py compares warm rebuilds
with a clean build).
"""

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path

import jinja2

from .build import OUTPUT, BuildError, build
from .drafts import collecting_drafts
from .early_page import LastModel, early_page


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory: it lives as long as this process, whose code and
    settings (the Jinja options among them) cannot change under it (live_build.py)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def keep_compiled_templates() -> None:
    """Give every Jinja environment Pelican makes from now on one CompiledTemplates."""
    from pelican import generators

    if getattr(generators.Environment, "keeps_compiled_templates", False):
        return
    shared = CompiledTemplates()

    class Environment(generators.Environment):
        keeps_compiled_templates = True

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("bytecode_cache", shared)
            super().__init__(*args, **kwargs)

    generators.Environment = Environment


@contextlib.contextmanager
def pelican_runs():
    """Count the Pelican runs started and finished inside the block."""
    from pelican import signals

    runs = {"started": 0, "finished": 0}

    def started(pelican):
        runs["started"] += 1

    def finished(pelican):
        runs["finished"] += 1

    with signals.initialized.connected_to(started), signals.finalized.connected_to(finished):
        yield runs


class WarmBuilder:
    def __init__(self, output: Path = OUTPUT, overrides: dict | None = None):
        self.output = Path(output)
        self.overrides = dict(overrides or {})
        self.model = LastModel()
        keep_compiled_templates()

    def early(self, changed: list[str]) -> dict | None:
        """The early page for these changed files (early_page.py), or None."""
        try:
            return early_page(self.model, changed)
        except Exception as error:  # the whole build follows; a fault here must still show
            logging.getLogger(__name__).warning("No early page: %s: %s", type(error).__name__, error)
            return None

    def build(self) -> dict:
        """Build once; return the problems (none on success), the drafts, and whether
        this process must build no more (``last``)."""
        from pelican.log import LimitFilter

        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        answer = {"problems": [], "drafts": []}
        try:
            with collecting_drafts() as drafts, pelican_runs() as runs, self.model.catching() as caught:
                build(output=self.output, overrides=self.overrides)
            answer["drafts"] = [dataclasses.asdict(draft) for draft in drafts]
            self.model.keep(caught)
        except BuildError as error:
            answer["problems"] = error.problems
        except Exception as error:  # a fault in the build; the next save may mend it
            logging.getLogger(__name__).exception("the build failed unexpectedly")
            answer["problems"] = [f"the build failed unexpectedly: {type(error).__name__}: {error}"]
        finally:
            sys.path[:] = dict.fromkeys(sys.path)
        answer["last"] = runs["started"] != runs["finished"]
        return answer


def send(answers, answer: dict) -> None:
    answers.write(json.dumps(answer) + "\n")
    answers.flush()


def serve_requests(builder: WarmBuilder, requests, answers) -> None:
    for line in requests:
        request, _, changed = line.strip().partition(" ")
        if request != "build":
            continue
        page = builder.early(json.loads(changed) if changed else [])
        if page is not None:
            send(answers, {"early": page})
        answer = builder.build()
        send(answers, answer)
        if answer["last"]:
            return


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sitebuild.warm_build", description=__doc__)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--content", type=Path)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args(argv)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    from pelican.log import init as init_logging

    from .console import plain_log_handler

    init_logging(level=logging.WARNING, handler=plain_log_handler())
    overrides = {}
    if args.content:
        overrides["PATH"] = str(args.content.resolve())
    if args.cache:
        overrides["CACHE_PATH"] = str(args.cache.resolve())
    # Ctrl-C reaches the whole terminal; the server reports it.
    builder = WarmBuilder(args.output, overrides)
    with contextlib.suppress(KeyboardInterrupt):
        serve_requests(builder, sys.stdin, answers)


if __name__ == "__main__":
    main()
