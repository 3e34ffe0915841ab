"""What a reader does and sees with the extension, for the end-to-end tests:
highlight a selection through the toolbar, read the popup, and what the
server holds; and a highlight saved straight through the API (as another
device would), to see it drawn."""

from __future__ import annotations

import uuid

from tests.browser import api, drawn_highlights, feed, select_text, wait_for
from tests.extension.toolbar import Toolbar


def highlight(page, start: str, end: str, color: str = "yellow") -> None:
    """Select from `start` to `end` with the mouse, pick a color in the toolbar, close it."""
    select_text(page, start, end)
    toolbar = Toolbar(page)
    toolbar.click(f".swatch[data-color={color}]")
    toolbar.wait_for("textarea")
    page.keyboard.press("Escape")


def copied_link(browser, page) -> str:
    """Press "Copy link" in the toolbar open on a highlight of `page`: the link copied (read back from
    the clipboard by the page, allowed to), or, with no clipboard, the one shown to copy by hand."""
    toolbar = Toolbar(page)
    toolbar.click("[data-action=link]")
    status = wait_for(lambda: toolbar.text(".status"), message="the link status")
    if status != "Link copied.":
        return status
    browser.context.grant_permissions(["clipboard-read"], origin="/".join(page.url.split("/")[:3]))
    return page.evaluate("navigator.clipboard.readText()")


def live_items(margins, person, url=None) -> list[dict]:
    return [item for item in feed(margins.url, person.token, **({"url": url} if url else {})) if not item["deleted"]]


def saved_elsewhere(margins, person, url: str, exact: str, color: str = "yellow", **fields) -> str:
    """A highlight of `exact` on `url`, saved through the API; its id."""
    highlight_id = str(uuid.uuid4())
    status, answer = api(margins.url, person.token, "PUT", f"/highlights/{highlight_id}",
                         {"url": url, "quote": {"exact": exact}, "color": color, **fields})
    assert status in (200, 201), answer
    return highlight_id


def followed_feed(browser, margins, person) -> None:
    """Open the popup (it makes the extension follow the change feed) and wait until the extension's
    local index holds every change the server has."""
    popup = browser.context.new_page()
    popup.goto(f"chrome-extension://{browser.extension_id}/popup.html")
    popup.close()

    def caught_up():
        index = browser.storage("index")
        if not (index and index["complete"]):
            return False
        status, answer = api(margins.url, person.token, "GET", f"/highlights?limit=1&cursor={index['cursor']}")
        return status == 200 and not answer["items"]

    wait_for(caught_up, message="the extension's index caught up with the change feed")


def drawn(page, expected: dict, message: str = "the highlights drawn", timeout: float = 15) -> None:
    wait_for(lambda: drawn_highlights(page) == expected, timeout=timeout, message=f"{message} ({expected})")


def popup_lists(browser, url: str) -> dict[str, str]:
    """The popup of the tab showing `url`: {quote: status} of every highlight it lists."""
    popup = browser.open_popup(url)
    items = popup.eval_on_selector_all("li[data-id]", "els => els.map((el) => [el.querySelector('.quote').textContent, el.dataset.status])")
    popup.close()
    return dict(items)
