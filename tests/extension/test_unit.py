"""The extension's unit tests (node --test extension/test/), run from pytest so
the project's one test command covers them."""

import shutil
import subprocess

import pytest

from tests.browser import EXTENSION

# Node.js running the extension's code: no database in it.
pytestmark = pytest.mark.same_on_every_database


def test_the_extension_unit_tests_pass():
    node = shutil.which("node")
    assert node, "the extension's unit tests need Node.js 20 or newer on PATH"
    result = subprocess.run([node, "--test", "test/"], cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout, result.stdout[-3000:]
