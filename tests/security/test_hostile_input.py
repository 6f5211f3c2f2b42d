"""No mass assignment, no echo of submitted values, no stack traces, bounded pages and bodies."""

import json
import uuid
from typing import Any

import pytest

from infra import template
from shared.domain.counselor import CounselorProfile
from tests.factories import counselor_body, intake_body
from tests.integration.conftest import submit
from tests.integration.harness import STATUS_FIELDS, Api

SENTINEL = "Sentinel-Echo-7c1d"


@pytest.mark.parametrize(
    "field", ["status", "score", "assigned_counselor", "assigned_counselor_id", "urgent", "intake_id", "created_at"]
)
def test_a_public_submission_cannot_set_what_staff_or_the_service_decide(api: Api, field: str) -> None:
    reply = submit(api, intake_body(**{field: "assigned"}))
    assert reply.status == 422
    assert [d["loc"] for d in reply.json["detail"]] == [["body", field]]


def test_every_write_route_rejects_unknown_fields(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    counselor = roster[0]
    cases: list[tuple[str, str, Any, str]] = [
        (
            "POST",
            f"/review/intakes/{reference}/assignment",
            {"counselor_id": counselor.counselor_id, "status": "x"},
            "staff",
        ),
        (
            "POST",
            f"/review/intakes/{reference}/decision",
            {"decision": "waitlist", "assigned_counselor_id": "c-x"},
            "staff",
        ),
        ("POST", "/admin/counselors", {**counselor_body(), "version": 9}, "admin"),
        (
            "PUT",
            f"/admin/counselors/{counselor.counselor_id}",
            {**counselor_body(), "version": 1, "counselor_id": "c-x"},
            "admin",
        ),
        ("PATCH", f"/admin/counselors/{counselor.counselor_id}", {"version": 1, "name": "Renamed"}, "admin"),
    ]
    for method, path, body, who in cases:
        reply = api.request(method, path, body, as_=who)
        assert reply.status == 422, (method, path, reply.status)
        assert any(d["type"] == "extra_forbidden" for d in reply.json["detail"]), (method, path)


def test_rejections_never_repeat_what_was_sent(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    counselor = roster[0]
    hostile = SENTINEL + "<script>alert(1)</script>"
    cases: list[tuple[str, str, Any, str | None, dict[str, str]]] = [
        (
            "POST",
            "/intakes",
            intake_body(contact={"email": hostile}, client={"age": hostile}, culture={"backgrounds": [hostile]}),
            None,
            {"Idempotency-Key": uuid.uuid4().hex},
        ),
        ("POST", "/intakes", intake_body(), None, {"Idempotency-Key": hostile}),
        ("GET", f"/intakes/{reference}/status", None, None, {"X-Status-Token": hostile}),
        ("GET", f"/counselors?limit={hostile}&cursor={SENTINEL}", None, None, {}),
        ("GET", f"/review/intakes?status={hostile}", None, "staff", {}),
        ("POST", f"/review/intakes/{reference}/assignment", {"counselor_id": hostile}, "staff", {}),
        ("POST", f"/review/intakes/{reference}/decision", {"decision": hostile, "note": 5}, "staff", {}),
        ("POST", "/admin/counselors", counselor_body(name=hostile * 20, languages=[hostile]), "admin", {}),
        ("PATCH", f"/admin/counselors/{counselor.counselor_id}", {"version": hostile}, "admin", {}),
        ("GET", f"/admin/audit?day={hostile}", None, "admin", {}),
    ]
    for method, path, body, who, headers in cases:
        reply = api.request(method, path, body, as_=who, headers=headers)
        assert 400 <= reply.status < 500, (method, path, reply.status)
        assert SENTINEL not in reply.body.decode(), (method, path)
        assert "Traceback" not in reply.body.decode()


def test_an_unexpected_error_returns_a_plain_500_with_nothing_from_the_request_or_the_code(
    api: Api, roster: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{SENTINEL} internal detail at /var/task/shared/secret.py line 42")

    monkeypatch.setattr(api.functions["ReviewApiFunction"].module.review, "queue", explode)
    reply = api.get("/review/intakes", as_="staff")
    assert reply.status == 500
    assert reply.json == {"message": "Something went wrong on our side.", "code": "internal_error", "detail": []}


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/counselors?limit=101", None),
        ("/review/intakes?limit=101", "staff"),
        ("/admin/counselors?limit=101", "admin"),
        ("/admin/audit?day=2026-11-26&limit=101", "admin"),
    ],
)
def test_every_listing_caps_its_page_size(api: Api, path: str, who: str | None) -> None:
    assert api.get(path, as_=who).status == 422


def test_bodies_over_64_kb_are_refused_on_every_write_route(api: Api) -> None:
    huge = json.dumps({"padding": "x" * 70_000}).encode()
    for method, path, who in [
        ("POST", "/intakes", None),
        ("POST", "/review/intakes/in-aaaaaaaaaaaaaaaaaaaa/decision", "staff"),
        ("POST", "/admin/counselors", "admin"),
        ("PUT", "/admin/counselors/c-unknown01", "admin"),
    ]:
        reply = api.request(method, path, raw=huge, as_=who, headers={"Content-Type": "application/json"})
        assert reply.status == 413, (method, path)


def test_a_status_token_opens_only_its_own_intake(api: Api, roster: list) -> None:
    first = submit(api).json
    second = submit(api).json
    crossed = api.get(f"/intakes/{second['reference']}/status", headers={"X-Status-Token": first["status_token"]})
    assert crossed.status == 404
    own = api.get(f"/intakes/{second['reference']}/status", headers={"X-Status-Token": second["status_token"]})
    assert own.status == 200
    assert set(own.json) == STATUS_FIELDS


@pytest.mark.parametrize(
    "path",
    ["/intakes", "/intakes/in-aaaaaaaaaaaaaaaaaaaa/status", "/checkins/in-aaaaaaaaaaaaaaaaaaaa/1",
     "/intakes/in-aaaaaaaaaaaaaaaaaaaa/rematch-request"],
)  # fmt: skip
def test_a_method_a_function_does_not_serve_is_a_plain_404_not_a_500(api: Api, path: str) -> None:
    # API Gateway routes OPTIONS on every client route to its function (the preflight of a browser on
    # AllowedWebOrigin); without a configured origin there is nothing to answer.
    reply = api.request("OPTIONS", path)
    assert reply.status == 404
    assert reply.json["code"] == "not_found"


def test_every_route_a_client_calls_with_a_private_header_answers_the_browsers_preflight() -> None:
    routes = template.routes()
    served = {(r.path, r.method): r.function for r in routes}
    # a JSON body or a token header (every route about one intake) makes the browser ask first
    private = [
        r for r in routes
        if r.authorizer is None and r.method != "OPTIONS" and (r.method != "GET" or "{intake_id}" in r.path)
    ]  # fmt: skip
    assert len(private) >= 5
    for route in private:
        assert served.get((route.path, "OPTIONS")) == route.function, route.path
