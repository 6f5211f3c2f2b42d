"""Calendar invitations (RFC 5545, with the RFC 5546 methods) for a client's first conversation.

REQUEST for a new or rescheduled booking, CANCEL for a cancellation; one stable UID per booking and a
SEQUENCE that the booking raises on each change, so a calendar updates the same event in place. Times are
in UTC. The invitation says when, how long, how it is held, with whom, and where to change it: never what
the client wrote in their intake. Its words are in the client's language (the `emails` catalog), and for a
language other than English SUMMARY, DESCRIPTION and a LOCATION in words carry RFC 5545's LANGUAGE parameter.

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
from shared.i18n import N_, Domain, Locale, translations

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
    locale: Locale = Field(default=Locale.EN, description="The client's language, which the invitation is in.")


_KIND_WORDS = {MeetingKind.CONSULT_CALL: N_("Free consult call"), MeetingKind.FIRST_SESSION: N_("First session")}
_FORMAT_WORDS = {
    ConversationFormat.TELEHEALTH: N_("Video (telehealth)"),
    ConversationFormat.PHONE: N_("Phone call"),
    ConversationFormat.IN_PERSON: N_("In person"),
}


def uid_for(booking: BookedConversation) -> str:
    """The booking's stable UID: the same on the first invitation, every update and the cancellation."""
    return f"booking-{booking.booking_id}@{booking.practice_email.rsplit('@', 1)[1].lower()}"


def invitation(booking: BookedConversation, method: InvitationMethod, now: datetime) -> bytes:
    """The iCalendar text of a REQUEST or CANCEL for this booking, stamped `now`."""
    from icalendar import Calendar, Event, vCalAddress, vText  # here, not at the top: see the module docstring

    t = translations(booking.locale, Domain.EMAILS)
    start = booking.start.astimezone(UTC)
    what = t.gettext(_KIND_WORDS[booking.kind])
    counselor = booking.counselor_name
    summary = t.gettext("{what} with {counselor} ({practice})").format(
        what=what, counselor=counselor, practice=booking.practice_name
    )
    where = t.gettext(_FORMAT_WORDS[booking.format])
    in_person = booking.format is ConversationFormat.IN_PERSON and booking.office_address
    minutes = t.ngettext("{n} minute", "{n} minutes", booking.minutes).format(n=booking.minutes)
    lines = [
        t.gettext("{what}, {duration}, with {counselor}.").format(what=what, duration=minutes, counselor=counselor),
        t.gettext("Format: {where}, at {address}.").format(where=where, address=booking.office_address)
        if in_person
        else t.gettext("Format: {where}.").format(where=where),
        t.gettext("To reschedule or cancel: {link}").format(link=booking.manage_url),
    ]
    if method is InvitationMethod.CANCEL:
        lines.insert(0, t.gettext("This first conversation was cancelled."))
    # RFC 5545 3.2.10: the language of a text property, for a calendar that reads it aloud or translates it
    language = {} if booking.locale is Locale.EN else {"LANGUAGE": booking.locale.value}

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
    event.add("summary", summary, parameters=language)
    event.add("description", "\n".join(lines), parameters=language)
    if in_person:  # an address is in no language
        event.add("location", booking.office_address)
    else:
        event.add("location", where, parameters=language)
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
