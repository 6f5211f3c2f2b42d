"""After the match: client emails, check-ins after sessions, the early warning, the client's own rematch,
ratings as evidence in matching, and the match-quality report, through the real handlers and moto."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.provision import NOTIFICATION_EMAIL, LocalStack
from shared.domain.counselor import CounselorProfile
from shared.services.intakes import client_rematch_change
from shared.services.notifications import MAX_ATTEMPTS, retry_delay
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api, deliver_events, sent_emails, sweep_outbox

CLIENT = "client@example.org"
GOOD = {"trust": 9, "understood": 9, "respected": 10, "agenda": 9, "overall": 9, "identity": 9}


def status_link(text: str) -> tuple[str, str]:
    found = re.findall(r"status#(in-[a-z2-7]{20})\.([A-Za-z0-9_\-]+)", text)
    assert found, "no status link in the email"
    return found[-1]


def check_in_link(text: str) -> tuple[str, int, str]:
    (found,) = re.findall(r"checkin#(in-[a-z2-7]{20})\.(\d+)\.([A-Za-z0-9_\-]+)", text)
    return found[0], int(found[1]), found[2]


def matched_client(api: Api, counselor: CounselorProfile, **changes: Any) -> str:
    """Submits an intake and assigns `counselor` to it; returns the reference."""
    reference: str = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}, **changes).json["reference"]
    reply = api.post(
        f"/review/intakes/{reference}/assignment",
        {"counselor_id": counselor.counselor_id, "reason": "Chosen for the tests in this module"},
        as_="staff",
    )
    assert reply.status == 200, reply.json
    return reference


def hold_session(api: Api, reference: str) -> dict[str, Any]:
    reply = api.post(f"/review/intakes/{reference}/sessions", as_="staff")
    assert reply.status == 200, reply.json
    body: dict[str, Any] = reply.json
    return body


def latest_check_in(api: Api) -> tuple[str, int, str]:
    deliver_events(api)
    invitations = [e for e in sent_emails(CLIENT) if "checkin#" in e.body]
    return check_in_link(invitations[-1].body)


def send_check_in(api: Api, link: tuple[str, int, str], **answers: Any) -> Any:
    reference, number, token = link
    return api.post(f"/checkins/{reference}/{number}", {**GOOD, **answers}, headers={"X-Check-In-Token": token})


# ---------------------------------------------------------------- emails


def test_the_client_is_emailed_a_private_status_link_that_works_and_none_of_their_answers(
    api: Api, roster: list[CounselorProfile]
) -> None:
    sentinels = ["Sentinel Juniper", "Sentinel worry about my sister", "Sentinel what matters"]
    reference = submit(
        api,
        contact={"name": sentinels[0], "email": CLIENT},
        concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": sentinels[1]},
        reflections={"what_matters_most": sentinels[2]},
    ).json["reference"]
    deliver_events(api)
    (email,) = sent_emails(CLIENT)
    assert "We received your answers" in email.subject
    for sentinel in sentinels:
        assert sentinel not in email.subject + email.body
    linked_reference, token = status_link(email.body)
    assert linked_reference == reference
    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token})
    assert status.status == 200 and status.json["stage"] == "received"
    assert "988" in email.body  # crisis resources in every client email


def test_assignment_emails_the_match_with_the_counselors_public_details_and_a_fresh_link(
    api: Api, roster: list[CounselorProfile]
) -> None:
    reference = matched_client(api, roster[0])
    deliver_events(api)
    confirmation, matched = sent_emails(CLIENT)
    assert "matched" in matched.subject
    assert roster[0].name in matched.body
    assert "LPC" in matched.body
    assert f"directory#{roster[0].counselor_id}" in matched.body
    assert "different counselor" in matched.body  # the client stays in the driver's seat
    fresh = status_link(matched.body)
    assert fresh != status_link(confirmation.body)
    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": fresh[1]}).json
    assert status["stage"] == "matched"
    assert status["counselor"]["counselor_id"] == roster[0].counselor_id
    assert status["can_request_rematch"] is True


def test_a_status_link_stops_working_when_it_expires(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted = submit(api).json
    public = api.functions["PublicApiFunction"].module
    later = datetime.now(UTC) + timedelta(days=181)
    monkeypatch.setattr(public, "utc_now", lambda: later)
    reply = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert reply.status == 410
    assert reply.json["code"] == "link_expired"
    assert submitted["reference"] not in reply.body.decode()


class RefusingMailer:
    """Stands in for SES: refuses every email to the client (and, while `practice_down`, the practice's
    "could not email a client" notice), counts the client's tries, and sends the rest through the real one."""

    def __init__(self, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
        self.notifier = api.functions["NotifierFunction"].module
        self.real = self.notifier.mailer()
        self.tries: list[str] = []
        self.practice_down = False
        monkeypatch.setattr(self.notifier, "mailer", lambda: self)

    def send(self, to: str, subject: str, text: str) -> str:
        if to == CLIENT:
            self.tries.append(subject)
            raise RuntimeError("MessageRejected: address not verified")
        if self.practice_down and "could not email a client" in subject:
            raise RuntimeError("MessageRejected")
        return str(self.real.send(to, subject, text))


def test_an_email_that_cannot_be_sent_is_kept_and_retried_and_never_fails_the_request(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = RefusingMailer(api, monkeypatch)
    notifier = refusing.notifier
    reply = submit(api, contact={"name": "Sam Rivera", "email": CLIENT})
    assert reply.status == 201  # the request never waits for, or fails with, an email
    deliver_events(api)  # the practice's email goes; the client's stays in the outbox
    assert sent_emails(CLIENT) == []
    assert len(sent_emails(NOTIFICATION_EMAIL)) == 1
    (waiting,) = api.functions["NotifierFunction"].module.outbox().pending_emails(reply.json["reference"])
    assert waiting.attempts == 1

    monkeypatch.setattr(notifier, "mailer", lambda: refusing.real)
    monkeypatch.setattr(notifier, "utc_now", lambda: datetime.now(UTC) + timedelta(minutes=4))
    assert sweep_outbox(api) == {"swept": 0, "failed": 0}  # tried again 5 minutes after the failure
    monkeypatch.setattr(notifier, "utc_now", lambda: datetime.now(UTC) + timedelta(minutes=8))
    assert sweep_outbox(api) == {"swept": 1, "failed": 0}
    (email,) = sent_emails(CLIENT)
    assert status_link(email.body)[0] == reply.json["reference"]
    assert notifier.outbox().pending_emails(reply.json["reference"]) == []
    assert sweep_outbox(api) == {"swept": 0, "failed": 0}  # sent once, never twice


def test_an_email_that_keeps_failing_is_given_up_after_a_day_and_the_practice_is_told(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = RefusingMailer(api, monkeypatch)
    notifier, tries = refusing.notifier, refusing.tries
    reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
    deliver_events(api)
    start = datetime.now(UTC)
    for hour in range(1, 48):  # the schedule, hourly here (every 5 minutes on AWS)
        monkeypatch.setattr(notifier, "utc_now", lambda hour=hour: start + timedelta(hours=hour))
        sweep_outbox(api)
    assert len(tries) == MAX_ATTEMPTS == 10  # backing off, not at every sweep
    assert notifier.outbox().pending_emails(reference) == []
    (notice,) = [e for e in sent_emails(NOTIFICATION_EMAIL) if "could not email a client" in e.subject]
    assert reference in notice.body
    assert CLIENT not in notice.body and "Sam Rivera" not in notice.body


def test_a_new_event_for_the_intake_does_not_skip_a_failed_emails_wait(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = RefusingMailer(api, monkeypatch)
    tries = refusing.tries
    matched_client(api, roster[0])  # the confirmation fails once; then the assignment queues another email
    deliver_events(api)
    assert len(tries) == 2  # the confirmation once, the new email once: not the confirmation again at once


def test_when_the_practice_cannot_be_told_either_the_email_waits_hours_not_minutes(
    api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = RefusingMailer(api, monkeypatch)
    notifier = refusing.notifier
    refusing.practice_down = True
    reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
    deliver_events(api)
    start = datetime.now(UTC)
    for hour in range(1, 30):
        monkeypatch.setattr(notifier, "utc_now", lambda hour=hour: start + timedelta(hours=hour))
        sweep_outbox(api)
    (waiting,) = notifier.outbox().pending_emails(reference)  # kept: the practice has not been told yet
    assert waiting.attempts == MAX_ATTEMPTS  # ten tries of the client email
    assert waiting.retry_at is not None and waiting.retry_at - (start + timedelta(hours=29)) > timedelta(hours=1)
    refusing.practice_down = False
    monkeypatch.setattr(notifier, "utc_now", lambda: start + timedelta(hours=40))
    sweep_outbox(api)
    assert notifier.outbox().pending_emails(reference) == []
    assert [e for e in sent_emails(NOTIFICATION_EMAIL) if "could not email a client" in e.subject]


def test_retries_back_off_from_five_minutes_to_at_most_six_hours() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert retry_delay(8) == retry_delay(50) == timedelta(hours=6)
    assert sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta()) < timedelta(days=2)  # before expiry


# ---------------------------------------------------------------- check-ins


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


def test_sessions_can_only_be_recorded_for_an_assigned_intake(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    reply = api.post(f"/review/intakes/{reference}/sessions", as_="staff")
    assert reply.status == 409
    assert "assigned" in reply.json["message"]


def test_a_check_in_can_be_sent_once(api: Api, roster: list[CounselorProfile]) -> None:
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
    assert send_check_in(api, link).status == 201
    again = send_check_in(api, link, trust=3)
    assert again.status == 409
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
    api: Api, roster: list[CounselorProfile]
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
    assert api.post(f"/review/intakes/{reference}/bond-review", {}, as_="staff").status == 409


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
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
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
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[1].counselor_id, **reason}, as_="staff")
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
    api.post(
        f"/review/intakes/{submitted['reference']}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff"
    )
    hold_session(api, submitted["reference"])
    send_check_in(api, latest_check_in(api), respected=2, not_working="Sentinel free text")
    status = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert set(status.json) == {"reference", "stage", "updated_at", "counselor", "can_request_rematch"}
    assert b"Sentinel" not in status.body
    assert b"respected" not in status.body


# ---------------------------------------------------------------- the client's rematch


def test_asking_for_someone_else_before_being_matched_is_refused_with_a_reason(
    api: Api, roster: list[CounselorProfile]
) -> None:
    submitted = submit(api).json
    reply = api.post(
        f"/intakes/{submitted['reference']}/rematch-request",
        {"what_to_change": "Someone more direct"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 409
    assert "once you have been matched" in reply.json["message"]


def test_a_client_can_ask_for_a_different_counselor_and_the_previous_one_gets_the_slot_back(
    api: Api, roster: list[CounselorProfile]
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference, first = submitted["reference"], roster[0]
    slots_before = api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"]
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": first.counselor_id}, as_="staff")
    assert api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"] == slots_before - 1

    wish = "Sentinel: someone who gives more practical homework"
    reply = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": wish},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 202
    assert reply.json == {"reference": reference, "stage": "received"}
    assert api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"] == slots_before

    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": submitted["status_token"]}).json
    assert status["stage"] == "received"
    assert status["counselor"] is None
    assert status["can_request_rematch"] is False
    assert reference in [i["reference"] for i in api.get("/review/intakes", as_="staff").json["items"]]
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["excluded_counselor_ids"] == [first.counselor_id]
    offered = [s["counselor_id"] for s in detail["match"]["suggestions"] + detail["match"]["alternatives"]]
    assert offered and first.counselor_id not in offered
    requested = [h for h in detail["history"] if h["kind"] == "rematch_requested"]
    assert requested[0]["note"] == wish and requested[0]["counselor_id"] == first.counselor_id

    rerun = api.post(f"/review/intakes/{reference}/rematch", as_="staff").json
    assert first.counselor_id not in [s["counselor_id"] for s in rerun["suggestions"] + rerun["alternatives"]]
    again = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": first.counselor_id}, as_="staff")
    assert again.status == 400  # not without saying why
    deliver_events(api)
    (notice,) = [e for e in sent_emails(NOTIFICATION_EMAIL) if "different counselor" in e.subject]
    assert reference in notice.body
    assert wish not in notice.body

    repeat = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "again"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert repeat.status == 409  # not matched any more


def test_when_only_previous_counselors_fit_the_result_says_so(api: Api, repository: Any) -> None:
    only = api.post("/admin/counselors", counselor_body(name="Only One", open_slots=3), as_="admin").json
    submitted = submit(api).json
    reference = submitted["reference"]
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": only["counselor_id"]}, as_="staff")
    api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "A different style"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    match = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]
    assert match["no_match"]["reason"] == "no_other_counselor"
    counted = {c.name: c.values for c in repository.report_counters()}
    assert counted["NOMATCH#no_other_counselor"] == {"n": 1}  # the report's no-match reasons include it


# ---------------------------------------------------------------- learning from the bond


def rated_by(api: Api, counselor: CounselorProfile, ratings: int, identity: int) -> None:
    for _ in range(ratings):
        reference = matched_client(api, counselor)
        hold_session(api, reference)
        assert send_check_in(api, latest_check_in(api), identity=identity).status == 201


def understanding_reasons(api: Api, counselor_id: str) -> list[str]:
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    match = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]
    (suggestion,) = [s for s in match["suggestions"] + match["alternatives"] if s["counselor_id"] == counselor_id]
    factor = [f for f in suggestion["breakdown"] if f["factor"] == "client_rated_understanding"]
    assert len(factor) == 1
    return [r for r in suggestion["reasons"] if "understanding" in r]


def test_client_ratings_count_in_matching_only_from_the_minimum(api: Api) -> None:
    rated = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Rated Counselor", open_slots=20), as_="admin").json
    )
    rated_by(api, rated, 4, identity=10)
    assert understanding_reasons(api, rated.counselor_id) == [
        "Not enough check-ins yet to show how clients rate their understanding"
    ]
    rated_by(api, rated, 1, identity=10)
    assert understanding_reasons(api, rated.counselor_id) == [
        "Clients rate this counselor's understanding of their values, culture and faith 10.0 of 10 (n = 5)"
    ]


def test_ratings_move_a_counselor_up_the_list(api: Api) -> None:
    liked = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Zed Liked", open_slots=20), as_="admin").json
    )
    other = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Amy Other", open_slots=20), as_="admin").json
    )
    # Before any rating the two tie, and the tie goes to the lower id; ratings decide afterwards.
    rated_by(api, liked, 5, identity=10)
    rated_by(api, other, 5, identity=3)
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    suggestions = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]["suggestions"]
    assert [s["counselor_id"] for s in suggestions][:2] == [liked.counselor_id, other.counselor_id]
    levels = [
        next(f["level"] for f in s["breakdown"] if f["factor"] == "client_rated_understanding") for s in suggestions
    ]
    assert levels[:2] == [1.0, 0.3]
    assert suggestions[0]["score"] > suggestions[1]["score"]


