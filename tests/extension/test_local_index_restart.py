"""The extension's local index outlives a browser restart (the same profile):
a page's highlights are drawn from it without asking the server. In a module
of its own: its browsers cannot start beside the shared one of other modules."""

from tests.browser import chromium_with_extension
from tests.extension.reader import drawn, followed_feed, saved_elsewhere
from tests.extension.test_local_index import QUOTE, log_length, requests_to, serve


def test_the_index_survives_a_browser_restart(extension_build, margins, make_person, pages, article, tmp_path):
    person = make_person("restarted")
    url = serve(pages, "/restart.html", article)
    saved_elsewhere(margins, person, url, QUOTE, color="pink")
    profile = tmp_path / "profile"
    with chromium_with_extension(extension_build / "chrome", profile, keep_profile=True) as first:
        first.configure(margins.url, person.token)
        followed_feed(first, margins, person)
    since = log_length(margins)
    with chromium_with_extension(extension_build / "chrome", profile) as second:
        assert second.storage("index")["complete"]
        page = second.context.new_page()
        page.goto(url)
        drawn(page, {"pink": 1}, "the highlight after the restart")
        assert [line for line in requests_to(margins, since) if "url=" in line] == []
