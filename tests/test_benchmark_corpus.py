"""The benchmark corpus is what the issue specifies, and the same on every run; the benchmarks
import, and profiling a build that fails fails."""

import datetime
import importlib
import pkgutil
import re

import pytest
from frontmatter import read_front_matter, terms

from benchmarks import corpus


def posts(folder):
    return sorted((folder / "articles").rglob("*.md"))


def test_same_seed_same_bytes_other_seed_other_posts(tmp_path):
    first, again, other = (
        corpus.generate(25, tmp_path / name, seed=seed) for name, seed in (("a", 1), ("b", 1), ("c", 2))
    )

    def read(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in posts(folder)}

    assert read(first) == read(again)
    assert read(first) != read(other)


def test_every_post_has_the_specified_shape(tmp_path):
    folder = corpus.generate(60, tmp_path / "corpus")
    assert len(posts(folder)) == 60
    assert (folder / "pages" / "404.md").is_file()
    for path in posts(folder):
        meta = read_front_matter(path)
        body = path.read_text().split("\n\n", 1)[1]
        blocks = body.strip().split("\n\n")
        code = re.findall(r"^```\w+\n.*?\n```$", body, re.S | re.M)
        quotes = [b for b in blocks if b.startswith("> ")]
        paragraphs = [b for b in blocks if not b.startswith(("> ", "```")) and "```" not in b]
        assert len(code) == 1 and len(quotes) == 1, path
        assert 4 <= len(paragraphs) <= 12, path
        assert 1 <= len(terms(meta, "tags")) <= 4 and set(terms(meta, "tags")) <= set(corpus.TAGS)
        assert 1 <= len(terms(meta, "category")) <= 2
        assert set(terms(meta, "category")) <= set(corpus.CATEGORIES)
        date = datetime.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M")
        assert 2015 <= date.year <= 2024 and path.parent.name == str(date.year)


def test_corpus_spreads_over_all_tags_categories_and_ten_years(tmp_path):
    folder = corpus.generate(400, tmp_path / "corpus")
    metas = [read_front_matter(p) for p in posts(folder)]
    assert {t for m in metas for t in terms(m, "tags")} == set(corpus.TAGS)
    assert {c for m in metas for c in terms(m, "category")} == set(corpus.CATEGORIES)
    assert {m["date"][:4] for m in metas} == {str(year) for year in range(2015, 2025)}


def test_every_benchmark_module_imports():
    """A benchmark is run by hand, rarely: an import broken by a move elsewhere shows here."""
    import benchmarks

    names = [module.name for module in pkgutil.iter_modules(benchmarks.__path__)]
    assert "preview_loop" in names
    for name in names:
        importlib.import_module(f"benchmarks.{name}")


def test_profiling_a_build_that_fails_reports_the_failure(tmp_path):
    """The profile runs the build's main() in a process of its own: a build that fails must
    fail the benchmark, as `python -m sitebuild` did, not print the profile of an error."""
    from benchmarks.measure import BenchmarkError
    from benchmarks.profile import profile_render

    (tmp_path / "corpus" / "articles").mkdir(parents=True)
    (tmp_path / "corpus" / "articles" / "bad.md").write_text("Title: Bad\nDate: not a date\n\nBody.\n")
    with pytest.raises(BenchmarkError, match="not a valid date"):
        profile_render(tmp_path)
