"""plugins/site_writer.py: feeds carry titles and summaries exactly as written."""

import xml.etree.ElementTree as etree

from markupsafe import escape
from pelican.writers import Writer
from pluginhelpers import generators, post

from plugins import site_writer

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "Why <script> tags & <b>bold</b> break feeds"
SUMMARY = "Compare a < b with b > a & see."


def feed_entry(tmp_path, writer_class):
    found, pages = generators(tmp_path, [("post.md", post(TITLE, Summary=SUMMARY))])
    context = {**found.context, "SITEURL": "https://example.org", "FEED_DOMAIN": "https://example.org"}
    writer = writer_class(str(tmp_path / "output"), settings=found.settings)
    writer.write_feed(found.articles, context, "feeds/all.atom.xml")
    return etree.parse(tmp_path / "output" / "feeds/all.atom.xml").getroot().find(f"{ATOM}entry")


def test_feed_titles_and_summaries_are_the_text_the_author_wrote(tmp_path):
    entry = feed_entry(tmp_path, site_writer.SiteWriter)
    assert entry.find(f"{ATOM}title").text == TITLE
    summary = entry.find(f"{ATOM}summary")
    # type="html": a feed reader unescapes it once, to the text written.
    assert summary.get("type") == "html" and summary.text == str(escape(SUMMARY))


def test_pelicans_own_writer_loses_the_words(tmp_path):
    """What the site writer is for: Pelican's writer strips what looks like a tag."""
    assert feed_entry(tmp_path, Writer).find(f"{ATOM}title").text == "Why tags & bold break feeds"
