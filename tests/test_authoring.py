"""An author's tools: `invoke new` scaffolds a post that builds."""

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browserhelpers import VNU, require_file, require_java
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, run_build
from pelican.settings import read_settings
from test_frontpage import home_of, lead_title

from sitebuild.scaffold import PLACEHOLDER_BODY, PLACEHOLDER_SUMMARY, unique_slug


def invoke(project, *args, environment=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(environment or {})},
    )


def test_new_post_builds_and_previews_as_a_draft(project_copy):
    result = invoke(project_copy, "new", "Some title: with <punctuation> & more", "--tags", "xen, howto")
    assert result.returncode == 0, result.stderr
    created = list((project_copy / "content" / "articles").rglob("some-title-with-more.md"))
    assert len(created) == 1
    text = created[0].read_text()
    assert "Title: Some title: with <punctuation> & more" in text and "Status: draft" in text

    build = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert build.returncode == 0, build.stderr
    page = project_copy / "output" / "drafts" / "some-title-with-more" / "index.html"
    assert ">Some title: with &lt;punctuation&gt; &amp; more</h1>" in page.read_text()

    published = run_build(project_copy / "published", cwd=project_copy)
    assert published.returncode == 0, published.stderr
    assert not (project_copy / "published" / "drafts").exists()


def test_new_dates_the_post_now_in_the_sites_time_zone_wherever_the_author_is(project_copy):
    """The build reads a Date without a zone in the site's TIMEZONE: dated by the author's
    clock, a post was held back as scheduled for hours east of it, and published hours off west."""
    site_zone = ZoneInfo(read_settings(str(project_copy / "pelicanconf.py"))["TIMEZONE"])
    written = {}
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles"):
        result = invoke(project_copy, "new", f"Written in {zone}", environment={"TZ": zone})
        assert result.returncode == 0, result.stderr
        created = project_copy / result.stdout.removeprefix("Created ").strip()
        text = created.read_text()
        date = datetime.strptime(re.search(r"^Date: (.*)$", text, re.MULTILINE)[1], "%Y-%m-%d %H:%M")
        now = datetime.now(site_zone).replace(tzinfo=None)
        assert date <= now < date + timedelta(minutes=2), f"{zone}: Date {date}, now {now} in the site's zone"
        ready = text.replace("Status: draft\n", "").replace(PLACEHOLDER_SUMMARY, "A summary.")
        created.write_text(ready.replace(PLACEHOLDER_BODY, "The post."))
        written[created.stem] = date.replace(tzinfo=site_zone)

    published = run_build(project_copy / "published", cwd=project_copy)
    assert published.returncode == 0, published.stderr
    for slug, date in written.items():
        page = project_copy / "published" / f"{date:%Y/%m}" / slug / "index.html"
        assert page.is_file(), f"{slug} was not published"
        byline = BeautifulSoup(page.read_text(), "lxml").select_one(".byline time")
        assert datetime.fromisoformat(byline["datetime"]) == date


def test_new_keeps_a_post_of_tags_or_categories_on_several_lines_a_draft(project_copy):
    """A list pasted one name a line (`--tags "$(cat tags.txt)"`) ended the front matter
    early: `Status: draft` fell into the body and the post was published. A name given again
    in another case is written once, as first typed, as the build reads it."""
    tags, categories = "xen\ndom0\nXen, DOM0\n", "xen\r\nStatus: published"
    result = invoke(project_copy, "new", "Pasted lists", "--tags", tags, "--category", categories)
    assert result.returncode == 0, result.stderr
    [created] = (project_copy / "content" / "articles").rglob("pasted-lists.md")
    assert "Tags: xen, dom0\n" in created.read_text()
    build = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert build.returncode == 0, build.stderr
    assert (project_copy / "output" / "drafts" / "pasted-lists" / "index.html").is_file()
    assert not list((project_copy / "output").glob("20*/*/pasted-lists"))
    assert "differ only in case" not in build.stderr, build.stderr


