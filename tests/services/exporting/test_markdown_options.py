"""Markdown and Obsidian export options: the article from the readable copy, notes through the web view's
sanitizing policy (or raw), and the front matter a vault sync leaves."""

import io
import zipfile

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import select

from server.db import db
from server.models import Page
from server.services import exporting
from server.services.exporting import MarkdownOptions, Selection, Source, sync_vault
from server.services.exporting.markdown import BEGIN, END

from .markdown_checks import split_front_matter
from .seeding import seed

#: markdown-it as Obsidian-like readers parse: raw HTML recognized (so any that survives is found)
PARSER = MarkdownIt("commonmark")
ARTICLE_HTML = (
    "<h2>The tide tables</h2><p>Tides follow the <a href=\"https://example.com/moon\">moon</a>.</p>"
    "<ul><li>high water</li><li>low water</li></ul>"
    "<blockquote><p>Time and tide wait for no man.</p></blockquote>"
    "<p>A &lt;script&gt; in the text, and [x](javascript:alert(1)) written out.</p>"
)
HOSTILE_NOTES = {
    "img": "<img src=x onerror=alert(1)>",
    "javascript": "[x](javascript:alert(1))",
    "script": "<script>alert(1)</script> after",
}
FORMATTED_NOTE = "Some **bold** words.\n\n- one\n- two\n\n[a site](https://example.com/site)"


def _article_page(**extra) -> dict:
    return {"url": "https://example.com/tides", "title": "Tides", "snapshot": "Tides follow the moon.",
            "snapshot_html": ARTICLE_HTML, "highlights": [{"exact": "Tides follow the moon"}], **extra}


def _export(user_id: int, format_name: str, options: MarkdownOptions, template: str | None = None) -> str:
    try:
        data = b"".join(exporting.export(db.session, user_id, format_name, Selection(), template, options=options))
    finally:
        db.session.rollback()
    if format_name == "markdown":
        return data.decode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode() for name in sorted(archive.namelist()))


def _article(text: str, heading: str = "## Article") -> str:
    """What follows the Article heading, up to the end marker."""
    assert text.count(f"\n{heading}\n") == 1, text
    return text.split(f"\n{heading}\n", 1)[1].split(END, 1)[0]


def _tokens(markdown: str) -> list:
    tokens = []
    for token in PARSER.parse(markdown):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def _is_marker(token) -> bool:
    return token.type == "html_block" and token.content.strip() in (BEGIN, END)


@pytest.mark.parametrize("format_name, heading", [("obsidian", "## Article"), ("markdown", "### Article")])
def test_the_article_keeps_headings_lists_links_and_blockquotes(app, ann, in_db, format_name, heading):
    in_db(lambda session: seed(session, ann.id, [_article_page()]))
    with app.app_context():
        text = _export(ann.id, format_name, MarkdownOptions(article=True))
    article = _tokens(_article(text, heading))
    kinds = {token.type for token in article}
    assert {"heading_open", "bullet_list_open", "blockquote_open", "link_open"} <= kinds
    assert [t.content for t in article if t.type == "inline"][:1] == ["The tide tables"]
    assert [t.attrs["href"] for t in article if t.type == "link_open"] == ["https://example.com/moon"]
    items = [t.content for i, t in enumerate(article) if t.type == "inline" and article[i - 2].type == "list_item_open"]
    assert items == ["high water", "low water"]
    # Text that looks like markup stays text: no HTML, no javascript: link.
    assert not [t for t in article if t.type.startswith("html")]
    assert "A <script> in the text, and [x](javascript:alert(1)) written out." in [
        t.children and "".join(c.content for c in t.children) for t in article if t.type == "inline"]


def test_without_the_option_or_a_snapshot_there_is_no_article(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        _article_page(), {"url": "https://example.com/bare", "title": "Bare", "highlights": [{"exact": "no copy"}]}]))
    with app.app_context():
        plain = _export(ann.id, "obsidian", MarkdownOptions())
        with_article = _export(ann.id, "obsidian", MarkdownOptions(article=True))
    assert "Article" not in plain and "high water" not in plain
    assert with_article.count("\n## Article\n") == 1  # the page with a snapshot only
    bare = next(part for part in with_article.split("---\ntitle:") if part.startswith(" Bare"))
    assert "Article" not in bare and "no copy" in bare


