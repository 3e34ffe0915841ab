"""Connecting the extension with a one-time code, in Chromium against a real server: sign in to the web
view, make a code in Settings → Connect a browser, type it into the options page; the extension is
configured with a token of its own and a highlight made on a page syncs. The same code is refused the
second time, an expired one too, and a code works for its maker whoever's session the browser holds."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from server.models import ConnectCode, utcnow
from tests.browser import api, article_html, wait_for
from tests.extension.reader import highlight, live_items
from tests.paths import REPO

SCREENSHOT = REPO / "docs" / "img" / "connect-browser.png"


def sign_in(page, base, person):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def make_code(page, base) -> str:
    """Settings → Connect a browser → Make a code: the code it shows."""
    page.goto(f"{base}/settings")
    page.get_by_role("button", name="Make a code").click()
    return page.locator("#connect-code").inner_text()


def open_options(browser):
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    options.wait_for_selector("body[data-ready=true]")
    return options


def connect(options, server_url, code, *, enter=False):
    """Type the server and the code and press Connect (or Enter in the code); the result's state and message."""
    options.fill("#serverUrl", server_url)
    options.fill("#code", code)
    options.locator("#connect-result").evaluate("element => element.removeAttribute('data-state')")
    if enter:
        options.press("#code", "Enter")
    else:
        options.click("#connect")
    state = wait_for(lambda: options.get_attribute("#connect-result", "data-state"), message="a connect result")
    return state, options.inner_text("#connect-result")


def test_a_code_from_settings_connects_the_extension_which_then_syncs_and_the_code_is_spent(
        browser, margins, pages, make_person):
    ann = make_person("ann")
    browser.configure("http://127.0.0.1:9", "")  # a fresh install: nothing set up
    web = browser.context.new_page()
    sign_in(web, margins.url, ann)
    code = make_code(web, margins.url)
    web.get_by_role("link", name=f"{margins.url}/connect#code={code}").click()  # the link, for another device
    expect(web.locator("#connect-code")).to_have_text(code)  # from the fragment, which no server saw
    assert "Connect with a code" in web.locator("main").inner_text()

    options = open_options(browser)
    assert options.locator("h2").first.inner_text() == "Connect with a code"  # offered first
    # Typed as people do: lower case, without the dash, with a space around.
    state, message = connect(options, margins.url + "/", f" {code.replace('-', '').lower()} ")
    assert state == "ok", message
    assert message == f"Connected to {margins.url} as ann. Saved: highlights now sync."
    settings = browser.storage("settings")
    token = settings["token"]
    assert settings["serverUrl"] == margins.url and token.startswith("mrg_") and token != ann.token
    assert api(margins.url, token, "GET", "/me")[1]["username"] == "ann"
    assert options.input_value("#token") == token and options.input_value("#code") == ""
    options.screenshot(path=SCREENSHOT)

    web.goto(f"{margins.url}/settings")
    assert "Chrome on Linux (connected " in web.locator("table.tokens").inner_text()  # named after the browser

    pages.pages["/connected.html"] = article_html("Tides", ["The keeper lit the lamp at dusk and watched the "
                                                            "ships turn away from the rocks below the tower."])
    page = browser.context.new_page()
    page.goto(pages.url + "/connected.html")
    highlight(page, "The keeper lit", "the lamp at dusk")
    synced = wait_for(lambda: live_items(margins, ann, pages.url + "/connected.html"), message="the highlight synced")
    assert [item["quote"]["exact"] for item in synced] == ["The keeper lit the lamp at dusk"]

    state, message = connect(options, margins.url, code)
    assert state == "gone" and "used already" in message and "Settings → Connect a browser" in message
    assert browser.storage("settings")["token"] == token  # a refusal changes nothing
    for tab in (page, web, options):
        tab.close()


def test_an_expired_code_is_refused(browser, margins, make_person, in_db):
    ann = make_person("ann")
    browser.configure("http://127.0.0.1:9", "")
    web = browser.context.new_page()
    sign_in(web, margins.url, ann)
    code = make_code(web, margins.url)

    def expire(session):
        session.execute(update(ConnectCode).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    in_db(expire)

    options = open_options(browser)
    state, message = connect(options, margins.url, code, enter=True)
    assert state == "gone" and "has expired" in message and "make a new code" in message
    assert browser.storage("settings")["token"] == ""
    assert options.inner_text("#saved") == ""  # Enter in the code connects; it does not submit the form
    web.close()
    options.close()


def test_a_code_connects_its_maker_whoever_is_signed_in_and_the_other_never_sees_it(browser, margins, make_person):
    ann, bob = make_person("ann"), make_person("bob")
    browser.configure("http://127.0.0.1:9", "")
    web = browser.context.new_page()
    sign_in(web, margins.url, ann)
    code = make_code(web, margins.url)
    web.get_by_role("button", name="Sign out ann").click()
    sign_in(web, margins.url, bob)  # the browser now holds Bob's session cookie
    web.goto(f"{margins.url}/settings")
    assert code not in web.content()  # codes are listed nowhere

    options = open_options(browser)
    state, message = connect(options, margins.url, code)
    assert state == "ok" and message.endswith("as ann. Saved: highlights now sync.")
    assert api(margins.url, browser.storage("settings")["token"], "GET", "/me")[1]["username"] == "ann"
    web.reload()
    assert "Chrome on Linux" not in web.locator("main").inner_text()  # Bob got no token
    web.close()
    options.close()