def publish_new(project, slug):
    """The front matter `new` wrote for ``slug``, and the production build of the post, made ready."""
    [created] = (project / "content" / "articles").rglob(f"{slug}.md")
    text = created.read_text()
    ready = text.replace("Status: draft\n", "").replace(PLACEHOLDER_SUMMARY, "A summary.")
    created.write_text(ready.replace(PLACEHOLDER_BODY, "The post."))
    published = run_build(project / "published", cwd=project)
    assert published.returncode == 0, published.stderr
    return text, published


def test_new_writes_a_name_the_site_already_uses_in_the_site_s_spelling_and_says_so(project_copy):
    """The site's posts are tagged "xen": `new --tags Xen` wrote "Xen", so the build warned of two
    spellings, and "Linux Kernel" beside the site's "linux-kernel" (one page, tag/linux-kernel/)
    stopped it. A name the site does not use yet is written as given."""
    result = invoke(
        project_copy,
        "new",
        "Respelled",
        "--tags",
        "Xen, Linux Kernel, linux-kernel, Fresh",
        "--category",
        "XEN",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "new: the category “XEN” is written “xen”, the spelling the site's posts use.",
        "new: the tag “Xen” is written “xen”, the spelling the site's posts use.",
        "new: the tag “Linux Kernel” is written “linux-kernel”, the spelling the site's posts use.",
    ]
    text, published = publish_new(project_copy, "respelled")
    assert "Category: xen\nTags: xen, linux-kernel, Fresh\n" in text
    assert "differ only in case" not in published.stdout + published.stderr
    date = re.search(r"^Date: (\d+)-(\d+)", text, re.MULTILINE)
    page = project_copy / "published" / date[1] / date[2] / "respelled" / "index.html"
    tags = [
        a.get_text() for a in BeautifulSoup(page.read_text(), "lxml").select('.post-footer a[href*="/tag/"]')
    ]
    assert tags == ["xen", "linux-kernel", "Fresh"]


def test_new_writes_two_names_of_one_address_once_and_says_so(project_copy):
    """`new --tags "C++, c"` (or "dom zero, dom-zero") wrote both, which the build refused: two
    names of one page, tag/c/. Like a name the site spells otherwise, the later is written as
    the first, with the build's advice for two tags meant."""
    result = invoke(project_copy, "new", "Two names", "--tags", "C++, c, Dom Zero, dom-zero, Fresh")
    assert result.returncode == 0, result.stderr
    advice = "if they are two, rename one of them so their names differ in letters or digits."
    assert result.stderr.splitlines() == [
        "new: the tag “c” is written “C++”, given before it, since both would have the page tag/c/; "
        + advice,
        "new: the tag “dom-zero” is written “Dom Zero”, given before it, since both would have the page "
        f"tag/dom-zero/; {advice}",
    ]
    text, _ = publish_new(project_copy, "two-names")
    assert "Tags: C++, Dom Zero, Fresh\n" in text
    assert (project_copy / "published" / "tag" / "c" / "index.html").is_file()


def test_new_makes_the_slug_the_build_makes_from_a_long_title(project_copy):
    title = " ".join(["Xen"] * 70)  # 279 characters: a slug that long is no file name
    result = invoke(project_copy, "new", title)
    assert result.returncode == 0, result.stderr
    created = next((project_copy / "content" / "articles").rglob("xen-*.md"))
    assert created.stem == "-".join(["xen"] * 20)  # cut between words at SLUG_MAX_LENGTH, 80

    created.write_text(created.read_text().replace(f"Slug: {created.stem}\n", ""))
    build = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert build.returncode == 0, build.stderr
    assert (project_copy / "output" / "drafts" / created.stem / "index.html").is_file()


def test_new_never_overwrites_and_keeps_slugs_unique(project_copy):
    assert invoke(project_copy, "new", "Twice").returncode == 0
    assert invoke(project_copy, "new", "Twice").returncode == 0
    names = sorted(p.name for p in (project_copy / "content" / "articles").rglob("twice*.md"))
    assert names == ["twice-2.md", "twice.md"]


