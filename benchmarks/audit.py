"""Lighthouse scores and byte counts of the production site, as served: ``invoke audit``.

Builds for a free loopback port, serves under the site's CSP (devtools/serving.py) and runs
Lighthouse (package-lock.json) on Debian's Chromium, mobile and desktop, on each page type.
Exit status 1 when any score is below 100. Sizes are raw bytes: see page_weight.py for brotli."""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devtools.browser import CHROMIUM, CHROMIUM_FLAGS
from devtools.serving import serving
from sitebuild.checks.html_validity import NPM_CI

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "/",
    "article": "/2011/06/linux-3-0-full-support-for-xen-dom0/",
    "tag": "/tag/xen/",
    "category": "/category/xen/",
    "search": "/search/",
}
PRESETS = ["mobile", "desktop"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TIMEOUT_SECONDS = 180


@dataclass
class Audit:
    page: str
    preset: str
    scores: dict
    transfer_bytes: int
    requests: int
    lost_points: list = field(default_factory=list)


def install_tools():
    subprocess.run(NPM_CI, cwd=ROOT, check=True)


def build_command(origin: str, output: Path, content: Path | None = None) -> list[str]:
    """`invoke publish` for ``origin`` into ``output`` (of ``content``, default content/)."""
    command = [sys.executable, "-m", "sitebuild", "--production", "--quiet", "--siteurl", origin]
    command += ["--output", str(output), "--cache", str(output.parent / "cache")]
    return command + (["--content", str(content)] if content else [])


def build_for(origin: str, output: Path, content: Path | None = None):
    subprocess.run(build_command(origin, output, content), cwd=ROOT, check=True)


def lighthouse(url: str, preset: str) -> dict:
    """One Lighthouse run in a fresh Chromium profile; its JSON report."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        flags = " ".join([*CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
        command = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout)


def summarize(page: str, preset: str, report: dict) -> Audit:
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    weighted = {
        ref["id"]
        for name in CATEGORIES
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] > 0
    }
    lost = sorted(
        f"{audit_id}: {audits[audit_id]['title']} (score {audits[audit_id]['score']})"
        for audit_id in weighted
        if audits[audit_id].get("score") is not None and audits[audit_id]["score"] < 1
    )
    requests = audits["network-requests"]["details"]["items"]
    return Audit(page, preset, scores, int(audits["total-byte-weight"]["numericValue"]), len(requests), lost)


def table(results: list[Audit]) -> str:
    header = (
        f"{'page':<10} {'preset':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} "
        f"{'bytes':>8} {'requests':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        s = r.scores
        lines.append(
            f"{r.page:<10} {r.preset:<8} {s['performance']:>5} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {s['seo']:>5} {r.transfer_bytes:>8,} {r.requests:>9}"
        )
    return "\n".join(lines)


def run_audit(pages=PAGES, presets=PRESETS, install=True) -> list[Audit]:
    if install:
        install_tools()
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} is missing: run npm ci")
    results = []
    with tempfile.TemporaryDirectory(prefix="audit-") as folder:
        output = Path(folder) / "output"
        with serving(output) as origin:
            build_for(origin, output)
            for name, path in pages.items():
                for preset in presets:
                    print(f"audit: {preset} {origin}{path}", file=sys.stderr, flush=True)
                    results.append(summarize(name, preset, lighthouse(origin + path, preset)))
    return results


def main(argv=None) -> int:
    results = run_audit()
    print(table(results))
    below = [r for r in results if any(score < 100 for score in r.scores.values())]
    for r in below:
        print(f"\n{r.page} ({r.preset}) lost points on:")
        for line in r.lost_points:
            print(f"  {line}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
