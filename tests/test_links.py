"""Every link resolves inside the output, and nothing loads from another host."""

import re
import shutil
import subprocess
import sys

from browserhelpers import VNU, require_file, require_java

from sitebuild.checks import site as check

ASSET_SELECTORS = {
    "script[src]": "src",
    "img[src]": "src",
    "source[src]": "src",
    "iframe[src]": "src",
    "video[src]": "src",
    "audio[src]": "src",
    "link[href]": "href",
}


def test_no_page_links_to_a_missing_file_or_anchor(site):
    assert check.link_problems(check.Site(site.root, site.siteurl)) == []


def test_the_link_check_finds_broken_links_and_anchors(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site.root, broken)
    about = broken / "about" / "index.html"
    about.write_text(
        about.read_text().replace(
            "</main>", '<a href="/no-such-page/">x</a><a href="/tags/#nowhere">y</a></main>'
        )
    )
    problems = check.link_problems(check.Site(broken, site.siteurl))
    assert problems == [
        "about/index.html: link to missing /no-such-page/",
        "about/index.html: link to missing anchor /tags/#nowhere",
    ]
    assert check.by_source(problems, check.sources_of(broken)) == [
        "pages/about.md (about/index.html): link to missing /no-such-page/",
        "pages/about.md (about/index.html): link to missing anchor /tags/#nowhere",
    ]


def test_the_check_command_reports_and_fails(site, tmp_path):
    """That the command passes a good site, saying so, is proven by
    test_authoring.py::test_publish_for_another_origin_then_check (a publish of the real
    content, then `invoke check`); here, that it fails a broken one, naming each problem."""
    require_java()  # the command validates HTML too
    require_file(VNU, "run npm ci")
    broken = tmp_path / "site"
    shutil.copytree(site.root, broken)
    (broken / "feeds" / "all.atom.xml").write_text("<feed>")
    (broken / "drafts").mkdir()
    about = broken / "about" / "index.html"
    about.write_text(
        about.read_text().replace("</main>", "<div><li>a list item outside a list</li></div></main>")
    )
    bad = subprocess.run(
        [sys.executable, "-m", "sitebuild.checks.site", str(broken)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "feeds/all.atom.xml: not well-formed XML" in bad.stdout
    assert "drafts: drafts are published" in bad.stdout
    assert "pages/about.md (about/index.html): line" in bad.stdout  # the file to fix comes first


def test_nothing_loads_from_another_host(site):
    foreign = []
    same_site = check.Site(site.root, site.siteurl)
    for page in site.html_files():
        soup = site.soup(page.relative_to(site.root).as_posix())
        for selector, attribute in ASSET_SELECTORS.items():
            for element in soup.select(selector):
                if selector.startswith("link") and not {
                    "stylesheet",
                    "icon",
                    "preload",
                    "modulepreload",
                    "manifest",
                } & set(element.get("rel", [])):
                    continue
                if element[attribute].startswith("data:"):
                    continue  # inline (the favicon): nothing is fetched from any host
                if same_site.resolve(element[attribute], site.url_of(page)) is None:
                    foreign.append(f"{page.relative_to(site.root)}: {element}")
        for style in soup.find_all(style=True):
            assert "url(" not in style["style"]
    for css in site.root.rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text, css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
    assert not foreign, "\n".join(foreign)


def test_stylesheet_is_the_one_generated_and_fingerprinted(site):
    sheets = list((site.root / "theme").glob("site.*.css"))
    assert len(sheets) == 1
    for page in site.html_files():
        links = site.soup(page.relative_to(site.root).as_posix()).select("link[rel=stylesheet]")
        assert [link["href"] for link in links] == [f"{site.siteurl}/theme/{sheets[0].name}"]


def test_the_check_finds_the_site_url_of_a_minified_build(site):
    assert check.siteurl_of(site.root) == site.siteurl
