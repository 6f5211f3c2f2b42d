"""The booking emails through the real notifier on moto: booked, moved, cancelled, each with an RFC 5545
invitation parsed back with icalendar (same UID, rising SEQUENCE, REQUEST then CANCEL), the time in the
client's zone with the zone named, the status link to move or cancel, and no intake answer. An email that
fails to send never undoes a booking."""

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest

from infra.local.provision import LocalStack
from shared.adapters.email import SesMailer
from shared.domain.availability import describe_instant
from tests.integration.bookings import (
    book,
    bookable_counselor,
    cancel,
    first_openings,
    opening_after,
    reschedule,
    submitted,
)
from tests.integration.harness import (
    Api,
    api_with,
    deliver_events,
    expect,
    partition_items,
    raw_emails,
    status_link,
    sweep_outbox,
)

CLIENT = "invited.client@example.org"
DETAILS = "My sister Ximena says I worry too much about exams"  # an intake answer: never in an email


@pytest.fixture
def api(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="client-first")


def parts(message: EmailMessage) -> tuple[str, bytes, bytes]:
    """The plain text, the text/calendar part and the invite.ics attachment of a booking email."""
    text = calendar = attachment = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_content()
        elif part.get_content_type() == "text/calendar":
            calendar = part.get_payload(decode=True)
        elif part.get_filename() == "invite.ics":
            attachment = part.get_payload(decode=True)
    assert isinstance(text, str) and isinstance(calendar, bytes) and isinstance(attachment, bytes)
    return text, calendar, attachment


def event_of(calendar: bytes) -> tuple[Any, Any]:
    parsed = icalendar.Calendar.from_ical(calendar)
    (event,) = parsed.walk("VEVENT")
    return parsed, event


def test_booked_moved_and_cancelled_emails_carry_one_invitation_that_updates_in_place(
    api: Api, aws: LocalStack
) -> None:
    # Given a client who booked a first session
    counselor = bookable_counselor(api, name="Invited Counselor")
    client = submitted(api, email=CLIENT, concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": DETAILS})
    start = first_openings(counselor)[0]
    expect(201, book(api, client, counselor.counselor_id, start, time_zone="America/Chicago"))

    # When the notifier sends what the booking queued
    deliver_events(api)

    # Then the client has the booking email with its invitation
    (booked,) = raw_emails(CLIENT)
    assert booked["Subject"].strip().startswith("Your first conversation is booked")
    text, calendar, attachment = parts(booked)
    assert calendar == attachment
    assert describe_instant(start, "America/Chicago") in text and "(America/Chicago)" in text
    reference, token = status_link(text)
    assert reference == client["reference"]
    expect(200, api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token}))  # the link works
    calendar_part = next(p for p in booked.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    parsed, event = event_of(calendar)
    assert parsed["METHOD"] == "REQUEST"
    uid = str(event["UID"])
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=50)
    assert str(event["URL"]).endswith(f"status#{reference}.{token}")
    for message in (text, calendar.decode()):
        assert DETAILS not in message and "Ximena" not in message and "Sam Rivera" not in message

    # When they move it, then cancel it
    later = opening_after(counselor, start + timedelta(hours=2))
    expect(200, reschedule(api, {**client, "status_token": token}, later, "America/Chicago"))
    deliver_events(api)
    expect(200, cancel(api, client))
    deliver_events(api)

    # Then the same event is updated, then cancelled, with a rising sequence
    _, moved, cancelled = raw_emails(CLIENT)
    moved_calendar, moved_event = event_of(parts(moved)[1])
    assert moved_calendar["METHOD"] == "REQUEST"
    assert str(moved_event["UID"]) == uid and moved_event["SEQUENCE"] == 1
    assert moved_event.decoded("DTSTART") == later
    assert describe_instant(later, "America/Chicago") in parts(moved)[0]
    cancel_text, cancel_ics, _ = parts(cancelled)
    cancel_calendar, cancel_event = event_of(cancel_ics)
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert str(cancel_event["UID"]) == uid and cancel_event["SEQUENCE"] == 2
    assert cancel_event["STATUS"] == "CANCELLED"
    assert cancelled["Subject"].strip().startswith("Your first conversation is cancelled")
    assert "status#" in cancel_text


def test_an_email_that_fails_never_undoes_the_booking(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given SES refusing every raw email
    counselor = bookable_counselor(api)
    client = submitted(api, email=CLIENT)
    start = first_openings(counselor)[0]

    def refuse(*_: Any, **__: Any) -> str:
        raise RuntimeError("SES is down")

    monkeypatch.setattr(SesMailer, "send_with_calendar", refuse)
    # When the client books and the notifier tries to send the confirmation
    expect(201, book(api, client, counselor.counselor_id, start))
    deliver_events(api)

    # Then the booking stands and its email waits in the outbox, tried once
    assert raw_emails(CLIENT) == []
    intake = partition_items(aws, f"INTAKE#{client['reference']}")
    assert any(i["SK"]["S"] == "BOOKING" for i in intake)
    (waiting,) = [i for i in partition_items(aws, f"OUTBOX#{client['reference']}") if i["kind"]["S"] == "booked"]
    assert waiting["attempts"]["N"] == "1"
    status = expect(
        200, api.get(f"/intakes/{client['reference']}/status", headers={"X-Status-Token": client["status_token"]})
    ).json
    assert status["booking"]["start"] == start.isoformat().replace("+00:00", "Z")

    # And once SES works again, the retry sweep sends it
    monkeypatch.undo()
    notifier = api.functions["NotifierFunction"].module
    monkeypatch.setattr(notifier, "utc_now", lambda: datetime.now(UTC) + timedelta(hours=1))
    sweep_outbox(api)
    (booked,) = raw_emails(CLIENT)
    assert booked["Subject"].strip().startswith("Your first conversation is booked")
