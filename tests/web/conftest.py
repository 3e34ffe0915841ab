"""Browser fixtures: the real server (gunicorn) on the test database, and real Chromium.

``browser_page`` records what would betray injected script: dialogs
(alert/confirm/prompt), uncaught errors (window.onerror), and beacons:
requests to the server on a path with the ``xss-fired`` marker, and any
request elsewhere but for images (a favicon, or an image a kept copy shows
from its own site: those are content, not script). Nothing leaves this
machine: requests elsewhere are refused. Tests assert ``watch.clean()``.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.live_server import LiveServer
from tests.paths import REPO

SCREENSHOTS = REPO / "docs" / "img"


@pytest.fixture(scope="session")
def server(database_url, app):
    # ``app`` first: it has brought the database up to date.
    with LiveServer(database_url, workers=1, threads=4) as live:
        yield live


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield browser
        browser.close()


@dataclass
class Watch:
    server_url: str
    dialogs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    beacons: list = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.beacons)


@pytest.fixture
def watch(server):
    return Watch(server.url)


@pytest.fixture
def browser_page(browser, server, watch):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_request(route):
        request = route.request
        own = request.url.startswith(server.url + "/")
        if (own and "xss-fired" in urlsplit(request.url).path) or (not own and request.resource_type != "image"):
            watch.beacons.append(request.url)
        if not own:  # nothing leaves this machine
            return route.abort()
        return route.continue_()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    context.route("**/*", on_request)
    yield page
    context.close()


def sign_in(page, person, base: str = "") -> None:
    """Sign in through the form; ``base`` is the server's address when the page's context has none."""
    page.goto(base + "/login")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"), full_page=False)
