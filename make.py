#!/usr/bin/env python3
"""Run an invoke task in the project's own virtual environment, creating it first.

The README's quick start must work on a machine with nothing but Python 3, so this
script is the one entry point that needs no installed packages:

    python3 make.py build      # build the site into output/
    python3 make.py test       # run the whole test suite

Any other arguments are passed to invoke unchanged (`python3 make.py --list`).
The environment lives in .venv/ and is reinstalled only when a requirements file
changes (a hash of them is stamped inside it).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# Tasks that only build need the runtime pins; everything else gets the test pins too.
BUILD_ONLY_TASKS = {"build", "publish", "serve", "livereload", "new", "clean", "deploy"}


def requirements_for(args):
    task = next((a for a in args if not a.startswith("-")), "")
    name = "requirements.txt" if task in BUILD_ONLY_TASKS else "requirements-test.txt"
    return ROOT / name


def digest(requirements):
    files = [requirements]
    files += [ROOT / line.split()[1] for line in requirements.read_text().splitlines()
              if line.startswith("-r ")]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]


def ensure_environment(requirements):
    stamp = VENV / f".installed-{requirements.stem}-{digest(requirements)}"
    if stamp.exists():
        return
    if not (BIN / "python").exists():
        print(f"make.py: creating {VENV.relative_to(ROOT)}/", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    print(f"make.py: installing {requirements.name}", file=sys.stderr)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "-r", str(requirements)], check=True)
    for old in VENV.glob(f".installed-{requirements.stem}-*"):
        old.unlink()
    stamp.touch()


def main(args):
    ensure_environment(requirements_for(args))
    os.chdir(ROOT)
    invoke = BIN / "invoke"
    os.execv(str(invoke), [str(invoke), *args])


if __name__ == "__main__":
    main(sys.argv[1:] or ["--list"])
