"""Calendar invitations for a first conversation, parsed back with the icalendar library."""

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Component

from shared.services.invitations import BookedConversation, InvitationMethod, invitation, uid_for

SENTINEL = "SENTINEL-intake-answer-7f3a"  # what a client might write; it must never reach a calendar
STAMPED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def booking(**changes: Any) -> BookedConversation:
    base: dict[str, Any] = {
        "booking_id": "b-0f9e8d7c",
        "sequence": 0,
        "kind": "first_session",
        "start": "2026-03-09T09:00:00-06:00",  # 9:00 MDT, the day after the spring change
        "minutes": 50,
        "format": "telehealth",
        "counselor_name": "Counselor One",
        "practice_name": "Riverside Counseling",
        "practice_email": "intake@Riverside.example.org",
        "client_email": "client@example.com",
        "manage_url": "https://intake.example.org/status/abc123",
    }
    return BookedConversation.model_validate({**base, **changes})


def parse(ics: bytes) -> tuple[Component, Component]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_a_new_booking_is_a_request_with_every_property() -> None:
    # Given a booked first session
    booked = booking()

    # When its invitation is built and parsed back
    calendar, event = parse(invitation(booked, InvitationMethod.REQUEST, STAMPED))

    # Then the calendar and the event carry what a client's calendar needs, times in UTC
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert event["UID"] == "booking-b-0f9e8d7c@riverside.example.org"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 9, 15, 50, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTSTAMP") == STAMPED
    assert str(event["ORGANIZER"]) == "mailto:intake@Riverside.example.org"
    assert event["ORGANIZER"].params["CN"] == "Riverside Counseling"
    assert str(event["ATTENDEE"]) == "mailto:client@example.com"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert str(event["URL"]) == "https://intake.example.org/status/abc123"
    assert event["SUMMARY"] == "First session with Counselor One (Riverside Counseling)"
    assert event["LOCATION"] == "Video (telehealth)"
    description = str(event["DESCRIPTION"])
    assert "50 minutes" in description
    assert "Format: Video (telehealth)." in description
    assert "https://intake.example.org/status/abc123" in description
    assert b"DTSTART:20260309T150000Z" in invitation(booked, InvitationMethod.REQUEST, STAMPED)


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence() -> None:
    # Given the same booking moved a week later, its second change
    first = booking()
    moved = booking(sequence=2, start="2026-03-16T15:00:00Z")

    # When both invitations are parsed
    _, before = parse(invitation(first, InvitationMethod.REQUEST, STAMPED))
    _, after = parse(invitation(moved, InvitationMethod.REQUEST, STAMPED + timedelta(days=1)))

    # Then the calendar updates the same event: same UID, higher SEQUENCE, the new time
    assert after["UID"] == before["UID"] == uid_for(first)
    assert after.decoded("SEQUENCE") == 2 > before.decoded("SEQUENCE")
    assert after.decoded("DTSTART") == datetime(2026, 3, 16, 15, 0, tzinfo=UTC)
    assert after.decoded("DTSTAMP") == STAMPED + timedelta(days=1)


def test_a_cancellation_is_a_cancel_for_the_same_uid() -> None:
    # Given a booking cancelled after one reschedule
    cancelled = booking(sequence=2)

    # When its cancellation is parsed
    calendar, event = parse(invitation(cancelled, InvitationMethod.CANCEL, STAMPED))

    # Then it cancels the same event
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == uid_for(booking())
    assert event["SEQUENCE"] == 2
    assert "cancelled" in str(event["DESCRIPTION"])


def test_an_in_person_meeting_gives_the_office_address() -> None:
    address = "12 Main St, Suite 3, Denver, CO 80202"
    _, event = parse(invitation(booking(format="in_person", office_address=address), InvitationMethod.REQUEST, STAMPED))
    assert event["LOCATION"] == address
    assert f"Format: In person, at {address}." in str(event["DESCRIPTION"])

    # A phone call has no address, even if one is given
    _, call = parse(
        invitation(
            booking(format="phone", kind="consult_call", minutes=15, office_address=address),
            InvitationMethod.REQUEST,
            STAMPED,
        )
    )
    assert call["LOCATION"] == "Phone call"
    assert address not in call.to_ical().decode()
    assert call["SUMMARY"] == "Free consult call with Counselor One (Riverside Counseling)"


@pytest.mark.parametrize("method", list(InvitationMethod))
def test_no_intake_answer_reaches_the_invitation(method: InvitationMethod) -> None:
    # Given an invitation's model, which has no field for anything the client wrote
    assert not {"concerns", "notes", "answers", "client_name"} & set(BookedConversation.model_fields)
    with pytest.raises(ValueError, match="Extra inputs"):
        booking(concerns=SENTINEL)

    # When a caller tries to pass an intake answer it is refused, and the text built from every allowed
    # field never holds it
    ics = invitation(booking(), method, STAMPED)
    assert SENTINEL.encode() not in ics
    assert SENTINEL.lower().encode() not in ics.lower()


def test_building_an_invitation_imports_icalendar_only_then() -> None:
    # The module itself stays cheap to import for the notifier's cold start (docs/performance.md)
    import subprocess

    probe = "import sys, shared.services.invitations; print('icalendar' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_an_invitation_in_spanish_is_written_in_spanish_and_says_so() -> None:
    # Given a Spanish-speaking client's booked first session, and the same by phone, cancelled
    booked = booking(locale="es", manage_url="https://intake.example.org/status?lang=es#in-r.tok")
    _, event = parse(invitation(booked, InvitationMethod.REQUEST, STAMPED))

    # Then its words are Spanish, each text property marked with its language (RFC 5545 LANGUAGE)
    assert event["SUMMARY"] == "Primera sesión con Counselor One (Riverside Counseling)"
    assert event["LOCATION"] == "Video (telesalud)"
    assert str(event["DESCRIPTION"]).split("\n") == [
        "Primera sesión, 50 minutos, con Counselor One.",
        "Modalidad: Video (telesalud).",
        "Para cambiar la cita o cancelarla: https://intake.example.org/status?lang=es#in-r.tok",
    ]
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert event[name].params["LANGUAGE"] == "es"
    _, call = parse(invitation(booking(locale="es", format="phone", kind="consult_call", minutes=1, sequence=1),
                               InvitationMethod.CANCEL, STAMPED))  # fmt: skip
    assert str(call["DESCRIPTION"]).split("\n")[:2] == [
        "Esta primera conversación se canceló.",
        "Llamada de consulta gratuita, 1 minuto, con Counselor One.",
    ]

    # And an office's address, which is in no language, carries none; nor does anything in English
    address = "12 Main St, Suite 3, Denver, CO 80202"
    _, visit = parse(invitation(booking(locale="es", format="in_person", office_address=address),
                                InvitationMethod.REQUEST, STAMPED))  # fmt: skip
    assert visit["LOCATION"] == address and "LANGUAGE" not in visit["LOCATION"].params
    assert f"Modalidad: En persona, en {address}." in str(visit["DESCRIPTION"])
    assert b"LANGUAGE" not in invitation(booking(), InvitationMethod.REQUEST, STAMPED)
