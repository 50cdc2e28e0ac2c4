"""Run the jobs plugins hand off (the share cards a cold build draws,
plugins/images/card_files.py) in worker processes while Pelican renders, and wait for
them before anything is stamped or published.

A plugin sends a job, a picklable callable, on the blinker signal
``sitebuild.background_job``; while a build holds ``BackgroundJobs`` it answers True
and a worker runs the job. Nobody answers when Pelican runs by hand, and the plugin
does the job itself. A job that raises fails the build with its message; a worker that
dies (killed, out of memory) fails it with WORKER_DIED, never a hang. Workers are
finishing.py's: forked, and killed with the build (lifeline.py). They start with the
first job, so a build whose cards are all cached starts none.

Why workers: drawn in the render process, 5,000 cards (about 2 ms each) would add about
10 s to a 19 s development render; beside it, on the second core, a cold render took
19.05 s and one with every card cached 20.2–21.4 s (docs/performance.md).
"""

import os
from concurrent.futures.process import BrokenProcessPool

from blinker import signal

from .errors import BuildError, disk_full
from .finishing import worker_pool

JOB = signal("sitebuild.background_job")
# Jobs are needed only by the end of the build: they yield the CPU to Pelican and to the
# finishing worker, which the build waits for first. Three alternating publishes of 5,000
# posts each way, on a machine busy with other work: fastest 40.1 s niced, 42.8 s not.
NICENESS = 19
BATCH = 16  # a worker's share of a few ms each: one message per batch, not per card
WORKER_DIED = (
    "share cards: a worker process drawing them ended abruptly (killed, or out of memory); "
    "nothing was published"
)


def run_jobs(jobs) -> list[str]:
    """Run each job; return the message of each that failed."""
    os.setpriority(os.PRIO_PROCESS, 0, NICENESS)
    problems = []
    for job in jobs:
        try:
            job()
        except Exception as error:
            if disk_full(error):
                raise  # one message for the build, naming the folder (sitebuild/build.py)
            problems.append(str(error) or type(error).__name__)
    return problems


class BackgroundJobs:
    def __init__(self):
        self._batch = []
        self._submitted = []
        self._pool = None
        self._broken = False

    def __enter__(self):
        JOB.connect(self._take, weak=False)
        return self

    def __exit__(self, *exc_info):
        JOB.disconnect(self._take)
        if self._pool:
            self._pool.shutdown(cancel_futures=True)

    def _take(self, job) -> bool:
        self._batch.append(job)
        if len(self._batch) >= BATCH:
            self._submit()
        return True

    def _submit(self):
        if not self._batch:
            return
        if self._pool is None:
            self._pool = worker_pool((os.cpu_count() or 1) - 1)  # Pelican has a core
        try:
            self._submitted.append(self._pool.submit(run_jobs, self._batch))
        except BrokenProcessPool:
            self._broken = True  # raised from a signal, it would reach Pelican, not the build
        self._batch = []

    def wait(self) -> None:
        """Wait for every job; raise BuildError naming each failure."""
        self._submit()
        problems = []
        try:
            for job in self._submitted:
                problems += job.result()
        except BrokenProcessPool:
            self._broken = True
        if self._broken:
            raise BuildError([WORKER_DIED])
        if problems:
            raise BuildError(problems)
