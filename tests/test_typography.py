"""Typography as an editor expects, on real builds: curly quotes, dashes and ellipses in
titles, standfirsts and bodies (pelicanconf.py's smarty, plugins/typography.py), never in
code or addresses; slugs that keep version numbers readable."""

import json
import re

import pytest
from conftest import new_content, run_build
from sitehelpers import BuiltSite

from sitebuild.scaffold import unique_slug

POST = """Title: Xen 4.1 ships -- "xl" replaces 'xend'...
Date: 2011-03-25
Category: xen
Summary: The toolstack's "new" face --- and the old one's end...

He said "it's done" -- at last... See [the "notes"](https://example.org/a--b...c/it's) and `grep -- "x" ...`.

```sh
printf '%s\\n' "dom0" -- ... 'x'
```
"""
SLUG = "2011/03/xen-4-1-ships-xl-replaces-xend/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(output folder, the post's page as parsed) of a build of POST alone."""
    content = new_content(tmp_path_factory.mktemp("typography"))
    (content / "articles" / "post.md").write_text(POST, encoding="utf-8")
    output = content.parent / "output"
    result = run_build(output, content=content)
    assert result.returncode == 0, result.stderr
    return output, BuiltSite(output, "").soup(SLUG)


def test_titles_and_standfirsts_get_curly_quotes_dashes_and_ellipses(built):
    output, page = built
    title = "Xen 4.1 ships – “xl” replaces ‘xend’…"
    summary = "The toolstack’s “new” face — and the old one’s end…"
    assert page.find("h1").get_text() == title
    assert page.select_one(".standfirst").get_text() == summary
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["headline"] == title
    feed = json.loads((output / "feeds/all.json").read_text(encoding="utf-8"))["items"][0]
    assert (feed["title"], feed["summary"]) == (title, summary)


def test_the_body_is_typeset_but_code_and_addresses_are_left_as_typed(built):
    _, page = built
    body = page.select_one(".post-body")
    prose = body.find("p")
    assert prose.get_text().startswith("He said “it’s done” – at last… See the “notes”")
    assert prose.find("a")["href"] == "https://example.org/a--b...c/it's"
    assert prose.find("code").get_text() == 'grep -- "x" ...'
    assert body.find("pre").get_text().strip() == "printf '%s\\n' \"dom0\" -- ... 'x'"


def test_the_real_storys_quotes_and_code_keep_every_character(site):
    """The quoted emails' words are reproduced as written; only quote marks and dashes may
    change, and nothing at all inside code."""
    story = site.soup("2011/06/linux-3-0-full-support-for-xen-dom0/")
    for quote in story.select("figure.quote blockquote"):
        assert not re.search(r"[\"']|--|\.\.\.", quote.get_text())  # typeset, not changed
    howto = site.soup("2011/06/is-this-kernel-ready-for-dom0/")
    code = "\n".join(pre.get_text() for pre in howto.find_all("pre"))
    assert "grep '^CONFIG_XEN' \"/boot/config-$(uname -r)\"" in code
    assert 'printf \'%-28s %s\\n\' "CONFIG_${option}" "${value:-not set}"' in code
    assert not re.search("[“”‘’–—…]", code)


def test_a_version_number_keeps_its_point_as_a_dash_in_the_slug(built, tmp_path):
    output, _ = built
    assert (output / SLUG / "index.html").is_file()
    # `make.py new` names the file as the build names the page.
    assert unique_slug("Xen 4.1 ships the xl toolstack", tmp_path, 80) == "xen-4-1-ships-the-xl-toolstack"
