"""The search index's facet words (color, site, tags) stay as a rebuild would make them, whatever the
write: a filter matched by the index must never miss a highlight that carries what it names."""

import uuid

from sqlalchemy import text

from server.services import search


def put(person, exact, *, url, color="yellow", tags=()):
    answer = person.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": url, "title": "A page", "quote": {"exact": exact, "prefix": "", "suffix": ""},
        "color": color, "note": "", "tags": list(tags)})
    assert answer.status_code == 201, answer.json
    return answer.json


def facets(in_db, rebuilt=False):
    def read(session):
        connection = session.connection()
        if rebuilt:
            search.reindex(connection)
        key = "rowid" if connection.dialect.name == "sqlite" else "id"
        return dict(connection.execute(text(f"SELECT {key}, facets FROM search_index ORDER BY {key}")).all())
    return in_db(read)


def tag_id(person, name):
    return next(tag["id"] for tag in person.api.get("/tags").json["items"] if tag["name"] == name)


def test_every_kind_of_write_leaves_the_facets_a_rebuild_would_make(ann, in_db):
    first = put(ann, "tides follow the moon", url="https://blog.example.com/a", tags=["sea"])
    second = put(ann, "storms at sea", url="https://example.org/b", color="blue")
    assert ann.api.patch(f"/highlights/{first['id']}", {"color": "green", "tags": ["sea", "moon"]}).status_code == 200
    assert ann.api.patch(f"/highlights/{second['id']}", {"tags": ["weather"]}).status_code == 200
    page = second["page_id"]
    assert ann.api.patch(f"/pages/{page}", {"tags": ["coast"]}).status_code == 200
    assert ann.api.patch(f"/tags/{tag_id(ann, 'weather')}", {"name": "sea"}).status_code == 200  # a merge
    assert ann.api.patch(f"/tags/{tag_id(ann, 'coast')}", {"name": "moon"}).status_code == 200  # a page tag's
    assert facets(in_db) == facets(in_db, rebuilt=True)


def test_a_merged_tag_filters_the_highlights_it_was_merged_from(ann, in_db):
    put(ann, "calm waters today", url="https://example.org/c", tags=["sea"])
    stormy = put(ann, "storms at sea", url="https://example.org/b", tags=["weather"])
    assert ann.api.patch(f"/tags/{tag_id(ann, 'weather')}", {"name": "sea"}).json["merged"] is True
    assert in_db(lambda s: {hit.highlight.uuid for hit in search.hits(s, ann.id, "storms", tag="sea")}) == {
        stormy["id"]}


def test_a_highlights_facet_words_name_its_color_site_and_tags(ann, in_db):
    made = put(ann, "tides follow the moon", url="https://blog.example.com/a", color="blue", tags=["sea"])
    key = in_db(lambda s: s.scalar(text("SELECT id FROM highlights WHERE uuid = :u"), {"u": made["id"]}))
    words = facets(in_db)[search.row_key(ann.id, key)].lower().split()  # SQLite: hex in capitals
    assert sorted(words) == sorted(["c" + "blue".encode().hex(), "s" + "blog.example.com".encode().hex(),
                                    f"t{tag_id(ann, 'sea')}"])
