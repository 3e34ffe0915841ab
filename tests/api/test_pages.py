"""Pages: upsert by URL with an optional snapshot, list, read, rename, tag, delete."""

import uuid

ARTICLE = """<!doctype html><html lang="en"><head>
<title>Why tides turn | The Sea Gazette</title>
<link rel="canonical" href="https://sea.example/tides">
<meta property="og:site_name" content="The Sea Gazette">
<meta name="author" content="Mara Quill">
</head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<article><h1>Why tides turn</h1>
<p>The moon pulls the oceans toward it, and the earth turns beneath that bulge of water.</p>
<p>Twice a day the shore sees high water, because a second bulge forms on the far side.</p>
<p>Coastlines, the shape of the sea floor and the sun's pull make each harbour's tide its own.</p>
</article></body></html>"""


def put_page(person, url="https://sea.example/tides?utm_campaign=spring", **fields):
    return person.api.put("/pages", {"url": url, **fields})


def test_put_makes_a_page_then_knows_it(ann):
    made = put_page(ann, title="Tides")
    assert made.status_code == 201
    assert made.json["url_key"] == "https://sea.example/tides"
    assert made.json["domain"] == "sea.example"
    again = put_page(ann, url="https://sea.example/tides#top")
    assert again.status_code == 200
    assert again.json["id"] == made.json["id"]


def test_put_with_html_keeps_a_clean_snapshot_and_metadata(ann):
    page = put_page(ann, html=ARTICLE).json
    assert page["title"] == "Why tides turn"
    assert page["author"] == "Mara Quill"
    assert page["site_name"] == "The Sea Gazette"
    assert page["canonical_url"] == "https://sea.example/tides"
    assert page["word_count"] > 30
    snapshot = ann.api.get(f"/pages/{page['id']}/snapshot").json
    assert "the earth turns beneath that bulge of water" in snapshot["text"]
    assert "About us" not in snapshot["text"]
    assert "<p>" in snapshot["content_html"]
    assert len(snapshot["sha256"]) == 64


def test_the_same_html_twice_is_stored_once(ann, in_db):
    from server.models import Snapshot

    put_page(ann, html=ARTICLE)
    put_page(ann, html=ARTICLE)
    assert in_db(lambda session: session.query(Snapshot).count()) == 1
    put_page(ann, html=ARTICLE.replace("Twice a day", "Two times a day"))
    assert in_db(lambda session: session.query(Snapshot).count()) == 2
    page_id = ann.api.get("/pages").json["items"][0]["id"]
    assert "Two times a day" in ann.api.get(f"/pages/{page_id}/snapshot").json["text"]


def test_the_raw_html_is_kept_compressed(ann, in_db):
    import zlib

    from server.models import Snapshot

    put_page(ann, html=ARTICLE)
    raw, size = in_db(lambda session: session.query(Snapshot.raw_html, Snapshot.raw_size).one())
    assert zlib.decompress(raw).decode() == ARTICLE
    assert size == len(ARTICLE.encode())


def test_the_canonical_link_joins_urls_of_one_article(ann):
    highlighted = ann.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": "https://m.sea.example/story/123?ref=app", "quote": {"exact": "The moon pulls"},
    }).json
    snapshot_page = put_page(ann, url="https://m.sea.example/story/123?ref=app", html=ARTICLE).json
    assert snapshot_page["id"] == highlighted["page_id"]
    via_canonical = put_page(ann, url="https://sea.example/tides")
    assert via_canonical.status_code == 200
    assert via_canonical.json["id"] == highlighted["page_id"]
    assert len(ann.api.get("/pages").json["items"]) == 1


def test_get_lists_highlights_in_reading_order(ann):
    page = put_page(ann).json
    for start, exact in ((300, "third"), (10, "first"), (None, "unplaced"), (120, "second")):
        ann.api.put(f"/highlights/{uuid.uuid4()}", {
            "url": page["url"], "quote": {"exact": exact},
            "position": {"start": start, "end": start + len(exact)} if start is not None else None,
        })
    detail = ann.api.get(f"/pages/{page['id']}").json
    assert [item["quote"]["exact"] for item in detail["highlights"]] == ["first", "second", "third", "unplaced"]
    assert detail["highlight_count"] == 4


