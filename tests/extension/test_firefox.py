"""Firefox ESR (Debian's, driven through Marionette, no geckodriver) loads the
same build as a temporary add-on and saves a highlight to the server, made
with the mouse (trusted events) on a page and inside a cross-origin frame."""

import json
import shutil

import pytest

from tests.browser import FIREFOX, PageServer, api, article_html, feed, wait_for
from tests.extension.marionette import Firefox

pytestmark = pytest.mark.skipif(not shutil.which(FIREFOX), reason=f"Firefox ESR is not installed ({FIREFOX}); bin/test installs it")

ADDON_ID = "margins@margins.invalid"

# Viewport points of the first character of `start` and the last of the next `end`.
POINTS_OF_TEXT = """
const [start, end] = arguments;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const points = [];
const pointAt = (node, offset, edge) => {
  const range = document.createRange();
  range.setStart(node, offset); range.setEnd(node, offset + 1);
  const r = range.getClientRects()[0];
  return [Math.round(edge === "left" ? r.left + 1 : r.right - 1), Math.round(r.top + r.height / 2)];
};
for (let node = walker.nextNode(); node && points.length < 2; node = walker.nextNode()) {
  let from = 0;
  if (!points.length) {
    const at = node.data.indexOf(start);
    if (at === -1) continue;
    points.push(pointAt(node, at, "left"));
    from = at + start.length;
  }
  const at = node.data.indexOf(end, from);
  if (at !== -1) points.push(pointAt(node, at + end.length - 1, "right"));
}
return points;
"""


def drag_select(firefox, start, end):
    """Select from `start` to `end` with the mouse (WebDriver actions: trusted events), in the current frame."""
    (x1, y1), (x2, y2) = firefox.script(POINTS_OF_TEXT, start, end)
    moves = [{"type": "pointerMove", "x": x1, "y": y1}, {"type": "pointerDown", "button": 0},
             {"type": "pointerMove", "x": (x1 + x2) // 2, "y": (y1 + y2) // 2, "duration": 50},
             {"type": "pointerMove", "x": x2, "y": y2, "duration": 50}, {"type": "pointerUp", "button": 0}]
    firefox.command("WebDriver:PerformActions", {"actions": [
        {"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": moves}]})
    firefox.command("WebDriver:ReleaseActions")


def click_in_toolbar(firefox, selector):
    """Click a control of the toolbar (a closed shadow root, which WebDriver reaches as a user would)."""
    host = firefox.command("WebDriver:FindElement", {"using": "css selector", "value": "margins-toolbar"})["value"]
    root = firefox.command("WebDriver:GetShadowRoot", {"id": next(iter(host.values()))})["value"]
    control = firefox.command("WebDriver:FindElementFromShadowRoot",
                              {"shadowRoot": next(iter(root.values())), "using": "css selector", "value": selector})["value"]
    firefox.command("WebDriver:ElementClick", {"id": next(iter(control.values()))})


TOOLBAR_SHOWN = "return Boolean(document.querySelector('margins-toolbar'))"  # the host is in the page; its inside is not


def highlight_in_current_frame(firefox, start, end, color):
    def toolbar_after_selecting():
        drag_select(firefox, start, end)
        return firefox.script(TOOLBAR_SHOWN)

    wait_for(toolbar_after_selecting, timeout=20, interval=0.5, message="the toolbar in Firefox")
    click_in_toolbar(firefox, f".swatch[data-color={color}]")
    click_in_toolbar(firefox, "[data-action=done]")


def test_firefox_loads_the_build_and_saves_a_highlight_on_a_page_and_in_a_cross_origin_frame(
        extension_build, margins, pages, make_person, article, tmp_path):
    person = make_person("ann")
    title, paragraphs = article
    with PageServer() as other_origin:
        other_origin.pages["/framed.html"] = article_html("A framed article", paragraphs[6:11])
        framed_url = other_origin.url + "/framed.html"
        pages.pages["/firefox.html"] = article_html(title, paragraphs[:6]).replace(
            "</article>", f'</article><iframe src="{framed_url}" width="900" height="420"></iframe>')
        url = pages.url + "/firefox.html"

        with Firefox(tmp_path / "profile") as firefox:
            assert firefox.command("Addon:Install", {"path": str(extension_build / "firefox"), "temporary": True})["value"] == ADDON_ID
            uuid = json.loads(firefox.script('return Services.prefs.getStringPref("extensions.webextensions.uuids")', context="chrome"))[ADDON_ID]

            firefox.navigate(f"moz-extension://{uuid}/options.html")
            wait_for(lambda: firefox.script("return document.body.dataset.ready === 'true'"), message="the options page")
            firefox.script("""
                document.querySelector('#serverUrl').value = arguments[0];
                document.querySelector('#token').value = arguments[1];
                document.querySelector('#save').click();""", margins.url, person.token)
            wait_for(lambda: firefox.script("return document.querySelector('#saved').textContent") == "Saved.", message="saved")

            firefox.navigate(url)
            highlight_in_current_frame(firefox, "OpenAI, one of the most", "mega-funding round", "orange")
            [item] = wait_for(lambda: [i for i in feed(margins.url, person.token, url=url) if not i["deleted"]],
                              timeout=20, message="the highlight from Firefox on the server")
            assert item["quote"]["exact"] == ("OpenAI, one of the most prominent players, is nearing a $100 billion "
                                              "mega-funding round")
            assert item["color"] == "orange"
            assert len(item["quote"]["prefix"]) == 32 or item["position"]["start"] < 32
            wait_for(lambda: api(margins.url, person.token, "GET", f"/pages/{item['page_id']}/snapshot")[0] == 200,
                     message="the snapshot from Firefox")
            assert firefox.script("return CSS.highlights.get('margins-orange')?.size ?? 0") == 1

            # Inside the cross-origin frame: its own page, with its own URL.
            firefox.script("document.querySelector('iframe').scrollIntoView()")
            frame = firefox.command("WebDriver:FindElement", {"using": "css selector", "value": "iframe"})["value"]
            firefox.command("WebDriver:SwitchToFrame", {"id": frame})
            highlight_in_current_frame(firefox, "The U.S. has implemented", "domestic semiconductor", "blue")
            [framed] = wait_for(lambda: [i for i in feed(margins.url, person.token, url=framed_url) if not i["deleted"]],
                                timeout=20, message="the framed highlight from Firefox on the server")
            assert framed["quote"]["exact"] == "The U.S. has implemented policies such as the CHIPS Act, fostering domestic semiconductor"
            assert framed["color"] == "blue" and framed["page_id"] != item["page_id"]
            assert firefox.script("return CSS.highlights.get('margins-blue')?.size ?? 0") == 1
