"""Where the render step spends its time: cProfile over a development build of a benchmark corpus."""

import io
import pstats
import shutil
import sys
from pathlib import Path

from .measure import measure


def profile_render(work: Path, top: int = 25) -> str:
    """Profile the render step on ``work``/corpus with a fresh cache; return the top functions."""
    stats_file, cache, output = work / "render.prof", work / "cache-profile", work / "profile-output"
    shutil.rmtree(cache, ignore_errors=True)
    # sitebuild's own entry point ends with os._exit, before `python -m cProfile` writes its
    # stats: profile main() and write them here instead, then exit with main()'s status, so
    # that a failed build fails the benchmark.
    arguments = ["--quiet", "--content", str(work / "corpus"), "--cache", str(cache), "--output", str(output)]
    script = "import cProfile, sys; from sitebuild.__main__ import exit_now, main; "
    script += "profile = cProfile.Profile(); status = profile.runcall(main, sys.argv[2:]); "
    script += "profile.dump_stats(sys.argv[1]); exit_now(status)"
    measure([sys.executable, "-c", script, str(stats_file), *arguments])
    text = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    shutil.rmtree(output, ignore_errors=True)
    return f"Profile of the render step ({stats_file}):\n```\n{text.getvalue().strip()}\n```"
