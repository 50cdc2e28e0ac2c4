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
from .errors import BuildError, ErrorCollector, code_fault, disk_full, disk_full_message, nearly_full
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
        if disk_full(error):
            raise  # reported by build(), naming the folder
        raise code_fault(error) from error
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
    the output's lock to remove (sitebuild/warm_build.py does, once the preview has reloaded:
    at thousands of posts removing it took longer than the rest of a rebuild)."""
    output = Path(output).resolve()
    places = [output]  # where the build writes: the output, and the cache once known
    try:
        with atomic.output_lock(output):
            return _build_locked(production, siteurl, output, overrides, leave_previous, places)
    except (OSError, BuildError) as error:
        full = disk_full(error)
        if full is None:
            raise
        raise BuildError([disk_full_message(_folder_of(full, places))]) from full


def _folder_of(error: OSError, places: list[Path]) -> Path:
    """The folder a write that ran out of space was in, as the author knows it: the output
    for its staging folder; one of ``places`` on a full disk when Python did not say."""
    output = places[0]
    if not error.filename:
        return next((place for place in places if nearly_full(place)), output)
    path = Path(os.path.abspath(error.filename))
    if {output, atomic.own_folder(output, "staging")} & {path, *path.parents}:
        return output
    return path.parent


def _build_locked(production, siteurl, output: Path, overrides, leave_previous, places: list) -> Path:
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
        cache.make_root(settings["CACHE_PATH"])
        places.append(Path(settings["CACHE_PATH"]))
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
        # The cache record is written before the swap: once output/ is replaced, nothing
        # may fail the build.
        with cache.recording(settings["CACHE_PATH"]) if caching else nullcontext():
            sources = render_and_finish(settings, staging, collector)
        if production:  # last: deploy ships only what a finished production build stamped
            write_stamp(staging, settings, sources)
        try:
            atomic.publish(staging, output, remove_previous=not leave_previous)
        except OSError as error:
            raise BuildError([cannot_replace(output, error)]) from error
        logging.getLogger(__name__).info(
            "built %s in %.1f s", os.path.relpath(output), time.perf_counter() - started
        )
        return output
    except BaseException:
        atomic.discard(staging)
        raise
    finally:
        logging.getLogger().removeHandler(collector)


def cannot_replace(output: Path, error: OSError) -> str:
    return (
        f"could not replace {output} with the new build ({error.strerror}): the build swaps a "
        "new folder into its place, so it must be an ordinary writable folder, not read-only "
        "or a mount point; to publish into a server's folder, use python3 make.py deploy --target rsync"
    )


__all__ = ["build", "BuildError"]
