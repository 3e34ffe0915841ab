"""The snapshot policy and excluded sites, end to end: set in the options page
of the real extension in Chromium, then highlights made through the toolbar,
and what the real Margins server stored (its API and its database).

What the extension does (src/lib/settings.js `wantsSnapshot`, docs/extension.md
"Snapshots"): a snapshot goes with a *new* highlight only — "first" with a
page's first highlight, "always" with every highlight, "never" with none —
and never from an excluded site (its host, or a subdomain of it), where
Margins does nothing at all. Editing a highlight or visiting the page again sends none."""

import zlib

import pytest
from sqlalchemy import select

from server.models import Page, Snapshot
from tests.browser import api, article_html, click_text, drawn_highlights, feed, select_text, wait_for
from tests.extension.reader import highlight
from tests.extension.toolbar import Toolbar

LATE = "A late paragraph, loaded after the page was first highlighted, about chip export rules."
LATER = "Another paragraph, loaded later still, about data centre power budgets."


def set_options(browser, *, policy: str, excluded: str = "") -> None:
    """Choose the snapshot policy and the excluded sites in the options page, and save."""
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    options.wait_for_selector("body[data-ready=true]")
    options.check(f"input[name=snapshotPolicy][value={policy}]")
    options.fill("#excludedSites", excluded)
    options.click("#save")
    wait_for(lambda: options.inner_text("#saved") == "Saved.", message="options saved")
    options.close()
    settings = browser.storage("settings")
    assert settings["snapshotPolicy"] == policy
    assert settings["excludedSites"] == [line.strip() for line in excluded.splitlines() if line.strip()]


def open_article(browser, base, path):
    """A new tab on base + path; returns (url, page)."""
    page = browser.context.new_page()
    url = base + path
    page.goto(url)
    page.wait_for_selector("article")
    return url, page



def synced(browser, margins, person, url, count):
    """The page's live highlights once the server holds `count` of them and nothing
    is left to send (a snapshot is queued before its highlight, so it went first);
    nothing was refused either, so "no snapshot" means none was sent."""
    items = wait_for(lambda: (lambda live: live if len(live) == count else None)(
        [item for item in feed(margins.url, person.token, url=url) if not item["deleted"]]),
        message=f"{count} highlight(s) of {url} on the server")
    wait_for(lambda: not (browser.storage("queue") or {"ops": []})["ops"], message="the queue sent")
    assert not browser.storage("rejected")
    return items


def snapshot_texts(in_db, page_id=None):
    """The stored snapshots (oldest first) as plain text of their raw HTML, of one page or all."""
    def query(session):
        statement = select(Snapshot).order_by(Snapshot.id)
        if page_id is not None:
            statement = statement.where(Snapshot.page_id == page_id)
        return [zlib.decompress(snapshot.raw_html).decode() for snapshot in session.scalars(statement)]
    return in_db(query)


def test_never_saves_the_highlight_and_stores_no_snapshot(browser, margins, reader, pages, article, in_db):
    set_options(browser, policy="never")
    pages.pages["/never.html"] = article_html(*article)
    url, page = open_article(browser, pages.url, "/never.html")

    highlight(page, "OpenAI, one", "most prominent players", color="green")
    [item] = synced(browser, margins, reader, url, 1)
    assert item["quote"]["exact"].startswith("OpenAI, one") and item["color"] == "green"
    status, answer = api(margins.url, reader.token, "GET", f"/pages/{item['page_id']}")
    assert status == 200 and answer["highlight_count"] == 1
    assert api(margins.url, reader.token, "GET", f"/pages/{item['page_id']}/snapshot")[0] == 404

    highlight(page, "nearing a $100", "mega-funding round")  # not with a later one either
    synced(browser, margins, reader, url, 2)
    assert snapshot_texts(in_db) == []
    page.close()