def test_an_admin_edit_keeps_a_counselors_ratings(api: Api) -> None:
    rated = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Rated Counselor", open_slots=20), as_="admin").json
    )
    rated_by(api, rated, 5, identity=8)
    current = api.get(f"/admin/counselors/{rated.counselor_id}", as_="admin").json
    patched = api.request(
        "PATCH",
        f"/admin/counselors/{rated.counselor_id}",
        {"version": current["version"], "open_slots": 30},
        as_="admin",
    )
    assert patched.status == 200, patched.json
    assert understanding_reasons(api, rated.counselor_id) == [
        "Clients rate this counselor's understanding of their values, culture and faith 8.0 of 10 (n = 5)"
    ]


# ---------------------------------------------------------------- the report


def test_the_report_shows_nothing_that_rests_on_fewer_clients_than_the_minimum(api: Api) -> None:
    counselor = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Report Counselor", open_slots=20), as_="admin").json
    )
    rated_by(api, counselor, 4, identity=9)
    report = api.get("/review/report", as_="staff").json
    assert report["minimum"] == 5
    bands = report["by_score_band"]
    assert [b for b in bands if b["check_ins"] is None] != []  # four check-ins are somewhere: hidden
    assert all(b["check_ins"] in (0, None) and b["overall"] is None and b["pillars"] is None for b in bands)
    assert all(cell["check_ins"] in (0, None) for f in report["by_factor"] for cell in
               (f["fully_met"], f["partly_met"], f["not_met"]))  # fmt: skip
    assert report["assignments"] is None  # 4: hidden
    assert report["rematch_rate"] is None

    rated_by(api, counselor, 1, identity=9)
    report = api.get("/review/report", as_="staff").json
    (band,) = [b for b in report["by_score_band"] if b["check_ins"]]
    assert band["check_ins"] == 5
    assert band["overall"] == 9.0
    assert band["pillars"] == 9.2  # trust 9, understood 9, respected 10, agenda 9
    assert report["assignments"] == 5
    assert report["rematch_requests"] == 0
    assert report["rematch_rate"] == 0.0
    assert report["median_time_to_assignment"] == "Under 1 day"
    assert sum(r["count"] or 0 for r in report["time_to_assignment"]) == 5


