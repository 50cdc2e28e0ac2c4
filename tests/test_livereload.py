"""`invoke livereload`: every edit reaches the open browser; a failed build shows its
problems there, under the production policy, with the last good page a click away."""

import html
import re
import sys
import time
import urllib.parse

import pytest
from serverhelpers import RECORD_VIOLATIONS, get, server_process, wait_for

from devtools.nginx import free_port

pytestmark = pytest.mark.browser
STORY_FILE = "content/articles/2011/linux-3-0-xen-dom0.md"
STORY_URL = "/2011/06/linux-3-0-full-support-for-xen-dom0/"
TITLE = "Title: Linux 3.0 full support for Xen dom0"


@pytest.fixture
def live_server(project_copy, tmp_path):
    port = free_port()
    log = tmp_path / "livereload.log"
    command = [sys.executable, "-m", "invoke", "livereload", "--port", str(port)]
    with server_process(command, f"http://127.0.0.1:{port}{STORY_URL}", log, cwd=project_copy):
        yield project_copy, f"http://127.0.0.1:{port}", log


@pytest.fixture
def page(browser):
    """A page of the session's one Chromium (a second Playwright cannot run beside it)."""
    from browserhelpers import open_page

    with open_page(browser) as (new_page, _):
        new_page.add_init_script(RECORD_VIOLATIONS)
        yield new_page


def heading(page, text):
    # A locator, not wait_for_function: that evaluates its string with eval(), which the
    # production Content-Security-Policy the preview sends forbids.
    page.locator("h1", has_text=text).wait_for(timeout=30_000)


def test_every_edit_reloads_the_browser_and_errors_show_there(live_server, page):
    project, origin, log = live_server
    page.goto(origin + STORY_URL)
    assert page.locator("h1").inner_text() == "Linux 3.0 full support for Xen dom0"
    wait_for(lambda: "Browser Connected" in log.read_text(), what="the live-reload connection")

    post = project / STORY_FILE
    good = post.read_text()
    # Edits in quick succession each reach the page (livereload's own watcher ignored
    # any change in the 3 s after a reload).
    for number in range(1, 4):
        post.write_text(good.replace(TITLE, f"Title: Edit {number} while previewing"))
        heading(page, f"Edit {number} while previewing")

    post.write_text(good.replace("Date: 2011-06-01 09:00", "Date: 2011-06-99"))
    heading(page, "The build failed")  # the page reloads by itself
    assert "articles/2011/linux-3-0-xen-dom0.md:3:" in page.locator("main li").inner_text()
    assert "is not a valid date" in log.read_text()  # and the terminal says so too
    # Styled by the preview's own stylesheet, which the policy allows.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") != "rgb(0, 0, 0)"
    assert page.evaluate("window.__cspViolations") == []

    # Its link to the last good page stays on the preview, whatever the path asked for.
    for path in (STORY_URL, "//elsewhere.example/", "/%2F%2Felsewhere.example/"):
        _, _, body = get(origin + path)
        link = re.search(rb'<a href="([^"]*)">Show the last good page', body).group(1).decode()
        assert urllib.parse.urljoin(origin + path, html.unescape(link)) == f"{origin}{path}?last-good"

    page.get_by_role("link", name="Show the last good page").click()
    heading(page, "Edit 3 while previewing")

    post.write_text(good)
    heading(page, "Linux 3.0 full support for Xen dom0")
    assert page.evaluate("window.__cspViolations") == []

    draft = "Title: A draft\nDate: 2011-06-10 10:00\nStatus: draft\n\nNot yet.\n"
    (post.parent / "a-draft.md").write_text(draft)
    listed = f"Drafts:\n  {origin}/drafts/a-draft/  A draft (draft)"
    wait_for(lambda: listed in log.read_text(), what="the draft's address on this server")


def content(page) -> str | None:
    """The page's HTML; None while the page is reloading."""
    from playwright.sync_api import Error

    try:
        return page.content()
    except Error:  # "the page is navigating": asked in the middle of a reload
        return None


def minutes_of_the_lead(page) -> str | None:
    """The lead teaser's reading time; None while the page is reloading."""
    found = re.search(r"(\d+) min read", content(page) or "")
    return found and found.group(1)


def test_a_body_edit_reloads_its_own_page_once_and_every_other_page_once_built(live_server, page):
    """The edited post's page comes early (sitebuild/preview/early_page.py); a page that shows the
    post elsewhere (the home page's teaser, with its reading time) must not reload until
    the whole build has made it, or it would show the old site and stay so."""
    project, origin, log = live_server
    home = page.context.new_page()
    page.goto(origin + STORY_URL)
    home.goto(origin + "/")
    wait_for(lambda: log.read_text().count("Browser Connected") >= 2, what="both pages' connections")
    minutes = minutes_of_the_lead(home)
    assert minutes is not None
    connections = log.read_text().count(f"Browser Connected: {origin}{STORY_URL}")
    built = log.read_text().count("Built in ")

    post = project / STORY_FILE
    words = " ".join(["Enough further words to take the reader another minute or two."] * 60)
    post.write_text(post.read_text() + f"\n\nAn edit shown early. {words}\n")
    page.get_by_text("An edit shown early.").wait_for(timeout=30_000)
    assert "Early page 2011/06/linux-3-0-full-support-for-xen-dom0/index.html" in log.read_text()
    wait_for(lambda: log.read_text().count("Built in ") > built, what="the whole build")
    wait_for(
        lambda: minutes_of_the_lead(home) not in (None, minutes), what="the home page's new reading time"
    )
    time.sleep(1)  # a second reload of the post's page, if any, would be logged by now
    assert log.read_text().count(f"Browser Connected: {origin}{STORY_URL}") == connections + 1


def test_a_code_change_restarts_the_preview_and_the_open_page_shows_what_the_new_code_builds(
    live_server, page
):
    """The build runs in the preview's process: a settings file or a plugin edited restarts
    it (sitebuild/preview/live.py), and the open page reloads from the restarted preview."""
    project, origin, log = live_server
    page.goto(origin + STORY_URL)
    wait_for(lambda: "Browser Connected" in log.read_text(), what="the live-reload connection")
    settings = project / "pelicanconf.py"
    settings.write_text(
        settings.read_text().replace('SITENAME = "Dom0 Dispatch"', 'SITENAME = "Dom0 Renamed"')
    )
    wait_for(lambda: "· Dom0 Renamed</title>" in (content(page) or ""), what="the page built by the new code")
    assert "restarting" in log.read_text()
    assert page.evaluate("window.__cspViolations") == []
