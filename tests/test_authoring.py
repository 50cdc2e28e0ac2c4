"""An author's tools: `invoke new` scaffolds a post that builds."""

import subprocess
import sys

from browserhelpers import VNU, require_file, require_java
from conftest import ROOT, run_build


def invoke(project, *args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project,
                          capture_output=True, text=True, timeout=120)


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


def test_new_never_overwrites_and_keeps_slugs_unique(project_copy):
    assert invoke(project_copy, "new", "Twice").returncode == 0
    assert invoke(project_copy, "new", "Twice").returncode == 0
    names = sorted(p.name for p in (project_copy / "content" / "articles").rglob("twice*.md"))
    assert names == ["twice-2.md", "twice.md"]


def test_invoke_lists_and_describes_every_task(project_copy):
    listing = invoke(project_copy, "--list").stdout
    for name in ("build", "publish", "serve", "livereload", "new", "clean", "test", "check"):
        line = next(l for l in listing.splitlines() if l.strip().startswith(name + " ") or l.strip() == name)
        assert len(line.split(None, 1)) == 2, f"{name} has no description"


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
