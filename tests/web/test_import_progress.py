"""The import form's progress page in real Chromium against the real server: the bar follows the
background job (static/import-progress.js) and the summary shows when it is done."""

import re

from playwright.sync_api import expect

from tests.services.importing.large_files import readwise_csv

from .conftest import sign_in

ROWS = 20_000  # a few seconds of storing: the page opens while the job runs


def test_the_progress_bar_follows_the_import_to_its_summary(browser_page, ann, watch):
    page = browser_page
    sign_in(page, ann)
    page.goto("/import")
    page.get_by_label("Readwise CSV").check()
    page.get_by_label("File", exact=True).set_input_files({"name": "highlights.csv", "mimeType": "text/csv",
                                               "buffer": readwise_csv(ROWS)})
    page.get_by_role("button", name="Import", exact=True).click()

    page.wait_for_url(re.compile(r"/imports/\d+$"))
    section = page.locator(".import-job")
    bar = page.get_by_label("Rows stored")
    assert section.get_attribute("data-state") in ("queued", "running")  # as served: the script takes it on
    assert bar.get_attribute("max") == str(ROWS)
    expect(page.get_by_role("status")).to_contain_text("Importing highlights.csv:")

    expect(page.get_by_role("status")).to_have_text(
        "Imported highlights.csv: 100 new pages, 20,000 new highlights, 0 updated, 0 unchanged.", timeout=120_000)
    assert bar.evaluate("bar => [bar.value, bar.max]") == [ROWS, ROWS]
    assert section.get_attribute("data-state") == "done"
    page.reload()  # and served so once done, without the script
    expect(page.get_by_role("status")).to_contain_text("Imported highlights.csv: 100 new pages")
    assert watch.clean(), watch
