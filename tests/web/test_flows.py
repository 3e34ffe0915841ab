"""What a person does in the web view, in real Chromium against the real server,
each step checked on the page and in the database."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import ApiToken, Highlight, HighlightReview, Page

from .conftest import screenshot, sign_in
from .seed import seed_library


@pytest.fixture
def library(ann):
    return seed_library(ann)


@pytest.fixture
def signed_in(browser_page, ann, library):
    sign_in(browser_page, ann)
    return browser_page


def test_a_wrong_password_is_refused(browser_page, ann, watch):
    browser_page.goto("/login")
    browser_page.get_by_label("Username").fill("ann")
    browser_page.get_by_label("Password").fill("not the password")
    browser_page.get_by_role("button", name="Sign in").click()
    expect(browser_page.get_by_role("alert")).to_contain_text("do not match")
    browser_page.goto("/")
    assert "/login" in browser_page.url
    assert watch.clean()


def test_library_lists_pages_newest_first_and_filters_by_tag_and_color(signed_in, library, ann, in_db, watch):
    page = signed_in
    cards = page.locator(".page-card h2")
    newest_first = in_db(lambda s: s.scalars(
        select(Page.title).where(Page.user_id == ann.id).order_by(Page.updated_at.desc(), Page.id.desc())).all())
    expect(cards).to_have_text(newest_first)
    expect(page.locator(".page-card").first.locator(".count")).to_contain_text("highlight")
    screenshot(page, "library")

    page.get_by_label("Tag", exact=True).fill("china")
    page.get_by_role("button", name="Filter").click()
    tagged = {"Open models after Llama", "AI sovereignty, in five insights"}
    expect(cards).to_have_text([title for title in newest_first if title in tagged])

    page.get_by_label("Tag", exact=True).fill("")
    page.get_by_label("Color", exact=True).select_option("green")
    page.get_by_role("button", name="Filter").click()
    green_pages = in_db(lambda s: set(s.scalars(select(Page.title).join(Highlight, Highlight.page_id == Page.id).where(
        Highlight.color == "green", Highlight.deleted_at.is_(None), Page.user_id == ann.id)).all()))
    assert set(cards.all_text_contents()) == green_pages and green_pages
    for preview in page.locator(".preview").all():
        expect(preview).to_have_class(re.compile("color-green"))
    assert watch.clean(), watch


def test_search_finds_and_opens_a_result(signed_in, library, watch):
    page = signed_in
    page.get_by_label("Search your highlights").fill("open-source models")
    page.keyboard.press("Enter")
    results = page.locator(".result")
    expect(results.first.locator("mark").first).to_have_text(re.compile("open|model", re.I))
    assert results.count() >= 3
    screenshot(page, "search")
    page.get_by_label('Words or "a phrase"').fill("sovereign clouds")
    page.keyboard.press("Enter")
    expect(results.first.locator("mark").first).to_have_text(re.compile("sovereign", re.I))
    results.first.locator("a.result-link").click()
    expect(page).to_have_url(re.compile(r"/pages/\d+"))
    expect(page.locator("h1")).to_have_text("AI sovereignty, in five insights")
    assert watch.clean(), watch


def test_a_note_and_tags_are_edited_in_place(signed_in, library, in_db, watch):
    page = signed_in
    page_id = library.pages["Frontier Labs, Funding and Geopolitics"]
    first = library.highlights[page_id][0]
    page.goto(f"/pages/{page_id}")
    card = page.locator(f"#h-{first}")
    card.get_by_text("Edit").click()
    card.get_by_label("Note (Markdown)").fill("**Key** point <script>alert(1)</script>")
    card.get_by_label("Tags, separated by commas").fill("policy, Review later")
    card.get_by_role("button", name="Save").click()
    card = page.locator(f"#h-{first}")
    expect(card.locator(".note strong")).to_have_text("Key")
    expect(card.locator(".tag")).to_have_text(["#policy", "#Review later"])
    expect(page).to_have_url(re.compile(rf"/pages/{page_id}$"))  # swapped in place, no reload
    note, tags = in_db(lambda s: (lambda h: (h.note, [t.name for t in h.tags]))(
        s.scalar(select(Highlight).where(Highlight.uuid == first))))
    assert note == "**Key** point <script>alert(1)</script>"
    assert tags == ["policy", "Review later"]
    card.get_by_text("Edit").click()
    card.get_by_label("pink").check()
    card.get_by_role("button", name="Save").click()
    expect(page.locator(f"#h-{first}")).to_have_class(re.compile("color-pink"))
    assert in_db(lambda s: s.scalar(select(Highlight.color).where(Highlight.uuid == first))) == "pink"
    assert watch.clean(), watch


def test_delete_then_undo(signed_in, library, in_db, watch):
    page = signed_in
    page_id = library.pages["AI sovereignty, in five insights"]
    first = library.highlights[page_id][0]
    state = lambda s: s.scalar(select(Highlight).where(Highlight.uuid == first))  # noqa: E731
    page.goto(f"/pages/{page_id}")
    page.locator(f"#h-{first}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#h-{first}")).to_contain_text("Highlight deleted.")
    assert in_db(lambda s: state(s).deleted)
    page.locator(f"#h-{first}").get_by_role("button", name="Undo").click()
    expect(page.locator(f"#h-{first} .note")).to_contain_text("Worth re-reading.")
    restored = in_db(lambda s: (lambda h: (h.deleted, h.note, h.exact != ""))(state(s)))
    assert restored == (False, "Worth **re-reading**.", True)
    page.reload()
    expect(page.locator(f"#h-{first} blockquote")).to_be_visible()
    assert watch.clean(), watch


def test_the_readable_copy_marks_highlights_and_lists_orphans(signed_in, library, watch):
    page = signed_in
    page_id = library.pages["AI sovereignty, in five insights"]
    page.goto(f"/pages/{page_id}?view=readable")
    copy = page.locator("#readable")
    expect(copy).to_have_attribute("data-marked", "3")
    painted = page.evaluate("""() => [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0)""")
    assert painted == 3
    expect(page.locator("#orphan-list li > a")).to_have_text(["A sentence the page has since lost"])
    page.locator(".tabs").scroll_into_view_if_needed()
    screenshot(page, "page")
    assert watch.clean(), watch


def test_a_days_review_by_keyboard(signed_in, library, ann, in_db, watch):
    page = signed_in
    page.goto("/review")
    page.wait_for_selector("html[data-enhanced]", state="attached")
    expect(page.locator(".progress")).to_have_text("0 of 5 reviewed today")
    current = page.locator(".review-card .highlight").get_attribute("data-uuid")
    screenshot(page, "review")
    page.keyboard.press("f")
    expect(page.locator("#review-favorite")).to_have_attribute("aria-pressed", "true")
    page.wait_for_selector("html[data-enhanced]", state="attached")
    assert in_db(lambda s: s.scalar(select(HighlightReview.favorite).join(Highlight).where(Highlight.uuid == current)))
    page.keyboard.press("e")
    expect(page.locator(f"#note-{current}")).to_be_focused()
    page.locator(f"#note-{current}").press("Escape")
    page.locator("h1").click()
    for done in range(1, 6):
        page.wait_for_selector("html[data-enhanced]", state="attached")
        page.keyboard.press("n")
        expect(page.locator(".progress")).to_have_text(f"{done} of 5 reviewed today")
    expect(page.locator(".done")).to_have_text(re.compile("Done for today"))
    reviewed = in_db(lambda s: s.scalars(select(HighlightReview.review_count).where(
        HighlightReview.user_id == ann.id, HighlightReview.last_reviewed_at.is_not(None))).all())
    assert reviewed == [1] * 5
    assert watch.clean(), watch


def test_open_page_from_the_review_with_o(signed_in, library, watch):
    page = signed_in
    page.goto("/review")
    page.wait_for_selector("html[data-enhanced]", state="attached")
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/pages/\d+#h-"))
    assert watch.clean(), watch


def test_a_token_is_made_shown_once_and_revoked(signed_in, server, ann, in_db, watch):
    page = signed_in
    page.goto("/settings")
    expect(page.locator("#server-url")).to_have_text(server.url)
    page.get_by_label("Name").fill("Firefox at work")
    page.get_by_role("button", name="Make a token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("mrg_")
    row = lambda s: s.scalar(select(ApiToken).where(ApiToken.user_id == ann.id, ApiToken.name == "Firefox at work"))  # noqa: E731
    assert in_db(lambda s: row(s).revoked_at is None)
    me = urllib.request.Request(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert urllib.request.urlopen(me).status == 200
    page.goto("/settings")
    expect(page.locator("body")).not_to_contain_text(token)
    page.get_by_role("button", name="Revoke Firefox at work").click()
    expect(page.get_by_role("row", name=re.compile("Firefox at work"))).to_contain_text("revoked")
    assert in_db(lambda s: row(s).revoked_at is not None)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(me)
    assert refused.value.code == 401
    assert watch.clean(), watch


def test_pages_fit_a_phone_width_screen(signed_in, library, watch):
    page = signed_in
    page.set_viewport_size({"width": 375, "height": 800})
    page_id = library.pages["AI sovereignty, in five insights"]
    for path in ("/", f"/pages/{page_id}", f"/pages/{page_id}?view=readable", "/search?q=china", "/tags",
                 "/review", "/settings"):
        page.goto(path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
    assert watch.clean(), watch
