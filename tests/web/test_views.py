"""The web view's pages and forms without a browser: what they show, what they change, with no JavaScript."""

import re
import uuid

import pytest
from sqlalchemy import select

from server.models import Highlight, Tag

from .test_security import csrf_token


def put(person, exact, *, url="https://example.com/a", color="yellow", note="", tags=(), title=None):
    highlight_id = str(uuid.uuid4())
    answer = person.api.put(f"/highlights/{highlight_id}", {
        "url": url, "title": title, "quote": {"exact": exact, "prefix": "", "suffix": ""},
        "color": color, "note": note, "tags": list(tags)})
    assert answer.status_code == 201, answer.json
    return highlight_id, answer.json["page_id"]


@pytest.fixture
def signed_in(client, ann, login):
    login(ann)
    return client


def test_the_library_pages_with_a_cursor(signed_in, ann):
    for n in range(23):
        put(ann, f"passage {n}", url=f"https://example.com/{n}", title=f"Page {n}")
    first = signed_in.get("/").text
    titles = re.findall(r'<h2><a href="/pages/\d+">(Page \d+)</a>', first)
    assert titles == [f"Page {n}" for n in range(22, 2, -1)]
    older = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    rest = re.findall(r'<h2><a href="/pages/\d+">(Page \d+)</a>', signed_in.get(older).text)
    assert rest == ["Page 2", "Page 1", "Page 0"]


def test_filters_by_site(signed_in, ann):
    put(ann, "one", url="https://www.news.example/a", title="News")
    put(ann, "two", url="https://blog.example/b", title="Blog")
    text = signed_in.get("/?site=news.example").text
    assert "News" in text and "Blog" not in text


def test_a_tag_filter_shows_the_highlights_it_exports(signed_in, ann):
    """Tagged as "#Reading  List" (stored "Reading List"), found by that spelling; the page's
    untagged highlight is not shown, as "Export these highlights" leaves it out."""
    put(ann, "the tagged passage", url="https://example.com/a", title="Mixed", tags=["#Reading  List"])
    put(ann, "the untagged passage", url="https://example.com/a")
    put(ann, "another page's passage", url="https://example.com/b", title="Other")
    library = signed_in.get("/?tag=%23Reading%20%20List").text
    assert "Mixed" in library and "the tagged passage" in library
    assert "the untagged passage" not in library and "Other" not in library
    export = re.search(r'href="(/export\?format=csv[^"]*)"', library).group(1).replace("&amp;", "&")
    exported = signed_in.get(export).text
    assert "the tagged passage" in exported and "untagged" not in exported and "another page" not in exported


