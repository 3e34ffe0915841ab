"""Markdown export: every file parses (PyYAML front matter, CommonMark body), quotes read back as
written, text-fragment links decode to their parts, and the same data gives the same bytes."""

import io
import re
import unicodedata
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.db import db
from server.models import COLORS, Page
from server.services import exporting, users
from server.services.errors import Invalid
from server.services.exporting import Selection
from server.services.exporting.fragments import fragment_for, fragment_link
from server.services.exporting.markdown import BEGIN, END, margins_id
from server.services.pages import page_highlights

from .markdown_checks import blockquotes, decode_fragment, split_front_matter, words
from .seeding import seed

hostile = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
markdownish = st.lists(st.sampled_from(list("#*_`[]()<>!|~=^$%&-+.:\\ \n\t>1a") + ["<!--", "```", "\r\n", "é", "\u2028"]),
                       max_size=30).map("".join)
quotes = (hostile | markdownish).filter(lambda text: text.split())
tag_names = st.lists(st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)
                     .filter(lambda name: name.strip().lstrip("#").strip()), max_size=2)
page_specs = st.lists(st.fixed_dictionaries({
    "path": st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=10),
    "title": st.none() | hostile | markdownish, "author": st.none() | hostile, "site_name": st.none() | hostile,
    "tags": tag_names,
    "highlights": st.lists(st.fixed_dictionaries({
        "exact": quotes, "prefix": hostile | markdownish, "suffix": hostile | markdownish,
        "note": hostile | markdownish, "color": st.sampled_from(COLORS), "tags": tag_names,
        "position": st.none() | st.tuples(st.integers(0, 1000), st.integers(0, 100)),
    }), max_size=3),
}), min_size=1, max_size=3)


def _files(zip_bytes: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _is_obsidian_tag(name: str) -> bool:
    """Obsidian's tag syntax (help.obsidian.md, "Tags"): letters, numbers, "_", "-", "/" for nesting (and, as
    Obsidian reads them, letters' combining marks and emoji); at least one character not a number."""
    allowed = all(char.isalnum() or char in "_-/" or unicodedata.category(char)[0] == "M"
                  or unicodedata.category(char) == "So" for char in name)
    return allowed and bool(name) and not name.isdigit() and not name.startswith("/") and not name.endswith("/")


def check_markdown_file(text: str, page: Page, highlights: list) -> None:
    front, body = split_front_matter(text)
    unset = {key for key, value in {"author": page.author, "tags": front.get("tags")}.items() if not value}
    assert front == {key: value for key, value in {
        "title": page.title or page.url, "url": page.url, "author": page.author,
        "site": page.site_name or page.domain, "tags": front.get("tags"),
        "created": page.created_at.replace(microsecond=0, tzinfo=None),
        "updated": page.updated_at.replace(microsecond=0, tzinfo=None),
        "highlights": len(highlights), "margins_id": margins_id(page),
    }.items() if key not in unset}
    front_tags = front.get("tags", [])
    assert all(_is_obsidian_tag(tag) for tag in front_tags), front_tags
    body_tags = {tag for line in body.splitlines() if line.startswith("> — ") for tag in re.findall(r"#(\S+)", line)
                 if not tag.startswith(":~:")}
    assert body_tags <= {tag for tag in front_tags} and bool(body_tags) == any(h.tags for h in highlights)
    assert len(front_tags) >= len({tag.name.casefold() for tag in page.tags})
    assert body.startswith(BEGIN + "\n") and body.endswith("\n" + END + "\n")
    found = blockquotes(body)
    assert len(found) == len(highlights)
    for quote, highlight in zip(found, highlights, strict=True):
        assert quote["text"].startswith(words(highlight.exact))
        fragment_links = [href for href in quote["links"] if "#:~:text=" in href]
        assert fragment_links, quote
        assert decode_fragment(fragment_links[0]) == fragment_for(highlight.prefix, highlight.exact, highlight.suffix)
        assert f"\n^{highlight.uuid}\n" in body


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(specs=page_specs)
def test_every_exported_markdown_file_parses_and_reads_back(app, specs):
    with app.app_context():
        session = db.session
        for table in reversed(db.metadata.sorted_tables):
            session.execute(table.delete())
        session.commit()
        ann = users.create_user(session, "ann", "correct horse battery")
        seed(session, ann.id, specs)
        files = _files(b"".join(exporting.export(session, ann.id, "obsidian", Selection())))
        pages = session.query(Page).order_by(Page.id).all()
        assert len(files) == len(pages)
        for text, page in zip(files.values(), pages, strict=True):
            check_markdown_file(text, page, page_highlights(session, page))
        single = b"".join(exporting.export(session, ann.id, "markdown", Selection())).decode()
        assert len(blockquotes(single)) == sum(len(spec["highlights"]) for spec in specs)
        session.rollback()


def test_text_fragment_parts_are_percent_encoded_with_dash_comma_and_ampersand():
    link = fragment_link("https://example.com/a b(c)#old", "x rock-and-roll, ", "Q&A - the, end", " next-door, y")
    assert link == ("https://example.com/a%20b%28c%29#:~:text=rock%2Dand%2Droll%2C-,"
                    "Q%26A%20%2D%20the%2C%20end,-next%2Ddoor%2C")
    assert decode_fragment(link) == fragment_for("x rock-and-roll, ", "Q&A - the, end", " next-door, y")


def test_long_quotes_link_by_their_first_and_last_words():
    fragment = fragment_for("", " ".join(f"w{n}" for n in range(20)), "")
    assert (fragment.start, fragment.end) == ("w0 w1 w2 w3 w4", "w15 w16 w17 w18 w19")


@pytest.fixture
def ann_pages(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"path": "a", "title": "Same title", "tags": ["reading"], "highlights": [
            {"exact": "Second in reading order", "position": (50, 5), "note": "why *this*"},
            {"exact": "First in reading order", "position": (10, 5), "tags": ["ai"], "color": "blue"},
        ]},
        {"path": "b", "title": "Same title", "highlights": [{"exact": "Another page"}]},
    ]))
    return ann


