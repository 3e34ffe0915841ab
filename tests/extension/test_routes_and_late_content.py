"""Pages that change without a reload, in Chromium with the built extension
and a real Margins server: a single-page app's pushState routes and Back, hash
routes, content that arrives 3 seconds late, a framework-style re-render of
the same text, and infinite scroll. Each route is its own page: its own
highlights drawn, its own snapshot, no orphans of another route."""

import json

from tests.browser import api, click_text, wait_for
from tests.extension.reader import drawn, followed_feed, highlight, live_items, popup_lists, saved_elsewhere

# A two-route app: links push a route, Back and Forward pop it, each route renders its own article.
APP = """<!doctype html><html><head><meta charset="utf-8"><title>App</title></head>
<body><nav><a href="{one}" data-route>One</a> <a href="{two}" data-route>Two</a>
<a href="#/a" data-hash>Hash A</a> <a href="#/b" data-hash>Hash B</a></nav><main id="view"></main>
<script>
const routes = {routes};
function render() {{
  const key = location.hash.startsWith("#/") ? location.hash : location.pathname;
  const [title, paragraphs] = routes[key] ?? ["Not found", []];
  document.title = title;
  document.getElementById("view").innerHTML = "<article><h1>" + title + "</h1>" + paragraphs.map((p) => "<p>" + p + "</p>").join("") + "</article>";
}}
document.addEventListener("click", (event) => {{
  const link = event.target.closest("a[data-route]");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", link.href);
  render();
}});
addEventListener("popstate", render);
addEventListener("hashchange", render);
render();
</script></body></html>"""


def serve_app(pages, base, routes):
    html = APP.format(one=f"{base}/one", two=f"{base}/two", routes=json.dumps(routes))
    for path in ("/one", "/two", "/hashed"):
        pages.pages[base + path] = html


def test_push_state_routes_and_back_each_show_their_own_highlights(browser, margins, reader, pages, article):
    title, paragraphs = article
    serve_app(pages, "/app", {"/app/one": ["Route one", paragraphs[1:6]], "/app/two": ["Route two", paragraphs[7:11]]})
    one, two = pages.url + "/app/one", pages.url + "/app/two"
    page = browser.context.new_page()
    page.goto(one)
    highlight(page, "OpenAI, one", "most prominent players", color="green")

    click_text(page, "Two")  # pushState
    drawn(page, {}, "nothing of route one on route two")
    highlight(page, "The U.S. has implemented", "domestic semiconductor", color="blue")
    [on_two] = wait_for(lambda: live_items(margins, reader, two), message="route two's highlight on the server")
    assert on_two["url"] == two and on_two["quote"]["exact"].startswith("The U.S. has implemented")
    [on_one] = live_items(margins, reader, one)
    assert on_one["page_id"] != on_two["page_id"]
    # The first highlight of route two sent route two's snapshot.
    status, snapshot = api(margins.url, reader.token, "GET", f"/pages/{on_two['page_id']}/snapshot")
    assert status == 200 and "The U.S. has implemented" in snapshot["text"] and "OpenAI, one" not in snapshot["text"]
    assert popup_lists(browser, two) == {on_two["quote"]["exact"]: "exact"}

    page.go_back()  # popstate
    drawn(page, {"green": 1}, "route one's highlight after Back")
    assert popup_lists(browser, one) == {on_one["quote"]["exact"]: "exact"}

    # Another device adds one to route two; Forward loads and draws both of route two's.
    saved_elsewhere(margins, reader, two, "Governments worldwide are actively investing", color="pink")
    followed_feed(browser, margins, reader)
    page.go_forward()
    drawn(page, {"blue": 1, "pink": 1}, "route two's highlights after Forward")
    assert set(popup_lists(browser, two).values()) == {"exact"}
    page.close()


