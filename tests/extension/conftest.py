"""Fixtures for the extension's end-to-end tests: the built extension, a page
server with pages made from the shared seed texts, and a real Margins server
(gunicorn) behind a relay, so a test can stop it and start it again."""

import re

import pytest

from tests.browser import PageServer, Relay, build_extension, chromium_with_extension
from tests.live_server import LiveServer
from tests.paths import SEEDS


@pytest.fixture(scope="session")
def extension_build():
    return build_extension()


def seed_paragraphs(name: str) -> tuple[str, list[str]]:
    """A seed text as (title, paragraphs): its first line, then every line but the bullets."""
    lines = [line.strip() for line in (SEEDS / name).read_text().splitlines()]
    lines = [line for line in lines if line and line != "-"]
    return lines[0], lines[1:]


@pytest.fixture(scope="session")
def article():
    """The article seed (AI funding and geopolitics), with inline formatting and a link."""
    title, paragraphs = seed_paragraphs("002_7e9d346e9de488ee.txt")
    paragraphs = [re.sub(r"monumental funding rounds", r"<em>monumental funding rounds</em>", p) for p in paragraphs]
    paragraphs = [p.replace("CHIPS Act", '<a href="/chips">CHIPS Act</a>') for p in paragraphs]
    return title, paragraphs


class MarginsBehindRelay:
    """A LiveServer on the test database, reached through a Relay at a fixed URL."""

    def __init__(self, database_url):
        self.database_url = database_url
        self.relay = Relay().__enter__()
        self.url = self.relay.url
        self.live = None
        self.start()

    def start(self):
        self.live = LiveServer(self.database_url, workers=1, threads=4).start()
        self.relay.target = self.live.port

    def stop(self):
        self.relay.target = None
        self.live.stop()

    def close(self):
        # The browser's kept-alive connections cut first: gunicorn's graceful stop would wait for them.
        self.relay.__exit__()
        self.relay.cut()
        if self.live:
            self.live.stop()


@pytest.fixture(scope="module")
def margins(database_url, app):
    server = MarginsBehindRelay(database_url)
    yield server
    server.close()


@pytest.fixture(scope="module")
def pages():
    with PageServer() as server:
        yield server


@pytest.fixture(scope="module")
def browser(extension_build, tmp_path_factory):
    """Headless Chromium with the built extension, shared by a module's tests."""
    with chromium_with_extension(extension_build / "chrome", tmp_path_factory.mktemp("chromium")) as browser:
        yield browser


@pytest.fixture
def reader(browser, margins, make_person):
    """A person whose token the extension uses, from empty extension storage."""
    person = make_person("ann")
    browser.configure(margins.url, person.token)
    return person
