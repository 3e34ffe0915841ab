"""Web components in Chromium with the built extension and a real Margins
server: text in an open shadow root is part of the page's text in document
order. A selection inside one, and one from the light DOM into it, save the
quote the reader selected, and the snapshot holds the component's text in
its place; after a reload both are drawn inside the shadow
root, in its colours; a component attached 2 s late gets its highlight drawn
once its text is there; a click on one inside the shadow root opens it; the
popup lists them and says a closed shadow root's text cannot be highlighted."""

from tests.browser import api, click_text, select_text, wait_for
from tests.extension.reader import drawn, live_items, popup_lists
from tests.extension.toolbar import Toolbar

COMPONENTS = """<!doctype html><html><head><meta charset="utf-8"><title>Components</title></head><body>
<p>Light text before the card, about export controls on advanced chips.</p>
<story-card></story-card>
<p>Light text after the card, about regional fabrication plants.</p>
<sealed-card></sealed-card>
<div id="later"></div>
<script>
customElements.define("story-card", class extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({mode: "open"}).innerHTML = "<style>p { font-size: 18px; }</style>"
      + "<p>Inside the card: sovereign clouds are funded by national budgets.</p>";
  }
});
customElements.define("sealed-card", class extends HTMLElement {
  constructor() { super(); this.attachShadow({mode: "closed"}).innerHTML = "<p>Sealed text no script can read.</p>"; }
});
// Attached after 2 s, its text rendered a moment later (as a component that fetches its content).
customElements.define("late-card", class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({mode: "open"});
    setTimeout(() => { root.innerHTML = "<p>A late card on edge inference budgets and their limits.</p>"; }, 700);
  }
});
setTimeout(() => document.getElementById("later").append(document.createElement("late-card")), 2000);
</script></body></html>"""

# Per colour, what is drawn: the text of each range and whether it lies in a shadow root;
# and whether that root's style gives the highlight its colour (else it is registered but not seen).
DRAWN_IN_SHADOW = """() => Object.fromEntries([...CSS.highlights.keys()].filter((k) => k.startsWith("margins-")).map((name) => [
  name.slice(8), [...CSS.highlights.get(name)].map((range) => {
    const element = range.startContainer.parentElement;
    return {text: range.toString(), inShadow: range.startContainer.getRootNode() instanceof ShadowRoot,
            painted: getComputedStyle(element, `::highlight(${name})`).backgroundColor !== "rgba(0, 0, 0, 0)"};
  })]).filter(([, ranges]) => ranges.length))"""


def saved(margins, reader, url, count):
    return wait_for(lambda: (lambda items: items if len(items) == count else None)(live_items(margins, reader, url)),
                    message=f"{count} highlights on the server")


def test_open_shadow_roots_are_highlighted_and_drawn_like_the_page(browser, margins, reader, pages):
    pages.pages["/components.html"] = COMPONENTS
    url = pages.url + "/components.html"
    page = browser.context.new_page()
    page.goto(url)
    toolbar = Toolbar(page)

    for (start, end), color in ((("sovereign clouds", "national budgets"), "green"),  # inside the shadow root
                                (("about export controls", "Inside the card"), "blue")):  # from the light DOM into it
        select_text(page, start, end)
        toolbar.click(f".swatch[data-color={color}]")
        toolbar.wait_for("textarea")
        page.keyboard.press("Escape")
    wait_for(lambda: page.evaluate("document.querySelector('late-card')?.shadowRoot.textContent.includes('edge')"),
             message="the late card's text")
    select_text(page, "edge inference", "their limits")
    toolbar.click(".swatch[data-color=pink]")
    toolbar.wait_for("textarea")
    page.keyboard.press("Escape")

    items = saved(margins, reader, url, 3)
    quotes = {item["color"]: item["quote"]["exact"] for item in items}
    assert quotes == {
        "green": "sovereign clouds are funded by national budgets",
        "blue": "about export controls on advanced chips.\nInside the card",
        "pink": "edge inference budgets and their limits",
    }
    # The snapshot holds the components' text, where it is on the page (not the closed one's).
    status, snapshot = api(margins.url, reader.token, "GET", f"/pages/{items[0]['page_id']}/snapshot")
    assert status == 200
    text = snapshot["text"]
    assert text.index("export controls") < text.index("sovereign clouds") < text.index("regional fabrication")
    assert "Sealed text" not in text

    page.reload()
    drawn(page, {"green": 1, "blue": 2, "pink": 1}, "every highlight drawn again, the late card's too")
    shown = page.evaluate(DRAWN_IN_SHADOW)
    assert shown["green"] == [{"text": quotes["green"], "inShadow": True, "painted": True}]
    assert shown["pink"] == [{"text": quotes["pink"], "inShadow": True, "painted": True}]
    # Across the shadow boundary: a range in each tree, together the quote.
    assert [(part["inShadow"], part["painted"]) for part in shown["blue"]] == [(False, True), (True, True)]
    assert "".join(part["text"] for part in shown["blue"]) == quotes["blue"]
    assert popup_lists(browser, url) == {quote: "exact" for quote in quotes.values()}

    # A click on a highlight inside the shadow root opens it in the toolbar.
    page.bring_to_front()
    click_text(page, "funded by")
    toolbar.fill("textarea", "A note inside the card.")
    toolbar.click("[data-action=done]")
    wait_for(lambda: {item["color"]: item["note"] for item in live_items(margins, reader, url)}["green"]
             == "A note inside the card.", message="the note on the highlight inside the card")
    popup = browser.open_popup(url)
    assert popup.locator("#limit").inner_text().startswith("1 part of this page is in closed shadow roots")
    popup.close()
    page.close()