def test_hash_routes_are_pages_of_their_own(browser, margins, reader, pages, article):
    title, paragraphs = article
    serve_app(pages, "/spa", {"#/a": ["Hash route A", paragraphs[1:6]], "#/b": ["Hash route B", paragraphs[7:11]]})
    base = pages.url + "/spa/hashed"
    page = browser.context.new_page()
    page.goto(base + "#/a")
    highlight(page, "OpenAI, one", "most prominent players", color="green")
    click_text(page, "Hash B")
    drawn(page, {}, "nothing of #/a on #/b")
    highlight(page, "The U.S. has implemented", "domestic semiconductor", color="blue")
    a = wait_for(lambda: live_items(margins, reader, base + "#/a"), message="#/a's highlight on the server")
    b = wait_for(lambda: live_items(margins, reader, base + "#/b"), message="#/b's highlight on the server")
    assert [item["color"] for item in a] == ["green"] and [item["color"] for item in b] == ["blue"]
    assert a[0]["page_id"] != b[0]["page_id"]
    page.go_back()
    drawn(page, {"green": 1}, "#/a's highlight after Back")
    assert popup_lists(browser, base + "#/a") == {a[0]["quote"]["exact"]: "exact"}
    page.close()


LATE = """<!doctype html><html><head><meta charset="utf-8"><title>Late</title></head><body><main></main>{spacer}
<script>
const paragraphs = {paragraphs};
setTimeout(() => {{
  document.querySelector("main").innerHTML = "<article>" + paragraphs.slice(0, {initial}).map((p) => "<p>" + p + "</p>").join("") + "</article>";
}}, {delay});
// A framework's re-render: the same text in new nodes.
window.rerender = () => {{ const article = document.querySelector("article"); article.replaceWith(article.cloneNode(true)); }};
// Infinite scroll: one more section each time the reader nears the bottom.
let next = {initial};
window.addEventListener("scroll", () => {{
  if (innerHeight + scrollY >= document.body.scrollHeight - 50 && next < paragraphs.length) {{
    const section = document.createElement("section");
    section.innerHTML = "<p>" + paragraphs[next++] + "</p>";
    document.body.append(section);
  }}
}});
</script></body></html>"""


def test_content_three_seconds_late_and_re_rendered_is_drawn(browser, margins, reader, pages, article):
    title, paragraphs = article
    pages.pages["/late.html"] = LATE.format(paragraphs=json.dumps(paragraphs[1:12]), delay=3000, initial=11, spacer="")
    url = pages.url + "/late.html"
    saved_elsewhere(margins, reader, url, "OpenAI, one of the most prominent players", color="orange")
    followed_feed(browser, margins, reader)
    page = browser.context.new_page()
    page.goto(url)
    drawn(page, {"orange": 1}, "the highlight once its text arrived")
    page.evaluate("rerender()")
    drawn(page, {"orange": 1}, "the highlight in the re-rendered nodes")
    assert page.evaluate("[...CSS.highlights.get('margins-orange')].every((r) => r.startContainer.isConnected)")
    assert popup_lists(browser, url) == {"OpenAI, one of the most prominent players": "exact"}
    page.close()


def test_infinite_scroll_draws_highlights_of_appended_sections(browser, margins, reader, pages, article):
    title, paragraphs = article
    pages.pages["/feed.html"] = LATE.format(paragraphs=json.dumps(paragraphs[1:20]), delay=0, initial=3,
                                          spacer='<div style="height: 1600px"></div>')
    url = pages.url + "/feed.html"
    late_quote = "Regional fabrication plants are being established worldwide"
    saved_elsewhere(margins, reader, url, late_quote, color="purple")
    followed_feed(browser, margins, reader)
    page = browser.context.new_page()
    page.goto(url)
    drawn(page, {}, "nothing before its section is there")
    for _ in range(20):
        page.mouse.wheel(0, 4000)
        if page.evaluate(f"document.body.innerText.includes({json.dumps(late_quote)})"):
            break
        page.wait_for_timeout(50)
    drawn(page, {"purple": 1}, "the highlight of an appended section")
    page.close()
