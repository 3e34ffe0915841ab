"""The extension's local index (extension/src/background/index.js) end to end:
highlights made and deleted on another device reach the page once the
extension follows the change feed; a page with no highlights costs no
request. (The restart is in test_local_index_restart.py: it starts browsers of its own.)"""

from tests.browser import api, drawn_highlights
from tests.extension.reader import drawn, followed_feed, saved_elsewhere

QUOTE = "OpenAI, one of the most prominent players"


def serve(pages, path, article):
    title, paragraphs = article
    pages.pages[path] = f"<!doctype html><title>{title}</title><article>{''.join(f'<p>{p}</p>' for p in paragraphs[1:8])}</article>"
    return pages.url + path


def requests_to(margins, since: int) -> list[str]:
    """The browser's requests the Margins server logged after the first `since` lines of its log
    (not the test's own, whose answers may be logged late)."""
    lines = margins.live.log_path.read_text(errors="replace").splitlines()[since:]
    return [line for line in lines if "/api/v1/" in line and "Python-urllib" not in line]


def log_length(margins) -> int:
    return len(margins.live.log_path.read_text(errors="replace").splitlines())


def test_highlights_made_and_deleted_elsewhere_reach_an_open_page_once_the_feed_is_followed(browser, margins, reader, pages, article):
    url = serve(pages, "/elsewhere.html", article)
    page = browser.context.new_page()
    page.goto(url)
    page.wait_for_function("() => document.readyState === 'complete'")
    highlight_id = saved_elsewhere(margins, reader, url, QUOTE, color="orange")
    followed_feed(browser, margins, reader)
    drawn(page, {"orange": 1}, "the other device's highlight on the open page")
    page.reload()
    drawn(page, {"orange": 1}, "the highlight after a reload")

    assert api(margins.url, reader.token, "DELETE", f"/highlights/{highlight_id}")[0] == 204
    followed_feed(browser, margins, reader)
    drawn(page, {}, "nothing once it was deleted elsewhere")
    page.reload()
    page.wait_for_function("() => document.readyState === 'complete'")
    assert drawn_highlights(page) == {}
    page.close()


def test_a_page_with_no_highlights_causes_no_request_and_one_with_highlights_draws_from_the_index(browser, margins, reader, pages, article):
    marked = serve(pages, "/marked.html", article)
    plain = [serve(pages, f"/plain-{n}.html", article) for n in range(3)]
    saved_elsewhere(margins, reader, marked, QUOTE, color="green")
    followed_feed(browser, margins, reader)
    since = log_length(margins)
    assert any("/api/v1/highlights?limit=1000" in line for line in requests_to(margins, 0)), "the extension's requests are logged"
    page = browser.context.new_page()
    for url in plain:
        page.goto(url)
        page.wait_for_function("() => document.readyState === 'complete'")
    page.goto(marked)
    drawn(page, {"green": 1}, "the highlight, from the index")
    page.goto(plain[0])
    page.wait_for_function("() => document.readyState === 'complete'")
    page.close()
    # Only the feed's own polls (an alarm may fire meanwhile), never a question about a page.
    assert [line for line in requests_to(margins, since) if "/api/v1/highlights?limit=1000&cursor=" not in line] == []
