"""Serve a WSGI app under gunicorn on a free loopback port, for the benches that load a server.

Margins and the baselines it is measured against run with the same
gunicorn settings (sync workers, one thread each), so only the app differs::

    with Gunicorn("server:create_app()", env) as server:
        print(server.url, server.worker_pids())

Ready means the server answers HTTP at all (any status), so an app with no
route at "/" is ready too. ``margins(database_url, instance)`` is Margins
served so, with its write rate limit out of the way, and ``margins_token``
makes its user and API token with the CLI, as a person would.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.live_server import gunicorn_command, margins_environment, run_cli
from tests.paths import REPO

#: a write limit never reached, so the rate limiter runs (and costs what it costs) but never refuses
UNREACHED_RATE_LIMIT = {"MARGINS_RATELIMIT_WRITES": "1000000 per minute"}


class Gunicorn:
    def __init__(self, app: str, env: dict, *, workers: int = 2, startup_timeout: float = 60):
        self.app, self.env, self.workers, self.startup_timeout = app, env, workers, startup_timeout
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = tempfile.TemporaryFile()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        self.port = listener.getsockname()[1]
        with listener:
            self.process = subprocess.Popen(
                [*gunicorn_command(), "--bind", f"fd://{listener.fileno()}", "--workers", str(self.workers),
                 "--worker-class", "sync", "--timeout", "120", "--graceful-timeout", "5",
                 "--no-control-socket", "--chdir", str(REPO), self.app],
                cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),), start_new_session=True,
            )
        self._wait_until_ready()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()

    def worker_pids(self) -> list[int]:
        """The worker processes: the master's children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"gunicorn {self.app} did not answer within {self.startup_timeout} s:\n{self.log()}")


def margins(database_url: str, instance: Path, *, workers: int = 2) -> Gunicorn:
    env = margins_environment(database_url, instance, UNREACHED_RATE_LIMIT)
    return Gunicorn("server:create_app()", env, workers=workers)


def margins_token(database_url: str, instance: Path, username: str = "bench") -> str:
    """A new user and an API token for it, made with ``flask users create`` and ``flask tokens create``."""
    run_cli(["users", "create", username, "--password", "a long bench passphrase"],
            database_url=database_url, instance_path=instance, check=True)
    made = run_cli(["tokens", "create", username, "--name", "bench"],
                   database_url=database_url, instance_path=instance, check=True)
    return made.stdout.splitlines()[-1]
