"""The SnapStart template option, read from what CloudFormation would deploy: the template transformed by
SAM with the option on and off, and against the template before the option (what deployed stacks run)."""

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


def snapstart_condition(value: Any, on: bool) -> Any:
    """The value with each Fn::If on SnapStartOn resolved, as CloudFormation does on deploy (SAM passes it on)."""
    if isinstance(value, list):
        return [snapstart_condition(v, on) for v in value]
    if not isinstance(value, dict):
        return value
    if list(value) == ["Fn::If"] and value["Fn::If"][0] == "SnapStartOn":
        return snapstart_condition(value["Fn::If"][1 if on else 2], on)
    return {k: snapstart_condition(v, on) for k, v in value.items()}


@cache
def transformed_only(snapstart: str) -> dict[str, Any]:
    return transformed(template.load(), SnapStart=snapstart)["Resources"]


def deployed(snapstart: str) -> dict[str, Any]:
    out: dict[str, Any] = snapstart_condition(transformed_only(snapstart), snapstart == "on")
    return out


def without_the_option() -> dict[str, Any]:
    """The template as it was before the option (what stacks deployed before it run): no SnapStart parameter,
    condition, versions or alias."""
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


@cache
def before_the_option() -> dict[str, Any]:
    return transformed(without_the_option())["Resources"]


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
def test_with_snapstart_on_each_api_function_is_snapshotted_on_published_versions(function: str) -> None:
    assert deployed("on")[function]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}


@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_with_snapstart_off_no_version_is_snapshotted(function: str) -> None:
    assert deployed("off")[function]["Properties"].get("SnapStart", {"ApplyOn": "None"}) == {"ApplyOn": "None"}


@pytest.mark.parametrize("snapstart", ["on", "off"])
@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_each_api_function_publishes_versions_behind_an_alias(snapstart: str, function: str) -> None:
    # Either way: so that turning the option on or off is an update of one property, not a change of what
    # the API invokes (an unused version costs nothing; only a snapshot is billed)
    resources = deployed(snapstart)
    alias_id = f"{function}Alias{ALIAS}"
    alias = resources[alias_id]
    assert alias["Type"] == "AWS::Lambda::Alias"
    assert alias["Properties"]["Name"] == ALIAS
    assert alias["Properties"]["FunctionName"] == {"Ref": function}
    version_id = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    assert resources[version_id]["Type"] == "AWS::Lambda::Version"
    assert resources[version_id]["Properties"]["FunctionName"] == {"Ref": function}
    assert resources[version_id]["DeletionPolicy"] == "Delete"  # an old version's snapshot is billed while kept


@pytest.mark.parametrize("snapstart", ["on", "off"])
def test_a_change_to_the_shared_layer_alone_publishes_new_versions(snapstart: str) -> None:
    # The project's code is in the layer: a version kept across a layer change would run the old code.
    source = copy.deepcopy(template.load())
    (layer,) = template.resources("AWS::Serverless::LayerVersion")
    source["Resources"][layer]["Properties"]["ContentUri"] = "infra/layer-changed/"
    before, after = transformed_only(snapstart), transformed(source, SnapStart=snapstart)["Resources"]
    for function in SNAPSTART_FUNCTIONS:
        alias = f"{function}Alias{ALIAS}"
        assert before[alias]["Properties"]["FunctionVersion"] != after[alias]["Properties"]["FunctionVersion"], function


@pytest.mark.parametrize("snapstart", ["on", "off"])
@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_the_api_invokes_the_alias_and_may_invoke_only_the_alias(snapstart: str, function: str) -> None:
    resources = deployed(snapstart)
    alias_id = f"{function}Alias{ALIAS}"
    targets = {route: target for route, target in integrations(resources).items() if target.startswith(function)}
    assert targets  # the function's routes
    assert set(targets.values()) == {alias_id}, targets
    granted = permissions(resources, function)
    assert granted
    assert all(target == {"Ref": alias_id} for target in granted), granted


@pytest.mark.parametrize("snapstart", ["on", "off"])
def test_the_other_functions_stay_unversioned(snapstart: str) -> None:
    resources = deployed(snapstart)
    for name in set(template.resources("AWS::Serverless::Function")) - SNAPSTART_FUNCTIONS:
        assert "SnapStart" not in resources[name]["Properties"], name
        assert not any(r["Type"] == "AWS::Lambda::Alias" and n.startswith(name) for n, r in resources.items()), name
        assert not any(r["Type"] == "AWS::Lambda::Version" and n.startswith(name) for n, r in resources.items()), name


