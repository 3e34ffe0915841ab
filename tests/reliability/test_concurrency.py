"""Concurrency: 8 writers and 8 readers at once for 20 s on one user's pages, through gunicorn.

Writers make highlights, edit and delete their own, and PATCH a few shared
highlights all at once, each PATCH setting some of color, note and tags.
Readers list and open the pages, follow the change feed, list tags and
search; one of them keeps a copy in sync from its ``sync_cursor`` all along.

The API shows no change numbers, but ``updated_at`` is taken under the
same per-user lock that hands them out (services/changes.py), so it
follows them: the feed must be strictly increasing in ``updated_at``, and
the last PATCH the server made of a highlight is the acknowledged one with
the latest ``updated_at``.
"""

import http.client
import random
import threading
import time
import uuid

from server.models import COLORS
from tests.live_server import ApiConnection

DURATION = 20  # seconds, as the issue asks
WRITERS = READERS = 8
SHARED = 3
PAGES = [f"https://concurrency.example/articles/{n}" for n in range(4)]
#: in the quotes and tags; all sort before "shared-page" and "w<n>" (tags are sent in the
#: order the API lists them, to compare as lists)
WORDS = ["lighthouse", "keeper", "lamp", "harbour"]
OK = {"GET": (200,), "PUT": (200, 201), "PATCH": (200,), "DELETE": (204,)}
DELETED = "deleted"


class Client:
    """One thread's keep-alive connection; every failure or unexpected status goes to ``problems``."""

    def __init__(self, server, token: str, problems: list[str]):
        self.api = ApiConnection(server.url, token)
        self.problems = problems

    def call(self, method: str, path: str, body=None, **params):
        """The answer, or None after a failure (recorded)."""
        try:
            status, answer = self.api.call(method, path, body, **params)
        except (OSError, http.client.HTTPException) as error:
            self.problems.append(f"{method} {path}: {error!r}")
            return None
        if status not in OK[method]:
            self.problems.append(f"{method} {path} {params}: {status} {answer}")
            return None
        return answer or {}

    def feed(self, cursor: str | None = None) -> tuple[list[dict], str] | None:
        """The feed from ``cursor`` to its end and the sync cursor, checked for order
        (None after a failure, recorded)."""
        try:
            items, sync_cursor = self.api.feed(cursor, limit=200)
        except (AssertionError, OSError, http.client.HTTPException) as error:
            self.problems.append(f"the feed from {cursor}: {error!r}")
            return None
        changed = [item["updated_at"] for item in items]
        if changed != sorted(set(changed)):
            self.problems.append(f"feed out of order: {changed}")
        return items, sync_cursor


class Writer:
    """Writes until the deadline; keeps its own highlights' last acknowledged answers and its
    acknowledged PATCHes of the shared ones."""

    def __init__(self, number: int, client: Client, shared: list[str]):
        self.number, self.client, self.shared = number, client, shared
        self.random = random.Random(number)
        self.own: dict[str, dict | str] = {}  # id -> last acknowledged answer, or DELETED
        self.patches: list[tuple[str, dict, dict]] = []  # (shared id, changes, answer)

    def run(self, until: float) -> None:
        count = 0
        while time.monotonic() < until:
            count += 1
            choice = self.random.random()
            live = [id_ for id_, answer in self.own.items() if answer != DELETED]
            changes = {"color": self.random.choice(COLORS), "note": f"writer {self.number}, change {count}",
                       "tags": [self.random.choice(WORDS), f"w{self.number}"]}
            changes = {name: value for name, value in changes.items() if self.random.random() < 0.6} or changes
            if choice < 0.35:
                target = self.random.choice(self.shared)
                answer = self.client.call("PATCH", f"/highlights/{target}", changes)
                if answer is not None:
                    self.patches.append((target, changes, answer))
                continue
            if choice < 0.5 and live:
                target, method, body = self.random.choice(live), "PATCH", changes
            elif choice < 0.6 and live:
                target, method, body = self.random.choice(live), "DELETE", None
            else:  # a new highlight, or one of its own replaced (a deleted one comes back)
                target = str(uuid.uuid4()) if choice < 0.9 or not self.own else self.random.choice(list(self.own))
                method, body = "PUT", highlight_body(self.random, f"writer {self.number}, put {count}")
            answer = self.client.call(method, f"/highlights/{target}", body)
            if answer is not None:
                self.own[target] = DELETED if method == "DELETE" else answer


def highlight_body(rng: random.Random, note: str) -> dict:
    word = rng.choice(WORDS)
    return {"url": rng.choice(PAGES), "quote": {"exact": f"the {word} at dusk", "prefix": "We saw ", "suffix": "."},
            "position": {"start": 10, "end": 27}, "color": rng.choice(COLORS), "note": note,
            "tags": [word, "shared-page"]}