def test_one_client_counts_once_however_many_check_ins_they_send(api: Api, repository: Any) -> None:
    counselor = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Once Counselor", open_slots=20), as_="admin").json
    )
    rated_by(api, counselor, 4, identity=9)
    reference = matched_client(api, counselor)
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), identity=10, overall=10).status == 201
    for _ in range(2):
        hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), identity=4, overall=6).status == 201  # replaces the 10s

    (entry,) = [e for e in repository.roster_changes(0).entries if e.counselor_id == counselor.counselor_id]
    assert entry.understanding == (5, 4 * 9 + 4)  # five clients, each with their latest rating
    report = api.get("/review/report", as_="staff").json
    (band,) = [b for b in report["by_score_band"] if b["check_ins"]]
    assert band["check_ins"] == 5  # six check-ins, five clients
    assert band["overall"] == round((4 * 9 + 6) / 5, 1)


def counters(repository: Any) -> dict[str, dict[str, int]]:
    return {c.name: c.values for c in repository.report_counters()}


def test_check_ins_answered_out_of_order_still_count_the_client_once(
    api: Api, roster: list[CounselorProfile], repository: Any
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    first = latest_check_in(api)
    hold_session(api, reference)
    hold_session(api, reference)
    second = latest_check_in(api)
    assert send_check_in(api, second, identity=9, overall=9).status == 201  # the later one, answered first
    assert send_check_in(api, first, identity=5, overall=5).status == 201  # then the earlier one
    (entry,) = [e for e in repository.roster_changes(0).entries if e.counselor_id == roster[0].counselor_id]
    assert entry.understanding == (1, 5)  # one client, their last answer
    bands = {k: v for k, v in counters(repository).items() if k.startswith("BAND#") and v.get("n")}
    assert [(v["n"], v["overall"]) for v in bands.values()] == [(1, 5)]


def test_a_client_whose_match_changes_is_moved_not_counted_twice(
    api: Api, roster: list[CounselorProfile], repository: Any
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference, counselor = submitted["reference"], roster[0]
    api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff")
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), overall=9).status == 201
    (scored,) = [k for k, v in counters(repository).items() if k.startswith("BAND#") and v.get("n")]
    asked = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "A different time of day"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert asked.status == 202
    again = {"counselor_id": counselor.counselor_id, "reason": "The client agreed to try again after a call"}
    assert api.post(f"/review/intakes/{reference}/assignment", again, as_="staff").status == 200  # not suggested
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), overall=3).status == 201
    after = counters(repository)
    assert (after[scored]["n"], after[scored]["overall"]) == (0, 0)  # taken out of the band it was added to
    assert (after["BAND#none"]["n"], after["BAND#none"]["overall"]) == (1, 3)
    assert all(v.get("n", 0) in (0, 1) for k, v in after.items() if k.startswith("FACTOR#"))