def test_a_template_places_the_article_itself(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [_article_page()]))
    template = "{{ page.title }}\n{% if article %}ARTICLE FOLLOWS\n{{ article }}{% endif %}"
    with app.app_context():
        text = _export(ann.id, "obsidian", MarkdownOptions(article=True), template)
        without = _export(ann.id, "obsidian", MarkdownOptions(), template)
    assert "ARTICLE FOLLOWS\n## The tide tables\n" in text and "* high water" in text
    assert "ARTICLE FOLLOWS" not in without


def test_a_vault_resync_rewrites_the_article_in_place(app, ann, in_db, tmp_path):
    in_db(lambda session: seed(session, ann.id, [_article_page()]))

    def sync():
        return in_db(lambda session: sync_vault(Source(session, ann.id, Selection()), tmp_path, None,
                                                MarkdownOptions(article=True)))

    assert sync().created == 1
    file = tmp_path / "Tides.md"
    file.write_text(file.read_text() + "\nMy own notes below.\n")
    second = sync()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    text = file.read_text()
    assert text.count("## Article") == 1 and text.count("high water") == 1
    assert text.index("## Article") < text.index(END) < text.index("My own notes below.")


@pytest.mark.parametrize("format_name", ["obsidian", "markdown"])
def test_hostile_notes_lose_their_html_and_script_links_but_keep_markdown(app, ann, in_db, format_name):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/n", "title": "Notes", "note": HOSTILE_NOTES["script"], "highlights": [
            *({"exact": f"quote {name}", "note": note} for name, note in HOSTILE_NOTES.items()),
            {"exact": "quote formatted", "note": FORMATTED_NOTE}]}]))
    with app.app_context():
        text = _export(ann.id, format_name, MarkdownOptions())
    tokens = _tokens(text)
    assert not [t for t in tokens if t.type.startswith("html") and not _is_marker(t)]
    assert "<img" not in text.replace("\\<img", "") and "<script" not in text.replace("\\<script", "")
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert hrefs and all(href.startswith("https://") for href in hrefs)
    assert "https://example.com/site" in hrefs
    kinds = {t.type for t in tokens}
    assert {"strong_open", "bullet_list_open"} <= kinds
    shown = " ".join(t.content for t in tokens if t.type == "text")
    for visible in ("onerror=alert(1)", "javascript:alert(1)", "alert(1)", "bold", "one", "two", "a site"):
        assert visible in shown, visible  # the hostile parts are still there to read, as text


def test_raw_notes_are_written_as_typed(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/n", "title": "Notes", "highlights": [
            {"exact": "quote", "note": HOSTILE_NOTES["img"]}, {"exact": "other", "note": HOSTILE_NOTES["javascript"]}]}]))
    with app.app_context():
        text = _export(ann.id, "obsidian", MarkdownOptions(raw_notes=True))
    assert f"> {HOSTILE_NOTES['img']}\n" in text and f"> {HOSTILE_NOTES['javascript']}\n" in text


def test_front_matter_tags_are_the_pages_and_its_highlights_without_hashes(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/t", "title": "Tagged", "tags": ["reading", "#sea"], "highlights": [
            {"exact": "one", "tags": ["water", "reading"]}, {"exact": "two", "tags": ["R&D"]}]}]))
    with app.app_context():
        front, _ = split_front_matter(_export(ann.id, "obsidian", MarkdownOptions()))
    assert front["tags"] == ["reading", "sea", "water", "R-D"]


def test_a_resync_after_the_author_is_gone_removes_the_key(app, ann, in_db, tmp_path):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Authored", "author": "Ann Author",
         "highlights": [{"exact": "words"}]}]))

    def sync():
        return in_db(lambda session: sync_vault(Source(session, ann.id, Selection()), tmp_path))

    sync()
    file = tmp_path / "Authored.md"
    file.write_text(file.read_text().replace("margins_id:", "aliases:\n- Mine\nmargins_id:"))
    assert split_front_matter(file.read_text())[0]["author"] == "Ann Author"

    def forget_author(session):
        session.scalar(select(Page).where(Page.url == "https://example.com/a")).author = None
        session.commit()

    in_db(forget_author)
    assert sync().updated == 1
    text = file.read_text()
    front, _ = split_front_matter(text)
    assert "author" not in front and "null" not in text
    assert front["aliases"] == ["Mine"] and front["title"] == "Authored"
    assert sync().unchanged == 1
