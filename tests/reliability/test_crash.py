"""Crash: Margins killed with SIGKILL mid-stream of writes keeps every write it acknowledged.

Writers PUT, PATCH and DELETE highlights and PUT page snapshots as fast as
the server answers. Once enough writes are acknowledged the server is
killed, master and workers, with requests in flight, then started again
on the same database: every acknowledged write must be there, intact and
once; a request cut off by the kill may have landed or not, but nothing in
between. That happens twice; then the cut-off requests are sent again, as
a client retries, and the data must be exactly what the writers wrote.
"""

import hashlib
import http.client
import random
import threading
import time
import uuid

from sqlalchemy import select, text

from server.models import COLORS, Highlight
from server.services import search
from tests.live_server import ApiConnection

WRITERS = 4
#: a round of writing ends with the kill after this many acknowledged writes, or seconds
KILL_AFTER_WRITES = 150
KILL_AFTER_SECONDS = 5
ROUNDS = 2
PAGES = [f"https://crash.example/articles/{n}" for n in range(3)]
#: the fields a client sets; a stored highlight must show exactly what was sent. (Tags are
#: sent in the order the API lists them, by name case-insensitively, to compare as lists.)
SENT_FIELDS = ("url", "quote", "position", "range", "color", "note", "tags")
ABSENT, DELETED = "absent", "deleted"
OK = {"PUT": (200, 201), "PATCH": (200,), "DELETE": (204,)}


def word(n: int) -> str:
    """A made-up word for a number, so each highlight and snapshot can be searched for alone."""
    return "quill" + "".join("abcdefghij"[int(digit)] for digit in str(n))


def state(item: dict | None):
    """What the client sees of a highlight: the fields it sent, DELETED, or ABSENT."""
    if item is None:
        return ABSENT
    return DELETED if item["deleted"] else {name: item[name] for name in SENT_FIELDS}


def snapshot_html(marker: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Notes on {marker}</title></head>
<body><nav>Home | About</nav><article><h1>Notes on {marker}</h1>
<p>The keeper wrote the word {marker} in the log every evening before he climbed the stairs
and lit the lamp, so that the ships far out on the dark water turned away from the rocks.</p>
<p>In the morning he trimmed the wick, polished the lens and slept until the light began to
fail again over the grey and restless sea, as every keeper before him had done.</p>
</article></body></html>"""


class Writer:
    """One client writing as fast as the server answers, keeping a ledger of the answers.

    ``acked``: per highlight, the server's last acknowledged answer (or
    DELETED). ``doubtful``: per highlight whose request the kill cut off,
    the states it may be in (before, or as asked) and the request, to send
    again later; the writer leaves such a highlight alone from then on.
    """

    def __init__(self, number: int):
        self.number = number
        self.random = random.Random(number)
        self.made = 0
        self.acked: dict[str, dict | str] = {}
        self.doubtful: dict[str, tuple[list, tuple]] = {}
        self.snapshots: dict[int, tuple[str, str]] = {}  # page id -> (marker word, sha256 of the html)
        self.writes = 0
        self.problems: list[str] = []
        self.cut_off = None

    def run(self, api: ApiConnection, killed: threading.Event) -> None:
        self.cut_off = None
        while self.cut_off is None:
            request, uuid_, after = self._next_request()
            try:
                status, answer = api.call(*request)
            except (OSError, http.client.HTTPException) as error:
                self.cut_off = error
                if not killed.is_set():
                    self.problems.append(f"{request[:2]} failed before the kill: {error!r}")
                if uuid_ is not None:
                    before = state(self.acked.pop(uuid_, None))
                    self.doubtful[uuid_] = ([before, after], request)
                continue
            if status not in OK[request[0]]:
                self.problems.append(f"{request[:2]} answered {status}: {answer}")
                return
            self.writes += 1
            if uuid_ is None:  # a snapshot
                self.snapshots[answer["id"]] = (request[2]["title"], hashlib.sha256(
                    request[2]["html"].encode()).hexdigest())
            elif request[0] == "DELETE":
                self.acked[uuid_] = DELETED
            elif state(answer) != after:
                self.problems.append(f"{request[:2]} acknowledged {state(answer)}, not {after}")
            else:
                self.acked[uuid_] = answer

    def _next_request(self) -> tuple[tuple, str | None, object]:
        """(method, path, body), the highlight's id (None for a snapshot), its state if it lands."""
        self.made += 1
        marker = word(self.number * 1_000_000 + self.made)
        live = [id_ for id_, answer in self.acked.items() if answer != DELETED]
        choice = self.random.random()
        if self.made % 10 == 0 and self.number < 2:
            body = {"url": f"https://crash.example/snapshots/{marker}", "title": marker,
                    "html": snapshot_html(marker)}
            return ("PUT", "/pages", body), None, None
        if not live or choice < 0.5:
            return self.put_request(str(uuid.uuid4()), marker)
        target = self.random.choice(live)
        if choice < 0.75:
            changes = {"color": self.random.choice(COLORS), "note": f"changed to {marker}",
                       "tags": [marker, f"w{self.number}"]}
            changes = {name: value for name, value in changes.items() if self.random.random() < 0.6} or changes
            return ("PATCH", f"/highlights/{target}", changes), target, {**state(self.acked[target]), **changes}
        if choice < 0.85:
            return self.put_request(target, marker)  # replace it whole
        return ("DELETE", f"/highlights/{target}", None), target, DELETED

    def put_request(self, id_: str, marker: str):
        body = {
            "url": self.random.choice(PAGES),
            "quote": {"exact": f"the keeper wrote {marker} in the log", "prefix": "Every evening ",
                      "suffix": " before he climbed"},
            "position": {"start": self.made, "end": self.made + 30},
            "range": None,
            "color": self.random.choice(COLORS),
            "note": f"**{marker}**, said the keeper" if self.made % 2 else "",
            "tags": ["crash", *(["crash-ünïcode"] if self.made % 3 == 0 else []), f"w{self.number}"],
        }
        if self.made % 4 == 0:
            body["range"] = {"startContainer": "/p[1]", "startOffset": 4, "endContainer": "/p[2]", "endOffset": 9}
        return ("PUT", f"/highlights/{id_}", body), id_, {name: body[name] for name in SENT_FIELDS}


