"""Request bodies (server/request_body.py): gzip and chunked bodies read whole, and no further, on
every WSGI server; the work spent on them before authentication linear in their size.

- A gzip body of many members is refused after ``MAX_GZIP_MEMBERS``, having made no more inflaters
  than that; the bytes fed to the inflaters stay within the body's size (plus one read per member),
  where walking the members by re-slicing the rest of the body fed it quadratically.
- Under Werkzeug's development server (``flask --app server run``) and under gunicorn, real
  processes on free loopback ports, a gzip body (with a Content-Length, or chunked) is answered at
  once on a keep-alive connection: the reader never asks the socket for bytes the client did not send.
"""

import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import zlib

import pytest

from server.request_body import MAX_GZIP_MEMBERS, gunzip

from .live_server import LiveServer, margins_environment
from .paths import REPO

PAGE_URL = "https://example.com/gzip-article"
TIMEOUT = 10


class InflaterLog:
    """Stands in for ``zlib.decompressobj``: counts the inflaters made and the bytes fed to them."""

    def __init__(self):
        self.inflaters = 0
        self.bytes_fed = 0
        self._real = zlib.decompressobj

    def __call__(self, *args, **kwargs):
        self.inflaters += 1
        return _CountingInflater(self._real(*args, **kwargs), self)


class _CountingInflater:
    def __init__(self, real, log: InflaterLog):
        self._real, self._log = real, log

    def decompress(self, data, max_length=0):
        self._log.bytes_fed += len(data)
        return self._real.decompress(data, max_length)

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def inflater_log(monkeypatch) -> InflaterLog:
    log = InflaterLog()
    monkeypatch.setattr(zlib, "decompressobj", log)
    return log


def page_body(text: str = "Margins keeps what you highlight. ") -> bytes:
    return json.dumps({"url": f"{PAGE_URL}/{len(text)}", "html": f"<article><p>{text}</p></article>"}).encode()


# --- many members ---------------------------------------------------------------------------------

def test_a_body_of_100000_empty_gzip_members_is_refused_before_authentication(client, inflater_log):
    body = gzip.compress(b"") * 100_000  # 2 MB: the shape that cost a worker 12.5 s
    answer = client.post("/login", data=body, headers={"Content-Encoding": "gzip"},
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert f"more than {MAX_GZIP_MEMBERS} members" in answer.text
    assert inflater_log.inflaters == MAX_GZIP_MEMBERS  # the 17th member is refused unread


def test_the_api_names_the_too_many_members_error(ann, inflater_log):
    body = gzip.compress(page_body()) + gzip.compress(b"") * MAX_GZIP_MEMBERS
    answer = ann.api.client.put("/api/v1/pages", data=body, content_type="application/json",
                                headers={**ann.api.headers, "Content-Encoding": "gzip"})
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "too_many_gzip_members"
    assert "compress it as one stream" in answer.json["error"]["message"]


def test_members_up_to_the_cap_are_read_whole_feeding_each_byte_about_once(inflater_log):
    # 16 incompressible members of 256 KiB: re-slicing the rest after each one feeds the body 8.5 times.
    members = [os.urandom(256 * 1024) for _ in range(MAX_GZIP_MEMBERS)]
    body = b"".join(gzip.compress(member, compresslevel=1) for member in members)

    assert gunzip(body, 16 << 20) == b"".join(members)
    assert inflater_log.inflaters == MAX_GZIP_MEMBERS
    assert inflater_log.bytes_fed <= 1.5 * len(body)


def test_a_page_sent_in_as_many_members_as_allowed_is_kept_whole(ann):
    paragraphs = [f"Paragraph {n} of the article, sent as a gzip member of its own." for n in range(20)]
    encoded = page_body("</p><p>".join(paragraphs))
    cuts = [len(encoded) * n // MAX_GZIP_MEMBERS for n in range(MAX_GZIP_MEMBERS + 1)]
    body = b"".join(gzip.compress(encoded[start:end]) for start, end in zip(cuts, cuts[1:], strict=False))

    answer = ann.api.client.put("/api/v1/pages", data=body, content_type="application/json",
                                headers={**ann.api.headers, "Content-Encoding": "gzip"})
    assert answer.status_code == 201, answer.json
    text = ann.api.get(f"/pages/{answer.json['id']}/snapshot").json["text"]
    assert all(paragraph in text for paragraph in paragraphs)


# --- real servers -------------------------------------------------------------------------------

class DevServer:
    """``flask --app server run`` (Werkzeug's development server) on a free 127.0.0.1 port.

    The listening socket is made here and handed over as the Werkzeug reloader does
    (``WERKZEUG_SERVER_FD``), so no other process can take the port in between.
    """

    def __init__(self, database_url: str, instance_path):
        self.database_url, self.instance_path = database_url, instance_path

    def __enter__(self) -> "DevServer":
        listener = socket.create_server(("127.0.0.1", 0))
        listener.set_inheritable(True)
        self.port = listener.getsockname()[1]
        env = margins_environment(self.database_url, self.instance_path, {
            "WERKZEUG_RUN_MAIN": "true", "WERKZEUG_SERVER_FD": str(listener.fileno())})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "server", "run", "--no-reload"],
            cwd=REPO, env=env, pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        listener.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = self.request("GET", "/api/v1/openapi.json")
                if answer[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"flask run did not answer: {self.process.stderr.read().decode()}")
            time.sleep(0.1)

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process.stderr.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, **kwargs):
        return send(self.url, method, path, **kwargs)


def send(url: str, method: str, path: str, body=None, headers=None, chunked=False) -> tuple[int, bytes]:
    """One request on a keep-alive connection; the answer's status and body. Times out (OSError)
    after TIMEOUT seconds, as a client would."""
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=TIMEOUT)
    try:
        if chunked:
            connection.request(method, path, body=iter([body[:100], body[100:]]), headers=headers or {},
                               encode_chunked=True)
        else:
            connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.fixture
def served_by(request, app, database_url, tmp_path):
    """Margins under the WSGI server the test's parameter names, on the test database."""
    server = (DevServer(database_url, tmp_path) if request.param == "flask run"
              else LiveServer(database_url, instance_path=tmp_path, workers=1))
    with server:
        yield server


@pytest.mark.parametrize("served_by", ["flask run", "gunicorn"], indirect=True)
def test_a_gzip_body_is_answered_at_once_on_every_wsgi_server(served_by, ann):
    headers = {"Authorization": f"Bearer {ann.token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip"}
    for framing, chunked in (("Content-Length", False), ("chunked", True)):
        text = f"Sent with {framing}, kept whole."
        status, answer = send(served_by.url, "PUT", "/api/v1/pages", body=gzip.compress(page_body(text)),
                              headers=headers, chunked=chunked)
        assert status == 201, answer
        page_id = json.loads(answer)["id"]

        status, answer = send(served_by.url, "GET", f"/api/v1/pages/{page_id}/snapshot",
                              headers={"Authorization": f"Bearer {ann.token}"})
        assert status == 200 and text in json.loads(answer)["text"]
