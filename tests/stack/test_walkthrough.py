"""The README walkthrough, run against `make run`'s stack over real HTTP with real Cognito tokens."""

import base64
import json
import uuid

import pytest

from infra.local import demo
from infra.local.stack import RunningStack
from tests.factories import intake_body
from tests.stack.conftest import Http, sign_in

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def test_submit_sign_in_review_assign_and_see_the_match_on_the_status_link(http: Http, staff_token: str) -> None:
    # A client submits an intake
    submitted = http.request(
        "POST",
        "/intakes",
        intake_body(values={"values": ["family"], "importance": "important"}),
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert submitted.status == 201
    reference, token = submitted.json["reference"], submitted.json["status_token"]
    # Staff sign in and find it in the queue (other tests share this stack: page through it)
    listed = [i["reference"] for i in http.every("/review/intakes", headers={"Authorization": staff_token})]
    assert reference in listed
    # They open it and see suggestions with reasons
    detail = http.request("GET", f"/review/intakes/{reference}", headers={"Authorization": staff_token}).json
    best = detail["match"]["suggestions"][0]
    assert best["reasons"]
    assert best["name"]
    # They assign the best suggestion
    assigned = http.request(
        "POST",
        f"/review/intakes/{reference}/assignment",
        {"counselor_id": best["counselor_id"]},
        headers={"Authorization": staff_token},
    )
    assert assigned.status == 200
    # The client's status link shows the match, with the counselor's public profile only
    status = http.request("GET", f"/intakes/{reference}/status", headers={"X-Status-Token": token})
    assert status.status == 200
    assert status.json["stage"] == "matched"
    assert status.json["counselor"]["name"] == best["name"]
    assert "open_slots" not in status.json["counselor"]


def test_the_gateway_checks_tokens_like_the_cognito_authorizer(
    stack: RunningStack, http: Http, staff_token: str
) -> None:
    assert http.request("GET", "/review/intakes").status == 401
    header, payload, signature = staff_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:groups"] = ["staff", "admin"]
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = f"{header}.{forged_payload}.{signature}"
    assert http.request("GET", "/admin/counselors", headers={"Authorization": forged}).status == 401
    assert http.request("GET", "/admin/counselors", headers={"Authorization": staff_token}).status == 403


def test_an_admin_can_manage_the_roster_through_the_gateway(stack: RunningStack, http: Http, admin_token: str) -> None:
    listed = {item["counselor_id"] for item in http.every("/admin/counselors", headers={"Authorization": admin_token})}
    assert {c["counselor_id"] for c in demo.ROSTER} <= listed
    assert sign_in(stack, *demo.ADMIN_USER)


def test_the_demo_counselor_signs_in_with_a_real_token_and_reaches_only_their_own_profile(
    http: Http, counselor_token: str, staff_token: str
) -> None:
    auth = {"Authorization": counselor_token}
    own = http.request("GET", "/counselor/profile", headers=auth)
    assert own.status == 200, own.body
    assert own.json["profile"]["counselor_id"] == demo.ROSTER[0]["counselor_id"]
    assert http.request("GET", "/review/intakes", headers=auth).status == 403
    assert http.request("GET", "/admin/counselors", headers=auth).status == 403
    assert http.request("GET", "/counselor/profile", headers={"Authorization": staff_token}).status == 403
    assert http.request("GET", "/counselor/profile").status == 401


def test_the_demo_roster_is_varied_enough_to_show_matching(http: Http) -> None:
    seeded = {c["counselor_id"] for c in demo.ROSTER}
    directory = [c for c in http.every("/counselors") if c["counselor_id"] in seeded]  # not what other tests added
    assert len(directory) >= 20
    assert len({lang for c in directory for lang in c["languages"]}) >= 8
    assert any(c["faith_integration"] for c in directory)
    assert any("in_person" in c["formats"] for c in directory) and any(
        c["formats"] == ["telehealth"] for c in directory
    )


def test_the_openapi_document_is_served(http: Http) -> None:
    document = http.request("GET", "/openapi.json").json
    assert "/intakes" in document["paths"]
    assert document["paths"]["/review/intakes"]["get"]["security"] == [{"staffToken": []}]