def test_the_template_before_the_option_is_the_one_without_it() -> None:
    # What the upgrade tests below compare against: the stripped template, transformed as it was deployed
    assert "SnapStart" not in json.dumps(before_the_option())
    assert "SnapStart" in json.dumps(transformed_only("off"))
    assert not [r for r in before_the_option().values() if r["Type"] in ("AWS::Lambda::Version", "AWS::Lambda::Alias")]


# Named by SAM after a hash of their content, so every change to the API or the layer makes a new one (the
# stage moves to the new deployment; functions move to the new layer version): replaced on any update.
HASH_NAMED = {"AWS::ApiGateway::Deployment", "AWS::Lambda::LayerVersion"}
NEW = {"AWS::Lambda::Version", "AWS::Lambda::Alias"}


@pytest.mark.parametrize("snapstart", ["on", "off"])
def test_an_upgrade_renames_nothing_that_exists(snapstart: str) -> None:
    # A stack deployed before the option is updated in place: every resource keeps its logical id and type
    # (CloudFormation replaces a renamed one), the new ones are the versions and aliases
    before, after = before_the_option(), deployed(snapstart)
    gone = {name for name in set(before) - set(after) if before[name]["Type"] not in HASH_NAMED}
    assert not gone
    for name in set(before) & set(after):
        assert before[name]["Type"] == after[name]["Type"], name
    added = {after[name]["Type"] for name in set(after) - set(before)}
    assert added <= NEW | HASH_NAMED, added


@pytest.mark.parametrize("snapstart", ["on", "off"])
def test_an_upgrade_keeps_the_stage(snapstart: str) -> None:
    # Not ApiprodStage, as with the language extensions transform: a renamed stage is created before the old
    # one of the same name is deleted, which API Gateway refuses
    before, after = before_the_option(), deployed(snapstart)
    stages = {name for name, r in after.items() if r["Type"] == "AWS::ApiGateway::Stage"}
    assert stages == {name for name, r in before.items() if r["Type"] == "AWS::ApiGateway::Stage"} == {"ApiStage"}
    assert after["ApiStage"]["Properties"]["StageName"] == before["ApiStage"]["Properties"]["StageName"]


@pytest.mark.parametrize("snapstart", ["on", "off"])
def test_an_upgrade_changes_the_functions_in_place(snapstart: str) -> None:
    # The permissions' FunctionName moves to the alias (CloudFormation replaces a permission for it, with the
    # same logical id); the functions change only in SnapStart and the layer version they use
    before, after = before_the_option(), deployed(snapstart)
    for name, resource in before.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        old = {k: v for k, v in resource["Properties"].items() if k != "Layers"}
        new = {k: v for k, v in after[name]["Properties"].items() if k not in ("Layers", "SnapStart")}
        assert old == new, name
        snapshotted = snapstart == "on" and name in SNAPSTART_FUNCTIONS
        expected = {"ApplyOn": "PublishedVersions" if snapshotted else "None"}
        assert after[name]["Properties"].get("SnapStart", {"ApplyOn": "None"}) == expected, name


def test_the_option_changes_only_snapstart_and_the_version() -> None:
    # Turning it on or off later is an in-place update of SnapStart on the five functions, the same resources
    # under the same names: nothing else changes
    on, off = deployed("on"), deployed("off")
    assert set(on) == set(off)
    for name in on:
        strip = {k: v for k, v in on[name].get("Properties", {}).items() if k != "SnapStart"}
        assert strip == {k: v for k, v in off[name].get("Properties", {}).items() if k != "SnapStart"}, name


@pytest.mark.parametrize("function", sorted(SNAPSTART_FUNCTIONS))
def test_turning_the_option_on_or_off_alone_publishes_a_version(function: str) -> None:
    # SAM names the version after the function's properties as written, the Fn::If unresolved, so the name is
    # the same either way; the version's description, which CloudFormation replaces the version for (and so
    # publishes a new one, with its snapshot or without), is the parameter's value
    resources = deployed("on")
    version_id = resources[f"{function}Alias{ALIAS}"]["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    assert resources[version_id]["Properties"]["Description"] == {"Fn::Sub": "SnapStart ${SnapStart}"}
