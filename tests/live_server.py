"""Run the real Margins server, and its CLI, for tests that talk to it over HTTP.

``LiveServer`` starts Margins under gunicorn (the production server, with
the settings of deploy/gunicorn.conf.py) on a free 127.0.0.1 port, with an
instance folder of its own and the database URL it is given, waits until it
answers, and stops it cleanly::

    from tests.live_server import LiveServer, run_cli

    with LiveServer(database_url) as server:
        server.cli(["users", "create", "ann", "--password", "a long passphrase"], check=True)
        token = server.cli(["tokens", "create", "ann"], check=True).stdout.splitlines()[-1]
        urllib.request.urlopen(server.url + "/api/v1/openapi.json")

Tests share the database with the server: the fixtures of tests/conftest.py
empty its tables after each test, and the server sees that at once (it
keeps no state of its own outside the database). ``server.cli`` (or
``run_cli``) runs ``flask --app server ...`` in a subprocess with the
server's environment, the way a person or a deployment script would.

The listening socket is made here and handed to gunicorn (``fd://``), so
there is no window in which another process could take the port. The
server's output goes to ``server.log_path``; ``server.log_tail()`` shows
its end, for failure messages.

``server.kill()`` kills gunicorn at once, master and workers (SIGKILL), as a
crash would; ``server.start()`` then starts it again on the same port,
instance folder and database. ``ApiConnection`` is one keep-alive HTTP
connection to the API, for tests that play several clients at once.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .paths import REPO

#: gunicorn's settings, shared with bin/serve and deploy/; the tests override only worker
#: counts (small, for a 2-core machine running tests in parallel) and timeouts (short, so a
#: stuck server fails a test quickly).
GUNICORN_CONFIG = REPO / "deploy" / "gunicorn.conf.py"

#: Answers without a token once the app is up: the readiness probe.
READY_PATH = "/api/v1/openapi.json"


def gunicorn_command() -> list[str]:
    """gunicorn from the same environment as the running Python (the venv's ``bin/``)."""
    # Not resolved: .venv/bin/python is a symlink to the base interpreter, and
    # gunicorn lives beside the link, not beside its target.
    script = Path(sys.executable).parent / "gunicorn"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "gunicorn"]


def margins_environment(database_url: str, instance_path: str | os.PathLike, extra: dict | None = None) -> dict:
    """The environment for a Margins process: this one's, with the MARGINS_* settings replaced.

    Any MARGINS_* variable of the calling environment is dropped, so the
    process uses exactly this database and instance folder.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("MARGINS_")}
    env.update({
        "MARGINS_DATABASE_URL": database_url,
        "MARGINS_INSTANCE_PATH": str(instance_path),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def run_cli(args: list[str], *, database_url: str, instance_path: str | os.PathLike | None = None,
            env: dict | None = None, input: str | None = None, timeout: float = 60,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m flask --app server ARGS`` on the database; returns the finished process.

    ``input`` is what a person would type at its prompts. Output is text in
    ``.stdout`` and ``.stderr``. With ``check=True`` a
    non-zero exit raises an AssertionError that shows both.
    """
    made_instance = instance_path is None
    if made_instance:
        instance_path = tempfile.mkdtemp(prefix="margins-cli-")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "server", *args],
            cwd=REPO, env=margins_environment(database_url, instance_path, env),
            input=input, capture_output=True, text=True, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
            start_new_session=True,  # no terminal: a hidden prompt reads ``input``, never the tty
        )
    finally:
        if made_instance:
            shutil.rmtree(instance_path, ignore_errors=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"flask {' '.join(args)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
        )
    return result


