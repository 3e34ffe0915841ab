"""Dates in the reader's locale and time zone, counts worded right, books shown by their author
(real Chromium against the real server)."""

import uuid

from playwright.sync_api import expect

from server.db import db
from server.services import importing

from .conftest import sign_in

PUBLISHED = "2019-11-18T02:54:53+00:00"  # still the 17th in New York
BOOK_CSV = ("Highlight,Title,Author,URL,Note,Location,Date\n"
            "A line worth keeping from the book,The Pragmatic Programmer,Andrew Hunt,,,5,2021-06-14 15:01:03\n")


def test_dates_counts_and_books_read_right(browser, server, ann, app):
    article = ("<!doctype html><html><head><title>Dated</title>"
               f'<meta property="article:published_time" content="{PUBLISHED}"></head>'
               "<body><article><h1>Dated</h1><p>" + "A paragraph of the dated article. " * 20 + "</p></article></body></html>")
    page = ann.api.put("/pages", {"url": "https://news.example/dated", "html": article}).json
    ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": "https://news.example/dated",
                                                "quote": {"exact": "A paragraph of the dated article"}})
    with app.app_context():
        summary = importing.import_file(db.session, ann.id, "readwise-csv", BOOK_CSV.encode())
        db.session.commit()
    assert str(summary).startswith("1 new page, 1 new highlight,")

    context = browser.new_context(base_url=server.url, locale="de-DE", timezone_id="America/New_York")
    browser_page = context.new_page()
    sign_in(browser_page, ann)
    browser_page.goto(f"/pages/{page['id']}")
    published = browser_page.locator(f'time[datetime="{PUBLISHED}"]')
    expect(published).to_have_text("17.11.2019")  # German, in New York's time zone
    browser_page.goto("/")
    expect(browser_page.locator(".page-card .count")).to_have_text(["· 1 highlight", "· 1 highlight"])
    book = browser_page.locator(".page-card", has_text="The Pragmatic Programmer")
    expect(book.locator(".site")).to_have_text("Andrew Hunt")
    expect(browser_page.locator("body")).not_to_contain_text("margins.invalid")
    context.close()

    plain = browser.new_context(base_url=server.url, java_script_enabled=False).new_page()
    sign_in(plain, ann)
    plain.goto(f"/pages/{page['id']}")
    expect(plain.locator(f'time[datetime="{PUBLISHED}"]')).to_have_text("2019-11-18")  # readable without script
    plain.context.close()
