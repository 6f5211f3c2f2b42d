"""The events `make bench` sends to cold functions (benchmarks/run.py, first_response()) are the ones API
Gateway would deliver: routed by template.yaml, signed in where the route needs staff."""

import json

import pytest

from benchmarks.run import FIRST_ROUTES, gateway_event
from infra import template


def test_a_staff_route_gets_the_authorizers_claims_and_its_path_parameters() -> None:
    event = gateway_event("POST", "/review/intakes/in-abc/assignment", {"counselor_id": "c-1"}, as_="staff")

    assert event["resource"] == "/review/intakes/{intake_id}/assignment"
    assert event["pathParameters"] == {"intake_id": "in-abc"}
    assert "staff" in event["requestContext"]["authorizer"]["claims"]["cognito:groups"].split(",")
    assert json.loads(event["body"]) == {"counselor_id": "c-1"}
    assert event["headers"]["Content-Type"] == "application/json"


def test_a_public_route_carries_no_claims() -> None:
    event = gateway_event("GET", "/intakes/in-abc/status", headers={"X-Status-Token": "t"})

    assert "authorizer" not in event["requestContext"]
    assert event["headers"] == {"X-Status-Token": "t"}


def test_a_staff_route_without_a_sign_in_is_refused_as_api_gateway_would() -> None:
    with pytest.raises(RuntimeError, match="401"):
        gateway_event("GET", "/review/intakes")


def test_every_measured_route_is_a_route_of_its_function_in_the_template() -> None:
    routes = {(r.function, f"{r.method} {r.path}") for r in template.routes()}
    for route, (function, _) in FIRST_ROUTES.items():
        # the bench names path parameters shortly ({id}, {n}); the template names them in full
        assert any(f == function and _shape(r) == _shape(route) for f, r in routes), route


def _shape(route: str) -> list[str]:
    return ["{}" if part.startswith("{") else part for part in route.split("/")]
