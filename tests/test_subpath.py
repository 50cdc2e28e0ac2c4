"""The site published under a path, as a GitHub project page is (https://example.github.io/project/).

Served by real nginx under /project/; a crawl of pages, feeds, the stylesheet and the
sitemap finds every address under /project/ answering 200; Chromium then searches there.
"""

import re
import shutil
import subprocess
import sys
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from browserhelpers import STORY, open_page
from bs4 import BeautifulSoup
from conftest import ROOT, new_content, run_build
from imagehelpers import save_photo
from serverhelpers import RECORD_VIOLATIONS, get, require_nginx

from devtools import nginx
from sitebuild.checks import site as check

DEPLOYED_CONFIG = nginx.site_config
PREFIX = "/project"
DEPLOY_GUIDE = ROOT / "docs" / "deploy.md"
URL_ATTRIBUTES = ("href", "src", "action", "content", "poster", "data")
# An address written in a page's HTML, also where that HTML is text inside a feed.
ROOT_RELATIVE = re.compile(r"""(?:href|src)=\\?["']?(/[^"'\\\s>]*)""")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def lines_moved_under_a_path():
    """{line of deploy/nginx.conf: that line for a site under PREFIX}, from docs/deploy.md (for /news/)."""
    guide = DEPLOY_GUIDE.read_text(encoding="utf-8")
    section = guide.split("## nginx for a site under a path", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```nginx\n(.*?)```", section, re.S).group(1)
    return {
        line.strip().replace("/news/", "/"): line.strip().replace("/news/", f"{PREFIX}/")
        for line in block.splitlines()
        if line.strip()
    }


def config_under_prefix(root, port):
    """deploy/nginx.conf serving ``root``, changed as docs/deploy.md says for a site under a path."""
    text = DEPLOYED_CONFIG(root, port)
    for line, moved in lines_moved_under_a_path().items():
        assert text.count(f"    {line}\n") == 1, f"deploy/nginx.conf no longer has one {line!r}"
        text = text.replace(f"    {line}\n", f"    {moved}\n")
    return text


def test_the_guide_moves_every_line_that_names_a_path_from_the_root():
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    from_the_root = re.findall(r"^\s*((?:location|error_page)\b.*\s/\S*.*)$", text, re.M)
    assert sorted(lines_moved_under_a_path()) == sorted(line.strip() for line in from_the_root)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    require_nginx()
    folder = tmp_path_factory.mktemp("subpath")
    port = nginx.free_port()
    siteurl = f"http://127.0.0.1:{port}{PREFIX}"
    built = run_build(folder / "served" / PREFIX.strip("/"), siteurl=siteurl)
    assert built.returncode == 0, built.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nginx, "site_config", config_under_prefix)
        with nginx.running(folder / "served", folder / "server", port=port):
            yield folder / "served" / PREFIX.strip("/"), siteurl


def addresses(url, content_type, body):
    """Every address a resource gives, absolute."""
    text = body.decode("utf-8", errors="replace")
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    found = set(re.findall(re.escape(origin) + r"[^\s\"'<>\\)]*", text))
    found |= set(ROOT_RELATIVE.findall(text))
    if content_type.startswith("text/html"):
        for element in BeautifulSoup(text, "lxml").find_all(True):
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if value and (name != "content" or value.startswith(("/", "http"))):
                    found.add(value)
            if element.get("srcset"):
                found |= {candidate.split()[0] for candidate in element["srcset"].split(",")}
    if content_type.startswith("text/css"):
        found |= set(CSS_URL.findall(text))
    return {urldefrag(urljoin(url, address)).url for address in found if not address.startswith("data:")}


def crawl(siteurl, start):
    """{internal URL: status}, following every address from ``start``; the addresses outside PREFIX."""
    origin = f"{urlsplit(siteurl).scheme}://{urlsplit(siteurl).netloc}"
    statuses, outside, queue = {}, set(), deque(start)
    while queue:
        url = queue.popleft()
        if url in statuses:
            continue
        if not urlsplit(url).path.startswith(PREFIX + "/"):
            outside.add(url)
            statuses[url] = None
            continue
        status, headers, body = get(url)
        statuses[url] = status
        if status in (200, 404) and not url.endswith(".js"):
            given = addresses(url, headers.get("Content-Type", ""), body)
            queue.extend(address for address in given if address.startswith(origin))
    return statuses, outside


