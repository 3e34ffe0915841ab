"""Real browsers for end-to-end tests: Chromium with the built Margins extension
loaded (Playwright), a small HTTP server for test pages, and a TCP relay that
gives a server that is stopped and started again one stable address.

    build = build_extension()                     # extension/build/{chrome,firefox}
    with PageServer() as pages, chromium_with_extension(build / "chrome", tmp) as browser:
        pages.pages["/a.html"] = "<p>…</p>"
        page = browser.context.new_page(); page.goto(pages.url + "/a.html")
        browser.worker.evaluate(...)              # the extension's service worker
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .paths import REPO

EXTENSION = REPO / "extension"
CHROMIUM = "/usr/bin/chromium"
FIREFOX = "/usr/bin/firefox-esr"


def _newest_source_mtime() -> float:
    sources = [EXTENSION / "manifest.json", EXTENSION / "build.mjs", EXTENSION / "package-lock.json",
               *(EXTENSION / "src").rglob("*"), *(EXTENSION / "tools").rglob("*")]
    return max(path.stat().st_mtime for path in sources if path.is_file())


def build_extension() -> Path:
    """Build the extension with its own build command when a source is newer than the build
    (npm ci first when needed); returns build/. Safe for parallel test workers."""
    build = EXTENSION / "build"
    last_output = build / "margins-firefox.zip"  # build.mjs writes it last
    with open(Path(tempfile.gettempdir()) / "margins-extension-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if last_output.exists() and last_output.stat().st_mtime >= _newest_source_mtime():
            return build
        if not (EXTENSION / "node_modules" / "esbuild").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True, capture_output=True)
        subprocess.run(["node", "build.mjs"], cwd=EXTENSION, check=True, capture_output=True)
    return build


def wait_for(condition, timeout: float = 15, interval: float = 0.1, message: str = "condition"):
    """Poll condition() until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {value!r}")
        time.sleep(interval)


# --- pages -------------------------------------------------------------------------


def article_html(title: str, paragraphs: list[str], *, script: str = "") -> str:
    """A page like the ones people highlight: navigation clutter, an article, a script."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body {{ font: 17px/1.6 Georgia, serif; max-width: 42rem; margin: 2rem auto; color: #222; }}
nav a {{ margin-right: 1rem; }}</style>
<script>{script}</script></head>
<body><nav><a href="/">Home</a><a href="/topics">Topics</a><a href="/about">About</a></nav>
<article><h1>{html.escape(title)}</h1>
{body}
</article><footer>© Example Press</footer></body></html>"""


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        page = self.server.pages.get(self.path.split("?")[0])
        if page is None:
            self.send_error(404)
            return
        data = page if isinstance(page, bytes) else page.encode()
        self.send_response(200)
        path = self.path.split("?")[0]
        kind = ("text/javascript; charset=utf-8" if path.endswith((".js", ".mjs"))
                else "application/pdf" if path.endswith(".pdf") else "text/html; charset=utf-8")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class PageServer:
    """Serves ``pages`` (path -> HTML, JavaScript for *.js, PDF bytes for *.pdf; changeable at any time) on a free 127.0.0.1 port."""

    def __init__(self):
        self.pages: dict[str, str | bytes] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
        self._server.daemon_threads = True
        self._server.pages = self.pages
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "PageServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()


class Relay:
    """A TCP relay on a fixed free port to ``target`` (a port, or None: refuse by closing).

    A LiveServer gets a new port each time it starts; behind a Relay, a stopped
    and restarted server keeps one address, as a real one would.
    """

    def __init__(self, target: int | None = None):
        self.target = target
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        self._sockets: set[socket.socket] = set()  # both ends of every relayed connection

    def __enter__(self) -> "Relay":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._closed = True
        self._listener.close()

    def cut(self) -> None:
        """Cut every relayed connection, both ends, as a dropped network would (new ones are still relayed)."""
        for end in list(self._sockets):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket):
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5) if self.target else None
        except OSError:
            upstream = None
        if upstream is None:
            client.close()
            return
        upstream.settimeout(None)
        self._sockets.update((client, upstream))

        def pump(source, sink):
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)
        self._sockets.difference_update((client, upstream))


# --- the Margins API, from outside ---------------------------------------------------


