"""Share links under each post: plain links (no script, no request until a reader clicks),
each value URL-encoded and escaped, and the post's address to copy for Mastodon."""

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SITEURL, new_content, run_build
from sitehelpers import BuiltSite

from plugins.typography import smart

TITLE = 'Xen & "dom0" <fast>? #1 — naïve/100%'
SHOWN_TITLE = smart(TITLE)  # with curly quotes, as the page shows it (plugins/typography.py)
POST = f"""Title: {TITLE}
Date: 2011-03-25 09:00
Category: xen
Summary: A made-up post whose title has every character a URL or HTML could trip on.

The text.
"""


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("share")
    content = new_content(folder)
    (content / "articles" / "awkward.md").write_text(POST, encoding="utf-8")
    result = run_build(folder / "output", content=content)
    assert result.returncode == 0, result.stderr
    site = BuiltSite(folder / "output", SITEURL)
    (page,) = [p for p in site.html_files() if p.parent.parent.name == "03"]
    return site, site.url_of(page), site.soup(page.relative_to(site.root).as_posix())


def test_each_share_link_carries_the_title_and_address_encoded(shared):
    site, url, soup = shared
    links = {a.get_text(): a["href"] for a in soup.select(".share a")}
    assert list(links) == ["Email", "Bluesky", "Hacker News", "LinkedIn"]

    def query(name):
        parts = urlsplit(links[name])
        return parts, {key: values for key, values in parse_qs(parts.query).items()}

    email, fields = query("Email")
    assert email.scheme == "mailto" and fields == {"subject": [SHOWN_TITLE], "body": [url]}
    assert "+" not in links["Email"]  # mailto: reads a + as a plus, not a space (RFC 6068)
    bluesky, fields = query("Bluesky")
    assert bluesky.netloc == "bsky.app" and fields == {"text": [f"{SHOWN_TITLE} {url}"]}
    hn, fields = query("Hacker News")
    assert hn.netloc == "news.ycombinator.com" and fields == {"u": [url], "t": [SHOWN_TITLE]}
    linkedin, fields = query("LinkedIn")
    assert linkedin.netloc == "www.linkedin.com" and fields == {"url": [url]}


def test_the_address_to_copy_is_labelled_and_escaped(shared):
    site, url, soup = shared
    field = soup.select_one(".share input")
    assert field["value"] == url and field.has_attr("readonly")
    assert "Mastodon" in soup.find("label", attrs={"for": field["id"]}).get_text()
    raw = site.text(urlsplit(url).path)
    assert "<fast>" not in raw.split("Share this post")[1]


def test_share_links_need_no_script_and_no_new_policy(shared):
    site, url, soup = shared
    share = soup.select_one(".share")
    assert not share.select("script, form, iframe, img")
    assert all(a.get("target") is None for a in share.select("a"))