def test_an_excluded_site_and_its_subdomains_get_nothing_from_margins_even_with_always(
        browser, margins, reader, pages, article, in_db):
    set_options(browser, policy="always", excluded="bank.example\nlocalhost\n")
    pages.pages["/statement.html"] = article_html(*article)
    port = pages.url.rsplit(":", 1)[1]

    # news.localhost is a subdomain of the excluded "localhost" (Chromium resolves *.localhost to loopback).
    # The reader selects: no toolbar; the shortcut highlights nothing; nothing is drawn or sent.
    excluded_url, page = open_article(browser, f"http://news.localhost:{port}", "/statement.html")
    select_text(page, "OpenAI, one", "most prominent players")
    page.wait_for_timeout(300)  # the toolbar would show on the next task
    assert not Toolbar(page).is_open()
    answer = browser.worker.evaluate("(tabId) => chrome.tabs.sendMessage(tabId, {type: 'highlight-selection'}, {frameId: 0})",
                                     browser.tab_id(excluded_url))
    assert answer is None
    assert drawn_highlights(page) == {}
    assert not (browser.storage("queue") or {"ops": []})["ops"]
    assert feed(margins.url, reader.token, url=excluded_url) == []
    page.close()

    # The same page on a host that is not excluded: its highlight brings a snapshot.
    public_url, page = open_article(browser, pages.url, "/statement.html")
    highlight(page, "OpenAI, one", "most prominent players")
    [item] = synced(browser, margins, reader, public_url, 1)
    status, snapshot = api(margins.url, reader.token, "GET", f"/pages/{item['page_id']}/snapshot")
    assert status == 200 and "OpenAI, one" in snapshot["text"]
    assert len(snapshot_texts(in_db)) == 1
    assert in_db(lambda session: session.scalars(select(Page.url)).all()) == [public_url]
    page.close()


@pytest.mark.parametrize("policy", ["always", "first"])
def test_always_sends_a_snapshot_with_every_new_highlight_and_first_only_with_the_first(
        policy, browser, margins, reader, pages, article, in_db):
    set_options(browser, policy=policy)
    pages.pages[f"/{policy}.html"] = article_html(*article)
    url, page = open_article(browser, pages.url, f"/{policy}.html")

    highlight(page, "OpenAI, one", "most prominent players")
    [first] = synced(browser, margins, reader, url, 1)
    page_id = first["page_id"]
    [snapshot] = snapshot_texts(in_db, page_id)
    assert "OpenAI, one" in snapshot and LATE not in snapshot

    # The page changes (content loaded late), then a second highlight.
    append = "(text) => { const p = document.createElement('p'); p.textContent = text; document.querySelector('article').append(p); }"
    page.evaluate(append, LATE)
    highlight(page, "nearing a $100", "mega-funding round", color="blue")
    synced(browser, margins, reader, url, 2)
    snapshots = snapshot_texts(in_db, page_id)
    if policy == "always":
        assert len(snapshots) == 2 and LATE not in snapshots[0] and LATE in snapshots[1]
        status, newest = api(margins.url, reader.token, "GET", f"/pages/{page_id}/snapshot")
        assert status == 200 and LATE in newest["text"]
    else:
        assert snapshots == [snapshot]

    # Editing a highlight is not a new highlight: no snapshot, whatever the policy.
    page.evaluate(append, LATER)
    click_text(page, "one of the most")
    Toolbar(page).fill("textarea", "Check the valuation.")
    Toolbar(page).click("[data-action=done]")
    wait_for(lambda: any(item["note"] == "Check the valuation." for item in synced(browser, margins, reader, url, 2)),
             message="the note on the server")
    # Nor is a visit.
    page.reload()
    wait_for(lambda: sum(drawn_highlights(page).values()) == 2, message="both drawn again")
    synced(browser, margins, reader, url, 2)
    assert len(snapshot_texts(in_db, page_id)) == (2 if policy == "always" else 1)
    assert all(LATER not in text for text in snapshot_texts(in_db))
    page.close()