@pytest.mark.parametrize("body", ["Text.\n", "Write it so:\n\n```text\nSlug: my-post\n```\n"])
def test_new_takes_as_taken_the_slug_a_post_without_one_gets_from_its_title(tmp_path, body):
    """A post written by hand may have no Slug line: the build makes its slug from the Title, not
    from the file's name, and refuses a second post with that slug. A Slug line in the body (a post
    on writing posts) is text, not the post's slug."""
    (tmp_path / "2011").mkdir()
    (tmp_path / "2011" / "release.md").write_text(f"Title: Xen 4.1 ships\nDate: 2011-06-01\n\n{body}")
    assert unique_slug("Xen 4.1 ships", tmp_path, 80) == "xen-4-1-ships-2"
    assert unique_slug("My post", tmp_path, 80) == "my-post"


@pytest.mark.parametrize("spelling, lead", [("Yes", 3), ("true", 3), ("ON", 3), ("1", 3), ("False", 8)])
def test_a_yes_no_field_takes_the_usual_spellings(tmp_path, spelling, lead):
    home = home_of(tmp_path, featured_day=3, featured=spelling)
    assert lead_title(home) == f"Post of {lead} June"


def test_invoke_lists_and_describes_every_task(project_copy):
    listing = invoke(project_copy, "--list").stdout
    described = {}  # each task's description as listed, its wrapped lines joined
    for row in listing.splitlines()[1:]:
        if row.startswith("  ") and not row.startswith("   "):
            name, _, text = row.strip().partition(" ")
            described[name] = text.strip()
        elif row.strip():
            described[name] += " " + row.strip()
    for name in ("build", "publish", "serve", "livereload", "new", "clean", "test", "check"):
        assert described.get(name), f"{name} has no description"
    # invoke lists a docstring's first line: one cut mid-sentence read "… and what killed builds".
    assert [name for name, text in described.items() if not text.endswith(".")] == []