def read(client: Client, page_ids: list[int], until: float, rng: random.Random) -> None:
    """A reader: pages, a page, the feed from the start, tags, search, in random turns."""
    while time.monotonic() < until:
        choice = rng.random()
        if choice < 0.2:  # all pages, two at a time
            cursor = ""
            while cursor is not None:
                answer = client.call("GET", "/pages", limit=2, **({"cursor": cursor} if cursor else {}))
                cursor = answer and answer["next_cursor"]
        elif choice < 0.4:
            client.call("GET", f"/pages/{rng.choice(page_ids)}")
        elif choice < 0.6:
            client.feed()
        elif choice < 0.75:
            client.call("GET", "/tags")
        elif choice < 0.9:
            client.call("GET", "/highlights", q=rng.choice(WORDS), limit=50)
        else:
            client.call("GET", "/pages", q="concurrency")


class Syncer:
    """A client keeping a copy of the highlights from its sync_cursor, polling all along."""

    def __init__(self, client: Client):
        self.client = client
        self.copy: dict[str, dict] = {}
        self.cursor: str | None = None

    def sync(self) -> None:
        answer = self.client.feed(self.cursor)
        if answer is None:
            return
        items, self.cursor = answer
        for item in items:
            if item["deleted"]:
                self.copy.pop(item["id"], None)
            else:
                self.copy[item["id"]] = item

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            self.sync()
            time.sleep(0.05)


def expected_shared(first: dict, patches: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """A shared highlight's fields after its acknowledged PATCHes in the server's order, and
    the answer of the last one."""
    fields = {name: first[name] for name in ("color", "note", "tags")}
    ordered = sorted(patches, key=lambda patch: patch[1]["updated_at"])
    for changes, _ in ordered:
        fields.update(changes)
    return fields, ordered[-1][1] if ordered else first


def test_writers_and_readers_at_once_lose_nothing_and_keep_the_feed_complete(live_server, ann):
    problems: list[str] = []
    client = Client(live_server, ann.token, problems)
    rng = random.Random(0)
    firsts = {}
    for n in range(SHARED):
        id_ = str(uuid.uuid4())
        firsts[id_] = client.call("PUT", f"/highlights/{id_}", highlight_body(rng, f"shared {n}"))
    for url in PAGES:
        client.call("PUT", "/pages", {"url": url, "title": "Concurrency"})
    page_ids = [page["id"] for page in client.call("GET", "/pages")["items"]]
    assert not problems and len(page_ids) == len(PAGES), problems

    until = time.monotonic() + DURATION
    writers = [Writer(n, Client(live_server, ann.token, problems), list(firsts)) for n in range(WRITERS)]
    syncer = Syncer(Client(live_server, ann.token, problems))
    threads = [threading.Thread(target=writer.run, args=(until,)) for writer in writers]
    threads.append(threading.Thread(target=syncer.run, args=(until,)))
    threads += [threading.Thread(target=read, args=(Client(live_server, ann.token, problems), page_ids, until,
                                                     random.Random(n))) for n in range(READERS - 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION + 60)
    assert not any(thread.is_alive() for thread in threads), "a client hangs"
    assert not problems, "\n".join(problems[:20]) + "\n--- server log\n" + live_server.log_tail(60)
    patches = [patch for writer in writers for patch in writer.patches]
    assert len(patches) > SHARED and all(writer.own for writer in writers), "too little was written to test"

    # The feed from the start: each highlight once, at its latest version, in order.
    items, _ = client.feed()
    feed = {item["id"]: item for item in items}
    assert len(feed) == len(items), "a highlight is twice in the feed"
    own = {id_: answer for writer in writers for id_, answer in writer.own.items()}
    assert set(feed) == set(own) | set(firsts)
    for id_, answer in own.items():
        assert feed[id_]["deleted"] if answer == DELETED else feed[id_] == answer, f"lost update of {id_}"
    live = {id_: item for id_, item in feed.items() if not item["deleted"]}
    for id_ in firsts:
        assert client.call("GET", f"/highlights/{id_}") == feed[id_]
    for page_id in page_ids:
        shown = client.call("GET", f"/pages/{page_id}")
        assert {h["id"]: h for h in shown["highlights"]} == {
            id_: item for id_, item in live.items() if item["page_id"] == page_id}
        assert shown["highlight_count"] == len(shown["highlights"])

    # The copy synced from cursors all along, brought up to date, equals a full read.
    syncer.sync()
    assert not problems, "\n".join(problems)
    assert syncer.copy == live

    # Each PATCH of a shared highlight was answered with its own result, and none was lost.
    mixed_up = [(changes, answer) for _, changes, answer in patches
                if {name: answer[name] for name in changes} != changes]
    assert not mixed_up, f"{len(mixed_up)} of {len(patches)} PATCH answers show another write's result"
    for id_, first in firsts.items():
        mine = [(changes, answer) for target, changes, answer in patches if target == id_]
        stamps = [answer["updated_at"] for _, answer in mine]
        assert len(set(stamps)) == len(stamps), "two PATCHes of one highlight made one change"
        fields, last = expected_shared(first, mine)
        assert feed[id_] == last, f"the last acknowledged PATCH of {id_} is not what the feed shows"
        assert {name: feed[id_][name] for name in fields} == fields, f"a PATCH of {id_} was lost"
