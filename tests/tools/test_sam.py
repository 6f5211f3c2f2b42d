"""The template deploys with the SAM CLI: it validates with the linter, and it builds for arm64."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from infra import template
from infra.artifacts import native_stand_in, sam_build
from infra.layer.botocore_data import SERVICES
from infra.template import ROOT
from tests.tools.conftest import TOOLS, tool, tool_env

pytestmark = [pytest.mark.tools, pytest.mark.xdist_group("sam")]


def test_the_template_passes_sam_validate_with_the_linter() -> None:
    result = subprocess.run(
        [tool("sam", "sam"), "validate", "--lint", "--template", str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
        env=tool_env(),
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_dir = tmp_path_factory.mktemp("sam-build")
    sam_build(build_dir)
    return build_dir


def test_sam_build_produces_arm64_artifacts_for_every_function_and_the_layer(built: Path) -> None:
    layer = built / "SharedLayer" / "python"
    assert (layer / "shared" / "matching" / "engine.py").is_file()
    # Compiled in the build: Lambda's file system is read-only, so it could never cache bytecode itself
    for source in layer.glob("shared/**/*.py"):
        assert (source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc").is_file(), source
    compiled = list(layer.glob("pydantic_core/_pydantic_core*.so"))
    assert compiled
    assert all("aarch64" in so.name for so in compiled), [so.name for so in compiled]
    # boto3 and botocore travel together (the layer would otherwise shadow the runtime's botocore only)
    assert (layer / "boto3").is_dir()
    assert (layer / "botocore").is_dir()
    for function in template.resources("AWS::Serverless::Function"):
        handler_file, _ = template.function_module(function)
        assert (built / function / handler_file.name).is_file(), function


@pytest.mark.parametrize("function", sorted(template.resources("AWS::Serverless::Function")))
def test_each_built_function_imports_its_handler_in_a_clean_interpreter(built: Path, function: str) -> None:
    # Given only what Lambda would put on the path: the function, the layer, and the runtime's boto3
    # (-S: no site-packages at all). The layer's pydantic_core is compiled for aarch64; on another machine,
    # the same version built for this machine stands in for it. Everything else is the built artifact.
    layer = built / "SharedLayer" / "python"
    native = native_stand_in(layer)
    handler_file, attribute = template.function_module(function)
    env = {k: v for k, v in tool_env().items() if not k.startswith("POWERTOOLS")}
    env.update(json.loads(json.dumps(_placeholder_environment(function))))
    probe = (
        "import sys; sys.path[:0] = sys.argv[1:5]; import importlib; "
        f"m = importlib.import_module({handler_file.stem!r}); assert callable(getattr(m, {attribute!r})); "
        "import pydantic, aws_lambda_powertools; print(pydantic.__file__, aws_lambda_powertools.__file__)"
    )
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-I",
            "-S",
            "-c",
            probe,
            str(native),
            str(built / function),
            str(layer),
            str(TOOLS / "lambda-runtime"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=built,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert str(layer) in result.stdout  # pydantic and powertools came from the layer


def test_the_code_creates_clients_only_for_the_services_the_layer_keeps() -> None:
    # The layer keeps botocore's models of these services alone (a function's first client would otherwise
    # list some 450), so a client for any other service would fail in Lambda while every test here passes.
    called = set()
    for source in [*ROOT.glob("shared/**/*.py"), *ROOT.glob("functions/**/*.py")]:
        text = source.read_text()
        called |= set(re.findall(r"\baws\.client\(\s*\"([a-z0-9-]+)\"", text))
        if source != ROOT / "shared" / "adapters" / "aws.py":  # the one place clients are made
            assert not re.search(r"boto3\.(client|resource|session)\(|create_client\(", text), source
    assert called == set(SERVICES)


def test_the_built_layer_has_a_client_for_each_service_it_keeps_and_no_other(built: Path) -> None:
    layer = built / "SharedLayer" / "python"
    probe = (
        "import sys; sys.path[:0] = sys.argv[1:3]; import botocore.session; s = botocore.session.get_session(); "
        "[s.create_client(name, region_name='us-east-1') for name in sys.argv[3:]]; "
        "print(','.join(s.get_available_services()))"
    )
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-I", "-S", "-c", probe, str(layer), str(TOOLS / "lambda-runtime"),
         *SERVICES],
        capture_output=True, text=True, env={**tool_env(), "AWS_DEFAULT_REGION": "us-east-1"}, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().split(",") == sorted(SERVICES)


def _placeholder_environment(function: str) -> dict[str, str]:
    from infra.template import Resolver

    refs = {name: f"placeholder-{name.lower()}" for name in template.load()["Resources"]}
    resolver = Resolver(refs=refs, attributes={"DataKey.Arn": "arn:aws:kms:us-east-1:123456789012:key/x"})
    env = template.function_environment(function, resolver)
    assert all(re.fullmatch(r"[A-Z_]+", k) for k in env)
    return {**env, "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