def test_publish_for_another_origin_then_check(project_copy):
    require_java()
    require_file(VNU, "run npm ci")
    (project_copy / "node_modules").symlink_to(ROOT / "node_modules")
    published = invoke(project_copy, "publish", "--siteurl", "http://127.0.0.1:8123")
    assert published.returncode == 0, published.stderr
    home = (project_copy / "output" / "index.html").read_text()
    assert "http://127.0.0.1:8123/theme/site." in home and "dom0-dispatch.example" not in home
    checked = invoke(project_copy, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "links, anchors, feeds and HTML are fine" in checked.stdout


def test_check_after_a_publish_for_an_address_builds_for_it_and_deploy_ships_it(project_copy):
    """docs/deploy.md's three commands as written: `publish --siteurl URL`, `check`, `deploy`.
    check rebuilt output/ for publishconf.py's placeholder, so deploy refused what was published."""
    require_java()
    require_file(VNU, "run npm ci")
    (project_copy / "node_modules").symlink_to(ROOT / "node_modules")
    www = project_copy.parent / f"{project_copy.name}-www"  # deploy refuses a folder in the project
    steps = [
        ["publish", "--siteurl", "https://news.dom0-dispatch.org"],
        ["check"],
        ["deploy", "--target", "rsync", "--destination", str(www)],
    ]
    for step in steps:
        ran = invoke(project_copy, *step)
        assert ran.returncode == 0, f"{step}: {ran.stdout}{ran.stderr}"
    assert "files built for https://news.dom0-dispatch.org to" in ran.stdout
    home = (www / "index.html").read_text()
    assert "https://news.dom0-dispatch.org/theme/site." in home and "dom0-dispatch.example" not in home


def test_check_runs_in_a_project_whose_path_holds_a_space(tmp_path):
    """check hands its checker's command to a shell: in "/home/me/My Sites/news" the checker was
    given `…/My`, `Sites/news/output` and the address, checked 0 pages there and said all was fine."""
    require_java()
    require_file(VNU, "run npm ci")
    project = copy_project(tmp_path / "My Sites" / "nouvelles é")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    checked = invoke(project, "check", "--siteurl", "https://news.dom0-dispatch.org")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"in {project / 'output'}: links, anchors, feeds and HTML are fine" in checked.stdout

    # The checker itself, given what the shell made of that path, or a folder with no site.
    missing = str(tmp_path / "My")
    for arguments in ([missing, "Sites/nouvelles", "é/output", "https://x.org"], [missing, "https://x.org"]):
        nothing = subprocess.run(
            [sys.executable, "-m", "sitebuild.checks.site", *arguments], capture_output=True, text=True
        )
        assert nothing.returncode == 1 and "fine" not in nothing.stdout
    said = f"check: {missing} holds no built site (no index.html): run python3 make.py check, which builds it"
    assert nothing.stdout == said + "\n"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_new_help_prints_help_and_creates_nothing(project_copy, flag):
    before = sorted((project_copy / "content").rglob("*"))
    result = invoke(project_copy, "new", flag)
    assert result.returncode == 0, result.stderr
    assert "--category" in result.stdout and "--tags" in result.stdout and "Usage" in result.stdout
    assert sorted((project_copy / "content").rglob("*")) == before


def test_new_refuses_a_title_that_looks_like_an_option(project_copy):
    before = sorted((project_copy / "content").rglob("*"))
    result = invoke(project_copy, "new", "--tgas")
    assert result.returncode == 1
    assert "new: the title “--tgas” starts with “-”, so it looks like a mistyped option" in result.stderr
    assert sorted((project_copy / "content").rglob("*")) == before


def test_the_new_templates_placeholders_cannot_be_published(project_copy):
    assert invoke(project_copy, "new", "Half written").returncode == 0
    created = next((project_copy / "content" / "articles").rglob("half-written.md"))
    relative = created.relative_to(project_copy / "content").as_posix()

    draft = run_build(project_copy / "published", cwd=project_copy)
    assert draft.returncode == 0, draft.stderr  # a draft in progress never stops a release
    preview = run_build(project_copy / "output", production=False, siteurl=None, cwd=project_copy)
    assert preview.returncode == 0, preview.stderr
    assert f"WARNING: {relative}:6: the Summary is still the placeholder `new` wrote" in preview.stderr
    assert f"WARNING: {relative}:9: this is still the placeholder text `new` wrote" in preview.stderr

    created.write_text(created.read_text().replace("Status: draft\n", ""))
    published = run_build(project_copy / "published", cwd=project_copy)
    assert published.returncode == 1
    assert f"error: {relative}:6: the Summary is still the placeholder" in published.stderr
    assert f"error: {relative}:8: this is still the placeholder text" in published.stderr


ADMONITIONS = "".join(
    f'<div class="admonition {kind}"><p class="admonition-title">{kind.title()}</p>'
    f'<p>Text with <a href="/about/">a link</a> and <code>code</code>.</p></div>'
    for kind in ("note", "tip", "warning", "danger")
)


@pytest.fixture(scope="module")
def admonitions_in_each_scheme():
    """{scheme: (a note's left border, axe violations)} of the story with ADMONITIONS added,
    loaded once for the tests of both schemes (in_both_schemes)."""
    return {}


def border_and_violations(page):
    from browserhelpers import run_axe

    border = "() => getComputedStyle(document.querySelector('.admonition')).borderLeftWidth"
    return page.evaluate(border), run_axe(page)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_admonitions_are_accessible_in_both_schemes(browser, served, admonitions_in_each_scheme, scheme):
    from browserhelpers import in_both_schemes, inject_axe, open_page

    if not admonitions_in_each_scheme:
        with open_page(browser, color_scheme="light") as (page, _):
            page.goto(served.siteurl + "/2011/06/linux-3-0-full-support-for-xen-dom0/")
            body = "document.querySelector('.post-body')"
            page.evaluate(f"() => {body}.insertAdjacentHTML('afterbegin', {ADMONITIONS!r})")
            inject_axe(page)
            admonitions_in_each_scheme.update(in_both_schemes(page, border_and_violations))
    styled, violations = admonitions_in_each_scheme[scheme]
    assert styled == "4px"
    assert violations == []
