"""The live preview's build process: it stays up, so Python, Pelican and the compiled
templates load once and the last content model is at hand for the early page
(early_page.py). ``LiveBuilder`` replaces it when the code it imported changes
(code_folders.py) or Pelican stopped half-way; it dies with the server (lifeline.py).
Each build is build.build, as `python -m sitebuild` runs it (docs/performance.md)."""

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from ..code_folders import PACKAGE_FOLDERS, ROOT, code_files, code_folders
from ..lifeline import child_dies_with_me

# What this module relies on in Pelican's internals (tests/test_plugins_speed_kit.py).
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.generators.Environment": "type",  # replaced, to keep compiled templates
    "pelican.log.LimitFilter._raised_messages": "set",  # cleared: each build shows its warnings
    "pelican.log.LimitFilter._group_count": "defaultdict",
}


def code_stamp(root: Path = ROOT) -> str:
    """A digest of the code the build process imports: sitebuild/, the plugins, the
    settings and the installed packages (templates are read afresh by every build)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in code_files([folder for folder in code_folders(root=root) if folder.name != "theme"], root):
        digest.update(f"{path}\0".encode() + (path.read_bytes() if path.is_file() else b"(missing)"))
    for folder in PACKAGE_FOLDERS:
        digest.update("\0".join(sorted(p.name for p in folder.iterdir())).encode())
    return digest.hexdigest()


class LiveBuilder:
    """``rebuild(changed, on_early)`` builds the development site into ``output`` with
    current code and returns ``{"problems": [...], "drafts": [...]}``; for a body edit of
    one post, ``on_early(page)`` gets its page first. ``root``: the project that builds."""

    def __init__(self, output: Path, content: Path | None = None, cache: Path | None = None, root=ROOT):
        overrides = {"PATH": str(Path(content).resolve())} if content else {}
        if cache:
            overrides["CACHE_PATH"] = str(Path(cache).resolve())
        self.command = [
            sys.executable,
            "-m",
            "sitebuild.preview.live_build",
            str(output),
            json.dumps(overrides),
        ]
        self.output, self.root, self.process, self.stamp = Path(output), Path(root), None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stdin.close()  # the process ends when its requests do
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process = None

    def rebuild(self, changed=(), on_early=None) -> dict:
        stamp = code_stamp(self.root)
        if self.process is None or self.process.poll() is not None or stamp != self.stamp:
            if self.process is not None and stamp != self.stamp:
                print("The build code changed: starting a new build process.", file=sys.stderr)
            self.stop()
            self.stamp, pipe = stamp, subprocess.PIPE
            self.process = subprocess.Popen(
                self.command,
                cwd=self.root,
                stdin=pipe,
                stdout=pipe,
                text=True,
                preexec_fn=child_dies_with_me(),
            )
        answer = ""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.write(json.dumps(sorted(map(str, changed))) + "\n")
            self.process.stdin.flush()
            while (answer := self.process.stdout.readline()).startswith('{"early"'):
                if on_early is not None:
                    on_early(json.loads(answer)["early"])
        if not answer:
            code, self.process = self.process.wait(), None
            return {"problems": [f"the build process ended unexpectedly (exit status {code})"], "drafts": []}
        answer = json.loads(answer)
        if answer.pop("last"):  # Pelican stopped half-way: a plugin's state is left behind
            self.stop()
        return answer


def keep_compiled_templates() -> None:
    """Give every Jinja environment Pelican makes one in-memory bytecode cache (Jinja checks
    each entry against the template's text); it lives as long as this process's code."""
    import jinja2
    from pelican import generators

    class CompiledTemplates(jinja2.BytecodeCache):
        compiled: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            if bucket.key in self.compiled:
                bucket.bytecode_from_string(self.compiled[bucket.key])

        def dump_bytecode(self, bucket):
            self.compiled[bucket.key] = bucket.bytecode_to_string()

    shared = CompiledTemplates()

    class Environment(generators.Environment):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, bytecode_cache=shared, **kwargs)

    generators.Environment = Environment


def build_once(output: Path, overrides: dict, model) -> dict:
    """One build; its problems (none on success), its drafts, and whether it is this process's last."""
    from pelican.log import LimitFilter

    from ..build.drafts import collecting_drafts
    from ..build.pipeline import BuildError, build

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    answer, caught = {"problems": [], "drafts": []}, {}
    try:
        with collecting_drafts() as drafts, model.catching(caught):
            build(output=output, overrides=overrides)
        answer["drafts"] = [dataclasses.asdict(draft) for draft in drafts]
        model.keep(caught)
    except BuildError as error:
        answer["problems"] = error.problems
    except Exception as error:  # a fault in the build; the next save may mend it
        logging.getLogger(__name__).exception("the build failed unexpectedly")
        answer["problems"] = [f"the build failed unexpectedly: {type(error).__name__}: {error}"]
    answer["last"] = "initialized" in caught and "pelican" not in caught
    return answer


def send(answers, answer: dict) -> None:
    answers.write(json.dumps(answer) + "\n")
    answers.flush()


def serve_builds(output: Path, overrides: dict, requests, answers) -> None:
    """For each line of changed files: the early page if there is one, then the build's answer."""
    from .early_page import LastModel, early_page

    keep_compiled_templates()
    model = LastModel()
    for line in requests:
        try:
            page = early_page(model, json.loads(line))
        except Exception as error:  # the whole build follows; a fault here must still show
            logging.getLogger(__name__).warning("No early page: %s: %s", type(error).__name__, error)
            page = None
        if page:  # sent before the build starts
            send(answers, {"early": page})
        answer = build_once(output, overrides, model)
        send(answers, answer)
        if answer["last"]:
            break


if __name__ == "__main__":
    from pelican.log import init as init_logging

    from ..console import plain_log_handler

    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")  # only answers: print() goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    init_logging(level=logging.WARNING, handler=plain_log_handler())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole terminal; the server reports it
        serve_builds(Path(sys.argv[1]), json.loads(sys.argv[2]), sys.stdin, answers)
