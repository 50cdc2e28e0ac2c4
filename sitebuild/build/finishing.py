"""Finish a production build's final files one after another (why no pool: docs/performance.md):
minify each page (``MINIFY``) in place, or, where the search index reads a link to it (search.py),
replace it from ".minified", a name content cannot write; write .gz and .br copies (``PRECOMPRESS``).
Static files (extra/, {static} links) are published as they are: compressed, never minified."""

from contextlib import contextmanager
from pathlib import Path

from .compress import compress_file
from .errors import BuildError, disk_full


def finish_file(path: Path, minify: bool, compress: bool, linked: bool = False) -> None:
    from .minify import minify_page  # minify-html is loaded by the builds that minify only

    data = path.read_bytes()
    if minify and path.suffix == ".html":
        try:
            data = minify_page(data.decode("utf-8")).encode("utf-8")
        except Exception as error:  # minify-html raises plain exceptions on bad input
            raise ValueError(f"could not be minified: {error}") from error
        minified = path.with_name(".minified") if linked else path  # replaced, not written through
        minified.write_bytes(data)
        minified.replace(path)
    if compress:
        compress_file(path, data)


@contextmanager
def static_files(output: Path):
    """While Pelican runs: the set of files it copies into ``output`` as they are."""
    from pelican import signals

    found: set[Path] = set()

    def copied(generator):
        found.update(Path(output) / static.save_as for static in generator.staticfiles)

    with signals.static_generator_finalized.connected_to(copied):
        yield found


def finish(settings: dict, output: Path, paths: list[Path], linked=frozenset(), verbatim=frozenset()) -> None:
    """Finish ``paths`` below ``output``, replacing the ``linked`` pages and minifying none of the
    ``verbatim`` files; raise BuildError naming each."""
    minify, compress = bool(settings.get("MINIFY")), bool(settings.get("PRECOMPRESS"))
    if not (minify or compress):
        return
    if settings.get("REUSE_UNCHANGED_PAGES"):
        # A reused page is a hard link to the site being served (speed_kit/page_reuse.py).
        raise BuildError(["settings: MINIFY and PRECOMPRESS cannot be combined with REUSE_UNCHANGED_PAGES"])
    problems = []
    for path in paths:
        try:
            finish_file(path, minify and path not in verbatim, compress, path in linked)
        except (OSError, ValueError) as error:
            if disk_full(error):
                raise  # one message for the build, naming the folder (pipeline.py)
            problems.append(f"{path.relative_to(output)}: {error}")
    if problems:
        raise BuildError(problems)
