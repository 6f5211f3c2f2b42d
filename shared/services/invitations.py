"""Calendar invitations (RFC 5545, with the RFC 5546 methods) for a client's first conversation.

REQUEST for a new or rescheduled booking, CANCEL for a cancellation; one stable UID per booking and a
SEQUENCE that the booking raises on each change, so a calendar updates the same event in place. Times are
in UTC. The invitation says when, how long, how it is held, with whom, and where to change it: never what
the client wrote in their intake.

icalendar costs far more to import than the notifier can spare at every cold start (docs/performance.md),
so it is imported only here, when an invitation is built.
"""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, AwareDatetime, Field, StringConstraints

from shared.domain.availability import MeetingKind
from shared.domain.intake import Email, ShortText, StrictModel
from shared.domain.vocabulary import ConversationFormat

PRODID = "-//counseling-intake-matching//first conversations//EN"

BookingRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,64}$")]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class InvitationMethod(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class BookedConversation(StrictModel):
    """What an invitation may say about a booking (an allow-list: nothing else reaches the calendar)."""

    booking_id: BookingRef
    sequence: int = Field(ge=0, le=10_000, description="0 when booked; +1 on each reschedule and on cancelling.")
    kind: MeetingKind
    start: AwareDatetime
    minutes: int = Field(ge=1, le=600)
    format: ConversationFormat
    office_address: Address | None = Field(default=None, description="Shown for an in-person meeting.")
    counselor_name: ShortText
    practice_name: ShortText
    practice_email: Email
    client_email: Email
    manage_url: AnyHttpUrl


_KIND_WORDS = {MeetingKind.CONSULT_CALL: "Free consult call", MeetingKind.FIRST_SESSION: "First session"}
_FORMAT_WORDS = {
    ConversationFormat.TELEHEALTH: "Video (telehealth)",
    ConversationFormat.PHONE: "Phone call",
    ConversationFormat.IN_PERSON: "In person",
}


def uid_for(booking: BookedConversation) -> str:
    """The booking's stable UID: the same on the first invitation, every update and the cancellation."""
    return f"booking-{booking.booking_id}@{booking.practice_email.rsplit('@', 1)[1].lower()}"


def invitation(booking: BookedConversation, method: InvitationMethod, now: datetime) -> bytes:
    """The iCalendar text of a REQUEST or CANCEL for this booking, stamped `now`."""
    from icalendar import Calendar, Event, vCalAddress, vText  # here, not at the top: see the module docstring

    start = booking.start.astimezone(UTC)
    summary = f"{_KIND_WORDS[booking.kind]} with {booking.counselor_name} ({booking.practice_name})"
    where = _FORMAT_WORDS[booking.format]
    in_person = booking.format is ConversationFormat.IN_PERSON and booking.office_address
    lines = [
        f"{_KIND_WORDS[booking.kind]}, {booking.minutes} minutes, with {booking.counselor_name}.",
        f"Format: {where}" + (f", at {booking.office_address}." if in_person else "."),
        f"To reschedule or cancel: {booking.manage_url}",
    ]
    if method is InvitationMethod.CANCEL:
        lines.insert(0, "This first conversation was cancelled.")

    organizer = vCalAddress(f"mailto:{booking.practice_email}")
    organizer.params["CN"] = vText(booking.practice_name)
    attendee = vCalAddress(f"mailto:{booking.client_email}")
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED")
    attendee.params["RSVP"] = vText("FALSE")

    event = Event()
    event.add("uid", uid_for(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=booking.minutes))
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    event.add("location", booking.office_address if in_person else where)
    event.add("url", str(booking.manage_url))
    event.add("status", "CANCELLED" if method is InvitationMethod.CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", organizer)
    event.add("attendee", attendee)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text