def write_until_killed(server, token: str, writers: list[Writer]) -> None:
    """Run the writers at once; kill the server after KILL_AFTER_WRITES more acknowledged
    writes (or KILL_AFTER_SECONDS) while they write on. Each stops at its first failed request."""
    killed = threading.Event()
    connections = [ApiConnection(server.url, token) for _ in writers]
    threads = [threading.Thread(target=writer.run, args=(api, killed)) for writer, api in zip(writers, connections, strict=True)]
    first = sum(writer.writes for writer in writers)
    deadline = time.monotonic() + KILL_AFTER_SECONDS
    for thread in threads:
        thread.start()
    while time.monotonic() < deadline and sum(w.writes for w in writers) - first < KILL_AFTER_WRITES:
        time.sleep(0.01)
    killed.set()
    server.kill()
    for thread in threads:
        thread.join(60)
    for api in connections:
        api.close()
    assert not any(thread.is_alive() for thread in threads), "a writer hangs after the kill"
    problems = [problem for writer in writers for problem in writer.problems]
    assert not problems, "\n".join(problems) + "\n--- server log\n" + server.log_tail(60)
    assert all(writer.cut_off is not None for writer in writers), "a writer stopped before the kill"


def assert_server_kept_every_acknowledged_write(server, ann, writers: list[Writer], in_db) -> None:
    api = ApiConnection(server.url, ann.token)
    items, _ = api.feed(limit=250)

    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "a highlight is twice in the change feed"
    changed = [item["updated_at"] for item in items]
    assert changed == sorted(set(changed)), "the change feed is out of order"
    stored = {item["id"]: item for item in items}
    acked = {id_: answer for writer in writers for id_, answer in writer.acked.items()}
    doubtful = {id_: states for writer in writers for id_, (states, _) in writer.doubtful.items()}
    assert set(stored) <= set(acked) | set(doubtful), "highlights nobody wrote"

    for id_, answer in acked.items():
        if answer == DELETED:
            assert stored[id_]["deleted"], f"acknowledged deletion of {id_} undone"
            assert api.call("GET", f"/highlights/{id_}")[0] == 404
        else:
            assert stored.get(id_) == answer, f"acknowledged highlight {id_} lost or changed"
    for id_, states in doubtful.items():
        assert state(stored.get(id_)) in states, f"cut-off write on {id_} half done"
    for writer in writers:
        for page_id, (marker, sha256) in writer.snapshots.items():
            status, snapshot = api.call("GET", f"/pages/{page_id}/snapshot")
            assert status == 200 and snapshot["sha256"] == sha256, f"acknowledged snapshot of page {page_id} lost"
            assert marker in snapshot["text"]

    live = {id_: item for id_, item in stored.items() if not item["deleted"]}
    pages = {(item["url"], item["page_id"]) for item in live.values()}
    assert len(pages) == len({url for url, _ in pages}), "one URL, two pages"
    assert in_db(lambda session: database_problems(session, ann.id, live)) == []
    api.close()


