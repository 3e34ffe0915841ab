"""The options page in Chromium: "Test connection" says exactly what is wrong,
and Save keeps the settings the service worker syncs with."""

from tests.browser import wait_for
from tests.paths import REPO


def test_connection_test_tells_unreachable_wrong_address_bad_token_and_success(browser, margins, pages, make_person):
    person = make_person("ann")
    browser.configure("http://127.0.0.1:9", "")
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    options.wait_for_selector("body[data-ready=true]")

    def check(server_url, token):
        options.fill("#serverUrl", server_url)
        options.fill("#token", token)
        options.click("#test")
        wait_for(lambda: options.get_attribute("#result", "data-state"), message="a test result")
        return options.get_attribute("#result", "data-state"), options.inner_text("#result")

    state, message = check("http://127.0.0.1:9", person.token)
    assert state == "unreachable" and "Nothing answers at http://127.0.0.1:9" in message
    state, message = check(pages.url, person.token)
    assert state == "not-margins" and "not as a Margins server" in message
    state, message = check(margins.url, "mrg_not-a-real-token")
    assert state == "bad-token" and "does not accept this token" in message
    state, message = check(margins.url + "/", person.token)
    assert state == "ok" and message == f"Connected to {margins.url} as ann."

    options.check("input[name=snapshotPolicy][value=never]")
    options.select_option("#defaultColor", "purple")
    options.fill("#excludedSites", "bank.example\n mail.example.org \n")
    options.click("#save")
    wait_for(lambda: options.inner_text("#saved") == "Saved.", message="saved")
    assert browser.storage("settings") == {
        "serverUrl": margins.url, "token": person.token, "snapshotPolicy": "never",
        "defaultColor": "purple", "excludedSites": ["bank.example", "mail.example.org"],
    }
    options.screenshot(path=REPO / "docs" / "img" / "extension-options.png")
    options.close()
