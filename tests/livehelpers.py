"""The live preview's builds (sitebuild/preview/live.py's LiveBuild) in a process of their own
in a project copy, driven a line of JSON at a time: the process restarts itself (execv) as
the preview does when LiveBuild says so, and its first build after a restart is a whole one."""

import json
import subprocess
import sys
from pathlib import Path

DRIVER = """
import dataclasses, json, sys
from pathlib import Path
from sitebuild.console import start_logging
from sitebuild.preview.live import LiveBuild, restart
start_logging(quiet=True)
builder = LiveBuild(Path(sys.argv[1]), cache=Path(sys.argv[2]))
print(json.dumps({"started": True}), flush=True)
for line in sys.stdin:
    answer = builder.rebuild(json.loads(line), lambda page: print(json.dumps({"early": page}), flush=True))
    if answer.get("restart"):
        restart()
    print(json.dumps({**answer, "drafts": [dataclasses.asdict(d) for d in answer["drafts"]]}), flush=True)
"""


class LiveBuilder:
    """``rebuild(changed, on_early)`` as LiveBuild's, in a process in ``root``; ``starts``
    counts the times it started, and ``log`` holds what it wrote on its stderr."""

    def __init__(self, output: Path, cache: Path, root: Path):
        self.output, self.cache, self.root, self.process, self.starts = Path(output), cache, root, None, 0
        self.log = self.output.with_name(f"{self.output.name}-live-build.log")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
            self.process.stdout.close()
            self.process = None

    def rebuild(self, changed=(), on_early=None) -> dict:
        if self.process is None:
            command = [sys.executable, "-c", DRIVER, str(self.output), str(self.cache)]
            with open(self.log, "a") as log:
                self.process = subprocess.Popen(
                    command,
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                )
            assert "started" in self.said()
            self.starts += 1
        self.ask(sorted(map(str, changed)))
        while "problems" not in (said := self.said()):
            if "started" in said:  # restarted: the first build is a whole one, as the preview's
                self.starts += 1
                self.ask([])
            elif on_early is not None:
                on_early(said["early"])
        return said

    def ask(self, changed: list[str]) -> None:
        self.process.stdin.write(json.dumps(changed) + "\n")
        self.process.stdin.flush()

    def said(self) -> dict:
        while line := self.process.stdout.readline():
            if line.startswith("{"):  # anything else is the build's own output
                return json.loads(line)
        raise AssertionError(f"the live build's process ended (exit status {self.process.wait()})")