def database_problems(session, user_id: int, live: dict[str, dict]) -> list[str]:
    """What is inconsistent in the database after the crash: nothing, on a good day."""
    connection, problems = session.connection(), []
    if connection.dialect.name == "sqlite":
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        if integrity != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {integrity}")
        connection.exec_driver_sql("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    rows, ids, numbers, top = connection.execute(text(
        "SELECT count(*), count(DISTINCT uuid), count(DISTINCT seq), max(seq) FROM highlights WHERE user_id = :u"),
        {"u": user_id}).one()
    change_seq = connection.execute(text("SELECT change_seq FROM users WHERE id = :u"), {"u": user_id}).scalar()
    if not rows == ids == numbers or (top or 0) > change_seq:
        problems.append(f"{rows} highlight rows, {ids} ids, {numbers} change numbers up to {top}, "
                        f"the user's at {change_seq}")
    # The search index holds each live highlight's words, and nothing of deleted ones.
    highlights = {h.id: (h.exact, h.note) for h in session.scalars(
        select(Highlight).where(Highlight.user_id == user_id, Highlight.deleted_at.is_(None)))}
    indexed = {row.highlight_id: (row.body, row.note) for row in connection.execute(text(
        "SELECT highlight_id, body, note FROM search_index WHERE user_id = :u AND highlight_id IS NOT NULL"),
        {"u": user_id})}
    if indexed != highlights:
        problems.append("the search index does not match the live highlights")
    for id_ in sorted(live)[:5]:
        marker = live[id_]["quote"]["exact"].split()[3]  # "the keeper wrote <marker> in the log"
        if id_ not in {hit.highlight.uuid for hit in search.hits(session, user_id, marker) if hit.highlight}:
            problems.append(f"search does not find highlight {id_}")
    return problems


def test_every_acknowledged_write_survives_sigkill_of_the_server(live_server, ann, in_db):
    writers = [Writer(number) for number in range(WRITERS)]
    for _ in range(ROUNDS):
        write_until_killed(live_server, ann.token, writers)
        live_server.start()
        assert_server_kept_every_acknowledged_write(live_server, ann, writers, in_db)
    assert all(writer.acked for writer in writers)

    # Retried as a client does, the cut-off requests land (once), and the server serves on.
    api = ApiConnection(live_server.url, ann.token)
    for writer in writers:
        for id_, (_, request) in writer.doubtful.items():
            status, answer = api.call(*request)
            assert status in OK[request[0]], answer
            writer.acked[id_] = DELETED if request[0] == "DELETE" else answer
        writer.doubtful.clear()
    fresh = str(uuid.uuid4())
    request, _, _ = writers[0].put_request(fresh, word(0))
    status, answer = api.call(*request)
    assert status == 201, answer
    writers[0].acked[fresh] = answer
    assert_server_kept_every_acknowledged_write(live_server, ann, writers, in_db)
    items, _ = api.feed(limit=1000)
    assert {item["id"] for item in items} == {id_ for writer in writers for id_ in writer.acked}