def test_the_report_counts_no_match_reasons_and_suggested_bands(api: Api, roster: list[CounselorProfile]) -> None:
    for _ in range(5):
        submit(api, client={"jurisdiction": "US-TX"})  # nobody is licensed in Texas
    report = api.get("/review/report", as_="staff").json
    counts = {r["key"]: r["count"] for r in report["no_match"]}
    assert counts["not_licensed"] == 5
    assert counts["no_open_capacity"] == 0
    for _ in range(5):
        reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
        detail = api.get(f"/review/intakes/{reference}", as_="staff").json
        best = detail["match"]["suggestions"][0]
        api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": best["counselor_id"]}, as_="staff")
        api.request("PATCH", f"/admin/counselors/{best['counselor_id']}", {
            "version": api.get(f"/admin/counselors/{best['counselor_id']}", as_="admin").json["version"],
            "open_slots": 5}, as_="admin")  # fmt: skip
        hold_session(api, reference)
        send_check_in(api, latest_check_in(api))
    report = api.get("/review/report", as_="staff").json
    shown = [b for b in report["by_score_band"] if b["check_ins"]]
    assert sum(b["check_ins"] for b in shown) == 5
    factors = {f["factor"]: f for f in report["by_factor"]}
    assert factors["language"]["fully_met"]["check_ins"] == 5
    assert factors["language"]["fully_met"]["overall"] == 9.0
