"""Idempotency records, retention, erasure on request, and the audit trail."""

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError

from infra.local.provision import LocalStack
from shared.adapters.idempotency import record_id
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from tests.integration.conftest import submit
from tests.integration.harness import Api, deliver_events, sent_emails


def idempotency_records(aws: LocalStack) -> list[dict]:
    return aws.client("dynamodb").scan(TableName=aws.idempotency_table_name)["Items"]  # inspection only


def all_items(aws: LocalStack) -> list[dict]:
    return aws.client("dynamodb").scan(TableName=aws.table_name)["Items"]  # inspection only


def test_an_idempotency_record_is_keyed_as_expected_and_expires_with_the_retention_period(
    api: Api, aws: LocalStack, roster: list
) -> None:
    key = uuid.uuid4().hex
    submit(api, key=key)
    (record,) = idempotency_records(aws)
    assert record["id"]["S"] == record_id(key)
    retention_days = int(aws.function_environment("PublicApiFunction")["INTAKE_RETENTION_DAYS"])
    expected = time.time() + retention_days * 86400
    assert abs(int(record["expiration"]["N"]) - expected) < 120


def test_an_unassigned_intake_expires_after_the_retention_period_and_an_assigned_one_does_not(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    reference = submit(api).json["reference"]
    head = next(i for i in all_items(aws) if i["PK"]["S"] == f"INTAKE#{reference}" and i["SK"]["S"] == "INTAKE")
    assert abs(int(head["expires_at"]["N"]) - (time.time() + 180 * 86400)) < 120
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    head = next(i for i in all_items(aws) if i["PK"]["S"] == f"INTAKE#{reference}" and i["SK"]["S"] == "INTAKE")
    assert "expires_at" not in head


def test_erasing_an_intake_removes_it_and_everything_derived_and_keeps_a_bare_audit_entry(
    api: Api, aws: LocalStack, roster: list, repository: DynamoRepository
) -> None:
    key = uuid.uuid4().hex
    submitted = submit(api, key=key, contact={"name": "Erase Me Sentinel"}).json
    reference = submitted["reference"]
    api.get(f"/review/intakes/{reference}", as_="staff")
    api.post(
        f"/review/intakes/{reference}/decision", {"decision": "waitlist", "note": "Erase Me Sentinel note"}, as_="staff"
    )
    reply = api.request("DELETE", f"/admin/intakes/{reference}", as_="admin")
    assert reply.status == 200
    assert reply.json == {"reference": reference, "erased": True}
    remaining = all_items(aws)
    assert not [i for i in remaining if i["PK"]["S"] == f"INTAKE#{reference}"]
    assert not [i for i in remaining if i["PK"]["S"] == f"OUTBOX#{reference}"]  # the unsent confirmation email
    assert not idempotency_records(aws)
    assert "Erase Me Sentinel" not in str(remaining)
    erased = [i for i in remaining if i.get("action", {}).get("S") == "erased_intake"]
    assert len(erased) == 1
    assert set(erased[0]) == {"PK", "SK", "at", "actor", "actor_id", "action", "intake_id"}
    assert api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": submitted["status_token"]}).status == 404
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 404
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 404


def test_staff_cannot_erase_intakes(api: Api, roster: list) -> None:
    reference = submit(api).json["reference"]
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="staff").status == 403


def audit_since(api: Api, first_day: date) -> list[dict[str, Any]]:
    """The audit entries of every day from `first_day` to today (a test may run across midnight)."""
    entries: list[dict[str, Any]] = []
    day = first_day
    while day <= datetime.now(UTC).date():
        reply = api.get(f"/admin/audit?day={day.isoformat()}&limit=100", as_="admin")
        assert reply.status == 200
        entries.extend(reply.json["items"])
        day += timedelta(days=1)
    return entries


