"""Front matter fields are declared where they are read, and lint reads them as Pelican does."""

import re
from importlib.metadata import version
from pathlib import Path

from conftest import ROOT, new_content, run_build
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from plugins.content_model import declared_fields
from sitebuild.front_matter import front_matter

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
# What templates read that Pelican or a plugin computes, not the author's front matter.
COMPUTED = {
    "as_schema",
    "content",
    "url",
    "save_as",
    "locale_date",
    "locale_modified",
    "next_article",
    "prev_article",
    "reading_minutes",
    "series_place",  # plugins/series.py
    "updated",  # plugins/corrections.py: the author's Modified, as modified counts corrections
    "related",
    "translations",  # Pelican's: the other language versions of a post or page
    "toc",
    "standfirst",  # plugins/plain_summary.py: the summary a post's header shows, if any
    "lead_image",
    "share_image",
    "categories",
    "name",
}
CONTENT_VARIABLE = re.compile(r"\b(?:article|page|p|shown|previewed|other)\.([a-z_]+)")
ATTRIBUTE_TEST = re.compile(r"""(?:selectattr|rejectattr)\(["']([a-z]\w*)|attribute=["']([a-z]\w*)""")
TEMPLATE_METADATA_READ = re.compile(r"""\.metadata\.get\(["'](\w+)""")
METADATA_READ = re.compile(r"""metadata(?:\.get\(|\[)["'](\w+)["']\](?!\s*=)|metadata\.get\(["'](\w+)""")
METADATA_WRITE = re.compile(r"""metadata\[["'](\w+)["']\]\s*=""")


def post(content: Path, front: str) -> None:
    (content / "articles" / "post.md").write_text(f"Title: A post\nDate: 2024-01-02\n{front}\n\nText.\n")


def test_a_field_declared_by_a_plugin_builds_and_undeclared_is_refused_by_name(tmp_path):
    plugins = tmp_path / "extra_plugins"
    plugins.mkdir()
    (plugins / "standfirst.py").write_text('FIELDS = {"standfirst": "text"}\n\n\ndef register():\n    pass\n')
    content = new_content(tmp_path)
    post(content, "Standfirst: The short of it.")
    declared = [("PLUGINS", [*SETTINGS["PLUGINS"], "standfirst"])]
    importable = {"PYTHONPATH": str(plugins)}
    built = run_build(
        tmp_path / "with", content=content, production=False, settings=declared, environment=importable
    )
    assert built.returncode == 0, built.stderr
    refused = run_build(tmp_path / "without", content=content, production=False)
    assert refused.returncode != 0
    assert "articles/post.md:3: unknown front matter field “Standfirst”." in refused.stderr


def test_a_template_declares_the_fields_it_reads_with_their_kind(tmp_path):
    (tmp_path / "kicker.html").write_text("{#- front matter: kicker (text), pinned (yes/no) -#}\n")
    fields = declared_fields({**SETTINGS, "THEME_TEMPLATES_OVERRIDES": [str(tmp_path)]})
    assert (fields["kicker"], fields["pinned"]) == ("text", "yes/no")
    assert "kicker" not in declared_fields(SETTINGS)


def test_every_field_the_theme_or_a_plugin_reads_is_declared():
    declared = declared_fields(SETTINGS)
    read, written = set(), set()
    for path in (ROOT / "theme" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        read |= set(CONTENT_VARIABLE.findall(text)) - {"metadata"}
        read |= set(TEMPLATE_METADATA_READ.findall(text))
        read |= {a or b for a, b in ATTRIBUTE_TEST.findall(text)}
    for path in (ROOT / "plugins").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= {a or b for a, b in METADATA_READ.findall(text)}
        written |= set(METADATA_WRITE.findall(text))
    assert read - COMPUTED - written - set(declared) == set()


def posts():
    return sorted([*(ROOT / "content").rglob("*.md"), *(ROOT / "tests" / "data").rglob("*.md")])


def test_lint_reads_front_matter_as_pelicans_reader_does():
    """sitebuild/front_matter.py is a second parser; checked against the Pelican pinned in
    requirements.txt."""
    assert f"pelican=={version('pelican')}" in (ROOT / "requirements.txt").read_text().splitlines()
    reader = MarkdownReader(SETTINGS)
    assert posts()
    for path in posts():
        _, pelicans = reader.read(str(path))
        ours = {key: reader.process_metadata(key, value) for _, key, value in front_matter(path.read_text())}
        assert ours == pelicans, path


TRICKY = {
    "a YAML fence": "---\nTitle: Fenced\nDate: 2024-01-02\n---\nStatus: draft\n\nText.\n",
    "a tab before more of a field": "Title: Tabbed\nSummary: one\n  \ttwo\n\nText.\n",
    "a space before a colon": "Title: Spaced\nSumary : typo\nStatus: draft\n\nText.\n",
    "a space in a name": "Title: Spaced\nImage alt: x\nStatus: draft\n\nText.\n",
    "a closing line": "Title: Closed\n...\nStatus: draft\n\nText.\n",
    "Windows line ends": "Title: Ended\r\nSummary: one\r\n  two\r\nStatus: draft\r\n\r\nText.\r\n",
    "old Mac line ends": "Title: Ended\rSummary: one\u2028two\rStatus: draft\r\rText.\r",
}


def test_lint_ends_the_fields_where_pelicans_reader_does(tmp_path):
    """Where the fields end decides what is published as text (a draft's Status, after a typo)."""
    reader = MarkdownReader(SETTINGS)
    for name, text in TRICKY.items():
        path = tmp_path / "post.md"
        path.write_text(text)
        _, pelicans = reader.read(str(path))
        fields = front_matter(text)
        assert [key for _, key, _ in fields if key] == list(pelicans), name
        assert [line for line, _, _ in fields] == list(range(fields[0][0], fields[-1][0] + 1)), name
