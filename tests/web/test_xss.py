"""No script a page, note, tag, URL or snapshot carries ever runs in the web view.

Each payload fires a beacon (a request to /xss-fired/N) or a dialog if it
runs; the browser fixture records both, and uncaught errors. Every payload
goes into a page title, a highlight's text and note, a tag, a page URL and
the page's snapshot HTML, and every page of the web view is visited.
"""

import urllib.parse
import uuid

import pytest
from sqlalchemy import select

from server.db import db
from server.models import Tag
from server.services import tokens, users

from .conftest import sign_in

PAYLOADS = [
    "<script>fetch('/xss-fired/{n}')</script>",
    "<img src=x onerror=\"fetch('/xss-fired/{n}')\">",
    "<svg onload=fetch('/xss-fired/{n}')>",
    "\"><script>alert({n})</script>",
    "'><img src=/xss-fired/{n}>",
    "javascript:fetch('/xss-fired/{n}')",
    "<a href=\"javascript:alert({n})\">click</a>",
    "<iframe src=\"javascript:alert({n})\"></iframe>",
    "<body onload=alert({n})>",
    "<details open ontoggle=fetch('/xss-fired/{n}')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert({n})>\">",
    "</script><script>alert({n})</script>",
    "<!--<img src=\"--><img src=x onerror=alert({n})//\">",
    "[click](javascript:alert({n}))",
    "![x](x\" onerror=\"alert({n}))",
    "<style>@import '/xss-fired/{n}';</style>",
    "<object data=\"javascript:alert({n})\"></object>",
    "<embed src=\"/xss-fired/{n}\">",
    "<form action=javascript:alert({n})><button>go</button></form>",
    "<input autofocus onfocus=fetch('/xss-fired/{n}')>",
    "<video><source onerror=fetch('/xss-fired/{n}')></video>",
    "<base href=\"/xss-fired/{n}/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=/xss-fired/{n}\">",
    "<link rel=stylesheet href=/xss-fired/{n}>",
    "\" onmouseover=\"alert({n})\" autofocus onfocus=\"alert({n})",
    "\u2028\u2029</script><script>alert({n})</script>",
    "<svg><script>alert({n})</script></svg>",
    "<img srcset=\"/xss-fired/{n} 1x\">",
    "<a href=\"&#106;avascript:alert({n})\">entity</a>",
    "<div style=\"background:url(/xss-fired/{n})\">styled</div>",
    "<svg><animate onbegin=alert({n}) attributeName=x dur=1s>",
    "<x contenteditable onfocus=alert({n}) autofocus>",
    "<audio src=x onerror=alert({n})>",
    "{{{{7*7}}}} {{% print(config) %}} ${{7*7}}",
]
PER_PAGE = 5


def payload(n: int) -> str:
    return PAYLOADS[n].format(n=n)


def snapshot_html(title: str, items: list[str]) -> str:
    body = "".join(f"<p>Paragraph {k} says payload {item} and more.</p>{item}" for k, item in enumerate(items))
    return (f"<!doctype html><html><head><title>{title}</title><link rel=icon href=\"javascript:alert(1)\">"
            f"<script>fetch('/xss-fired/head')</script></head><body><article><h1>{title}</h1>"
            f"<p>{'Plain words around the payloads, so the cleaner keeps the article. ' * 8}</p>{body}</article></body></html>")


@pytest.fixture
def poisoned(ann, app):
    """Every payload in a title, a highlight text and note, a tag, a URL and snapshot HTML."""
    assert len(PAYLOADS) >= 30
    page_ids, tag_names = [], []
    for first in range(0, len(PAYLOADS), PER_PAGE):
        items = [payload(n) for n in range(first, min(first + PER_PAGE, len(PAYLOADS)))]
        url = "https://xss.example/" + urllib.parse.quote(items[0], safe="") + f"?p={first}&q=" + \
            urllib.parse.quote(items[-1], safe="")
        answer = ann.api.put("/pages", {"url": url, "html": snapshot_html(items[0], items)})
        assert answer.status_code == 201, answer.json
        page_id = answer.json["id"]
        page_ids.append(page_id)
        assert ann.api.patch(f"/pages/{page_id}", {"title": items[1], "tags": [items[2][:100]]}).status_code == 200
        plain = {"exact": "Plain words around the payloads", "prefix": "", "suffix": ""}
        assert ann.api.put(f"/highlights/{uuid.uuid4()}", {
            "url": url, "quote": plain, "color": "green", "note": "", "tags": []}).status_code == 201
        for item in items:
            tag = item.replace(",", " ")[:100]
            tag_names.append(tag)
            answer = ann.api.put(f"/highlights/{uuid.uuid4()}", {
                "url": url, "quote": {"exact": f"payload {item}", "prefix": "says ", "suffix": " and more."},
                "color": "pink", "note": f"payload {item}\n\n{item}", "tags": [tag]})
            assert answer.status_code == 201, answer.json
    with app.app_context():
        tokens.create_token(db.session, users.find_user(db.session, "ann"), payload(0)[:100])
        db.session.commit()
    return page_ids


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)  # let late handlers (onload, ontoggle, onfocus) have their chance
    assert page.locator("a[href^='javascript:' i], [href^='data:' i], iframe, object, embed").count() == 0, path


def test_no_payload_runs_on_any_page_of_the_web_view(browser_page, ann, poisoned, watch, in_db):
    page = browser_page
    sign_in(page, ann)
    tag_ids = in_db(lambda s: s.scalars(select(Tag.id).where(Tag.user_id == ann.id)).all())
    paths = ["/", "/?color=pink", "/tags", "/review", "/settings", "/search?q=payload",
             "/search?q=" + urllib.parse.quote(payload(0)), "/search?q=" + urllib.parse.quote(payload(12)),
             "/?tag=" + urllib.parse.quote(payload(3)), "/?site=" + urllib.parse.quote(payload(1))]
    paths += [f"/pages/{page_id}" for page_id in poisoned]
    paths += [f"/pages/{page_id}?view=readable" for page_id in poisoned]
    paths += [f"/tags/{tag_id}" for tag_id in tag_ids[::PER_PAGE]]
    for path in paths:
        visit(page, path)
    # The readable copies did mark the highlights (the payload text is data, found like any other).
    visit(page, f"/pages/{poisoned[0]}?view=readable")
    assert int(page.locator("#readable").get_attribute("data-marked")) >= 1
    # Opening every Edit form puts the payloads in textareas and inputs, still inert.
    visit(page, f"/pages/{poisoned[0]}")
    for summary in page.locator("details.edit summary").all():
        summary.click()
    page.wait_for_timeout(100)
    assert watch.clean(), watch
