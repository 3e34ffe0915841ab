"""A small Marionette client: drives Debian's Firefox ESR without geckodriver.

Firefox started with ``-marionette`` listens on ``marionette.port`` and speaks
JSON over TCP, each message prefixed by its length and a colon. Commands are
``[0, id, name, params]``; answers ``[1, id, error, result]``.

    with Firefox(profile_dir) as firefox:
        addon_id = firefox.command("Addon:Install", {"path": str(folder), "temporary": True})["value"]
        firefox.navigate("http://…")
        firefox.script("return document.title")
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

from tests.browser import FIREFOX


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Firefox:
    def __init__(self, profile: Path, *, prefs: dict | None = None, startup_timeout: float = 60):
        self.profile = profile
        self.port = free_port()
        self.startup_timeout = startup_timeout
        all_prefs = {
            "marionette.port": self.port,
            "browser.shell.checkDefaultBrowser": False,
            "browser.startup.homepage_override.mstone": "ignore",
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "app.update.disabledForTesting": True,
            "extensions.autoDisableScopes": 0,
            **(prefs or {}),
        }
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in all_prefs.items()))
        self.process = None
        self.socket = None
        self._next_id = 0

    def __enter__(self) -> "Firefox":
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--marionette", "-remote-allow-system-access", "--no-remote", "--profile", str(self.profile), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            self._connect()
            self.command("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.socket is not None:
            try:
                self.command("Marionette:Quit", {"flags": ["eForceQuit"]})
            except (OSError, RuntimeError):
                pass
            self.socket.close()
            self.socket = None
        if self.process is not None:
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None

    def _connect(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Firefox exited with status {self.process.returncode} before Marionette answered")
            try:
                self.socket = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Marionette did not listen on port {self.port} within {self.startup_timeout}s") from None
                time.sleep(0.2)
        self.socket.settimeout(60)
        self._read()  # the greeting: {"applicationType": "gecko", "marionetteProtocol": 3}

    def _read(self):
        length = b""
        while not length.endswith(b":"):
            byte = self.socket.recv(1)
            if not byte:
                raise RuntimeError("Marionette closed the connection")
            length += byte
        size = int(length[:-1])
        data = b""
        while len(data) < size:
            chunk = self.socket.recv(size - len(data))
            if not chunk:
                raise RuntimeError("Marionette closed the connection")
            data += chunk
        return json.loads(data)

    def command(self, name: str, params: dict | None = None):
        self._next_id += 1
        message = json.dumps([0, self._next_id, name, params or {}]).encode()
        self.socket.sendall(str(len(message)).encode() + b":" + message)
        while True:
            kind, message_id, error, result = self._read()
            if kind == 1 and message_id == self._next_id:
                break
        if error:
            raise RuntimeError(f"Marionette {name}: {error.get('error')}: {error.get('message')}")
        return result

    def navigate(self, url: str) -> None:
        self.command("Marionette:SetContext", {"value": "content"})
        self.command("WebDriver:Navigate", {"url": url})

    def script(self, body: str, *args, context: str = "content"):
        """Run a function body (use ``return``) with ``arguments``; in the page or in the browser chrome."""
        self.command("Marionette:SetContext", {"value": context})
        result = self.command("WebDriver:ExecuteScript", {"script": body, "args": list(args)})
        return result.get("value")
