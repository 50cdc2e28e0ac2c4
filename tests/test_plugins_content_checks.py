"""plugins/content_checks.py: problems found on posts Pelican has read, named by file."""

import contextlib
import logging

import pytest
from pluginhelpers import generators, post

from plugins import content_checks


def problems(tmp_path, caplog, articles, pages=(), **settings):
    found = generators(tmp_path, articles, pages, **settings)
    with (
        caplog.at_level(logging.ERROR, logger=content_checks.log.name),
        contextlib.suppress(content_checks.ContentError),
    ):
        content_checks.check_site(found)
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def test_tags_whose_slugs_collide_are_refused_naming_both_posts(tmp_path, caplog):
    articles = [("a.md", post("A", Tags="C++")), ("b.md", post("B", date="2011-06-02", Tags="C"))]
    found = problems(tmp_path, caplog, articles)
    assert len(found) == 1
    assert "articles/a.md" in found[0] and "articles/b.md" in found[0] and "tag/c/" in found[0]


@pytest.mark.parametrize("production", [True, False])
@pytest.mark.parametrize("status, refused", [("published", True), ("draft", False)])
def test_a_published_post_linking_a_draft_is_refused_in_every_build(
    tmp_path, caplog, production, status, refused
):
    """Development too: the preview's link works, and publishing the post would break it."""
    articles = [
        ("a.md", post("A", body="See [the draft]({filename}b.md).", Status=status)),
        ("b.md", post("B", Status="draft")),
    ]
    found = problems(tmp_path, caplog, articles, PRODUCTION=production)
    assert bool([p for p in found if "which is a draft" in p]) == refused, found


def test_a_link_to_a_missing_post_is_refused(tmp_path, caplog):
    found = problems(tmp_path, caplog, [("a.md", post("A", body="See [it]({filename}gone.md)."))])
    assert found == [
        "articles/a.md: links to {filename}gone.md, but content/articles/gone.md does not "
        "exist. Fix the path (relative to this file, or starting with / for content/) or "
        "remove the link."
    ]


@pytest.mark.parametrize(
    "save_as, archive",
    [
        ("2011/index.html", "2011"),
        ("2011/06/index.html", "June 2011"),
    ],
)
def test_a_page_over_a_period_archive_is_refused_naming_the_archive(tmp_path, caplog, save_as, archive):
    articles = [("a.md", post("A")), ("b.md", post("B", date="2011-06-20"))]
    pages = [("over.md", f"Title: Over\nSave_as: {save_as}\n\nText.\n")]
    found = problems(tmp_path, caplog, articles, pages=pages)
    assert f"pages/over.md and the {archive} archive would all be written to {save_as}" in " ".join(found)
