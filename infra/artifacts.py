"""Running `sam build` output on this machine: the layer is built for aarch64 (Lambda's arm64), so its one
compiled dependency, pydantic_core, gets a stand-in of the same version built for this machine."""

import os
import subprocess  # nosec B404 - runs the SAM CLI and pip with fixed arguments
from pathlib import Path

from infra.template import ROOT

TOOLS = ROOT / ".tools"


def sam_build(build_dir: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "SAM_CLI_TELEMETRY": "0",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",  # sam and the layer build need python3.13
    }
    command = [str(TOOLS / "sam" / "bin" / "sam"), "build", "--build-dir", str(build_dir)]
    command += ["--template", str(ROOT / "template.yaml")]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)  # noqa: S603 # nosec B603
    if result.returncode:
        raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])


def layer_version(layer: Path, package: str) -> str:
    (dist,) = layer.glob(f"{package}-*.dist-info")
    return dist.name.removeprefix(f"{package}-").removesuffix(".dist-info")


def native_stand_in(layer: Path) -> Path:
    """A directory holding this machine's build of the layer's pydantic_core version."""
    version = layer_version(layer, "pydantic_core")
    target = TOOLS / "native" / version
    if not target.exists():
        pip = [str(ROOT / ".venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps"]
        command = [*pip, "--target", str(target), f"pydantic_core=={version}"]
        subprocess.run(command, check=True, timeout=300)  # noqa: S603 # nosec B603 - fixed tool, pinned version
    return target