def test_admins_can_see_who_read_and_decided_what(api: Api, roster: list[CounselorProfile]) -> None:
    first_day = datetime.now(UTC).date()
    reference = submit(api).json["reference"]
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 200
    reply = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    assert reply.status == 200
    day = datetime.now(UTC).date().isoformat()
    entries = audit_since(api, first_day)
    mine = [e for e in entries if e["intake_id"] == reference]
    assert [(e["action"], e["actor"]) for e in mine] == [
        ("viewed_intake", "staff@practice.example"),
        ("assigned", "staff@practice.example"),
    ]
    assert mine[1]["counselor_id"] == roster[0].counselor_id
    assert any(e["action"] == "created_counselor" for e in entries)
    assert api.get(f"/admin/audit?day={day}", as_="staff").status == 403
    assert api.get("/admin/audit?day=yesterday", as_="admin").status == 422


def test_erasing_an_intake_after_the_match_removes_its_check_ins_and_emails_and_keeps_only_aggregates(
    api: Api, aws: LocalStack, roster: list
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": "erase.me@example.org"}).json
    reference = submitted["reference"]
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    api.post(f"/review/intakes/{reference}/sessions", as_="staff")
    deliver_events(api)
    (invitation,) = [e for e in sent_emails("erase.me@example.org") if "checkin#" in e.body]
    token = invitation.body.split("checkin#", 1)[1].split()[0].split(".")[2]
    answers = {"trust": 8, "understood": 8, "respected": 9, "agenda": 8, "overall": 8, "identity": 7,
               "not_working": "Erase Me Sentinel check-in"}  # fmt: skip
    assert api.post(f"/checkins/{reference}/1", answers, headers={"X-Check-In-Token": token}).status == 201
    api.post(f"/review/intakes/{reference}/sessions", as_="staff")  # leaves nothing queued: no check-in after 2
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200
    remaining = all_items(aws)
    assert not [i for i in remaining if i["PK"]["S"] in (f"INTAKE#{reference}", f"OUTBOX#{reference}")]
    assert "Erase Me Sentinel" not in str(remaining)
    assert "erase.me@example.org" not in str(remaining)
    assert [i for i in remaining if i["PK"]["S"] == "STATS"]  # counts and sums only, which name nobody
    assert all(reference not in str(i) for i in remaining if i["PK"]["S"] == "STATS")


def long_lived_intake(api: Api, counselor: CounselorProfile, sessions: int) -> str:
    """An assigned intake with a history longer than one DynamoDB transaction can delete (100 items)."""
    reference = str(submit(api).json["reference"])
    reply = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff")
    assert reply.status == 200, reply.json
    for _ in range(sessions):
        assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").status == 200
    return reference


def items_of(aws: LocalStack, reference: str) -> list[dict]:
    return [i for i in all_items(aws) if reference in i["PK"]["S"]]


def test_a_long_erasure_that_fails_partway_answers_503_and_repeating_it_erases_the_rest(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an intake of more than a hundred items, and DynamoDB failing the second transaction of the erasure
    reference = long_lived_intake(api, roster[0], sessions=105)
    assert len(items_of(aws, reference)) > 100
    original = botocore.client.BaseClient._make_api_call
    transactions = []

    def second_fails(self: Any, name: str, params: Any) -> Any:
        if name == "TransactWriteItems":
            transactions.append(name)
            if len(transactions) == 2:
                raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, name)
        return original(self, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", second_fails)
    # When an admin erases it
    reply = api.request("DELETE", f"/admin/intakes/{reference}", as_="admin")
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", original)
    # Then the request fails with 503 (docs/security.md: an erasure of more than 99 items is not all or nothing),
    # the intake itself is still there (it is deleted in the last transaction), and repeating the request finishes
    assert reply.status == 503
    assert len(transactions) == 2
    assert [i["SK"]["S"] for i in items_of(aws, reference) if i["SK"]["S"] == "INTAKE"] == ["INTAKE"]
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200
    # And then nothing of it is left, it reads as unknown, and the erasure is audited once
    assert items_of(aws, reference) == []
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 404
    audit = [i for i in all_items(aws) if i["PK"]["S"].startswith("AUDIT#") and i["action"]["S"] == "erased_intake"]
    assert [i["intake_id"]["S"] for i in audit] == [reference]
