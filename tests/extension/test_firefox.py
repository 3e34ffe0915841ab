"""Firefox ESR (Debian's, driven through Marionette, no geckodriver) loads the
same build as a temporary add-on and saves a highlight to the server."""

import json
import shutil

import pytest

from tests.browser import FIREFOX, api, article_html, feed, wait_for
from tests.extension.marionette import Firefox

pytestmark = pytest.mark.skipif(not shutil.which(FIREFOX), reason=f"Firefox ESR is not installed ({FIREFOX}); bin/test installs it")

ADDON_ID = "margins@margins.invalid"

SELECT_AND_RELEASE = """
const [start, end] = arguments;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let from = null, to = null;
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!from && node.data.includes(start)) from = [node, node.data.indexOf(start)];
  if (node.data.includes(end)) to = [node, node.data.indexOf(end) + end.length];
}
const range = document.createRange();
range.setStart(...from); range.setEnd(...to);
const selection = document.getSelection();
selection.removeAllRanges(); selection.addRange(range);
const rect = range.getBoundingClientRect();
document.body.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, button: 0, clientX: rect.right, clientY: rect.bottom}));
"""

TOOLBAR_SHOWN = "return Boolean(document.querySelector('#margins-toolbar')?.shadowRoot.querySelector('.swatch'))"


def test_firefox_loads_the_build_and_saves_a_highlight(extension_build, margins, pages, make_person, article, tmp_path):
    person = make_person("ann")
    title, paragraphs = article
    pages.pages["/firefox.html"] = article_html(title, paragraphs)
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

        def toolbar_after_selecting():
            firefox.script(SELECT_AND_RELEASE, "OpenAI, one of the most", "mega-funding round")
            return firefox.script(TOOLBAR_SHOWN)

        wait_for(toolbar_after_selecting, timeout=20, interval=0.5, message="the toolbar in Firefox")
        firefox.script("document.querySelector('#margins-toolbar').shadowRoot.querySelector('.swatch[data-color=orange]').click()")
        firefox.script("document.querySelector('#margins-toolbar').shadowRoot.querySelector('[data-action=done]').click()")

        [item] = wait_for(lambda: [i for i in feed(margins.url, person.token, url=url) if not i["deleted"]],
                          timeout=20, message="the highlight from Firefox on the server")
        assert item["quote"]["exact"] == ("OpenAI, one of the most prominent players, is nearing a $100 billion "
                                          "mega-funding round")
        assert item["color"] == "orange"
        assert len(item["quote"]["prefix"]) == 32 or item["position"]["start"] < 32
        wait_for(lambda: api(margins.url, person.token, "GET", f"/pages/{item['page_id']}/snapshot")[0] == 200,
                 message="the snapshot from Firefox")
        drawn = firefox.script("return CSS.highlights.get('margins-orange')?.size ?? 0")
        assert drawn == 1
