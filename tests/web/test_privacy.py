"""The web view loads nothing from another host unless the user asks (server/web/images.py): not a
page's favicon, not the images of its readable copy, not an image in a note. Every request a real
Chromium makes is recorded; by default none goes elsewhere. "Load images on this page" loads that
page's images, is remembered, and can be taken back.
"""

import uuid
from urllib.parse import urlsplit

import pytest

from .conftest import sign_in

TRACKER = "https://tracker.example"
PAGE_URL = "https://news.example/tides"
SNAPSHOT = f"""<!doctype html><html><head><title>Tides and the moon</title>
<link rel="icon" href="{TRACKER}/favicon.png"></head><body><article><h1>Tides and the moon</h1>
<p>The tide comes in twice a day, pulled by the moon and, less, by the sun; the highest ones are
spring tides, when the sun and the moon pull together.</p>
<figure><img src="{TRACKER}/chart.png" srcset="{TRACKER}/chart-2x.png 2x" alt="A chart of the tides">
<figcaption>Heights of the tide over a month.</figcaption></figure>
<p>Neap tides come a week later, when the sun and the moon pull at right angles to each other.</p>
</article></body></html>"""


@pytest.fixture
def kept_page(ann):
    page = ann.api.put("/pages", {"url": PAGE_URL, "html": SNAPSHOT, "tags": ["sea"]})
    assert page.status_code == 201, page.json
    answer = ann.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": PAGE_URL, "quote": {"exact": "The tide comes in twice a day", "prefix": "", "suffix": ""},
        "color": "blue", "note": f"See ![the chart]({TRACKER}/note.png) again.", "tags": ["sea"]})
    assert answer.status_code == 201, answer.json
    return page.json["id"]


@pytest.fixture
def recorded(browser, server):
    """A page in a browser context of its own, and every URL it asked for (none leaves the machine)."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    asked = []

    def record(route):
        asked.append(route.request.url)
        return route.continue_() if route.request.url.startswith(server.url + "/") else route.abort()

    context.route("**/*", record)
    yield page, asked
    context.close()


def elsewhere(asked: list[str], server) -> list[str]:
    own = urlsplit(server.url).netloc
    return [url for url in asked if urlsplit(url).netloc != own]


def visit_every_view(page, page_id: int) -> None:
    for path in ("/", f"/pages/{page_id}", f"/pages/{page_id}?view=readable", "/search?q=tide", "/tags",
                 "/review"):
        page.goto(path)
        page.wait_for_load_state("networkidle")


def test_no_view_loads_anything_from_another_host_by_default(recorded, server, ann, kept_page):
    page, asked = recorded
    sign_in(page, ann)
    visit_every_view(page, kept_page)
    assert asked and elsewhere(asked, server) == []
    page.goto(f"/pages/{kept_page}?view=readable")
    # The copy's image is there by its alt text, with no address to load.
    image = page.get_by_role("img", name="A chart of the tides")
    assert image.count() == 1 and image.get_attribute("src") is None and image.get_attribute("srcset") is None


def test_load_images_on_one_page_is_remembered_and_can_be_taken_back(recorded, server, ann, kept_page):
    page, asked = recorded
    sign_in(page, ann)
    page.goto(f"/pages/{kept_page}?view=readable")
    page.get_by_role("button", name="Load images on this page").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/pages/{kept_page}?view=readable")
    assert f"{TRACKER}/chart-2x.png" in elsewhere(asked, server) or f"{TRACKER}/chart.png" in elsewhere(asked, server)

    asked.clear()
    page.goto(f"/pages/{kept_page}")  # remembered: the favicon and the note's image, on this page
    page.wait_for_load_state("networkidle")
    assert {f"{TRACKER}/favicon.png", f"{TRACKER}/note.png"} <= set(elsewhere(asked, server))

    page.get_by_role("button", name="Stop loading them").click()
    page.wait_for_load_state("networkidle")
    asked.clear()
    visit_every_view(page, kept_page)
    assert elsewhere(asked, server) == []


def test_the_choice_is_for_the_users_own_pages_only(client, bob, login, kept_page):
    login(bob)
    token = client.get("/settings").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(f"/pages/{kept_page}/images", data={"load": "1", "csrf_token": token})
    assert answer.status_code == 404