def test_editing_without_javascript_redirects_back(signed_in, ann, in_db):
    highlight_id, page_id = put(ann, "a passage")
    answer = signed_in.post(f"/highlights/{highlight_id}/edit", data={
        "csrf_token": csrf_token(signed_in), "note": "*so* true", "tags": "one, two,, ", "color": "blue",
        "next": f"/pages/{page_id}"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/pages/{page_id}"
    page = signed_in.get(f"/pages/{page_id}").text
    assert "<em>so</em> true" in page and "#one" in page and "color-blue" in page
    saved = in_db(lambda s: (lambda h: (h.note, h.color, [t.name for t in h.tags]))(s.scalar(select(Highlight))))
    assert saved == ("*so* true", "blue", ["one", "two"])


def test_an_unknown_color_is_refused_with_a_message(signed_in, ann):
    highlight_id, _ = put(ann, "a passage")
    answer = signed_in.post(f"/highlights/{highlight_id}/edit", data={"csrf_token": csrf_token(signed_in), "color": "red"})
    assert answer.status_code == 422 and "Pick one of the colors" in answer.text


def test_delete_and_undo_without_javascript(signed_in, ann, in_db):
    highlight_id, page_id = put(ann, "a passage", note="kept note", tags=["t"])
    token = csrf_token(signed_in)
    answer = signed_in.post(f"/highlights/{highlight_id}/delete", data={"csrf_token": token})
    assert answer.status_code == 200 and "Highlight deleted." in answer.text
    assert in_db(lambda s: s.scalar(select(Highlight.deleted_at))) is not None
    kept = re.search(r'name="kept" value="([^"]+)"', answer.text).group(1)
    answer = signed_in.post(f"/highlights/{highlight_id}/restore", data={"csrf_token": token, "kept": kept})
    assert answer.status_code == 302
    restored = in_db(lambda s: (lambda h: (h.exact, h.note, h.deleted, [t.name for t in h.tags]))(s.scalar(select(Highlight))))
    assert restored == ("a passage", "kept note", False, ["t"])


def test_the_script_gets_the_changed_highlight_back(signed_in, ann):
    highlight_id, _ = put(ann, "a passage")
    answer = signed_in.post(f"/highlights/{highlight_id}/edit", headers={"X-Requested-With": "margins"},
                            data={"csrf_token": csrf_token(signed_in), "note": "# Title"})
    assert answer.status_code == 200 and answer.text.lstrip().startswith("<article")
    assert "<h1>Title</h1>" in answer.text


def test_notes_are_rendered_and_sanitized(signed_in, ann):
    _, page_id = put(ann, "a passage", note="[x](javascript:alert(1)) <b onclick=alert(1)>raw</b> [ok](https://ok.example)")
    page = signed_in.get(f"/pages/{page_id}").text
    assert 'href="javascript:' not in page and "<b onclick" not in page and "&lt;b onclick" in page
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">ok</a>' in page


def test_tags_with_counts_rename_and_merge(signed_in, ann, in_db):
    put(ann, "one", tags=["ai", "Policy"])
    put(ann, "two", tags=["policy-old"], url="https://example.com/2")
    listing = signed_in.get("/tags").text
    assert re.search(r"#ai</a></th>\s*<td>1</td>", listing)
    tag_id = lambda name: in_db(lambda s: s.scalar(select(Tag.id).where(Tag.name == name)))  # noqa: E731
    answer = signed_in.post(f"/tags/{tag_id('ai')}/rename", data={"csrf_token": csrf_token(signed_in), "name": "AI research"})
    assert answer.status_code == 302
    answer = signed_in.post(f"/tags/{tag_id('policy-old')}/rename", data={"csrf_token": csrf_token(signed_in), "name": "Policy"})
    assert answer.headers["Location"] == f"/tags/{tag_id('Policy')}"
    names = in_db(lambda s: sorted(s.scalars(select(Tag.name)).all()))
    assert names == ["AI research", "Policy"]
    grouped = signed_in.get(f"/tags/{tag_id('Policy')}").text
    assert grouped.count('class="group"') == 2 and "one" in grouped and "two" in grouped


def test_export_links_carry_the_filters(signed_in, ann, in_db):
    _, page_id = put(ann, "a passage", tags=["ai"])
    tag_id = in_db(lambda s: s.scalar(select(Tag.id)))
    assert "/export?format=markdown&amp;tag=ai&amp;color=green" in signed_in.get("/?tag=ai&color=green").text
    assert f"/export?format=json&amp;page={page_id}" in signed_in.get(f"/pages/{page_id}").text
    assert "/export?format=csv&amp;q=passage" in signed_in.get("/search?q=passage").text
    assert "/export?format=w3c&amp;tag=ai" in signed_in.get(f"/tags/{tag_id}").text


def test_the_extensions_shared_modules_are_served(client):
    answer = client.get("/static/shared/anchoring.js")
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert "export function anchor" in answer.text
    assert client.get("/static/shared/../../../server/config.py").status_code == 404


def test_settings_show_the_server_url_for_the_extension(signed_in):
    assert '<code id="server-url">http://localhost</code>' in signed_in.get("/settings").text


def test_search_narrows_to_a_tag_a_color_and_a_site(signed_in, ann):
    put(ann, "tides follow the moon", url="https://www.sea.example/a", color="blue", tags=["ocean"])
    put(ann, "the moon landing was filmed", url="https://space.example/b", color="yellow", tags=["space"])
    put(ann, "moon phases in the garden", url="https://sea.example/c", color="yellow")

    def quotes(query: str) -> set[str]:
        text = signed_in.get(f"/search?q=moon{query}").text
        return {quote for quote in ("tides", "landing", "phases") if quote in text}

    assert quotes("") == {"tides", "landing", "phases"}
    assert quotes("&tag=ocean") == {"tides"}
    assert quotes("&color=yellow") == {"landing", "phases"}
    assert quotes("&site=sea.example") == {"tides", "phases"}
    assert quotes("&site=sea.example&color=yellow") == {"phases"}
    assert quotes("&tag=nothing-tagged-so") == set()
    narrowed = signed_in.get("/search?q=moon&color=yellow").text
    assert '<option value="yellow" selected>' in narrowed and "color=yellow" in narrowed.split("Export these results")[1]


def test_an_unknown_search_color_is_refused_naming_the_colors(signed_in):
    answer = signed_in.get("/search?q=moon&color=mauve")
    assert answer.status_code == 422 and "yellow" in answer.text