def test_every_address_the_site_gives_is_under_the_path_and_answers(project):
    root, siteurl = project
    missing_page = f"{siteurl}/no/such/page/at/depth/"
    statuses, outside = crawl(siteurl, [f"{siteurl}/", missing_page, f"{siteurl}/sitemap.xml"])
    assert outside == set()
    assert statuses.pop(missing_page) == 404
    # The 404 page names its own file as canonical; nginx sends that only as a missing page's answer.
    assert statuses.pop(f"{siteurl}/404.html") == 404
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    # The crawl reached every page and feed the build wrote.
    built = {
        f"{siteurl}/{p.relative_to(root).as_posix()}".removesuffix("index.html")
        for pattern in ("**/*.html", "**/*.atom.xml", "**/*.rss.xml", "feeds/*.json")
        for p in root.glob(pattern)
        if "pagefind" not in p.parts and p.name != "404.html"
    }
    assert built - statuses.keys() == set()


def test_the_404_page_at_any_depth_leads_back_into_the_site(project):
    root, siteurl = project
    status, _, body = get(f"{siteurl}/2011/06/gone/and/deeper/")
    assert (status, body) == (404, (root / "404.html").read_bytes())
    links = {a["href"] for a in BeautifulSoup(body, "lxml").select("main a")}
    assert links and all(link.startswith(f"{siteurl}/") and get(link)[0] == 200 for link in links)


def test_the_fingerprinted_stylesheet_is_cached_for_a_year_under_the_path(project):
    root, siteurl = project
    stylesheet = next(root.glob("theme/site.*.css")).name
    status, headers, body = get(f"{siteurl}/theme/{stylesheet}")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert get(f"{siteurl}/")[1]["Cache-Control"] == "public, max-age=300"


def test_feeds_are_served_with_their_types_under_the_path(project):
    _, siteurl = project
    types = {
        "all.atom.xml": "application/atom+xml",
        "all.rss.xml": "application/rss+xml",
        "all.json": "application/feed+json",
    }
    for name, kind in types.items():
        status, headers, _ = get(f"{siteurl}/feeds/{name}")
        assert (status, headers["Content-Type"]) == (200, f"{kind}; charset=utf-8"), name


def test_the_check_accepts_the_build_for_its_address_and_finds_a_link_off_it(project, tmp_path):
    root, siteurl = project
    assert check.link_problems(check.Site(root, siteurl)) == []
    assert check.siteurl_of(root) == siteurl
    broken = tmp_path / "site"
    shutil.copytree(root, broken)
    about = broken / "about" / "index.html"
    about.write_text(about.read_text().replace("</main>", '<a href="/tags/">tags</a></main>'))
    assert check.link_problems(check.Site(broken, siteurl)) == [
        f"about/index.html: link to /tags/ leads outside the site's address {siteurl}/"
    ]


