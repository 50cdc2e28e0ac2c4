"""The speed kit (plugins/speed_kit/): what it relies on in Pelican is still there, and
each module gives what stock Pelican gives. Unit tests: no site build."""

import importlib
import inspect
import json

import pelican
import pytest
from pelican.paginator import Page
from pelican.readers import MarkdownReader, Readers
from pelican.writers import Writer
from pluginhelpers import ROOT, generators, post, site_settings

import site_writer  # noqa: E402  (pluginhelpers puts plugins/ on the path)
import speed_kit
from speed_kit import frozen_urls, markdown_reuse, page_reuse

PATCHING = [frozen_urls, markdown_reuse, page_reuse, site_writer]
# Instances to look for attributes Pelican sets in __init__ ("Writer()._written_files").
INSTANCES = {
    "pelican.writers.Writer": lambda: Writer("/nonexistent", settings={}),
    "pelican.readers.Readers": lambda: Readers(site_settings()),
    "pelican.paginator.Page": lambda: Page("index", "", [], 1, None, {}),
}


def resolve(dotted: str):
    """The object a dotted name stands for; "Class().attribute" reads an instance's."""
    owner, _, attribute = dotted.rpartition(".")
    if owner.endswith("()"):
        return getattr(INSTANCES[owner[:-2]](), attribute)
    module, _, name = owner.rpartition(".")
    try:
        parent = getattr(importlib.import_module(module), name)
    except (ImportError, ValueError):
        parent = importlib.import_module(owner)
    found = inspect.getattr_static(parent, attribute)
    return found.fget if isinstance(found, property) else found


@pytest.mark.parametrize("module", PATCHING, ids=lambda m: m.__name__)
def test_checked_against_the_installed_pelican(module):
    assert pelican.__version__ == module.PELICAN_CHECKED, (
        f"{module.__name__} was checked against Pelican {module.PELICAN_CHECKED}, not {pelican.__version__}: "
        "read what it patches (PELICAN_INTERNALS) in the new Pelican, then update PELICAN_CHECKED"
    )


@pytest.mark.parametrize("module", PATCHING, ids=lambda m: m.__name__)
def test_the_pelican_internals_it_relies_on_are_unchanged(module):
    for dotted, expected in module.PELICAN_INTERNALS.items():
        found = resolve(dotted)
        if expected.startswith("("):
            assert str(inspect.signature(found)) == expected, f"{module.__name__}: Pelican changed {dotted}"
        else:
            assert type(found).__name__ == expected, f"{module.__name__}: Pelican changed {dotted}"


def test_frozen_urls_keep_pelicans_values_and_only_with_the_kit_on(tmp_path):
    articles = [("a.md", post("A post", Tags="xen, dom0", Category="linux"))]
    for on in (False, True):
        found, pages = generators(tmp_path / str(on), articles, SPEED_KIT=on)
        article = found.articles[0]
        stock = (article.url, article.save_as, [tag.url for tag in article.tags])
        frozen_urls.freeze_everything([found, pages])
        article.slug = article.tags[0].slug = "renamed"  # Pelican's properties would now say so
        if on:
            assert (article.url, article.save_as, [tag.url for tag in article.tags]) == stock
        else:
            assert article.url == "2011/06/renamed/" and article.tags[0].url == "tag/renamed/"


def test_one_markdown_instance_reads_every_post_as_pelicans_reader_does():
    settings = site_settings()
    stock, reusing = MarkdownReader(settings), markdown_reuse.ReusingMarkdownReader(settings)
    posts = sorted((ROOT / "content").rglob("*.md"))
    assert len(posts) >= 4
    for path in posts * 2:  # the second round reads with an instance that has read them all
        assert reusing.read(str(path)) == stock.read(str(path)), path


@pytest.mark.parametrize(
    "settings, reader",
    [
        ({"SPEED_KIT": True}, markdown_reuse.ReusingMarkdownReader),
        ({"SPEED_KIT": False}, MarkdownReader),
        ({"SPEED_KIT": True, "FORMATTED_FIELDS": ["summary"]}, MarkdownReader),
    ],
)
def test_the_markdown_reader_is_swapped_only_with_the_kit_on_and_no_formatted_fields(settings, reader):
    readers = Readers(site_settings(**settings))
    markdown_reuse.use_reusing_reader(readers)
    assert readers.reader_classes["md"] is reader


@pytest.mark.parametrize(
    "on, writer", [(True, site_writer.ReusingSiteWriter), (False, site_writer.SiteWriter)]
)
def test_page_reuse_is_in_the_writer_only_with_the_kit_on(on, writer):
    class FakePelican:
        settings = {"SPEED_KIT": on}

    assert site_writer.writer_class(FakePelican()) is writer
    assert speed_kit.enabled(FakePelican.settings) is on


def test_a_previous_page_is_trusted_only_with_its_key_and_identity(tmp_path):
    previous, cache = tmp_path / "output", tmp_path / "cache"
    (previous / "about").mkdir(parents=True)
    page = previous / "about" / "index.html"
    page.write_text("<p>About</p>", encoding="utf-8")
    stat = page.stat()
    cache.mkdir()
    (cache / page_reuse.MANIFEST_NAME).write_text(
        json.dumps({"pages": {"about/index.html": ["key", stat.st_ino, stat.st_size, stat.st_mtime_ns]}})
    )
    settings = {"PAGE_REUSE_FROM": str(previous), "CACHE_PATH": str(cache)}
    reuse = page_reuse.PageReuse(settings, str(tmp_path / "new"))
    assert reuse.previous_file("about/index.html", "key") == page
    assert reuse.previous_file("about/index.html", "other key") is None
    page.write_text("<p>About, edited by hand</p>", encoding="utf-8")
    assert reuse.previous_file("about/index.html", "key") is None