def api(base: str, token: str, method: str, path: str, body=None):
    """Call the API over HTTP; returns (status, parsed JSON or None)."""
    request = urllib.request.Request(
        base + "/api/v1" + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", **({"Content-Type": "application/json"} if body is not None else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            data = answer.read()
            return answer.status, json.loads(data) if data else None
    except urllib.error.HTTPError as error:
        data = error.read()
        return error.code, json.loads(data) if data else None


def upload_pdf(base: str, token: str, url: str, data: bytes) -> dict:
    """POST a PDF as the extension uploads it, as opened from ``url``; the stored file's JSON."""
    request = urllib.request.Request(
        base + "/api/v1/pdfs?" + urllib.parse.urlencode({"url": url}), method="POST", data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/pdf"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def feed(base: str, token: str, **params) -> list[dict]:
    """The whole change feed (tombstones included) with these filters."""
    items, cursor = [], None
    while True:
        query = urllib.parse.urlencode({**params, **({"cursor": cursor} if cursor else {})})
        status, answer = api(base, token, "GET", f"/highlights?{query}")
        assert status == 200, answer
        items += answer["items"]
        cursor = answer["next_cursor"]
        if cursor is None:
            return items


# --- Chromium with the extension --------------------------------------------------------


@dataclass
class ExtensionBrowser:
    context: object  # playwright BrowserContext
    worker: object  # the extension's service worker
    extension_id: str

    def configure(self, server_url: str, token: str, **settings) -> None:
        """Start from empty extension storage, with these settings."""
        self.worker.evaluate(
            "async (settings) => { await chrome.storage.local.clear(); await chrome.storage.local.set({settings}); }",
            {"serverUrl": server_url, "token": token, "snapshotPolicy": "first", "defaultColor": "yellow",
             "excludedSites": [], **settings},
        )

    def storage(self, key: str):
        return self.worker.evaluate("async (key) => (await chrome.storage.local.get(key))[key]", key)

    def tab_id(self, url: str) -> int:
        return self.worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url).id", url)

    def badge(self, tab_id: int) -> str:
        return self.worker.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id)

    def open_popup(self, page_url: str):
        popup = self.context.new_page()
        popup.set_viewport_size({"width": 360, "height": 520})
        popup.goto(f"chrome-extension://{self.extension_id}/popup.html?tab={self.tab_id(page_url)}")
        popup.wait_for_selector("body[data-ready=true]")
        return popup


@contextlib.contextmanager
def chromium_with_extension(extension: Path, user_data_dir: Path, *, keep_profile: bool = False, local_only: bool = False):
    """Headless Chromium (Debian's) with the extension folder loaded; yields an ExtensionBrowser.

    The profile (user_data_dir) is removed at the end, unless keep_profile: then a next start finds it.
    local_only: no host but 127.0.0.1 resolves, so a real page's resources from elsewhere fail at once
    (in the network stack, as offline: Playwright's request routing would change the page's timing).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=CHROMIUM, headless=True,
            viewport={"width": 1100, "height": 760},
            args=[f"--disable-extensions-except={extension}", f"--load-extension={extension}",
                  *(["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"] if local_only else [])],
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=15000)
            yield ExtensionBrowser(context, worker, worker.url.split("/")[2])
        finally:
            context.close()
            if not keep_profile:
                shutil.rmtree(user_data_dir, ignore_errors=True)


# Viewport point of a character of the first text node holding `needle` at or
# after `after` (a node index), scrolled to the middle of the view; and the
# index of that node, so a search can go on from there. Text in open shadow
# roots is searched too, where their hosts are.
_POINT_OF_TEXT = """([needle, where, after]) => {
  const texts = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === 3) texts.push(node);
      else if (node.shadowRoot) visit(node.shadowRoot);
    }
  };
  visit(document.body);
  for (const [index, node] of texts.entries()) {
    const at = node.data.indexOf(needle);
    if (index < after || at === -1) continue;
    if (where !== "end") node.parentElement.scrollIntoView({block: "center"});
    const offset = {start: at, end: at + needle.length - 1, middle: at}[where];
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, where === "middle" ? at + needle.length : offset + 1);
    const r = range.getClientRects()[0];
    const x = {start: r.left + 1, end: r.right - 1, middle: r.left + r.width / 2}[where];
    return {x, y: r.top + r.height / 2, index};
  }
  throw new Error("not on the page: " + needle);
}"""


def select_text(page, start: str, end: str, frame=None) -> None:
    """Drag the mouse from the first character of `start` to the last of the next `end`, as a reader does;
    in `frame` (a Playwright Frame with no border) when given."""
    where = frame or page
    first = where.evaluate(_POINT_OF_TEXT, [start, "start", 0])
    last = where.evaluate(_POINT_OF_TEXT, [end, "end", first["index"]])
    if frame is not None:
        box = frame.frame_element().bounding_box()
        for point in (first, last):
            point["x"] += box["x"]
            point["y"] += box["y"]
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, (first["y"] + last["y"]) / 2, steps=4)
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.up()


def click_text(page, text: str) -> None:
    """Click the middle of the first occurrence of `text` on the page."""
    point = page.evaluate(_POINT_OF_TEXT, [text, "middle", 0])
    page.mouse.click(point["x"], point["y"])


def drawn_highlights(page) -> dict[str, int]:
    """Ranges drawn per Margins color, through the CSS Custom Highlight API registry."""
    return page.evaluate(
        "() => Object.fromEntries([...CSS.highlights.keys()].filter((k) => k.startsWith('margins-'))"
        ".map((k) => [k.slice(8), CSS.highlights.get(k).size]).filter(([, n]) => n > 0))"
    )
