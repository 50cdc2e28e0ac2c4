"""Tasks for authors and maintainers: `invoke --list` describes each.

Thin wrappers: the work is done by sitebuild/, which the tests call the same way.
"""

import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
PY = sys.executable
# For c.run, which hands its command to a shell: the project's path may hold spaces.
SHELL_PY = shlex.quote(PY)
# Two pytest-xdist workers, a test file to each at a time (tests/conftest.py orders and groups
# them): the suite is mostly one build subprocess after another, each on one CPU, so two
# files at once use CI's 2 CPUs (docs/architecture.md, "The test suite"). `--args="-n 0"`
# runs it in one process.
TEST_WORKERS = "--numprocesses 2 --dist loadfile --no-loadscope-reorder"
# A line per test as it starts and as it ends, "[gw0] [ 42%] PASSED tests/test_feeds.py::…":
# a run of minutes shows where it is, not rows of dots. `--args=-q` quietens it again.
TEST_OPTIONS = f"{TEST_WORKERS} --verbose"


def _build(production=False, siteurl=None, quiet=True) -> int:
    """Run the build; return its exit status. It shares this terminal (no pipe to drain)
    and is killed if this process dies, so it can neither hang invoke nor outlive it."""
    from sitebuild.lifeline import child_dies_with_me

    command = [PY, "-m", "sitebuild"]
    if production:
        command.append("--production")
    if siteurl:
        command += ["--siteurl", siteurl]
    if quiet:
        command.append("--quiet")
    code = subprocess.run(command, cwd=ROOT, preexec_fn=child_dies_with_me()).returncode
    if code < 0:  # killed: it could say nothing itself
        print(
            f"\nthe build was killed ({signal.Signals(-code).name}); {OUTPUT} was left unchanged.",
            file=sys.stderr,
        )
        return 1
    return code


def _exit_on_failure(result):
    code = result if isinstance(result, int) else result.exited
    if code != 0:
        sys.exit(code)


@task
def build(c):
    """Build the development site into output/ (drafts previewable under /drafts/)."""
    _exit_on_failure(_build())


@task(help={"siteurl": "absolute origin to build for, e.g. http://127.0.0.1:8000"})
def publish(c, siteurl=None):
    """Build the production site into output/ with publishconf.py."""
    _exit_on_failure(_build(production=True, siteurl=siteurl))


@task(help={"port": "port to listen on (default 8000)", "bind": "address (default 127.0.0.1)"})
def serve(c, port=8000, bind="127.0.0.1"):
    """Serve output/ at http://127.0.0.1:8000/ (run build or publish first)."""
    from sitebuild.preview.server import serve_output

    serve_output(OUTPUT, bind, int(port))


@task(help={"port": "port to listen on (default 8000)"})
def livereload(c, port=8000):
    """Build, serve, and rebuild + reload the browser whenever content, theme or code changes."""
    from sitebuild.preview.live import live

    live(OUTPUT, int(port))


@task(
    help={
        "title": "the post's title",
        "category": "comma-separated categories",
        "tags": "comma-separated tags",
    }
)
def new(c, title, category="", tags=""):
    """Create content/articles/YEAR/<slug>.md as a draft, with today's date.

    Usage: new "A title" [--category "xen, linux"] [--tags "xen, dom0"]
    """
    from sitebuild.scaffold import new_post

    if title in ("--help", "-h"):
        # invoke gives the token after `new` to its title before it looks for --help.
        sys.exit(subprocess.run([PY, "-m", "invoke", "--help", "new"], cwd=ROOT).returncode)
    try:
        path, notes = new_post(title, category, tags)
    except (FileExistsError, ValueError) as error:
        sys.exit(f"new: {error}")
    print(f"Created {path.relative_to(ROOT)}")
    for note in notes:
        print(f"new: {note}", file=sys.stderr)


@task
def clean(c):
    """Remove output/ (or the folder it links to), the content cache and killed builds' leftovers.

    Waits while a build or deploy of output/ runs; deletes only what builds and deploys made."""
    from sitebuild.build.atomic import remove_build
    from sitebuild.build.errors import BuildError

    cache = ROOT / "cache"
    kept = {"the project": ROOT, "the content folder": ROOT / "content", "the cache": cache}
    try:
        remove_build(OUTPUT, kept, ours=OUTPUT, cache=cache)
    except BuildError as error:
        sys.exit(f"clean: deleted nothing: {error}")
    except OSError as error:
        sys.exit(f"clean: could not delete {error.filename}: {error.strerror}")


