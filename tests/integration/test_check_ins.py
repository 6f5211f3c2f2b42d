"""After the match: check-ins after sessions, sent once, and the early warning of a bond at risk, through the
real handlers and moto."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.provision import NOTIFICATION_EMAIL, LocalStack
from shared.domain.counselor import CounselorProfile
from shared.services.intakes import client_rematch_change
from tests.integration.conftest import submit
from tests.integration.harness import (
    CLIENT,
    GOOD,
    STATUS_FIELDS,
    Api,
    deliver_events,
    expect,
    hold_session,
    latest_check_in,
    matched_client,
    matched_submission,
    send_check_in,
    sent_emails,
    status_link,
    stored_items,
)


def test_check_ins_are_sent_after_the_first_and_third_sessions(api: Api, roster: list[CounselorProfile]) -> None:
    reference = matched_client(api, roster[0])
    assert hold_session(api, reference) == {"reference": reference, "sessions_held": 1, "check_in_sent": True}
    first = latest_check_in(api)
    assert first[:2] == (reference, 1)
    assert hold_session(api, reference)["check_in_sent"] is False
    assert hold_session(api, reference)["check_in_sent"] is True
    second = latest_check_in(api)
    assert second[:2] == (reference, 2)
    assert second[2] != first[2]
    invitations = [e for e in sent_emails(CLIENT) if "checkin#" in e.body]
    assert len(invitations) == 2
    assert all("Sam Rivera" not in e.body for e in invitations)


def test_sessions_can_only_be_recorded_for_an_assigned_intake(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    reference = expect(201, submit(api)).json["reference"]
    before = stored_items(aws)
    reply = api.post(f"/review/intakes/{reference}/sessions", as_="staff")
    assert reply.status == 409
    assert stored_items(aws) == before  # no session counted, no check-in queued
    assert "assigned" in reply.json["message"]


def test_a_check_in_can_be_sent_once(api: Api, aws: LocalStack, roster: list[CounselorProfile]) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    link = latest_check_in(api)
    headers = {"X-Check-In-Token": link[2]}
    page = api.get(f"/checkins/{reference}/1", headers=headers)
    assert page.status == 200
    assert page.json["state"] == "open"
    assert page.json["counselor_name"] == roster[0].name
    assert [q["item"] for q in page.json["questions"]] == [
        "trust", "understood", "respected", "agenda", "overall", "identity",
    ]  # fmt: skip
    assert page.json["questions"][0]["text"] == "I felt I could trust my counselor."
    spanish = api.get(f"/checkins/{reference}/1?lang=es", headers=headers).json["questions"]
    assert [q["item"] for q in spanish] == [q["item"] for q in page.json["questions"]]
    assert spanish[0]["text"] == "Sentí que podía confiar en mi consejero."
    assert api.get(f"/checkins/{reference}/1?lang=zz", headers=headers).json == page.json
    assert send_check_in(api, link).status == 201
    before = stored_items(aws)
    again = send_check_in(api, link, trust=3)
    assert again.status == 409
    assert stored_items(aws) == before  # the answers, the counters and the outbox as they were
    assert again.json["code"] == "already_sent"
    assert api.get(f"/checkins/{reference}/1", headers=headers).json["state"] == "sent"
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    (stored,) = detail["check_ins"]
    assert stored["answers"]["trust"] == GOOD["trust"]  # the second attempt changed nothing


def test_an_expired_check_in_link_gets_a_clear_answer(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    link = latest_check_in(api)
    client_api = api.functions["ClientApiFunction"].module
    monkeypatch.setattr(client_api, "utc_now", lambda: datetime.now(UTC) + timedelta(days=15))
    page = api.get(f"/checkins/{reference}/1", headers={"X-Check-In-Token": link[2]})
    assert page.status == 200
    assert page.json["state"] == "expired"
    late = send_check_in(api, link)
    assert late.status == 410
    assert late.json["code"] == "link_expired"


def test_a_wrong_check_in_token_looks_like_no_check_in(api: Api, roster: list[CounselorProfile]) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    _, _, token = latest_check_in(api)
    wrong = api.get(f"/checkins/{reference}/1", headers={"X-Check-In-Token": "w" * 43})
    missing = api.get(f"/checkins/{reference}/2", headers={"X-Check-In-Token": token})
    assert wrong.status == missing.status == 404
    assert wrong.json == missing.json
    assert send_check_in(api, (reference, 1, "w" * 43)).status == 404


def test_a_low_score_puts_the_client_in_the_attention_queue_with_the_trend(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    worry = "Sentinel: my counselor keeps checking the clock"
    assert send_check_in(api, latest_check_in(api), respected=4, not_working=worry).status == 201

    attention = api.get("/review/intakes?stage=attention", as_="staff").json["items"]
    assert [i["reference"] for i in attention] == [reference]
    assert api.get("/review/intakes?stage=assigned", as_="staff").json["items"] == []
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["bond_at_risk"] is True
    (check_in,) = detail["check_ins"]
    assert check_in["risk"] == ["low_score"]
    assert check_in["answers"]["not_working"] == worry  # staff see the free text
    deliver_events(api)
    warning = [e for e in sent_emails(NOTIFICATION_EMAIL) if "needs attention" in e.subject]
    assert len(warning) == 1
    assert reference in warning[0].body
    assert worry not in warning[0].body

    reviewed = api.post(f"/review/intakes/{reference}/bond-review", {"note": "Called the client"}, as_="staff")
    assert reviewed.status == 200
    assert api.get("/review/intakes?stage=attention", as_="staff").json["items"] == []
    assert [i["reference"] for i in api.get("/review/intakes?stage=assigned", as_="staff").json["items"]] == [reference]
    before = stored_items(aws)
    assert api.post(f"/review/intakes/{reference}/bond-review", {}, as_="staff").status == 409
    assert stored_items(aws) == before  # no second review in the history, the queue as it was


def test_a_drop_since_the_last_check_in_is_a_warning_even_when_every_score_is_fair(
    api: Api, roster: list[CounselorProfile]
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    assert (
        send_check_in(api, latest_check_in(api), trust=10, understood=10, respected=10, agenda=10, overall=10).status
        == 201
    )
    assert api.get(f"/review/intakes/{reference}", as_="staff").json["bond_at_risk"] is False
    hold_session(api, reference)
    hold_session(api, reference)
    assert (
        send_check_in(api, latest_check_in(api), trust=8, understood=8, respected=8, agenda=8, overall=8).status == 201
    )
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["bond_at_risk"] is True
    assert detail["check_ins"][1]["risk"] == ["dropped"]
    assert [c["answers"]["overall"] for c in detail["check_ins"]] == [10, 8]  # the trend staff see


def test_a_new_counselor_starts_a_new_trend(api: Api, roster: list[CounselorProfile], repository: Any) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference = submitted["reference"]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    )
    hold_session(api, reference)
    perfect = {"trust": 10, "understood": 10, "respected": 10, "agenda": 10, "overall": 10}
    assert send_check_in(api, latest_check_in(api), **perfect).status == 201
    asked = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "Someone closer to home"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert asked.status == 202
    reason = {"reason": "Closer to the client's home"}
    expect(
        200,
        api.post(
            f"/review/intakes/{reference}/assignment", {"counselor_id": roster[1].counselor_id, **reason}, as_="staff"
        ),
    )
    hold_session(api, reference)
    fair = {"trust": 8, "understood": 8, "respected": 8, "agenda": 8, "overall": 8}
    assert send_check_in(api, latest_check_in(api), **fair).status == 201
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["check_ins"][1]["risk"] == []  # not a drop: the 10s were about the previous counselor
    assert detail["bond_at_risk"] is False
    counted = {c.name: c.values for c in repository.report_counters()}
    assert counted["ASSIGN"]["n"] == 1  # one client matched: the new counselor is not a second intake's wait
    assert counted["REMATCH"]["n"] == 1


def test_a_check_in_sent_while_the_client_moves_on_is_kept_and_says_so(
    api: Api, roster: list[CounselorProfile], repository: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    link = latest_check_in(api)
    store = api.functions["ClientApiFunction"].module.store()
    read = store.get_intake
    moved: list[str] = []

    def read_then_move_on(intake_id: str) -> Any:
        intake = read(intake_id)
        if not moved:  # the client asks for someone else in another tab, just after this read
            match = intake.match.model_copy(update={"roster_version": repository.roster_version()})
            repository.client_rematch(client_rematch_change(intake, match, "Someone else", datetime.now(UTC)))
            moved.append(intake_id)
        return intake

    monkeypatch.setattr(store, "get_intake", read_then_move_on)
    sent = send_check_in(api, link, trust=3, not_working="Sentinel: it is not working")
    assert sent.status == 201, sent.json  # never "we already have it" for answers that would be lost
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["status"] == "needs_rematch"
    assert detail["bond_at_risk"] is False  # the client already left that counselor
    (check_in,) = detail["check_ins"]
    assert check_in["answers"]["trust"] == 3


def test_the_status_page_never_shows_check_in_answers(api: Api, roster: list[CounselorProfile]) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    expect(
        200,
        api.post(
            f"/review/intakes/{submitted['reference']}/assignment",
            {"counselor_id": roster[0].counselor_id},
            as_="staff",
        ),
    )
    hold_session(api, submitted["reference"])
    expect(201, send_check_in(api, latest_check_in(api), respected=2, not_working="Sentinel free text"))
    status = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert set(status.json) == STATUS_FIELDS
    assert b"Sentinel" not in status.body
    assert b"respected" not in status.body


def support_emails() -> list[Any]:
    return [e for e in sent_emails(CLIENT) if e.subject.startswith("Thank you for your check-in")]


def test_a_low_check_in_emails_the_client_a_status_link_that_opens_at_asking_for_someone_else(
    api: Api, roster: list[CounselorProfile]
) -> None:
    submitted = matched_submission(api, roster[0])
    reference = submitted["reference"]
    hold_session(api, reference)
    check_in = latest_check_in(api)
    worry = "Sentinel: my counselor keeps checking the clock"
    sent = send_check_in(api, check_in, trust=2, respected=4, not_working=worry)
    assert sent.status == 201
    assert sent.json == {"reference": reference, "number": 1, "received": True, "support_email_sent": True}
    deliver_events(api)
    (email,) = support_emails()
    assert f"status#{reference}." in email.body and ".someone-else" in email.body
    assert "If you would like someone else, you can ask here in one step:" in email.body
    # the link carries a fresh status token: it opens the status route, and it is not the check-in token
    linked_reference, token = status_link(email.body)
    assert linked_reference == reference and token not in (submitted["status_token"], check_in[2])
    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token})
    assert status.status == 200 and status.json["can_request_rematch"] is True
    # the check-in token still cannot read the status or ask for a rematch
    with_check_in_token = {"X-Status-Token": check_in[2]}
    assert api.get(f"/intakes/{reference}/status", headers=with_check_in_token).status == 404
    wish = {"what_to_change": "Someone else"}
    assert api.post(f"/intakes/{reference}/rematch-request", wish, headers=with_check_in_token).status == 404


def test_the_support_email_never_carries_the_answers(api: Api, roster: list[CounselorProfile]) -> None:
    """Two clients with different low scores and words get the same email, but for the link and the dates."""
    bodies = []
    for scores in ({"trust": 3, "overall": 5, "not_working": "Sentinel: we never talk about my faith"},
                   {"understood": 0, "agenda": 1, "identity": 2, "not_working": "Sentinel: too rushed"}):  # fmt: skip
        reference = matched_client(api, roster[0])
        hold_session(api, reference)
        expect(201, send_check_in(api, latest_check_in(api), **scores))
        deliver_events(api)
        body = support_emails()[-1].body
        assert "Sentinel" not in body and reference in body
        masked = re.sub(r"\S*status#\S+", "<link>", body.replace(reference, "<reference>"))
        bodies.append(re.sub(r"until [A-Z][a-z]+ \d{1,2}, \d{4}", "until <date>", masked))
    assert bodies[0] == bodies[1]
    assert not re.search(r"\b(10|[0-9])\b", bodies[0])  # no score of 0-10 anywhere in it


def test_a_good_check_in_sends_no_support_email(api: Api, roster: list[CounselorProfile]) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    sent = send_check_in(api, latest_check_in(api))
    assert sent.status == 201 and sent.json["support_email_sent"] is False
    deliver_events(api)
    assert support_emails() == []
    assert all("someone-else" not in e.body for e in sent_emails(CLIENT))
