"""The preview server's builder: a warm build process (sitebuild/warm_build.py), replaced
whenever the code it has imported changes.

A process that stays up keeps the modules it imported, so after an edit to a plugin,
to sitebuild/, to the settings files or to the installed packages it would go on
building with the old code. Before every build the code is compared with what it was
when the process started (by content; packages by the names of their install records,
which carry the version); if anything differs the process is stopped and a new one
started, which then builds. Template edits need no restart: every build reads them.

The build process dies with the server (sitebuild/lifeline.py), and one that dies on
its own is reported as a failed build and started again for the next one.
"""

import hashlib
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from .lifeline import child_dies_with_me

ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ["sitebuild", "plugins"]
SETTINGS_FILES = ["pelicanconf.py", "publishconf.py"]
PACKAGE_FOLDERS = sorted({Path(sysconfig.get_paths()[name]) for name in ("purelib", "platlib")})


def code_files(root: Path) -> list[Path]:
    found = [
        p
        for folder in CODE_FOLDERS
        for p in (root / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return sorted(found) + [root / name for name in SETTINGS_FILES]


def code_stamp(root: Path = ROOT) -> str:
    """A digest of the code a build process imports: the project's and the packages'."""
    digest = hashlib.blake2b(digest_size=16)
    for path in code_files(root):
        digest.update(f"{path}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    for folder in PACKAGE_FOLDERS:
        digest.update("\0".join(sorted(p.name for p in folder.iterdir())).encode())
    return digest.hexdigest()


class LiveBuilder:
    """``rebuild()`` builds the development site into ``output`` with current code and
    returns ``{"problems": [...], "drafts": [...]}``; use it as a context manager.
    ``root``: the project whose code builds (tests build copies of it)."""

    def __init__(
        self, output: Path, content: Path | None = None, cache: Path | None = None, root: Path = ROOT
    ):
        self.root = Path(root)
        self.command = [sys.executable, "-m", "sitebuild.warm_build", "--output", str(output)]
        if content:
            self.command += ["--content", str(content)]
        if cache:
            self.command += ["--cache", str(cache)]
        self.process = None
        self.stamp = None

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

    def _start(self, stamp: str) -> None:
        self.stop()
        self.stamp = stamp
        self.process = subprocess.Popen(
            self.command,
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=child_dies_with_me(),
        )

    def rebuild(self, changed=(), on_early=None) -> dict:
        """Build; ``changed``: the files changed since the last build. For a body edit of
        one post, ``on_early(page)`` gets that post's page first (early_page.py)."""
        stamp = code_stamp(self.root)
        if self.process is None or self.process.poll() is not None or stamp != self.stamp:
            if self.process is not None and stamp != self.stamp:
                print("The build code changed: starting a new build process.", file=sys.stderr)
            self._start(stamp)
        try:
            self.process.stdin.write(f"build {json.dumps(sorted(map(str, changed)))}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            while answer.startswith('{"early"'):
                if on_early is not None:
                    on_early(json.loads(answer)["early"])
                answer = self.process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            code = self.process.wait()
            self.process = None
            return {"problems": [f"the build process ended unexpectedly (exit status {code})"], "drafts": []}
        answer = json.loads(answer)
        if answer.pop("last"):  # Pelican stopped half-way, leaving plugin state behind (warm_build.py)
            self.stop()
        return answer