@task(
    help={
        "args": "extra arguments for pytest, e.g. '-k feeds'",
        "tier": "run one tier only: unit (in-process, seconds), site (reads one build) or system",
    }
)
def test(c, args="", tier=""):
    """Run the test suite, or one tier, on two processes (npm test tools installed first if npm is there)."""
    if tier not in ("", "unit", "site", "system"):
        sys.exit(f"test: no tier {tier!r}; the tiers are unit, site and system")
    # Installing here, as a step of its own, keeps every check and test free of side
    # effects: they only report a missing tool. Without npm those tests skip.
    if not (ROOT / "node_modules").is_dir() and shutil.which("npm"):
        from sitebuild.checks.html_validity import NPM_CI

        print(f"test: installing the test tools of package-lock.json: {' '.join(NPM_CI)}", file=sys.stderr)
        c.run(" ".join(NPM_CI), warn=True)
    tier_option = f"-m {tier}" if tier else ""
    # Where make.py was run from is the author's, not the builds' the tests run (sitebuild.BUILD_COMMAND).
    os.environ.pop("MAKE_PY_CWD", None)
    _exit_on_failure(
        c.run(f"{SHELL_PY} -m pytest {TEST_OPTIONS} {tier_option} {args}", pty=sys.stdout.isatty(), warn=True)
    )


@task(
    help={
        "siteurl": "address to build for and check against, e.g. https://example.github.io/project "
        "(default: $SITEURL, else the one output/ was published for)"
    }
)
def check(c, siteurl=None):
    """Build for production and check links, anchors, HTML and feeds; non-zero on any problem."""
    from sitebuild.checks.site import built_for

    if not siteurl and not os.environ.get("SITEURL"):
        # The build replaces output/: for the address it was published for, so that the
        # documented publish --siteurl URL, check, deploy still ships a site for URL.
        siteurl = built_for(OUTPUT)
    _exit_on_failure(_build(production=True, siteurl=siteurl))
    against = f" {shlex.quote(siteurl)}" if siteurl else ""  # else checks/site.py reads it from the build
    result = c.run(f"{SHELL_PY} -m sitebuild.checks.site {shlex.quote(str(OUTPUT))}{against}", warn=True)
    _exit_on_failure(result)


@task
def audit(c):
    """Lighthouse (mobile and desktop) on the production site served on 127.0.0.1: scores, bytes, requests."""
    _exit_on_failure(c.run(f"{SHELL_PY} -m benchmarks.audit", pty=False, warn=True))


@task(
    help={
        "target": "gh-pages or rsync",
        "remote": "gh-pages: git remote name or URL to push to (default origin)",
        "branch": "gh-pages: branch to publish (default gh-pages)",
        "cname": "gh-pages: custom domain to keep in the branch's CNAME file",
        "destination": "rsync: folder or host:path (default: $DEPLOY_DESTINATION)",
        "siteurl": "origin output/ must be built for (default: $SITEURL, else the one it was built for)",
        "force": "replace what no deploy of this site made: rsync, a non-empty folder (deleting its "
        "files); gh-pages, a branch whose last commit is someone else's",
    }
)
def deploy(
    c, target, remote="origin", branch="gh-pages", cname=None, destination=None, siteurl=None, force=False
):
    """Deploy output/ as built by a successful `make.py publish`, unchanged, to GitHub Pages or rsync."""
    from sitebuild.deploy.ship import DeployError, is_remote
    from sitebuild.deploy.ship import deploy as deploy_output

    siteurl = siteurl or os.environ.get("SITEURL") or None  # None: as output/ was built (its stamp says)
    destination = destination or os.environ.get("DEPLOY_DESTINATION")
    if destination and not is_remote(destination):
        # From the folder the author ran the command in (make.py runs tasks in the project root);
        # "--destination=~/www" reaches here unexpanded by the shell.
        destination = os.path.join(
            os.environ.get("MAKE_PY_CWD", os.getcwd()), os.path.expanduser(destination)
        )
    try:
        print(
            deploy_output(
                OUTPUT,
                target,
                siteurl=siteurl,
                remote=remote,
                branch=branch,
                cname=cname,
                destination=destination,
                force=force,
            )
        )
    except DeployError as error:
        sys.exit(f"deploy: {error}")


@task(
    help={
        "posts": "comma-separated corpus sizes (default 1000,5000; e.g. 200 for a quick run)",
        "repeat": "runs per size, the fastest counts (default 1)",
        "profile": "also profile the render step at the largest size",
        "load": "also run the wrk load check against nginx (default on)",
    }
)
def bench(c, posts="1000,5000", repeat=1, profile=False, load=True):
    """Benchmarks: build at scale against plain Pelican, and a loopback load check of nginx."""
    args = f"--posts {posts} --repeat {int(repeat)}" + (" --profile" if profile else "")
    _exit_on_failure(c.run(f"{SHELL_PY} -m benchmarks.scale {args}", warn=True))
    if load:
        _exit_on_failure(c.run(f"{SHELL_PY} -m benchmarks.load", warn=True))


@task
def screenshots(c):
    """Screenshots of the main pages at 390 and 1280 px, light and dark, into docs/screenshots/.

    Home, article, tag, search, 404, series, author, corrections and Follow pages."""
    _exit_on_failure(c.run(f"{SHELL_PY} -m benchmarks.screenshots", warn=True))