def test_list_is_newest_activity_first_with_cursor_pages(ann):
    ids = [put_page(ann, url=f"https://sea.example/story/{n}").json["id"] for n in range(5)]
    ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": "https://sea.example/story/1", "quote": {"exact": "x"}})
    first = ann.api.get("/pages", limit=2).json
    second = ann.api.get("/pages", limit=2, cursor=first["next_cursor"]).json
    third = ann.api.get("/pages", limit=2, cursor=second["next_cursor"]).json
    order = [page["id"] for answer in (first, second, third) for page in answer["items"]]
    assert order == [ids[1], ids[4], ids[3], ids[2], ids[0]]
    assert third["next_cursor"] is None


def test_list_filters_by_tag_text_and_domain(ann):
    put_page(ann, url="https://sea.example/tides", title="Why tides turn", tags=["Ocean"])
    put_page(ann, url="https://www.river.example/floods", title="Floods")
    ann.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": "https://lake.example/ice", "quote": {"exact": "ice"}, "tags": ["ocean"],
    })

    def titles(**params):
        return sorted(page["title"] or page["url"] for page in ann.api.get("/pages", **params).json["items"])

    assert titles(tag="OCEAN") == ["Why tides turn", "https://lake.example/ice"]
    assert titles(q="TIDES") == ["Why tides turn"]
    assert titles(q="100%") == []
    assert titles(domain="river.example") == ["Floods"]
    assert titles(domain="www.river.example") == ["Floods"]


def test_list_filters_by_the_color_of_live_highlights(ann, bob):
    for url, color in [("https://sea.example/a", "green"), ("https://sea.example/b", "pink")]:
        ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": url, "quote": {"exact": "tide"}, "color": color})
    buried = uuid.uuid4()
    ann.api.put(f"/highlights/{buried}", {"url": "https://sea.example/c", "quote": {"exact": "ebb"}, "color": "green"})
    ann.api.delete(f"/highlights/{buried}")
    bob.api.put(f"/highlights/{uuid.uuid4()}", {"url": "https://sea.example/d", "quote": {"exact": "x"}, "color": "green"})

    assert [page["url"] for page in ann.api.get("/pages", color="green").json["items"]] == ["https://sea.example/a"]
    assert ann.api.get("/pages", color="plaid").status_code == 422


def test_patch_renames_and_tags_and_a_new_snapshot_keeps_the_name(ann):
    page = put_page(ann, html=ARTICLE).json
    answer = ann.api.patch(f"/pages/{page['id']}", {"title": "My tides notes", "tags": ["sea", "Moon"]})
    assert answer.status_code == 200
    assert answer.json["title"] == "My tides notes"
    assert answer.json["tags"] == ["Moon", "sea"]
    put_page(ann, html=ARTICLE.replace("Twice", "Two times"))
    assert ann.api.get(f"/pages/{page['id']}").json["title"] == "My tides notes"


def test_delete_removes_the_page_and_buries_its_highlights(ann):
    page = put_page(ann, html=ARTICLE).json
    highlight_id = str(uuid.uuid4())
    ann.api.put(f"/highlights/{highlight_id}", {"url": page["url"], "quote": {"exact": "moon"}})
    assert ann.api.delete(f"/pages/{page['id']}").status_code == 204
    assert ann.api.get(f"/pages/{page['id']}").status_code == 404
    assert ann.api.get(f"/pages/{page['id']}/snapshot").status_code == 404
    assert ann.api.get("/pages").json["items"] == []
    (tombstone,) = ann.api.feed()
    assert tombstone["id"] == highlight_id and tombstone["deleted"] is True


def test_unknown_page_and_missing_snapshot_are_404_with_advice(ann):
    assert ann.api.get("/pages/999999").status_code == 404
    page = put_page(ann).json
    answer = ann.api.get(f"/pages/{page['id']}/snapshot")
    assert answer.status_code == 404
    assert "PUT /api/v1/pages" in answer.json["error"]["message"]
