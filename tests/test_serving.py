"""How bin/serve serves (deploy/gunicorn.conf.py): clients that stall do not stop others being served.

A client that sends its request headers and then nothing (the body it announced never comes, or the
headers never end) held a sync worker for as long as it liked: two of them stopped a 2-worker
``bin/serve``. With threaded workers each holds one thread at most, and a connection that has sent
nothing waits in the worker's poller.
"""

import socket
import urllib.request

from .live_server import GUNICORN_CONFIG, READY_PATH, LiveServer
from .paths import REPO

TIMEOUT = 10


def test_bin_serve_runs_gunicorn_with_the_shared_settings():
    serve = (REPO / "bin" / "serve").read_text()
    command = next(line for line in serve.splitlines() if line.startswith("exec "))
    assert "--config deploy/gunicorn.conf.py" in command
    assert GUNICORN_CONFIG == REPO / "deploy" / "gunicorn.conf.py"
    service = (REPO / "deploy" / "margins@.service").read_text()
    assert "-c /opt/margins/deploy/gunicorn.conf.py" in service


def stalled_clients(url: str, count: int) -> list[socket.socket]:
    """``count`` connections that send the headers of a request and then nothing: half announce a
    body they never send, half never end their headers."""
    host, port = url.removeprefix("http://").split(":")
    clients = []
    for n in range(count):
        client = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        if n % 2:
            client.sendall(b"POST /login HTTP/1.1\r\nHost: margins\r\nContent-Type: application/x-www-form-urlencoded"
                           b"\r\nContent-Length: 1000\r\n\r\nusername=")
        else:
            client.sendall(b"GET /login HTTP/1.1\r\nHost: margins\r\nUser-Agent: slow")
        clients.append(client)
    return clients


def test_clients_that_stall_after_their_headers_do_not_stop_another_being_served(app, database_url):
    # One worker process, as bin/serve's settings make each of them; the sync workers it had
    # were stopped by one stalled client each.
    with LiveServer(database_url, workers=None, threads=None, env={"MARGINS_WORKERS": "1"}) as server:
        stalled = stalled_clients(server.url, 4)
        try:
            for _ in range(3):  # again and again, while they stall
                with urllib.request.urlopen(server.url + READY_PATH, timeout=TIMEOUT) as answer:
                    assert answer.status == 200
        finally:
            for client in stalled:
                client.close()
