"""The account in Settings: changing the password, in real Chromium against the real server
(and the server's own checks without a browser)."""

import dataclasses

from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .test_security import csrf_token


def change_password(page, current: str, new: str, again: str | None = None) -> None:
    page.goto("/settings")
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password (at least").fill(new)
    page.get_by_label("New password again").fill(new if again is None else again)
    page.get_by_role("button", name="Change the password").click()


def test_changing_the_password_signs_out_other_sessions_and_the_new_one_works(browser, browser_page, ann, watch):
    elsewhere = browser.new_context(base_url=watch.server_url).new_page()
    sign_in(elsewhere, ann)
    sign_in(browser_page, ann)

    change_password(browser_page, "not my password", "a brand new password")
    expect(browser_page.get_by_role("alert")).to_have_text("The current password is not right; type it again.")
    change_password(browser_page, ann.password, "a brand new password", "a different new one")
    expect(browser_page.get_by_role("alert")).to_contain_text("differ")
    elsewhere.goto("/")
    expect(elsewhere.locator("h1")).to_have_text("Library")  # refused changes sign no one out

    change_password(browser_page, ann.password, "a brand new password")
    expect(browser_page.get_by_role("status")).to_contain_text("Password changed")
    screenshot(browser_page, "settings")
    browser_page.goto("/")
    expect(browser_page.locator("h1")).to_have_text("Library")  # this session stays signed in
    elsewhere.goto("/")
    expect(elsewhere.get_by_label("Username")).to_be_visible()  # the other one is signed out
    assert "/login" in elsewhere.url

    elsewhere.goto("/login")
    elsewhere.get_by_label("Username").fill(ann.username)
    elsewhere.get_by_label("Password").fill(ann.password)
    elsewhere.get_by_role("button", name="Sign in").click()
    expect(elsewhere.get_by_role("alert")).to_contain_text("do not match")  # the old one no longer works
    sign_in(elsewhere, dataclasses.replace(ann, password="a brand new password"))
    expect(elsewhere.locator("h1")).to_have_text("Library")
    elsewhere.context.close()
    assert watch.clean(), watch


def test_a_short_new_password_is_refused_and_the_old_one_kept(client, ann, login):
    login(ann)
    answer = client.post("/settings/password", data={"csrf_token": csrf_token(client), "current": ann.password,
                                                      "new": "short", "again": "short"})
    assert answer.status_code == 422 and "at least 8 characters" in answer.text
    assert client.get("/").status_code == 200  # still signed in, with the old password
