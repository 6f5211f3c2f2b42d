"""After the match: the emails to the client (status links, the match, retries and giving up), through the
real handlers and moto."""

from datetime import UTC, datetime, timedelta

import pytest

from infra.local.provision import NOTIFICATION_EMAIL, LocalStack
from shared.domain.counselor import CounselorProfile
from shared.services.notifications import MAX_ATTEMPTS, retry_delay
from tests.integration.conftest import submit
from tests.integration.harness import (
    CLIENT,
    Api,
    deliver_events,
    expect,
    matched_client,
    sent_emails,
    status_link,
    sweep_outbox,
)


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


@pytest.mark.parametrize(
    ("decision", "subject", "next_step", "stage"),
    [
        ("waitlist", "You're on our waitlist", "We will email you as soon as a counselor who fits you", "waitlisted"),
        ("refer_out", "Another service may suit you better", "usually within two working days", "referred"),
        ("decline", "About your request", "SAMHSA National Helpline", "closed"),
    ],
)
def test_each_decision_emails_the_client_what_it_means_and_what_comes_next_never_the_note(
    api: Api, roster: list[CounselorProfile], decision: str, subject: str, next_step: str, stage: str
) -> None:
    reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
    note = "Staff only: she asked us not to mention her sister"
    reply = api.post(f"/review/intakes/{reference}/decision", {"decision": decision, "note": note}, as_="staff")
    assert reply.status == 200, reply.json
    deliver_events(api)
    confirmation, decided = sent_emails(CLIENT)
    assert "We received your answers" in confirmation.subject
    assert decided.subject.startswith(subject)
    assert next_step in decided.body
    assert "988" in decided.body
    for private in ("sister", "Staff only", "Sam Rivera"):
        assert private not in decided.subject + decided.body
    linked_reference, token = status_link(decided.body)
    assert linked_reference == reference
    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token})
    assert status.status == 200 and status.json["stage"] == stage


def test_a_refused_decision_emails_nobody(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
    expect(200, api.post(f"/review/intakes/{reference}/decision", {"decision": "decline", "note": "x"}, as_="staff"))
    again = api.post(f"/review/intakes/{reference}/decision", {"decision": "waitlist", "note": "x"}, as_="staff")
    assert again.status == 409
    deliver_events(api)
    assert [e.subject.split(" - ")[0] for e in sent_emails(CLIENT)] == [
        "We received your answers",
        "About your request",
    ]


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
