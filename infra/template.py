"""Reads template.yaml, so the local stack and the tests build the same tables, user pool, routes and
environment that `sam deploy` creates, instead of restating them.

It understands the CloudFormation short tags and resolves the intrinsic functions this template uses
against a map of local values (`Resolver`).
"""

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"

_SHORT_TAGS = {
    "!Ref": "Ref",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!Condition": "Condition",
}


class _CfnLoader(yaml.SafeLoader):
    pass


def _construct(tag: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "Fn::GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {tag: value}

    return construct


for _short, _long in _SHORT_TAGS.items():
    _CfnLoader.add_constructor(_short, _construct(_long))


@cache
def load(path: Path = TEMPLATE) -> dict[str, Any]:
    with path.open() as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506  # nosec B506 - SafeLoader + CFN tags
    return document


def resources(kind: str, path: Path = TEMPLATE) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in load(path)["Resources"].items() if r["Type"] == kind}


class Resolver:
    """Resolves intrinsic functions against local values.

    `refs` maps a parameter or resource logical id to what `Ref` returns; `attributes` maps
    "LogicalId.Attribute" to what `Fn::GetAtt` returns.
    """

    def __init__(self, refs: Mapping[str, Any], attributes: Mapping[str, Any] | None = None) -> None:
        template = load()
        parameters = {name: p.get("Default") for name, p in template.get("Parameters", {}).items()}
        self.refs: dict[str, Any] = {
            "AWS::Region": "us-east-1",
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "local",
            "AWS::NoValue": None,
            **parameters,
            **refs,
        }
        self.attributes = dict(attributes or {})
        self.conditions = {name: self.resolve(c) for name, c in template.get("Conditions", {}).items()}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not None]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.refs[arg]
            if key == "Fn::GetAtt":
                return self.attributes[".".join(arg)]
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::If":
                name, yes, no = arg
                return self.resolve(yes if self.conditions[name] else no)
            if key == "Fn::Equals":
                left, right = (self.resolve(a) for a in arg)
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::Join":
                separator, parts = arg
                return separator.join(str(p) for p in self.resolve(parts))
            if key == "Condition":
                return self.conditions[arg]
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, arg: Any) -> str:
        text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(self.resolve(extra[name]))
            if "." in name:
                return str(self.attributes[name])
            return str(self.refs[name])

        return re.sub(r"\$\{([^}!]+)\}", replace, text)


@dataclass(frozen=True)
class Route:
    function: str
    method: str  # upper case
    path: str  # API Gateway resource path, e.g. /intakes/{intake_id}/status
    authorizer: str | None  # None for public routes

    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    headers: dict[str, str]
    body: str


def gateway_response(kind: str, default_status: int) -> GatewayResponse:
    """What API Gateway answers by itself (no function involved), as the template configures it: the
    specific response type if configured, else DEFAULT_4XX / DEFAULT_5XX."""
    (api,) = resources("AWS::Serverless::Api").values()
    configured = api["Properties"].get("GatewayResponses", {})
    fallback = "DEFAULT_4XX" if default_status < 500 else "DEFAULT_5XX"
    spec = configured.get(kind) or configured.get(fallback) or {}
    headers = {
        name: str(value).strip("'") for name, value in spec.get("ResponseParameters", {}).get("Headers", {}).items()
    }
    body = spec.get("ResponseTemplates", {}).get("application/json", '{"message":"Error"}')
    return GatewayResponse(
        int(spec.get("StatusCode", default_status)), {"Content-Type": "application/json", **headers}, body
    )


def routes() -> list[Route]:
    """Every API route in the template, with the authorizer it needs (the API's default unless NONE)."""
    apis = resources("AWS::Serverless::Api")
    found = []
    for name, function in resources("AWS::Serverless::Function").items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] != "Api":
                continue
            props = event["Properties"]
            api_id = props["RestApiId"]["Ref"]
            default = apis[api_id]["Properties"].get("Auth", {}).get("DefaultAuthorizer")
            chosen = props.get("Auth", {}).get("Authorizer", default)
            found.append(
                Route(
                    function=name,
                    method=props["Method"].upper(),
                    path=props["Path"],
                    authorizer=None if chosen in (None, "NONE") else chosen,
                )
            )
    return found


def function_environment(function: str, resolver: Resolver) -> dict[str, str]:
    """Globals plus the function's own variables, resolved."""
    template = load()
    variables = dict(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    own = resources("AWS::Serverless::Function")[function]["Properties"]
    variables.update(own.get("Environment", {}).get("Variables", {}))
    return {name: str(resolver.resolve(value)) for name, value in variables.items()}


def load_module(path: Path, name: str) -> ModuleType:
    """Imports a handler file as a fresh module (each call is a new "execution environment")."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def function_module(function: str) -> tuple[Path, str]:
    """The handler's file and attribute name, from CodeUri and Handler."""
    props = resources("AWS::Serverless::Function")[function]["Properties"]
    module, attribute = props["Handler"].rsplit(".", 1)
    return ROOT / props["CodeUri"] / f"{module.replace('.', '/')}.py", attribute


def table_definitions(resolver: Resolver) -> dict[str, dict[str, Any]]:
    """create_table arguments for each table, keyed by logical id (names come from the resolver's refs)."""
    definitions = {}
    for name, table in resources("AWS::DynamoDB::Table").items():
        props = table["Properties"]
        args: dict[str, Any] = {
            "TableName": resolver.refs[name],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "GlobalSecondaryIndexes" in props:
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if "DeletionProtectionEnabled" in props:
            args["DeletionProtectionEnabled"] = props["DeletionProtectionEnabled"]
        definitions[name] = {
            "create": args,
            "ttl": props.get("TimeToLiveSpecification"),
            "point_in_time_recovery": props.get("PointInTimeRecoverySpecification"),
        }
    return definitions
