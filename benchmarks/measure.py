"""Run one command and measure it: wall time and peak memory (max RSS) of it and its children."""

import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchmarkError(Exception):
    pass


@dataclass
class Measurement:
    seconds: float
    cpu_seconds: float  # user + system, less disturbed than wall time by other work on the machine
    peak_mib: float


def measure(command: list[str], cwd: Path = ROOT) -> Measurement:
    """Run ``command``; raise BenchmarkError with its output if it fails.

    os.wait4 gives the resource usage of this one child, whose ru_maxrss covers the
    largest of it and any descendant it waited for (a build's worker processes);
    getrusage(RUSAGE_CHILDREN) would mix in every earlier run of the benchmark.
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise BenchmarkError(f"{' '.join(map(str, command))} failed:\n{log.read().decode(errors='replace')}")
    return Measurement(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def machine() -> str:
    """nproc, CPU model and memory, as the figures in docs/performance.md are recorded with."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, "
            f"{total_kib / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")
