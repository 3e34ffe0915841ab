"""Writers at once: first PUTs racing for the same new page, tags and highlight id."""

import threading
import uuid

from tests.api_client import ApiClient

WRITERS = 8


def race(app, token, calls):
    """Run each call (ApiClient -> response) in its own thread, released together."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        api = ApiClient(app.test_client(), token)
        barrier.wait()
        answers[index] = call(api)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def body(**changes):
    return {"url": "https://race.example/new-page", "quote": {"exact": "same words"},
            "tags": ["Fresh", "also-new"], **changes}


def test_first_highlights_of_a_new_page_at_once_make_one_page_and_one_set_of_tags(app, ann):
    ids = [str(uuid.uuid4()) for _ in range(WRITERS)]
    answers = race(app, ann.token, [lambda api, i=i: api.put(f"/highlights/{i}", body()) for i in ids])
    assert [answer.status_code for answer in answers] == [201] * WRITERS
    assert len({answer.json["page_id"] for answer in answers}) == 1
    assert [(tag["name"], tag["highlight_count"]) for tag in ann.api.get("/tags").json["items"]] == [
        ("also-new", WRITERS), ("Fresh", WRITERS)]
    assert sorted(item["id"] for item in ann.api.feed()) == sorted(ids)


def test_the_same_highlight_put_at_once_is_made_once(app, ann):
    highlight_id = str(uuid.uuid4())
    answers = race(app, ann.token, [lambda api: api.put(f"/highlights/{highlight_id}", body())] * WRITERS)
    assert sorted(answer.status_code for answer in answers) == [200] * (WRITERS - 1) + [201]
    assert [item["id"] for item in ann.api.feed()] == [highlight_id]


def test_concurrent_patches_each_get_their_own_change_number(app, ann):
    highlight_id = str(uuid.uuid4())
    ann.api.put(f"/highlights/{highlight_id}", body())
    notes = [f"note {n}" for n in range(WRITERS)]
    answers = race(app, ann.token, [lambda api, n=n: api.patch(f"/highlights/{highlight_id}", {"note": n})
                                    for n in notes])
    assert [answer.status_code for answer in answers] == [200] * WRITERS
    final = ann.api.get(f"/highlights/{highlight_id}").json
    latest = max(answers, key=lambda answer: answer.json["updated_at"])
    assert final["note"] == latest.json["note"]