def test_same_data_gives_byte_identical_exports(ann_pages, export_bytes):
    for format_name in ("obsidian", "markdown", "json"):
        assert export_bytes(ann_pages.id, format_name) == export_bytes(ann_pages.id, format_name)


def test_highlights_come_in_reading_order_and_titles_give_unique_file_names(ann_pages, export_bytes):
    files = _files(export_bytes(ann_pages.id, "obsidian"))
    names = list(files)
    assert names[0] == "Same title.md" and names[1].startswith("Same title (p-") and len(set(names)) == 2
    texts = [quote["text"] for quote in blockquotes(files[names[0]])]
    assert texts[0].startswith("First in reading order") and texts[1].startswith("Second in reading order")


def test_a_user_template_renders_in_the_sandbox(ann_pages, export_bytes):
    template = "{% for h in highlights %}* {{ h.exact | upper }} ({{ h.color }})\n{% endfor %}"
    files = _files(export_bytes(ann_pages.id, "obsidian", template=template))
    _, body = split_front_matter(files["Same title.md"])
    assert "* FIRST IN READING ORDER (blue)\n* SECOND IN READING ORDER (yellow)\n" in body
    escape = "{{ page.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(Invalid, match="__class__"):
        export_bytes(ann_pages.id, "obsidian", template=escape)


def test_a_user_template_can_include_the_default_highlight_block(ann_pages, export_bytes):
    template = "{% for highlight in highlights %}\n\n{% include 'highlight.md.j2' %}\n{% endfor %}"
    own = _files(export_bytes(ann_pages.id, "obsidian", template=template))["Same title.md"]
    default = _files(export_bytes(ann_pages.id, "obsidian"))["Same title.md"]
    blocks = default[default.index("> First"):default.index("\n\n<!-- margins:end")]
    assert "\n>\n> why *this*\n" in blocks and blocks in own


def test_a_broken_template_is_refused_with_its_line(ann_pages, export_bytes):
    with pytest.raises(Invalid, match="line 2"):
        export_bytes(ann_pages.id, "markdown", template="ok\n{% for %}")


@pytest.fixture
def tagged_pages(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"path": "t", "title": "Tagged", "tags": ["reading list", "C++"], "highlights": [
            {"exact": "One", "tags": ["R&D", "1984"], "position": (1, 2)},
            {"exact": "Two", "tags": ["a.b", "snake_case", "C++"], "position": (3, 4)}]},
        {"url": "https://books.margins.invalid/a-book--someone", "title": "A book", "author": "Someone",
         "highlights": [{"exact": "Bookish"}]},
    ]))
    return ann


def test_obsidian_files_have_valid_tags_date_properties_and_no_empty_values(tagged_pages, export_bytes):
    files = _files(export_bytes(tagged_pages.id, "obsidian"))
    tagged, book = files["Tagged.md"], files["A book.md"]
    front, body = split_front_matter(tagged)
    assert front["tags"] == ["C--", "reading-list", "_1984", "R-D", "a-b", "snake_case"]  # page's, then highlights'
    assert all(_is_obsidian_tag(tag) for tag in front["tags"])
    tag_lines = [line for line in body.splitlines() if line.startswith("> — ")]
    assert "#_1984 #R-D ·" in tag_lines[0] and "#a-b #C-- #snake_case ·" in tag_lines[1] and "\\" not in body
    assert re.search(r"^created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", tagged, re.M)  # unquoted, no microseconds
    assert re.search(r"^updated: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", tagged, re.M)
    assert "author:" not in tagged and "null" not in tagged
    book_front, book_body = split_front_matter(book)
    assert "url" not in book_front and "books.margins.invalid" not in book and book_front["author"] == "Someone"
    assert "tags" not in book_front


def test_a_link_keeps_only_the_context_the_pages_stored_text_has_next_to_the_quote(ann, in_db, export_bytes):
    # stored context with the next block's first word glued on (as an older page text joined blocks)
    glued = {"exact": "The age of", "suffix": " cosmology.In the beginni"}
    in_db(lambda session: seed(session, ann.id, [
        {"path": "a", "snapshot": "The age of cosmology.\n\nIn the beginning there was light.", "highlights": [glued]},
        {"path": "b", "snapshot": "Nothing of it here.", "highlights": [glued]},
        {"path": "c", "highlights": [glued]},
    ]))
    for format_name in ("markdown", "obsidian"):
        exported = export_bytes(ann.id, format_name)
        text = _files(exported) if format_name == "obsidian" else {"": exported.decode()}
        links = sorted(link for body in text.values() for link in re.findall(r"\[Open on the page\]\(([^)]+)\)", body))
        assert links == ["https://example.com/0/a#:~:text=The%20age%20of",  # cut where the snapshot's line ends
                         "https://example.com/1/b#:~:text=The%20age%20of,-cosmology.In%20the",  # not in it: as stored
                         "https://example.com/2/c#:~:text=The%20age%20of,-cosmology.In%20the"]  # no snapshot: as stored
