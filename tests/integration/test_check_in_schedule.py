"""Check-ins by days after the match (CheckInAfterDays, "14,42" by default): they reach clients whose
sessions staff did not mark, and never double the check-ins that marked sessions already sent."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.integration.conftest import submit
from tests.integration.harness import (
    CLIENT,
    Api,
    check_in_link,
    deliver_events,
    hold_session,
    matched_client,
    run_check_in_schedule,
    send_check_in,
    sent_emails,
)
from tests.integration.test_call_budgets import CallLog, calls  # noqa: F401 (the fixture)
from tests.security.test_faults_on_every_write import snapshot


def days_later(api: Api, monkeypatch: pytest.MonkeyPatch, days: float) -> dict[str, Any]:
    """Runs the schedule as if `days` had passed since now."""
    schedule = api.functions["CheckInScheduleFunction"].module
    later = datetime.now(UTC) + timedelta(days=days)
    monkeypatch.setattr(schedule, "utc_now", lambda: later)
    result: dict[str, Any] = run_check_in_schedule(api)
    return result


def invitations(api: Api) -> list[tuple[str, int, str]]:
    deliver_events(api)
    return [check_in_link(e.body) for e in sent_emails(CLIENT) if "checkin#" in e.body]


def staff_check_ins(api: Api, reference: str) -> list[dict[str, Any]]:
    check_ins: list[dict[str, Any]] = api.get(f"/review/intakes/{reference}", as_="staff").json["check_ins"]
    return check_ins


def test_a_check_in_goes_out_by_the_scheduled_day_when_no_session_was_marked(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    assert days_later(api, monkeypatch, 13.9) == {"sent": 0, "dropped": 0, "failed": 0}
    assert invitations(api) == []

    assert days_later(api, monkeypatch, 14.1) == {"sent": 1, "dropped": 0, "failed": 0}
    (link,) = invitations(api)
    assert link[:2] == (reference, 1)
    (stored,) = staff_check_ins(api, reference)
    assert (stored["after_days"], stored["after_session"], stored["counselor_id"]) == (14, 0, roster[0].counselor_id)
    assert send_check_in(api, link).status == 201  # the link works like any other check-in's
    assert days_later(api, monkeypatch, 14.2) == {"sent": 0, "dropped": 0, "failed": 0}  # sent once

    assert days_later(api, monkeypatch, 42.1) == {"sent": 1, "dropped": 0, "failed": 0}
    assert [n for _, n, _ in invitations(api)] == [1, 2]
    assert days_later(api, monkeypatch, 400) == {"sent": 0, "dropped": 0, "failed": 0}  # nothing more is scheduled


def test_sessions_and_days_count_the_same_check_ins(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    assert hold_session(api, reference)["check_in_sent"] is True  # the first check-in, after session 1
    assert days_later(api, monkeypatch, 15) == {"sent": 0, "dropped": 1, "failed": 0}  # so day 14 sends nothing
    assert days_later(api, monkeypatch, 43) == {"sent": 1, "dropped": 0, "failed": 0}  # the second, by day 42
    assert hold_session(api, reference)["check_in_sent"] is False
    assert hold_session(api, reference)["check_in_sent"] is False  # session 3 finds the second already sent
    assert [c["number"] for c in staff_check_ins(api, reference)] == [1, 2]
    assert len(invitations(api)) == 2


def test_a_rematch_cancels_the_previous_counselors_schedule_and_a_new_match_starts_its_own(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference = submitted["reference"]
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    reply = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "Someone with more evening hours"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 202
    assert days_later(api, monkeypatch, 50) == {"sent": 0, "dropped": 2, "failed": 0}
    assert invitations(api) == []

    new = api.post(
        f"/review/intakes/{reference}/assignment",
        {"counselor_id": roster[1].counselor_id, "reason": "Has the evening hours the client asked for"},
        as_="staff",
    )
    assert new.status == 200, new.json
    assert days_later(api, monkeypatch, 15) == {"sent": 1, "dropped": 0, "failed": 0}
    (stored,) = staff_check_ins(api, reference)
    assert stored["counselor_id"] == roster[1].counselor_id


def test_a_closed_intake_gets_no_scheduled_check_ins(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200
    assert days_later(api, monkeypatch, 50) == {"sent": 0, "dropped": 0, "failed": 0}  # erased with the intake
    assert invitations(api) == []


def test_an_entry_that_keeps_failing_does_not_hold_up_the_others(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = matched_client(api, roster[0])
    other = matched_client(api, roster[1])
    store = api.functions["CheckInScheduleFunction"].module.store()
    read = store.get_intake

    def broken_for_one(intake_id: str) -> Any:
        if intake_id == stuck:
            raise ValueError("this intake cannot be read")
        return read(intake_id)

    monkeypatch.setattr(store, "get_intake", broken_for_one)
    assert days_later(api, monkeypatch, 15) == {"sent": 1, "dropped": 0, "failed": 1}
    assert [c["number"] for c in staff_check_ins(api, other)] == [1]


def test_the_schedule_run_stays_within_its_call_budget(
    calls: CallLog,  # noqa: F811 (the fixture)
    api: Api,
    roster: list[CounselorProfile],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    matched_client(api, roster[0])
    # nothing due: one query of the index
    assert calls.during(lambda: days_later(api, monkeypatch, 1)) == Counter({"dynamodb.Query": 1})
    # one due: the index, the intake, the counselor's public name, one transaction, one event
    assert calls.during(lambda: days_later(api, monkeypatch, 15)) == Counter(
        {"dynamodb.Query": 2, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )


def test_a_run_that_fails_changes_nothing_and_the_next_run_sends(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    before = snapshot(aws)
    original = botocore.client.BaseClient._make_api_call

    def failing(self: Any, name: str, params: Any) -> Any:
        if name == "TransactWriteItems":
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, name)
        return original(self, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", failing)
    # the entry fails (and is counted, with its reference in the log); the run goes on and ends normally
    assert days_later(api, monkeypatch, 15) == {"sent": 0, "dropped": 0, "failed": 1}
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", original)
    assert snapshot(aws) == before
    assert days_later(api, monkeypatch, 15) == {"sent": 1, "dropped": 0, "failed": 0}
    assert [n for ref, n, _ in invitations(api) if ref == reference] == [1]
