"""`invoke livereload`: an edit reaches the open browser; a broken post keeps the last good page."""

import sys
import time

import pytest

from serverhelpers import server_process, wait_for
from devtools.nginx import free_port

pytestmark = pytest.mark.browser
STORY_FILE = "content/articles/2011/linux-3-0-xen-dom0.md"
STORY_URL = "/2011/06/linux-3-0-full-support-for-xen-dom0/"


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
        yield new_page


def test_edits_reload_the_browser_and_errors_keep_the_last_good_page(live_server, page):
    project, origin, log = live_server
    page.goto(origin + STORY_URL)
    assert page.locator("h1").inner_text() == "Linux 3.0 full support for Xen dom0"
    wait_for(lambda: "Browser Connected" in log.read_text(), what="the live-reload connection")
    # A page that connects within livereload's first poll is reloaded once, 2 s later, and
    # livereload ignores changes in the 3 s after any reload; a person is never that quick.
    time.sleep(2.5)
    wait_for(lambda: "Browser Connected" in log.read_text().rsplit("Reload", 1)[-1],
             what="the page to reconnect after livereload's start-up reload")
    time.sleep(4)

    post = project / STORY_FILE
    post.write_text(post.read_text().replace("Title: Linux 3.0 full support for Xen dom0",
                                             "Title: Edited while previewing"))
    # A locator, not wait_for_function: that evaluates its string with eval(), which the
    # production Content-Security-Policy the preview now sends forbids.
    page.locator("h1", has_text="Edited while previewing").wait_for(timeout=60_000)

    post.write_text(post.read_text().replace("Date: 2011-06-01 09:00", "Date: 2011-06-99"))
    wait_for(lambda: "articles/2011/linux-3-0-xen-dom0.md:3:" in log.read_text(), what="the error in the terminal")
    assert "is not a valid date" in log.read_text()
    page.reload()
    assert page.locator("h1").inner_text() == "Edited while previewing"
