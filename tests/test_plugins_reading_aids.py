"""plugins/reading_aids/: reading time, table of contents and related posts, computed
on posts Pelican has read from made-up files."""

from dataclasses import dataclass, field
from datetime import datetime

from pluginhelpers import generators, post

from plugins import reading_aids
from plugins.reading_aids.related import related_posts


@dataclass(eq=False)  # hashable by identity, as Pelican's articles are
class Article:
    slug: str
    date: datetime
    tags: list = field(default_factory=list)


SECTIONS = "## First *part*\n\nText.\n\n### A detail\n\nText.\n\n## Last & least\n\nText.\n"


def test_reading_time_counts_words_not_markup_and_rounds_up(tmp_path):
    code = "\n\n    " + " ".join(["<span>code</span>"] * 10)  # 10 words, whatever the highlighting adds
    articles = [
        ("long.md", post("Long", body="word " * 221 + code)),
        ("short.md", post("Short", body="One.")),
    ]
    found, pages = generators(tmp_path, articles)
    reading_aids.add_reading_aids(found)
    minutes = {a.title: a.reading_minutes for a in found.articles}
    assert minutes == {"Long": 2, "Short": 1}  # 231 words at 230 a minute


def test_table_of_contents_from_three_headings_without_permalinks(tmp_path):
    articles = [
        ("long.md", post("Long", body=SECTIONS)),
        ("short.md", post("Short", body="## Only one\n\nText.")),
    ]
    found, pages = generators(tmp_path, articles)
    reading_aids.add_reading_aids(found)
    toc = {a.title: a.toc for a in found.articles}
    assert toc["Long"] == [
        (2, "first-part", "First part"),
        (3, "a-detail", "A detail"),
        (2, "last-least", "Last & least"),
    ]
    assert toc["Short"] == []


def test_drafts_and_hidden_posts_get_the_aids_publishing_would_give(tmp_path):
    found, pages = generators(
        tmp_path,
        [("draft.md", post("Draft", body=SECTIONS, Status="draft"))],
        [
            ("page.md", post("Draft page", body=SECTIONS, Status="draft")),
            ("hidden.md", post("Hidden page", body=SECTIONS, Status="hidden")),
        ],
    )
    reading_aids.add_reading_aids(found)
    reading_aids.add_per_post_aids(pages)
    for content in [*found.drafts, *pages.draft_pages, *pages.hidden_pages]:
        assert len(content.toc) == 3 and content.reading_minutes == 1, content.title


def test_related_posts_share_the_most_tags_then_the_nearest_date():
    def article(slug, day, *tags):
        return Article(slug, datetime(2011, 6, day), list(tags))

    story = article("story", 10, "xen", "dom0", "linux")
    both = article("both", 1, "xen", "dom0")
    near, far = article("near", 11, "linux"), article("far", 30, "linux")
    unrelated = article("unrelated", 10, "bsd")
    related = related_posts([story, both, near, far, unrelated], limit=2)
    assert related[story] == [both, near]
    assert related[unrelated] == []


def test_related_posts_look_only_at_a_window_of_posts_per_tag():
    posts = [Article(f"p{day:02d}", datetime(2011, 6, day), ["xen"]) for day in range(1, 31)]
    related = related_posts(posts, limit=30, window=2)
    assert [p.slug for p in related[posts[0]]] == ["p02", "p03"]