def test_invoke_check_takes_the_address_to_build_for():
    shown = subprocess.run(
        [sys.executable, "-m", "invoke", "--help", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert "--siteurl" in shown.stdout, shown.stderr


@pytest.mark.browser
def test_search_works_under_the_path(project, browser):
    _, siteurl = project
    with open_page(browser) as (page, problems):
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{siteurl}/search/?q=Fitzhardinge")
        result = page.locator("#search-results li a").first
        result.wait_for()
        assert result.get_attribute("href") == siteurl + STORY
        assert page.evaluate("window.__cspViolations") == [] and problems.messages == []
    assert get(siteurl + STORY)[0] == 200


# --- Links written from the server's root are refused; {site} follows SITEURL ----------


def test_a_link_from_the_servers_root_is_refused_with_the_form_to_use(tmp_path):
    content = new_content(tmp_path)
    (content / "articles" / "rooted.md").write_text(
        "Title: Rooted\nDate: 2011-06-01\n\nSee [all tags](/tags/), [Xen](/tag/xen/) and "
        '<img src="/extra/favicon.svg" alt="the logo" width="32" height="32">.\n\n'
        "[Elsewhere](https://example.org/tags/), [here](#top), [home](//example.org/).\n"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1
    errors = [line.strip() for line in result.stderr.splitlines() if "server's root" in line]
    refused = [error.split("“")[1].split("”")[0] for error in errors]
    assert refused == ["/tags/", "/tag/xen/", "/extra/favicon.svg"]
    assert all(error.startswith("error: articles/rooted.md: links to") for error in errors)
    assert "Write {site}tags/, or {filename}" in errors[0]
    assert "Write {tag} and the tag's name" in errors[1]
    assert "Write {static}/extra/favicon.svg instead" in errors[2]
    assert not (tmp_path / "output").exists()


def refused(tmp_path, content) -> list[str]:
    """The error lines of a build of ``content`` that must fail, publishing nothing."""
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1 and not (tmp_path / "output").exists()
    return [line.strip() for line in result.stderr.splitlines() if "error:" in line]


def built_and_checked(tmp_path, content, *pages) -> list[BeautifulSoup]:
    """``pages`` of ``content`` built for a site under a path, whose links all check."""
    siteurl = f"https://example.org{PREFIX}"
    result = run_build(tmp_path / "output", content=content, siteurl=siteurl)
    assert result.returncode == 0, result.stderr
    assert check.run_checks(tmp_path / "output", siteurl, validate_html=False) == []
    return [
        BeautifulSoup((tmp_path / "output" / page / "index.html").read_text(), "html.parser")
        for page in pages
    ]


def test_a_link_by_a_file_s_path_is_refused_with_the_form_to_use_which_builds_and_checks(tmp_path):
    """A path from the post's file, as an editor previews it, was published as written: the page
    is at /2011/06/slug/, so "../images/rack.jpg" led to /2011/images/rack.jpg, and nothing said."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 1200, 800)
    (content / "extra" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (content / "articles" / "other.md").write_text("Title: Other\nDate: 2011-06-01\n\nText.\n")
    body = (
        "![A rack]({rack}) and [the report]({report}), after [the other post]({other}).\n\n"
        "[June](../), [mail](mailto:x@example.org), [here](#main) and [Xen](https://xen.org/).\n"
    )
    post = content / "articles" / "pathed.md"
    post.write_text(
        "Title: Pathed\nDate: 2011-06-02\n\n"
        + body.format(rack="../images/rack.jpg", report="../extra/report.pdf", other="other.md")
    )
    errors = refused(tmp_path, content)
    fixes = {
        "../images/rack.jpg": "{static}/images/rack.jpg",
        "../extra/report.pdf": "{static}/extra/report.pdf",
    }
    fixes["other.md"] = "{filename}other.md"
    assert errors == [
        f"error: articles/pathed.md: links to “{path}”, a file's path from this one (as an editor previews "
        f"it), which the published page, at another address, does not reach. Write {form} instead."
        for path, form in fixes.items()
    ]
    post.write_text(
        "Title: Pathed\nDate: 2011-06-02\n\n"
        + body.format(
            rack=fixes["../images/rack.jpg"], report=fixes["../extra/report.pdf"], other=fixes["other.md"]
        )
    )
    built_and_checked(tmp_path, content)


def test_the_form_a_path_link_is_told_keeps_its_fragment_and_works_in_a_srcset(tmp_path):
    """The form given dropped "#why" and "?page=3", so the fixed link led to the page's top; in a
    srcset it was {static}, which Pelican leaves there as written, and the build published it so.
    A post whose one such path was in a srcset was not read for them."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 1200, 800)
    save_photo(content / "extra" / "plan.jpg", 1200, 800)
    (content / "articles" / "other.md").write_text("Title: Other\nDate: 2011-06-01\n\n## Why\n\nText.\n")
    body = "[why]({why}) and [the plan]({plan}).\n\n"
    body += '<img src="https://xen.org/logo.png" srcset="{plan_2x} 2x" alt="A plan">\n'
    paths = {"why": "other.md#why", "plan": "../extra/plan.jpg?page=3", "plan_2x": "../extra/plan.jpg"}
    (content / "articles" / "pathed.md").write_text(
        "Title: Pathed\nDate: 2011-06-02\n\n" + body.format(**paths)
    )
    picture = '<img src="{src}"{srcset} alt="A rack">\n'
    pictured = content / "articles" / "pictured.md"
    pictured.write_text(
        "Title: Pictured\nDate: 2011-06-03\n\n"
        + picture.format(src="https://xen.org/rack.png", srcset=' srcset="../images/rack.jpg 2x"')
    )
    errors = refused(tmp_path, content)
    fixes = {
        "why": "{filename}other.md#why",
        "plan": "{static}/extra/plan.jpg?page=3",
        "plan_2x": "{site}extra/plan.jpg",
    }
    told = [f"Write {fixes[name]} instead." for name in paths]
    told[2] = "Write {site}extra/plan.jpg instead: Pelican expands no {static} there."
    expected = [
        f"error: articles/pathed.md: links to “{path}”, a file's path from this one (as an editor previews "
        f"it), which the published page, at another address, does not reach. {fix}"
        for path, fix in zip(paths.values(), told, strict=True)
    ]
    expected.append(
        "error: articles/pictured.md: links to “../images/rack.jpg”, a file's path from this one (as an "
        "editor previews it), which the published page, at another address, does not reach. Give the <img> "
        'src="{static}/images/rack.jpg" instead, and no srcset: the build makes the picture\'s sizes, and '
        "Pelican expands no {static} in a srcset."
    )
    assert sorted(errors) == sorted(expected)
    (content / "articles" / "pathed.md").write_text(
        "Title: Pathed\nDate: 2011-06-02\n\n" + body.format(**fixes)
    )
    pictured.write_text(
        "Title: Pictured\nDate: 2011-06-03\n\n" + picture.format(src="{static}/images/rack.jpg", srcset="")
    )
    page, pictured = built_and_checked(tmp_path, content, "2011/06/pathed", "2011/06/pictured")
    siteurl = f"https://example.org{PREFIX}"
    links = {a.get_text(): a["href"] for a in page.select(".post-body a")}
    assert links == {"why": f"{siteurl}/2011/06/other/#why", "the plan": f"{siteurl}/extra/plan.jpg?page=3"}
    assert page.select_one('img[alt="A plan"]')["srcset"] == f"{siteurl}/extra/plan.jpg 2x"
    assert pictured.select_one('.post-body picture img[alt="A rack"]')


def test_a_file_form_in_a_srcset_is_refused_with_the_site_form_which_builds_and_checks(tmp_path):
    """Pelican expands {static}, {attach} and {filename} in href and src, not in a srcset: written
    there by hand they were published as typed, and readers got a broken picture; nothing said."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 1200, 800)
    save_photo(content / "extra" / "plan.jpg", 1200, 800)
    picture = (
        '<img src="https://xen.org/logo.png" srcset="{plan} 2x" alt="A plan">\n'
        '<picture><source srcset="{plan_again} 1x, {icon} 2x">'
        '<img src="https://xen.org/rack.png" srcset="{rack} 2x" alt="A rack"></picture>\n'
    )
    forms = {
        "plan": "{static}/extra/plan.jpg",
        "plan_again": "{filename}../extra/plan.jpg?v=2",
        "icon": "{static}/extra/favicon.svg",
        "rack": "{attach}/images/rack.jpg",
    }
    post = content / "articles" / "sized.md"
    post.write_text("Title: Sized\nDate: 2011-06-02\n\n" + picture.format(**forms))
    odd = content / "articles" / "odd.md"
    odd.write_text(
        "Title: Odd\nDate: 2011-06-03\n\n"
        '<img src="https://xen.org/x.png" srcset="{filename}sized.md#top 2x, {static}gone.jpg 3x" alt="x">\n'
    )
    fixes = {
        ("sized", forms["plan"]): "Write {site}extra/plan.jpg instead: Pelican expands no {static} there.",
        (
            "sized",
            forms["plan_again"],
        ): "Write {site}extra/plan.jpg?v=2 instead: Pelican expands no {filename} there.",
        ("sized", forms["icon"]): "Write {site}favicon.svg instead: Pelican expands no {static} there.",
        ("sized", forms["rack"]): 'Give the <img> src="{static}/images/rack.jpg" instead, and no srcset: the '
        "build makes the picture's sizes, and Pelican expands no {attach} in a srcset.",
        ("odd", "{filename}sized.md#top"): "A srcset lists pictures: link the post with "
        'href="{filename}sized.md#top" instead.',
        ("odd", "{static}gone.jpg"): "It names no file under content/: put the picture under content/extra/ "
        "and write {site} and its address ({site}extra/plan.jpg for content/extra/plan.jpg).",
    }
    assert sorted(refused(tmp_path, content)) == sorted(
        f"error: articles/{name}.md: links to “{form}”, a {form[: form.index('}') + 1]} link in a srcset, "
        f"which readers would get as written: a broken picture. {fix}"
        for (name, form), fix in fixes.items()
    )
    odd.unlink()
    written = {
        "plan": "{site}extra/plan.jpg",
        "plan_again": "{site}extra/plan.jpg?v=2",
        "icon": "{site}favicon.svg",
    }
    post.write_text(
        "Title: Sized\nDate: 2011-06-02\n\n" + picture.format(**written, rack="{site}favicon.svg")
    )
    (page,) = built_and_checked(tmp_path, content, "2011/06/sized")
    siteurl = f"https://example.org{PREFIX}"
    assert page.select_one('img[alt="A plan"]')["srcset"] == f"{siteurl}/extra/plan.jpg 2x"
    assert page.select_one(".post-body source")["srcset"] == (
        f"{siteurl}/extra/plan.jpg?v=2 1x, {siteurl}/favicon.svg 2x"
    )


def test_a_path_that_leads_nowhere_but_names_a_file_under_content_is_refused_with_its_form(tmp_path):
    """From articles/2011/, "../images/rack.jpg" names no file (content/images/ is two folders
    up) and was published as written, leading to /2011/06/images/rack.jpg: nothing said.
    A path that reaches its file from the published page is not refused."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 1200, 800)
    (content / "extra" / "data.csv").write_text("a,b\n1,2\n")
    body = "![A rack]({rack})\n\n[The data]({data}), [again](../../../extra/data.csv) and [June](../).\n"
    post = content / "articles" / "2011" / "pathy.md"
    post.parent.mkdir(exist_ok=True)
    post.write_text(
        "Title: Pathy\nDate: 2011-06-02\n\n" + body.format(rack="../images/rack.jpg", data="extra/data.csv")
    )
    assert refused(tmp_path, content) == [
        f"error: articles/2011/pathy.md: links to “{path}”, a path that leads to no file from this one, nor "
        f"from the published page. For content/{file}, write {{static}}/{file} instead."
        for path, file in [("../images/rack.jpg", "images/rack.jpg"), ("extra/data.csv", "extra/data.csv")]
    ]
    post.write_text(
        "Title: Pathy\nDate: 2011-06-02\n\n"
        + body.format(rack="{static}/images/rack.jpg", data="{static}/extra/data.csv")
    )
    (page,) = built_and_checked(tmp_path, content, "2011/06/pathy")
    links = {a.get_text(): a["href"] for a in page.select(".post-body a")}
    assert links["The data"] == f"https://example.org{PREFIX}/extra/data.csv"
    assert links["again"] == "../../../extra/data.csv"
    assert page.select_one('.post-body picture img[alt="A rack"]')


def test_a_path_that_reaches_its_file_from_the_page_too_builds(tmp_path):
    """pages/team.md is published at /team/, so "../extra/data.csv" reaches content/extra/data.csv
    from the file and its page alike: it was refused as a link "the published page does not
    reach". A picture under images/ is published only by its {static} link: that path is refused."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 1200, 800)
    (content / "extra" / "data.csv").write_text("a,b\n1,2\n")
    (content / "articles" / "news.md").write_text("Title: News\nDate: 2011-06-01\n\nText.\n")
    page = content / "pages" / "team.md"
    page.write_text("Title: Team\n\n[The data](../extra/data.csv) and ![A rack](../images/rack.jpg)\n")
    assert refused(tmp_path, content) == [
        "error: pages/team.md: links to “../images/rack.jpg”, a file's path from this one (as an editor "
        "previews it), which the published page, at another address, does not reach. Write "
        "{static}/images/rack.jpg instead."
    ]
    page.write_text("Title: Team\n\n[The data](../extra/data.csv) and ![A rack]({static}/images/rack.jpg)\n")
    (team,) = built_and_checked(tmp_path, content, "team")
    assert team.select_one(".post-body a")["href"] == "../extra/data.csv"


def test_site_links_follow_the_site_wherever_it_is_served(dev_site, project):
    def about_links(soup):
        return [a["href"] for a in soup.select("main a") if a.get_text() in ("site-wide Atom feed", "tag")]

    assert about_links(dev_site.soup("about/")) == ["/feeds/all.atom.xml", "/tags/"]
    root, siteurl = project
    soup = BeautifulSoup((root / "about" / "index.html").read_text(), "lxml")
    assert about_links(soup) == [f"{siteurl}/feeds/all.atom.xml", f"{siteurl}/tags/"]


def test_only_addresses_from_the_servers_root_are_refused():
    import pluginhelpers  # noqa: F401  (puts plugins/ on the path)

    from plugins import site_links

    html = (
        '<a href="/tags/">a</a><a href="//cdn.example/x">b</a><a href="#top">c</a>'
        '<a href="{static}/extra/x.png">d</a><a href="../tags/">e</a><a href="https://x.example/">f</a>'
        '<img src="/a.png" srcset="{static}/b.png 1x, /c.png 2x" alt=""><code>href="/code/"</code>'
    )
    assert site_links.root_relative(html) == ["/tags/", "/a.png", "/c.png"]


def test_addresses_from_the_root_are_found_however_they_are_written():
    import pluginhelpers  # noqa: F401  (puts plugins/ on the path)

    from plugins import site_links

    assert site_links.root_relative('<a href = "&#47;tags/">a</a>') == ["/tags/"]
    assert site_links.root_relative("<a href=/tags/>a</a><img src=' /a.png' alt=''>") == ["/tags/", "/a.png"]
    assert site_links.root_relative('<img srcset="b.png 1x,/c.png 2x" alt="">') == ["/c.png"]
    assert site_links.root_relative('<a href="tags/">a</a> x = 1/2, y') == []
