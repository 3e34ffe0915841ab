"""docs/api.md stays true: its examples run, as written, against a real server.

Every ```sh block of the guide runs in bash (``set -euo pipefail``), in
order, with only ``MARGINS`` and ``TOKEN`` set, against Margins under
gunicorn on the test database. The guide's conventions are checked too:
a ``curl`` either uses ``--fail-with-body`` (a 2xx is expected) or follows
a ``# Expect NNN`` line and prints its status line (``-i``), and the
statuses printed must be the ones expected. Finally, the guide must name
every operation of the OpenAPI document the server publishes.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from ..live_server import LiveServer
from ..paths import REPO

API_DOC = REPO / "docs" / "api.md"

FENCE = re.compile(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
EXPECT = re.compile(r"^\s*#\s*Expect\s+(\d{3})\s*$")
CURL = re.compile(r"(?<![\w-])curl\s")
STATUS_LINE = re.compile(r"^HTTP/[\d.]+ (\d{3})\b", re.M)
BLOCK_TIMEOUT = 60


def sh_blocks(text: str) -> list[tuple[int, str]]:
    """The ```sh blocks of a Markdown text, each with the line its code starts on."""
    return [(text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in FENCE.finditer(text)]


def logical_lines(block: str) -> list[str]:
    """The block's lines with backslash continuations joined."""
    return block.replace("\\\n", " ").splitlines()


def expected_statuses(block: str) -> list[int]:
    return [int(m.group(1)) for line in logical_lines(block) if (m := EXPECT.match(line))]


def convention_problems(block: str) -> list[str]:
    """What breaks the guide's rule: each curl is --fail-with-body or announced by '# Expect NNN' with -i."""
    problems, pending = [], None
    for line in logical_lines(block):
        if expect := EXPECT.match(line):
            if pending is not None:
                problems.append(f"'# Expect {pending}' is not followed by a curl command")
            pending = int(expect.group(1))
            continue
        if line.lstrip().startswith("#"):
            continue
        starts = [m.start() for m in CURL.finditer(line)]
        for index, start in enumerate(starts):
            command = line[start:starts[index + 1] if index + 1 < len(starts) else len(line)]
            if pending is not None:
                if not re.search(r"\s-i\b|\s--include\b", command):
                    problems.append(f"a curl after '# Expect {pending}' must print its status line (-i): {command}")
                pending = None
            elif "--fail-with-body" not in command:
                problems.append(f"a curl with neither --fail-with-body nor '# Expect NNN': {command}")
    if pending is not None:
        problems.append(f"'# Expect {pending}' is not followed by a curl command")
    return problems


def printed_statuses(output: str) -> list[int]:
    """Final status lines printed by curl -i (informational 1xx answers left out)."""
    return [int(status) for status in STATUS_LINE.findall(output) if not status.startswith("1")]


@pytest.fixture(scope="module")
def doc_text() -> str:
    assert API_DOC.exists(), f"{API_DOC} is missing"
    return API_DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        pytest.fail("curl is not installed, and the API guide's examples need it: apt-get install -y curl")
    return path


@pytest.fixture(scope="module")
def live_server(app, database_url):
    # ``app`` first: the schema exists before the server starts.
    with LiveServer(database_url) as server:
        yield server


@pytest.fixture
def token(live_server) -> str:
    """A user and a token made with the real CLI, in the server's environment, as the guide says."""
    live_server.cli(["users", "create", "docs", "--password", "a long passphrase"], check=True)
    made = live_server.cli(["tokens", "create", "docs", "--name", "api guide"], check=True)
    return made.stdout.strip().splitlines()[-1]


def test_the_guide_has_examples_that_follow_its_conventions(doc_text):
    blocks = sh_blocks(doc_text)
    assert len(blocks) >= 20, f"only {len(blocks)} ```sh blocks in docs/api.md"
    problems = [f"docs/api.md line {line}: {problem}"
                for line, block in blocks for problem in convention_problems(block)]
    assert not problems, "\n".join(problems)


def test_every_sh_example_runs(doc_text, curl, live_server, token, tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("MARGINS")}
    # python3 of this environment for the examples that read an id from an answer.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), str(Path(curl).parent), env.get("PATH", "")])
    env.update({"MARGINS": live_server.url, "TOKEN": token})
    workdir = tmp_path / "examples"
    workdir.mkdir()

    failures, ran = [], 0
    for line, block in sh_blocks(doc_text):
        try:
            result = subprocess.run(
                ["bash", "-c", "set -euo pipefail\n" + block], cwd=workdir, env=env,
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=BLOCK_TIMEOUT,
            )
        except subprocess.TimeoutExpired as error:
            failures.append(_report(line, block, f"timed out after {BLOCK_TIMEOUT}s", error.stdout, error.stderr))
            continue
        ran += 1
        expected, printed = expected_statuses(block), printed_statuses(result.stdout)
        if result.returncode != 0:
            failures.append(_report(line, block, f"exited {result.returncode}", result.stdout, result.stderr))
        elif printed != expected:
            failures.append(_report(line, block, f"statuses {printed}, the guide expects {expected}",
                                    result.stdout, result.stderr))
    if failures:
        pytest.fail(
            f"{len(failures)} of {ran} examples of docs/api.md failed (later ones may fail because of "
            f"earlier ones):\n\n" + "\n\n".join(failures)
            + "\n\n=== server log (end)\n" + live_server.log_tail(),
            pytrace=False,
        )


@pytest.mark.parametrize("document", ["/api/v1/openapi.json", "/api/v2/openapi.json"])
def test_the_guide_names_every_operation_of_the_openapi_document(doc_text, live_server, document):
    with urllib.request.urlopen(live_server.url + document, timeout=10) as answer:
        spec = json.load(answer)
    assert spec["paths"], "the OpenAPI document lists no paths"
    missing_paths, missing_operations = [], []
    for path, item in spec["paths"].items():
        # The path itself, not just a longer one that starts with it.
        if not re.search(re.escape(path) + r"(?![\w/{])", doc_text):
            missing_paths.append(path)
        for method in item:
            if method in ("get", "put", "post", "patch", "delete") and f"`{method.upper()} {path}`" not in doc_text:
                missing_operations.append(f"{method.upper()} {path}")
    assert not missing_paths, f"docs/api.md never mentions {missing_paths}"
    assert not missing_operations, f"docs/api.md has no `METHOD path` for {missing_operations}"


def _report(line: int, block: str, what: str, stdout, stderr) -> str:
    def text(value):
        return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")

    return (f"=== docs/api.md, the ```sh block at line {line}: {what}\n{block}"
            f"--- stdout\n{text(stdout)}\n--- stderr\n{text(stderr)}")
