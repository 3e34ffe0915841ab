"""The options page in Chromium: it opens by itself when the extension is
installed; "Test connection" says exactly what is wrong and keeps the server
and token when they work; Save keeps the settings the service worker syncs
with, and how often it looks for changes made elsewhere."""

from tests.browser import wait_for
from tests.paths import REPO


def test_connection_test_tells_unreachable_wrong_address_bad_token_and_success(browser, margins, pages, make_person):
    person = make_person("ann")
    options_url = f"chrome-extension://{browser.extension_id}/options.html"
    opened = "async () => (await chrome.tabs.query({})).map((tab) => tab.url)"
    wait_for(lambda: options_url in browser.worker.evaluate(opened), message="the options page opened on install")
    browser.configure("http://127.0.0.1:9", "")
    options = browser.context.new_page()
    options.goto(options_url)
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
    assert (browser.storage("settings")["serverUrl"], browser.storage("settings")["token"]) == ("http://127.0.0.1:9", "")
    state, message = check(margins.url + "/", person.token)
    assert state == "ok" and message == f"Connected to {margins.url} as ann. Saved."
    # Kept without pressing Save: closing the tab now loses nothing.
    assert (browser.storage("settings")["serverUrl"], browser.storage("settings")["token"]) == (margins.url, person.token)

    options.check("input[name=snapshotPolicy][value=never]")
    options.select_option("#defaultColor", "purple")
    options.fill("#excludedSites", "bank.example\n mail.example.org \n")
    assert options.input_value("#feedMinutes") == "1"
    options.fill("#feedMinutes", "5")
    options.click("#save")
    wait_for(lambda: options.inner_text("#saved") == "Saved.", message="saved")
    assert browser.storage("settings") == {
        "serverUrl": margins.url, "token": person.token, "snapshotPolicy": "never",
        "defaultColor": "purple", "excludedSites": ["bank.example", "mail.example.org"], "noToolbarSites": [],
        "feedMinutes": 5,
    }
    # The service worker looks for changes made elsewhere that often.
    feed_alarm = "async () => (await chrome.alarms.get('margins-feed'))?.periodInMinutes"
    wait_for(lambda: browser.worker.evaluate(feed_alarm) == 5, message="the feed alarm every 5 minutes")
    options.screenshot(path=REPO / "docs" / "img" / "extension-options.png")
    options.close()
