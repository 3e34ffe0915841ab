"""The extension's toolbar as a reader uses it, in Chromium.

The toolbar lives in a closed shadow root, out of reach of the page's
scripts and so of Playwright's locators (which run as page script). It is
found here the way DevTools finds it, through the Chrome DevTools Protocol
(``DOM.getDocument`` with ``pierce``), and pressed with the real mouse and
keyboard, whose events are trusted::

    toolbar = Toolbar(page)
    toolbar.click(".swatch[data-color=green]")
    toolbar.fill("textarea", "A note")
    toolbar.value("input")          # what the field holds
"""

from __future__ import annotations

from tests.browser import wait_for

HOST = "MARGINS-TOOLBAR"


def _find_host(node):
    if node.get("nodeName") == HOST:
        return node
    for child in [*node.get("children", []), *node.get("shadowRoots", []), *filter(None, [node.get("contentDocument")])]:
        found = _find_host(child)
        if found:
            return found
    return None


class Toolbar:
    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _node(self, selector: str) -> int | None:
        document = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        host = _find_host(document)
        if not host or not host.get("shadowRoots"):
            return None
        node = self.cdp.send("DOM.querySelector", {"nodeId": host["shadowRoots"][0]["nodeId"], "selector": selector})["nodeId"]
        return node or None

    def has(self, selector: str) -> bool:
        return self._node(selector) is not None

    def wait_for(self, selector: str, timeout: float = 15) -> int:
        return wait_for(lambda: self._node(selector), timeout=timeout, message=f"{selector} in the toolbar")

    def is_open(self) -> bool:
        return self.has(".bar")

    def _box(self, selector: str) -> list[float] | None:
        """The element's border quad; None when the toolbar re-rendered it between finding and measuring."""
        try:
            return self.cdp.send("DOM.getBoxModel", {"nodeId": self.wait_for(selector)})["model"]["border"]
        except Exception as error:  # Playwright's Error: "Could not find node with given id"
            if "Could not find node" not in str(error):
                raise
            return None

    def center(self, selector: str) -> tuple[float, float]:
        quad = wait_for(lambda: self._box(selector), message=f"{selector} in the toolbar")
        return (quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2

    def click(self, selector: str) -> None:
        self.page.mouse.click(*self.center(selector))

    def fill(self, selector: str, text: str) -> None:
        self.click(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def _call(self, selector: str, function: str):
        object_id = self.cdp.send("DOM.resolveNode", {"nodeId": self.wait_for(selector)})["object"]["objectId"]
        return self.cdp.send("Runtime.callFunctionOn", {"objectId": object_id, "functionDeclaration": function,
                                                        "returnByValue": True})["result"].get("value")

    def value(self, selector: str) -> str:
        return self._call(selector, "function () { return this.value; }")

    def text(self, selector: str) -> str:
        return self._call(selector, "function () { return this.textContent; }")

    def bounding_box(self) -> dict:
        quad = wait_for(lambda: self._box(".bar"), message=".bar in the toolbar")
        return {"x": quad[0], "y": quad[1], "width": quad[4] - quad[0], "height": quad[5] - quad[1]}
