"""The code stays ruff- and mypy-clean: checked in the suite, so CI enforces it."""

import subprocess
import sys

import pytest

from infra.template import ROOT

pytestmark = pytest.mark.xdist_group("quality")


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout


def test_the_code_is_formatted() -> None:
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_mypy_strict_finds_nothing() -> None:
    result = run("mypy", ".")
    assert result.returncode == 0, result.stdout[-5000:]
