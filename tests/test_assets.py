"""Production assets: minified, fingerprinted, precompressed copies that match, determinism."""

import gzip
import hashlib
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SITEURL, build_keeping_the_model, run_build
from sitehelpers import digest

from sitebuild.build.compress import MIN_SIZE, TEXT_SUFFIXES
from sitebuild.build.errors import BuildError
from sitebuild.build.finishing import finish
from sitebuild.build.stamp import STAMP_NAME, all_files


def test_every_text_file_has_matching_gzip_and_brotli_copies(site):
    checked = 0
    for path in site.root.rglob("*"):
        if path.suffix not in TEXT_SUFFIXES or path.stat().st_size < MIN_SIZE:
            continue
        if path.name == STAMP_NAME:  # the build's record for deploy, written after compression, never served
            continue
        data = path.read_bytes()
        assert gzip.decompress((path.parent / (path.name + ".gz")).read_bytes()) == data, path
        assert brotli.decompress((path.parent / (path.name + ".br")).read_bytes()) == data, path
        checked += 1
    assert checked > 20


def test_no_compressed_copy_without_its_original(site):
    for copy in [*site.root.rglob("*.gz"), *site.root.rglob("*.br")]:
        assert copy.with_suffix("").exists(), copy


def test_html_and_css_are_minified(site):
    """Every page, searchable ones too (minified only after Pagefind has read them)."""
    pages = {path: path.read_text(encoding="utf-8") for path in site.html_files()}
    searchable = [path for path, html in pages.items() if "data-pagefind-body" in html]
    assert len(searchable) >= 3 and len(pages) > len(searchable)
    for path, html in pages.items():
        assert "\n<" not in html.split("<pre", 1)[0], path
    css = next((site.root / "theme").glob("site.*.css")).read_text()
    assert "/*" not in css and css.count("\n") <= 2


def test_stylesheet_name_is_its_content_hash(site):
    css = next((site.root / "theme").glob("site.*.css"))
    named = re.match(r"site\.([0-9a-f]{10})\.css$", css.name).group(1)
    assert hashlib.sha256(css.read_bytes()).hexdigest()[:10] == named


def test_every_page_links_the_built_stylesheet_a_template_variable_not_a_setting(tmp_path):
    """The stylesheet's name reaches the templates through the generators' shared context
    (plugins/stylesheet.py): Pelican's settings stay what the settings files say."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    output = tmp_path / "output"
    kept = build_keeping_the_model(output, content, ["STYLESHEET_URL"])
    assert "STYLESHEET_URL" not in kept["settings"]
    name = kept["context"]["STYLESHEET_URL"]
    assert name == f"theme/site.{hashlib.sha256((output / name).read_bytes()).hexdigest()[:10]}.css"
    assert [path.name for path in output.glob("theme/site.*.css")] == [Path(name).name]
    # Posts, pages, the 404 page, listings and the direct templates (search, corrections, follow).
    pages = sorted(output.rglob("*.html"))
    assert {"404.html", "search/index.html", "follow/index.html", "about/index.html"} <= {
        page.relative_to(output).as_posix() for page in pages
    }
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [link["href"] for link in soup.select("link[rel=stylesheet]")]
        assert links == [f"{SITEURL}/{name}"], page
    # The TEMPLATE_PAGES render from the same context: files, not pages.
    assert "Sitemap:" in (output / "robots.txt").read_text(encoding="utf-8")
    assert (output / "sitemap.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path):
    """Every file, the search index and the publish stamp included: no output depends on
    the order of a set or a dict of strings, which Python varies per process."""

    def build(seed):
        output = tmp_path / f"seed-{seed}" / "output"
        return output, run_build(output, environment={"PYTHONHASHSEED": str(seed)})

    with ThreadPoolExecutor(2) as pool:  # two build processes at once
        built = list(pool.map(build, (1, 2)))
    assert [result.returncode for _, result in built] == [0, 0], [result.stderr for _, result in built]
    first, second = (digest(output) for output, _ in built)
    assert "pagefind/pagefind-entry.json" in first and STAMP_NAME in first
    differing = [path for path in sorted(first.keys() | second.keys()) if first.get(path) != second.get(path)]
    assert differing == []


def test_every_file_that_cannot_be_finished_is_named(tmp_path):
    for name in ("2011/06/a/index.html", "2011/06/b/index.html"):
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_bytes(b"<p>caf\xe9</p>")  # Latin-1, not the UTF-8 Pelican writes
    (tmp_path / "fine.html").write_text("<p>fine</p>")
    with pytest.raises(BuildError) as refused:
        finish({"MINIFY": True, "PRECOMPRESS": True}, tmp_path, all_files(tmp_path))
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "2011/06/a/index.html",
        "2011/06/b/index.html",
    ]
    assert "can't decode" in refused.value.problems[0]


def test_finishing_refuses_to_run_on_pages_shared_with_the_previous_build():
    """Reused pages are hard links into the site being served: finishing rewrites in place."""
    with pytest.raises(BuildError) as refused:
        finish({"MINIFY": True, "REUSE_UNCHANGED_PAGES": True}, Path("/nonexistent"), [])
    assert "cannot be combined with REUSE_UNCHANGED_PAGES" in str(refused.value)


def test_a_minified_page_replaces_the_file_so_links_to_it_keep_the_page_as_rendered(tmp_path):
    """The search index reads links to the pages while they are finished (pipeline.py): those
    it names are replaced; a page without one is written into, which keeps its inode."""
    rendered = "<!DOCTYPE html>\n<html lang=en>\n" + "<p>One paragraph.</p>\n<p>Another.</p>\n" * 20
    page, link, listing = tmp_path / "post" / "index.html", tmp_path / "link.html", tmp_path / "index.html"
    page.parent.mkdir()
    for path in page, listing:
        path.write_text(rendered)
    link.hardlink_to(page)
    inode = listing.stat().st_ino
    finish({"MINIFY": True, "PRECOMPRESS": True}, tmp_path, [page, listing], {page})
    assert "\n" not in page.read_text() and link.read_text() == rendered
    assert "\n" not in listing.read_text() and listing.stat().st_ino == inode
    assert sorted(p.name for p in page.parent.iterdir()) == ["index.html", "index.html.br", "index.html.gz"]


def test_an_html_file_under_extra_is_published_exactly_as_it_is(tmp_path):
    """Files under extra/ are published byte for byte (docs/writing.md); production minified
    an HTML one like a rendered page, dropping its comments and the spaces of its text."""
    from conftest import new_content

    content = new_content(tmp_path)
    (content / "articles" / "first.md").write_text("Title: First\nDate: 2011-06-01\n\nBody.\n")
    report = b"<!doctype html>\n<title>Report</title>\n<!-- licence: keep this -->\n<p>a   b</p>\n" * 20
    (content / "extra" / "report.html").write_bytes(report)
    output = tmp_path / "output"
    result = run_build(output, content=content)
    assert result.returncode == 0, result.stderr
    assert (output / "extra" / "report.html").read_bytes() == report
    assert gzip.decompress((output / "extra" / "report.html.gz").read_bytes()) == report
    assert "\n" not in (output / "index.html").read_text()  # rendered pages are still minified
