"""The SnapStart template option, read from what CloudFormation would deploy: the template transformed (the
language extensions, then SAM) with the option on and off."""

import copy
import json
import re
import subprocess
from functools import cache
from typing import Any

import pytest

from infra import template
from infra.template import ROOT
from tests.tools.conftest import tool, tool_env

pytestmark = [pytest.mark.tools, pytest.mark.xdist_group("sam")]

# Every function behind the API but the pages: those serve files packaged beside them, import no library and
# create no client (about 20 ms of init), so a snapshot would save them nothing and still be billed.
SNAPSTART_FUNCTIONS = {
    "PublicApiFunction",
    "ReviewApiFunction",
    "ClientApiFunction",
    "AdminApiFunction",
    "CounselorApiFunction",
}
ALIAS = "live"


def transformed(source: dict[str, Any], **parameters: str) -> dict[str, Any]:
    result = subprocess.run(
        [str(tool("sam", "python")), str(ROOT / "tests" / "tools" / "sam_transform.py"), json.dumps(parameters)],
        input=json.dumps(source),
        capture_output=True,
        text=True,
        env=tool_env(),
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out: dict[str, Any] = json.loads(result.stdout)
    return out


@cache
def deployed(snapstart: str) -> dict[str, Any]:
    return transformed(template.load(), SnapStart=snapstart)["Resources"]


def without_the_option() -> dict[str, Any]:
    """The template as it was before the option: no SnapStart parameter, condition, properties or extension."""
    source = copy.deepcopy(template.load())
    del source["Parameters"]["SnapStart"]
    del source["Conditions"]["SnapStartOn"]
    for resource in source["Resources"].values():
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"].pop("PublishLambdaVersion", None)
        if resource["Type"] == "AWS::Serverless::Function":
            for option in ("AutoPublishAlias", "AutoPublishAliasAllProperties", "VersionDeletionPolicy", "SnapStart"):
                resource["Properties"].pop(option, None)
    return source


def api_functions() -> set[str]:
    return {
        name
        for name, function in template.resources("AWS::Serverless::Function").items()
        if any(event["Type"] == "Api" for event in function["Properties"].get("Events", {}).values())
    }


def integrations(resources: dict[str, Any]) -> dict[str, str]:
    """Each API method ('POST /intakes') and the Lambda ARN its integration invokes, as written in the Sub."""
    paths = resources["Api"]["Properties"]["Body"]["paths"]
    out = {}
    for path, methods in paths.items():
        for method, operation in methods.items():
            uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
            (target,) = re.findall(r"/functions/\$\{([^}]+)\}/invocations", uri)
            out[f"{method.upper()} {path}"] = target
    return out


def permissions(resources: dict[str, Any], function: str) -> list[Any]:
    """What each API Gateway invoke permission of the function names as its target."""
    return [
        r["Properties"]["FunctionName"]
        for name, r in resources.items()
        if r["Type"] == "AWS::Lambda::Permission" and name.startswith(function)
    ]


def test_snapstart_is_off_unless_asked_for() -> None:
    parameter = template.load()["Parameters"]["SnapStart"]
    assert parameter["Default"] == "off"
    assert parameter["AllowedValues"] == ["off", "on"]


def test_every_api_function_but_the_pages_takes_the_option() -> None:
    assert api_functions() - {"PagesFunction"} == SNAPSTART_FUNCTIONS


@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_with_snapstart_on_each_api_function_is_snapshotted_on_published_versions_behind_an_alias(
    function: str,
) -> None:
    resources = deployed("on")
    assert resources[function]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    alias_id = f"{function}Alias{ALIAS}"
    alias = resources[alias_id]
    assert alias["Type"] == "AWS::Lambda::Alias"
    assert alias["Properties"]["Name"] == ALIAS
    assert alias["Properties"]["FunctionName"] == {"Ref": function}
    version_id = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    assert resources[version_id]["Type"] == "AWS::Lambda::Version"
    assert resources[version_id]["Properties"]["FunctionName"] == {"Ref": function}
    assert resources[version_id]["DeletionPolicy"] == "Delete"  # an old version's snapshot is billed while kept


def test_with_snapstart_on_a_change_to_the_shared_layer_alone_publishes_new_versions() -> None:
    # The project's code is in the layer: a version kept across a layer change would run the old code.
    source = copy.deepcopy(template.load())
    (layer,) = template.resources("AWS::Serverless::LayerVersion")
    source["Resources"][layer]["Properties"]["ContentUri"] = "infra/layer-changed/"
    before, after = deployed("on"), transformed(source, SnapStart="on")["Resources"]
    for function in SNAPSTART_FUNCTIONS:
        alias = f"{function}Alias{ALIAS}"
        assert before[alias]["Properties"]["FunctionVersion"] != after[alias]["Properties"]["FunctionVersion"], function


@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_with_snapstart_on_the_api_invokes_the_alias_and_may_invoke_only_the_alias(function: str) -> None:
    resources = deployed("on")
    alias_id = f"{function}Alias{ALIAS}"
    targets = {route: target for route, target in integrations(resources).items() if target.startswith(function)}
    assert targets  # the function's routes
    assert set(targets.values()) == {alias_id}, targets
    granted = permissions(resources, function)
    assert granted
    assert all(target == {"Ref": alias_id} for target in granted), granted


def test_with_snapstart_on_the_other_functions_stay_unversioned() -> None:
    resources = deployed("on")
    for name in set(template.resources("AWS::Serverless::Function")) - SNAPSTART_FUNCTIONS:
        assert "SnapStart" not in resources[name]["Properties"], name
        assert not any(r["Type"] == "AWS::Lambda::Alias" and n.startswith(name) for n, r in resources.items()), name


def test_with_snapstart_off_nothing_changes() -> None:
    # Against the same template without the option, through the same transforms (the language extensions
    # resolve parameters for both; README: updating a stack deployed before the extensions were added).
    resources = deployed("off")
    assert resources == transformed(without_the_option())["Resources"]
    assert not [name for name, r in resources.items() if r["Type"] in ("AWS::Lambda::Version", "AWS::Lambda::Alias")]
    for name, target in integrations(resources).items():
        assert target.endswith(".Arn"), name  # the function itself, unqualified
