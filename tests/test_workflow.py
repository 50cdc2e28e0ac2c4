"""The GitHub Actions workflow publishes with the README's commands, and they work here.

It is read as Actions would (YAML) and its commands run, up to a deploy to a local git
remote, so that a broken workflow fails here first.
"""

import os
import re
import shlex
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT
from test_deploy import caller_environment

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
MAKE = re.compile(r"^python3 make\.py (?P<task>[\w-]+)(?P<options>.*)$")
# Commands that prepare the machine rather than build or ship the site.
SETUP = ("apt-get ", "git config ", 'echo "SITEURL=', ".ci/run")
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+(\.\d+)*$")


def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps():
    """Every step of every job, in the order the jobs run (each needs the one before)."""
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def commands():
    lines = [line.strip() for step in steps() if "run" in step for line in step["run"].splitlines()]
    return [line for line in lines if line]


def readme_commands():
    """`python3 make.py …` lines of the README's code blocks, comments removed."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return {
        line.split("#")[0].strip()
        for block in blocks
        for line in block.splitlines()
        if line.startswith("python3 make.py")
    }


def test_it_runs_on_every_push_to_main_and_nightly():
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    (schedule,) = triggers["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()


def test_third_party_code_is_pinned_by_commit_and_digest():
    """A moved tag cannot change what runs: actions by full commit SHA (the release in a
    comment), the container by its image digest."""
    lines = WORKFLOW.read_text(encoding="utf-8").splitlines()
    uses = [line for line in lines if line.strip().lstrip("- ").startswith("uses:")]
    assert uses and [line for line in uses if not PINNED.match(line)] == []
    for job in workflow()["jobs"].values():
        assert re.fullmatch(r"debian:trixie@sha256:[0-9a-f]{64}", job["container"])


def test_the_write_token_reaches_the_deploy_step_alone():
    """The tests, npm and pip packages run with a read-only token kept out of .git/config;
    only the job that publishes may push, and only its deploy step is given the token."""
    jobs = workflow()["jobs"]
    assert workflow()["permissions"] == {"contents": "read"}
    writers = {
        name: job for name, job in jobs.items() if job.get("permissions", {}).get("contents") == "write"
    }
    assert list(writers) == ["publish"] and jobs["publish"]["needs"] == "test"
    assert ".ci/run" not in [step.get("run") for step in jobs["publish"]["steps"]]
    checkouts = [step for step in steps() if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == len(jobs) and all(s["with"]["persist-credentials"] is False for s in checkouts)
    given = [step for step in steps() if "github.token" in str(step) or "secrets." in str(step)]
    assert [step["name"] for step in given] == ["Deploy to GitHub Pages"]
    assert given[0]["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}


def test_its_steps_are_the_readme_commands_in_order():
    made = [MAKE.match(command) for command in commands()]
    unexplained = [
        command
        for command, match in zip(commands(), made, strict=True)
        if not match and not command.startswith(SETUP)
    ]
    assert unexplained == []
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".ci/run" in commands() and "\npython3 make.py test\n" in ci_script
    shipped = [match["task"] for match in made if match]
    assert shipped == ["publish", "deploy"]  # after .ci/run's tests: never ship an untested site
    documented = readme_commands()
    for match in filter(None, made):
        form = match[0].replace('"$SITEURL"', "https://example.org")  # the README's example origin
        assert form in documented, f"{match[0]} is not a README command"


def test_pictures_and_cards_are_kept_between_runs():
    names = [step.get("name", step.get("run", "")) for step in steps()]
    (cache,) = [step for step in steps() if step.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == "cache/images"
    assert cache["with"]["restore-keys"] == "images-"
    assert names.index(cache["name"]) < names.index("Build the production site")


@pytest.mark.parametrize(
    "variable, siteurl",
    [("", "https://example.github.io/project"), ("https://news.example.org", "https://news.example.org")],
)
def test_the_site_address_is_the_project_site_unless_a_variable_says(tmp_path, variable, siteurl):
    (line,) = [command for command in commands() if command.startswith('echo "SITEURL=')]
    github_env = tmp_path / "github_env"
    environment = {
        "PATH": os.environ["PATH"],
        "GITHUB_ENV": str(github_env),
        "SITEURL_VARIABLE": variable,
        "GITHUB_REPOSITORY_OWNER": "example",
        "GITHUB_REPOSITORY": "example/project",
    }
    subprocess.run(["bash", "-c", line], env=environment, check=True)
    assert github_env.read_text() == f"SITEURL={siteurl}\n"


def test_the_tasks_it_names_exist():
    listing = subprocess.run(
        [sys.executable, "-m", "invoke", "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    listed = {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}
    assert {"test", "publish", "deploy"} <= listed


def test_publish_then_deploy_as_the_workflow_does(project_copy, tmp_path):
    """The workflow's two shipping commands, run in a git checkout with a local remote."""
    remote = tmp_path / "remote.git"
    siteurl = "https://example.github.io/project"
    committer = {
        f"GIT_{role}_{field}": value
        for role in ("AUTHOR", "COMMITTER")
        for field, value in (("NAME", "CI"), ("EMAIL", "ci@localhost"))
    }
    environment = {**caller_environment(SITEURL=siteurl), **committer}

    def git(*args, cwd=project_copy):
        subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=environment)

    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    git("init", "--quiet")
    git("remote", "add", "origin", str(remote))
    for command in commands():
        match = MAKE.match(command)
        if match:
            args = [arg.replace("$SITEURL", siteurl) for arg in shlex.split(match[0])[2:]]
            result = subprocess.run(
                [sys.executable, "-m", "invoke", *args],
                cwd=project_copy,
                capture_output=True,
                text=True,
                env=environment,
                timeout=300,
            )
            assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
            if match["task"] == "deploy":  # in a fresh clone, origin may not be yours: it says
                assert f"deploy: pushing branch gh-pages to origin ({remote})" in result.stderr
    published = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "gh-pages"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "index.html" in published and ".nojekyll" in published and ".publish-stamp.json" not in published
    home = subprocess.run(
        ["git", "show", "gh-pages:index.html"], cwd=remote, capture_output=True, text=True, check=True
    ).stdout
    assert f"{siteurl}/" in home
