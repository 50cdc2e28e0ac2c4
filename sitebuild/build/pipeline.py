"""Run one build, holding the output's lock: lint → render into a staging folder → search
index, while the files are minified and compressed (finishing.py) → stamp (production) →
swap (atomic.py). Nothing reaches the output unless every step succeeded."""

import dataclasses
import logging
import os
import shutil
import time
from contextlib import nullcontext
from pathlib import Path

from plugins.output_paths import BUNDLE_DIR

from .. import BUILD_COMMAND, MAKE_COMMAND, ROOT, SETTING, Build
from ..checks.lint import lint_content
from ..console import holding_summary
from ..siteurl import unusable_siteurl
from . import atomic, cache
from .errors import BuildError, ErrorCollector, code_fault, disk_full, nearly_full, shown, template_problem
from .finishing import finish, static_files
from .search import indexing
from .stamp import all_files, source_map, write_stamp

CACHING_SETTINGS = ("CACHE_CONTENT", "LOAD_CONTENT_CACHE", "REUSE_UNCHANGED_PAGES")
READ_RENDERED = ("SEARCH_INDEX", "MINIFY", "PRECOMPRESS")  # the steps that read the rendered files
log = logging.getLogger(__name__)
DISK_FULL = "no space left on the disk holding {} (or its quota is used up): free space and build again"
CANNOT_REPLACE = (
    "could not replace {} with the new build ({}): the build swaps a new folder into its place, so it "
    "must be an ordinary writable folder, not read-only or a mount point; to publish into a server's "
    f"folder, use {MAKE_COMMAND} deploy --target rsync"
)

NO_CONTENT = (
    "the content folder {} {} the folder (posts go in its articles/, pages in pages/, the site's icon in "
    f"extra/favicon.svg) or build another with {BUILD_COMMAND} --content DIR"
)


def run_pelican(settings: dict, collector: ErrorCollector, production: bool) -> dict[str, str]:
    """Render; return the source of each page that shows a post or page (production's stamp
    records them; other builds map none)."""
    from pelican import Pelican

    mapping = source_map(settings["OUTPUT_PATH"], settings["PATH"]) if production else nullcontext({})
    try:
        with mapping as sources, holding_summary() as held:
            Pelican(settings).run()
    except BuildError:
        raise
    except Exception as error:
        # A plugin stops Pelican after logging the problems: report those. A template's error is
        # the theme's; anything else is a fault in the build itself (one line; --debug shows more).
        collector.raise_if_any(settings["PATH"])
        if disk_full(error):
            raise  # reported by build(), naming the folder
        if problem := template_problem(error):
            raise BuildError([problem]) from error
        raise code_fault(error) from error
    collector.raise_if_any(settings["PATH"])
    print(held.get(), end="", flush=True)
    return sources


def build(site: Build | None = None, **fields) -> Path:
    """Build ``site`` (or ``Build(**fields)``); on failure raise BuildError, the output as it was."""
    site = site or Build(**fields)
    site = dataclasses.replace(site, output=Path(site.output).resolve())
    if not (folder := site.content_folder).is_dir():  # else Pelican or the settings fail on it obscurely
        fix = "is a file: move it aside and create" if folder.exists() else "does not exist: create"
        raise BuildError([NO_CONTENT.format(shown(folder), fix)])
    places = [site.output]  # where the build writes: the output, and the cache once known
    try:
        with atomic.output_lock(site.output):
            return _build_locked(site, places)
    except (OSError, BuildError) as error:
        full = disk_full(error)
        if full is None:
            raise
        raise BuildError([DISK_FULL.format(_folder_of(full, places))]) from full


def _folder_of(error: OSError, places: list[Path]) -> Path:
    """The folder a write that ran out of space was in, as the author knows it: the output
    for its staging folder; one of ``places`` on a full disk when Python did not say."""
    output = places[0]
    if not error.filename:
        return next((place for place in places if nearly_full(place)), output)
    path = Path(os.path.abspath(error.filename))
    return output if {output, atomic.own_folder(output, "staging")} & {path, *path.parents} else path.parent


def _build_locked(site: Build, places: list) -> Path:
    staging = atomic.new_folder(site.output, "staging")
    collector = ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        started = time.perf_counter()
        settings = site.settings(staging)
        if site.production and (problem := unusable_siteurl(settings["SITEURL"])):
            raise BuildError([f"SITEURL {settings['SITEURL']!r} {problem}"])  # links and feeds name it
        root = Path(settings["CACHE_PATH"])
        kept = {"the project": ROOT, "the content folder": settings["PATH"], "the cache": root}
        atomic.refuse_replacing(site.output, kept, ours=Build().output)  # the project's own output/
        site = dataclasses.replace(site, cache=root, fingerprint=cache.fingerprint(settings))
        settings[SETTING] = site  # the plugins' one view of the build (sitebuild.build_of)
        cache.make_root(root)
        places.append(root)
        caching = any(settings[name] for name in CACHING_SETTINGS)
        if caching:
            settings["CACHE_PATH"] = str(cache.cache_folder(root, site.fingerprint))
        if problems := lint_content(settings):
            raise BuildError(problems)
        # The cache record is written before the swap, after which nothing may fail the build.
        with (
            cache.recording(settings["CACHE_PATH"]) if caching else nullcontext(),
            static_files(staging) as verbatim,
        ):
            sources = run_pelican(settings, collector, site.production)
        files = all_files(staging) if any(map(settings.get, READ_RENDERED)) else []  # before Pagefind's exist
        indexed = settings.get("SEARCH_INDEX")
        with indexing(staging, files, required=site.production) if indexed else nullcontext(()) as linked:
            finish(settings, staging, files, linked, verbatim)  # Pagefind reads links to the linked pages
        finish(settings, staging, all_files(staging / BUNDLE_DIR))
        if site.production:  # last: deploy ships only what a finished production build stamped
            write_stamp(staging, settings, sources)
        try:
            atomic.publish(staging, site.output)
        except OSError as error:
            raise BuildError([CANNOT_REPLACE.format(site.output, error.strerror)]) from error
        log.info("built %s in %.1f s", os.path.relpath(site.output), time.perf_counter() - started)
        return site.output
    finally:
        logging.getLogger().removeHandler(collector)
        shutil.rmtree(staging, ignore_errors=True)  # a failed build's (a published one is gone)
