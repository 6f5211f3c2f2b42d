"""DynamoDB throttling or failing on each write path: 503 with Retry-After, and nothing half-written."""

import uuid
from collections.abc import Callable
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api


def snapshot(aws: LocalStack) -> list[Any]:
    client = aws.client("dynamodb")
    items = client.scan(TableName=aws.table_name)["Items"] + client.scan(TableName=aws.idempotency_table_name)["Items"]
    return sorted(items, key=repr)  # test inspection only


Request = Callable[[Api, str, CounselorProfile], Any]

WRITES: dict[str, tuple[str, Request]] = {
    "submit (idempotency record)": ("PutItem", lambda api, ref, c: submit(api)),
    "submit (intake transaction)": ("TransactWriteItems", lambda api, ref, c: submit(api)),
    "staff opens an intake": ("TransactWriteItems", lambda api, ref, c: api.get(f"/review/intakes/{ref}", as_="staff")),
    "assign": (
        "TransactWriteItems",
        lambda api, ref, c: api.post(
            f"/review/intakes/{ref}/assignment", {"counselor_id": c.counselor_id}, as_="staff"
        ),
    ),
    "decide": (
        "TransactWriteItems",
        lambda api, ref, c: api.post(f"/review/intakes/{ref}/decision", {"decision": "waitlist"}, as_="staff"),
    ),
    "rematch": ("TransactWriteItems", lambda api, ref, c: api.post(f"/review/intakes/{ref}/rematch", as_="staff")),
    "create counselor": (
        "TransactWriteItems",
        lambda api, ref, c: api.post("/admin/counselors", counselor_body(), as_="admin"),
    ),
    "update counselor": (
        "TransactWriteItems",
        lambda api, ref, c: api.request(
            "PUT", f"/admin/counselors/{c.counselor_id}", {**counselor_body(), "version": c.version}, as_="admin"
        ),
    ),
    "change capacity": (
        "TransactWriteItems",
        lambda api, ref, c: api.request(
            "PATCH", f"/admin/counselors/{c.counselor_id}", {"version": c.version, "open_slots": 9}, as_="admin"
        ),
    ),
    "erase intake": (
        "TransactWriteItems",
        lambda api, ref, c: api.request("DELETE", f"/admin/intakes/{ref}", as_="admin"),
    ),
}


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
@pytest.mark.parametrize("write", list(WRITES))
def test_a_failing_write_is_503_with_retry_after_and_changes_nothing(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch, write: str, code: str
) -> None:
    reference = submit(api, key=uuid.uuid4().hex).json["reference"]
    operation, request = WRITES[write]
    before = snapshot(aws)
    original = botocore.client.BaseClient._make_api_call

    def failing(self: Any, name: str, params: Any) -> Any:
        if name == operation:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, name)
        return original(self, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", failing)
    reply = request(api, reference, roster[0])
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", original)
    assert reply.status == 503, (write, reply.status, reply.body[:200])
    assert reply.header("Retry-After") == "2"
    assert reply.json["code"] == "unavailable"
    assert snapshot(aws) == before, f"{write} changed something although it failed"


# ---------------------------------------------------------------- after the match

LOW = {"trust": 3, "understood": 5, "respected": 5, "agenda": 5, "overall": 4, "identity": 6}


def assigned(api: Api, counselor: CounselorProfile) -> dict[str, Any]:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": "faults@example.org"}).json
    reply = api.post(
        f"/review/intakes/{submitted['reference']}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff"
    )
    assert reply.status == 200, reply.json
    return dict(submitted)


def invited(api: Api, counselor: CounselorProfile) -> dict[str, Any]:
    from tests.integration.harness import deliver_events, sent_emails

    intake = assigned(api, counselor)
    reply = api.post(f"/review/intakes/{intake['reference']}/sessions", as_="staff")
    assert reply.status == 200
    assert reply.json["check_in_sent"] is True
    deliver_events(api)
    (email,) = [e for e in sent_emails("faults@example.org") if "checkin#" in e.body]
    intake["check_in_token"] = email.body.split("checkin#", 1)[1].split()[0].split(".")[2]
    return intake


def at_risk(api: Api, counselor: CounselorProfile) -> dict[str, Any]:
    intake = invited(api, counselor)
    headers = {"X-Check-In-Token": intake["check_in_token"]}
    assert api.post(f"/checkins/{intake['reference']}/1", LOW, headers=headers).status == 201
    return intake


Setup = Callable[[Api, CounselorProfile], dict[str, Any]]
AFTER: dict[str, tuple[str, Setup, Callable[[Api, dict[str, Any]], Any]]] = {
    "record a session": (
        "TransactWriteItems", assigned,
        lambda api, i: api.post(f"/review/intakes/{i['reference']}/sessions", as_="staff"),
    ),
    "send a check-in": (
        "TransactWriteItems", invited,
        lambda api, i: api.post(
            f"/checkins/{i['reference']}/1", LOW, headers={"X-Check-In-Token": i["check_in_token"]}
        ),
    ),
    "review a bond at risk": (
        "TransactWriteItems", at_risk,
        lambda api, i: api.post(f"/review/intakes/{i['reference']}/bond-review", {"note": "called"}, as_="staff"),
    ),
    "ask for someone else": (
        "TransactWriteItems", assigned,
        lambda api, i: api.post(f"/intakes/{i['reference']}/rematch-request", {"what_to_change": "style"},
                                headers={"X-Status-Token": i["status_token"]}),
    ),
}  # fmt: skip


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "InternalServerError"])
@pytest.mark.parametrize("write", list(AFTER))
def test_a_failing_write_after_the_match_is_503_and_changes_nothing(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch, write: str, code: str
) -> None:
    operation, setup, request = AFTER[write]
    intake = setup(api, roster[0])
    before = snapshot(aws)
    original = botocore.client.BaseClient._make_api_call

    def failing(self: Any, name: str, params: Any) -> Any:
        if name == operation:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, name)
        return original(self, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", failing)
    reply = request(api, intake)
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", original)
    assert reply.status == 503, (write, reply.status, reply.body[:200])
    assert reply.header("Retry-After") == "2"
    assert snapshot(aws) == before, f"{write} changed something although it failed"
    assert request(api, intake).status in (200, 201, 202)  # and the same request succeeds once the store is back
