"""Serving: a bounded wrk run against the story page under deploy/nginx.conf, on loopback only.

``python -m benchmarks.load [--seconds 5] [--connections 32]`` (``invoke bench`` runs it).
Fails on any socket error or non-2xx/3xx answer; else reports requests per second and latency.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from devtools import nginx

from .audit import build_command
from .measure import ROOT, BenchmarkError, machine, measure

STORY = "/2011/06/linux-3-0-full-support-for-xen-dom0/"


def run_wrk(url: str, seconds: int, connections: int, threads: int = 2) -> str:
    if shutil.which("wrk") is None:
        raise BenchmarkError("wrk is not installed (Debian: apt-get install wrk)")
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=2s",
        "--latency",
        "--header=Accept-Encoding: gzip, deflate, br",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    if result.returncode != 0:
        raise BenchmarkError(f"wrk failed: {result.stderr}")
    return result.stdout


def errors_in(wrk_output: str) -> list[str]:
    problems = []
    socket = re.search(r"Socket errors: (.*)", wrk_output)
    if socket and any(int(n) for n in re.findall(r"\d+", socket.group(1))):
        problems.append(f"socket errors: {socket.group(1)}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk_output)
    if non_2xx:
        problems.append(f"{non_2xx.group(1)} non-2xx/3xx responses")
    return problems


def summary(wrk_output: str) -> dict:
    def find(pattern):
        match = re.search(pattern, wrk_output)
        return match.group(1) if match else "?"

    return {
        "requests_per_second": find(r"Requests/sec:\s+([\d.]+)"),
        "transfer_per_second": find(r"Transfer/sec:\s+(\S+)"),
        "requests": find(r"(\d+) requests in"),
        "p50": find(r"50%\s+(\S+)"),
        "p99": find(r"99%\s+(\S+)"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=int, default=5, help="how long wrk runs (bounded: at most 30)")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    seconds = min(args.seconds, 30)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        folder = Path(folder)
        port = nginx.free_port()
        origin = f"http://127.0.0.1:{port}"
        measure(build_command(origin, folder / "output"), cwd=ROOT)
        with nginx.running(folder / "output", folder / "nginx", port=port, access_log=False):
            with urllib.request.urlopen(origin + STORY, timeout=5) as response:
                if response.status != 200:
                    raise BenchmarkError(f"{STORY} answered {response.status}")
            output = run_wrk(origin + STORY, seconds, args.connections)
    problems = errors_in(output)
    figures = summary(output)
    print(f"Machine: {machine()}\n")
    print(
        f"wrk, {seconds} s, {args.connections} connections, 2 threads, Accept-Encoding: gzip, deflate, br, "
        f"against {STORY} on nginx (1 worker):"
    )
    print(
        f"- {figures['requests_per_second']} requests/s ({figures['requests']} requests, "
        f"{figures['transfer_per_second']}/s); latency p50 {figures['p50']}, p99 {figures['p99']}"
    )
    print(f"- errors: {', '.join(problems) if problems else '0'}")
    print(f"\n```\n{output.strip()}\n```")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
