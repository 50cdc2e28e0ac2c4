"""Run one build, holding the output's lock: lint → render into a staging folder (each
file finished as Pelican writes it, finishing.py; share cards drawn beside it,
background.py) → search index (search.py, while the finisher catches up) → finish the
rest → stamp (production) → swap (atomic.py)."""

import logging
import os
import time
from contextlib import nullcontext
from pathlib import Path

from . import atomic, cache
from .background import BackgroundJobs
from .errors import BuildError, ErrorCollector
from .finishing import Finisher, finish_the_rest
from .lint import lint_content
from .search import search_index
from .stamp import SourceMap, write_stamp

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "output"


def settings_for(production: bool, siteurl: str | None, overrides: dict) -> dict:
    from pelican.settings import read_settings

    path = ROOT / ("publishconf.py" if production else "pelicanconf.py")
    override = dict(overrides)
    if siteurl is not None:
        override.update(SITEURL=siteurl.rstrip("/"), FEED_DOMAIN=siteurl.rstrip("/"))
    return read_settings(str(path), override=override)


def run_pelican(settings: dict) -> None:
    from pelican import Pelican

    Pelican(settings).run()


def run_pelican_reporting_errors(settings: dict, collector: ErrorCollector) -> None:
    try:
        run_pelican(settings)
    except BuildError:
        raise
    except Exception as error:
        # A plugin stops Pelican after logging the problems; report those. Anything
        # else is a fault in the build itself, reported in one line (--debug shows more).
        collector.raise_if_any(settings["PATH"])
        raise BuildError([f"the build failed unexpectedly: {type(error).__name__}: {error}"]) from error
    collector.raise_if_any(settings["PATH"])


def render_and_finish(settings: dict, staging: Path, collector: ErrorCollector) -> dict[str, str]:
    """Render (each file finished as Pelican writes it), index for search, finish the rest.
    Return the source of each page that shows a post or page."""
    with (
        Finisher(settings, staging) as finisher,
        SourceMap(staging, settings["PATH"]) as sources,
        BackgroundJobs() as background,
    ):
        run_pelican_reporting_errors(settings, collector)
        # Pagefind reads the pages as Pelican wrote them while the finisher catches up on
        # minifying and compressing: in alternating 1,000-post publishes, what followed
        # Pelican took 2.5-3.3 s this way and 3.8-3.9 s with the index after the finisher.
        with search_index(staging, finisher.searchable) if settings.get("SEARCH_INDEX") else nullcontext():
            rendered = finisher.wait()
            background.wait()  # every page's og:image exists before anything walks the output
    finish_the_rest(settings, staging, rendered)
    collector.raise_if_any(settings["PATH"])
    return sources.found


def build(
    *,
    production: bool = False,
    siteurl: str | None = None,
    output: Path = OUTPUT,
    overrides: dict | None = None,
    leave_previous: bool = False,
) -> Path:
    """Build the site into ``output``; raise BuildError and leave ``output`` as it was on failure.

    ``leave_previous``: leave the previous output beside the new one, for the next holder of
    the output's lock to remove (sitebuild/live_build.py does, once the preview has reloaded:
    at thousands of posts removing it took longer than the rest of a rebuild)."""
    output = Path(output).resolve()
    with atomic.output_lock(output):
        return _build_locked(production, siteurl, output, overrides, leave_previous)


def _build_locked(production, siteurl, output: Path, overrides, leave_previous=False) -> Path:
    staging = atomic.new_folder(output, "staging")
    collector = ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        # PAGE_REUSE_FROM: pages unchanged since the build now in ``output`` are linked from
        # it rather than rendered (plugins/speed_kit/page_reuse.py, when REUSE_UNCHANGED_PAGES is on).
        settings = settings_for(
            production,
            siteurl,
            {**(overrides or {}), "OUTPUT_PATH": str(staging), "PAGE_REUSE_FROM": str(output)},
        )
        started = time.perf_counter()
        settings["BUILD_FINGERPRINT"] = cache.fingerprint(settings)
        settings["IMAGE_CACHE_PATH"] = str(Path(settings["CACHE_PATH"]) / cache.IMAGES)
        caching = (
            settings["CACHE_CONTENT"] or settings["LOAD_CONTENT_CACHE"] or settings["REUSE_UNCHANGED_PAGES"]
        )
        if caching:
            settings["CACHE_PATH"] = str(
                cache.cache_folder(settings["CACHE_PATH"], settings["BUILD_FINGERPRINT"])
            )
        problems = lint_content(settings)
        if problems:
            raise BuildError(problems)
        sources = render_and_finish(settings, staging, collector)
        if production:  # last: deploy ships only what a finished production build stamped
            write_stamp(staging, settings, sources)
        atomic.publish(staging, output, remove_previous=not leave_previous)
        if caching:
            cache.record_intact(settings["CACHE_PATH"])
        logging.getLogger(__name__).info(
            "built %s in %.1f s", os.path.relpath(output), time.perf_counter() - started
        )
        return output
    except BaseException:
        atomic.discard(staging)
        raise
    finally:
        logging.getLogger().removeHandler(collector)


__all__ = ["build", "BuildError"]
