import os
import shutil
from pathlib import Path

import pytest

from infra.template import ROOT

TOOLS = ROOT / ".tools"


def tool(environment: str, command: str) -> Path:
    """A command from one of the tool environments `make tools` creates."""
    path = TOOLS / environment / "bin" / command
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make tools` (make test does it)")
    return path


def tool_env() -> dict[str, str]:
    """No credentials, telemetry off, and the project's Python 3.13 first on PATH (sam build looks for it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        SAM_CLI_TELEMETRY="0",
        PATH=f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}",
    )
    return env


@pytest.fixture(scope="session")
def which_python() -> str:
    found = shutil.which("python3.13", path=tool_env()["PATH"])
    assert found
    return found