class LiveServer:
    """Margins under gunicorn on 127.0.0.1; a context manager (``start()``/``stop()`` also work).

    database_url   the database to serve (SQLite or PostgreSQL URL).
    instance_path  the instance folder; a temporary one (removed on stop) when None.
    workers        gunicorn worker processes; threads: threads per worker (None: as
                   deploy/gunicorn.conf.py, the settings bin/serve runs with, says).
    env            extra environment variables, e.g. {"MARGINS_MAX_BODY_BYTES": "1048576"}.
    args           extra gunicorn arguments.
    startup_timeout  seconds to wait for the first answer.

    After start: ``url`` (e.g. http://127.0.0.1:41234), ``port``, ``process``.
    After ``kill()``, ``start()`` serves again on the same port and instance folder.
    """

    def __init__(self, database_url: str, *, instance_path: str | os.PathLike | None = None,
                 workers: int | None = 2, threads: int | None = 1, env: dict | None = None,
                 args: list[str] | tuple[str, ...] = (), startup_timeout: float = 30):
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.extra_env = dict(env or {})
        self.extra_args = list(args)
        self.startup_timeout = startup_timeout
        self._own_instance = instance_path is None
        self._instance_path = Path(instance_path) if instance_path is not None else None
        self._workdir: Path | None = None
        self._log = None
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    # --- public ------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def instance_path(self) -> Path:
        if self._instance_path is None:
            raise RuntimeError("the server is not started")
        return self._instance_path

    @property
    def log_path(self) -> Path:
        if self._workdir is None:
            raise RuntimeError("the server is not started")
        return self._workdir / "gunicorn.log"

    def environment(self) -> dict:
        """The environment the server runs with (also right for ``run_cli`` on its database)."""
        return margins_environment(self.database_url, self.instance_path, self.extra_env)

    def cli(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        """``run_cli`` with the server's database, instance folder and environment."""
        return run_cli(args, database_url=self.database_url, instance_path=self.instance_path,
                       env=self.extra_env, **kwargs)

    def make_user(self, username: str, password: str = "a long passphrase") -> str:
        """Make a user and an API token with the real CLI; returns the token."""
        self.cli(["users", "create", username, "--password", password], check=True)
        return self.cli(["tokens", "create", username], check=True).stdout.strip().splitlines()[-1]

    def start(self) -> "LiveServer":
        if self.process is not None:
            raise RuntimeError("the server is already started")
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="margins-live-"))
        if self._instance_path is None:
            self._instance_path = self._workdir / "instance"
        self._instance_path.mkdir(parents=True, exist_ok=True)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._bind(listener)
            listener.listen(128)
            listener.set_inheritable(True)
            self.port = listener.getsockname()[1]
            self._log = open(self.log_path, "ab")
            command = [
                *gunicorn_command(),
                "--config", str(GUNICORN_CONFIG),
                "--bind", f"fd://{listener.fileno()}",
                *(["--workers", str(self.workers)] if self.workers is not None else []),
                *(["--threads", str(self.threads)] if self.threads is not None else []),
                "--graceful-timeout", "5",
                "--timeout", "60",
                "--chdir", str(REPO),
                *self.extra_args,
                "server:create_app()",
            ]
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.environment(), stdin=subprocess.DEVNULL,
                stdout=self._log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
                start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, which stops us
            )
        except BaseException:
            listener.close()
            self._cleanup()
            raise
        listener.close()  # gunicorn has its own copy now
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        """Kill gunicorn at once, master and workers (SIGKILL), mid-request if need be.

        Nothing runs on the way out: no graceful shutdown, no commit or
        rollback. The port, instance folder and log stay for ``start()``.
        """
        process, self.process = self.process, None
        if process is None:
            raise RuntimeError("the server is not started")
        # Our own session: the master and the workers it forked, nothing else.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
        self._log.close()
        self._log = None

    def stop(self, timeout: float = 15) -> None:
        """Stop gunicorn gracefully (SIGTERM), or kill it after ``timeout`` seconds."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                # Our own session: the master and the workers it forked, nothing else.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        self._cleanup()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except (OSError, RuntimeError):
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- inside ------------------------------------------------------------------

    def _bind(self, listener: socket.socket) -> None:
        """A free port the first time; the same port again after kill(), once the dying workers let go of it."""
        deadline = time.monotonic() + 10
        while True:
            try:
                listener.bind(("127.0.0.1", self.port or 0))
                return
            except OSError as error:
                if error.errno != errno.EADDRINUSE or self.port is None or time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with status {self.process.returncode} before answering:\n"
                    f"{self._read_log()}"
                )
            try:
                with urllib.request.urlopen(self.url + READY_PATH, timeout=5) as answer:
                    if answer.status == 200:
                        return
                    last_problem = f"status {answer.status}"
            except urllib.error.HTTPError as error:
                last_problem = f"status {error.code}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last_problem = str(error)
            time.sleep(0.1)
        raise RuntimeError(
            f"Margins did not answer {READY_PATH} within {self.startup_timeout}s ({last_problem}):\n"
            f"{self._read_log()}"
        )

    def _read_log(self) -> str:
        if self._log is not None:
            self._log.flush()
        return self.log_tail(80)

    def _cleanup(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._workdir is not None:
            # Holds the log, and the instance folder unless the caller gave one.
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        if self._own_instance:
            self._instance_path = None
        self.port = None


class ApiConnection:
    """One keep-alive HTTP connection to a server's API (``/api/v1``) with a token.

    ``call`` sends a JSON body and returns the status and the decoded JSON
    answer (None when empty). A connection the server closed while idle
    (gunicorn's keep-alive timeout) is opened anew first; a refused, reset or
    cut-off request raises ``OSError`` or ``http.client.HTTPException``.
    """

    def __init__(self, url: str, token: str, timeout: float = 30):
        self._connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body=None, **params) -> tuple[int, object]:
        target = "/api/v1" + path + (f"?{urlencode(params)}" if params else "")
        data = None if body is None else json.dumps(body).encode()
        idle = self._connection.sock
        if idle is not None and select.select([idle], [], [], 0)[0]:  # readable while idle: closed
            self._connection.close()
        try:
            self._connection.request(method, target, body=data, headers=self._headers)
            answer = self._connection.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException):
            self._connection.close()
            raise
        return answer.status, json.loads(content) if content else None

    def feed(self, cursor: str | None = None, limit: int = 100) -> tuple[list[dict], str]:
        """The change feed from ``cursor`` (the start when None), following ``next_cursor``
        to the end: its items and the last ``sync_cursor``."""
        items = []
        while True:
            status, answer = self.call("GET", "/highlights", limit=limit, **({"cursor": cursor} if cursor else {}))
            assert status == 200, answer
            items += answer["items"]
            if answer["next_cursor"] is None:
                return items, answer["sync_cursor"]
            cursor = answer["next_cursor"]

    def close(self) -> None:
        self._connection.close()
