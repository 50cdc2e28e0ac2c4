"""Run one command and measure it: wall time, CPU time and peak memory, both of its
largest process and of all its processes together."""

import os
import platform
import subprocess
import tempfile
import threading
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
    peak_mib: float  # the largest resident set of the command or any one of its children
    peak_total_mib: float  # the most memory all its processes held at once (PSS, sampled)


class TotalMemory:
    """Samples the proportional set size (PSS) of a process and all its descendants every
    ``interval`` seconds and keeps the largest sum. PSS splits pages that forked
    workers share with their parent, so nothing is counted twice."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kib = max(self.peak_kib, sum(map(_pss_kib, _family(self.pid))))


def _family(root: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        family += frontier
    return family


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(command: list[str], cwd: Path = ROOT, sample_memory: bool = True) -> Measurement:
    """Run ``command``; raise BenchmarkError with its output if it fails.

    ``sample_memory``: also sample the memory of all its processes (TotalMemory). That
    slows what it samples (each reading of smaps_rollup walks a process's page tables,
    holding its memory lock: 0.4 s of a 4 s build at 1,000 posts), so scale.py times
    other runs without it; unsampled, ``peak_total_mib`` is 0.

    os.wait4 gives the resource usage of this one child, whose ru_maxrss covers the
    largest of it and any descendant it waited for (a build's worker processes);
    getrusage(RUSAGE_CHILDREN) would mix in every earlier run of the benchmark.
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        total = TotalMemory(process.pid) if sample_memory else None
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        peak_total_mib = total.stop() if total else 0.0
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise BenchmarkError(
                f"{' '.join(map(str, command))} failed:\n{log.read().decode(errors='replace')}"
            )
    return Measurement(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak_total_mib)


def machine() -> str:
    """nproc, CPU model and memory, as the figures in docs/performance.md are recorded with."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kib = next(
        (int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0
    )
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, "
        f"{total_kib / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
