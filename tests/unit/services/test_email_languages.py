"""Every client email and invitation rendered from its outbox entry, in English and in Spanish, without AWS:
the English ones exactly as they were before emails had a language (english_emails.json, written by the code
as it was then), the Spanish ones with no English sentence of the catalog left."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import icalendar
import pytest

from shared.domain.availability import MeetingKind
from shared.domain.booking import Booking
from shared.domain.vocabulary import ConversationFormat
from shared.i18n import Locale
from shared.services.changes import EmailKind, OutboxEmail
from shared.services.notifications import ClientEmailSettings, Email, render
from shared.services.ports import Outbox, PendingEmail
from tests.email_languages import SPANISH, assert_no_english, assert_written_in_spanish
from tests.factories import a_counselor
from tests.unit.services.fakes import FakeStore

QUEUED = datetime(2026, 12, 8, 15, 30, tzinfo=UTC)
SETTINGS = ClientEmailSettings(
    "Riverside Counseling", "https://intake.example.org/", 180, 14, "intake@riverside.example.org"
)
ENGLISH = json.loads((Path(__file__).parent / "english_emails.json").read_text())


def _booking(format: str, kind: str, sequence: int) -> Booking:
    return Booking(
        booking_id="0123456789abcdef", counselor_id="c-sample01", counselor_name="Maya Okafor",
        kind=MeetingKind(kind), format=ConversationFormat(format), start=datetime(2026, 12, 15, 16, 0, tzinfo=UTC),
        minutes=50 if kind == "first_session" else 15, time_zone="America/Chicago", sequence=sequence,
        booked_at=QUEUED,
    )  # fmt: skip


def samples(locale: Locale) -> dict[str, OutboxEmail]:
    """One outbox entry of every kind (the booking kinds in each format), as queued for a client in `locale`."""
    to, token, counselor = "c@example.org", "TOKEN", "c-sample01"
    return {
        "confirmation": OutboxEmail(EmailKind.CONFIRMATION, to, token, locale=locale),
        "shortlist": OutboxEmail(EmailKind.SHORTLIST, to, token, locale=locale),
        "matched": OutboxEmail(EmailKind.MATCHED, to, token, counselor_id=counselor, locale=locale),
        "check_in": OutboxEmail(EmailKind.CHECK_IN, to, token, check_in=2, locale=locale),
        "waitlist_offer": OutboxEmail(EmailKind.WAITLIST_OFFER, to, token, counselor_id=counselor, locale=locale),
        "waitlisted": OutboxEmail(EmailKind.WAITLISTED, to, token, locale=locale),
        "referred_out": OutboxEmail(EmailKind.REFERRED_OUT, to, token, locale=locale),
        "declined": OutboxEmail(EmailKind.DECLINED, to, token, locale=locale),
        "rematch_under_way": OutboxEmail(EmailKind.REMATCH_UNDER_WAY, to, token, counselor_id=counselor, locale=locale),
        "check_in_support": OutboxEmail(EmailKind.CHECK_IN_SUPPORT, to, token, locale=locale),
        "booked_telehealth": OutboxEmail(
            EmailKind.BOOKED, to, token, counselor_id=counselor, booking=_booking("telehealth", "first_session", 0),
            locale=locale,
        ),
        "booked_phone": OutboxEmail(
            EmailKind.BOOKED, to, token, counselor_id=counselor, booking=_booking("phone", "consult_call", 0),
            locale=locale,
        ),
        "rescheduled_in_person": OutboxEmail(
            EmailKind.RESCHEDULED, to, token, counselor_id=counselor,
            booking=_booking("in_person", "first_session", 1), locale=locale,
        ),
        "booking_cancelled": OutboxEmail(
            EmailKind.BOOKING_CANCELLED, to, token, counselor_id=counselor,
            booking=_booking("telehealth", "first_session", 2), locale=locale,
        ),
    }  # fmt: skip


def rendered(locale: Locale) -> dict[str, Email]:
    store = FakeStore()  # render reads only the counselor's public profile from the outbox
    store.add_counselor(
        a_counselor(
            "c-sample01", name="Maya Okafor", pronouns="she/her", credentials=["LPC", "NCC"], languages=["en", "es"],
            formats=["telehealth", "in_person"],
        )
    )  # fmt: skip
    return {
        name: render(PendingEmail("in-aaaaaaaaaaaaaaaaaaaa", {}, email, QUEUED, 0), cast(Outbox, store), SETTINGS)
        for name, email in samples(locale).items()
    }


def test_the_samples_cover_every_kind_of_client_email() -> None:
    assert {email.kind for email in samples(Locale.EN).values()} == set(EmailKind)


def test_the_english_emails_and_invitations_are_exactly_as_they_were() -> None:
    emails = rendered(Locale.EN)
    assert set(emails) == set(ENGLISH)
    for name, email in emails.items():
        calendar = email.calendar.decode() if email.calendar else None
        assert {"subject": email.subject, "text": email.text, "calendar": calendar} == ENGLISH[name], name


@pytest.mark.parametrize("name", list(samples(Locale.ES)))
def test_every_client_email_in_spanish_has_no_english_sentence_left(name: str) -> None:
    email = rendered(Locale.ES)[name]
    assert_written_in_spanish(email.subject, email.text)
    assert "6 de junio de 2027" in email.text or "22 de diciembre de 2026" in email.text  # 180 or 14 days on
    if email.calendar is not None:
        assert "martes, 15 de diciembre de 2026, 10:00 (hora estándar central)" in email.text
        (event,) = icalendar.Calendar.from_ical(email.calendar).walk("VEVENT")
        in_words = ["SUMMARY", "DESCRIPTION", "LOCATION"]
        for field in in_words:
            assert event[field].params["LANGUAGE"] == "es", field
            assert_no_english(str(event[field]))
        assert str(event["URL"]).startswith("https://intake.example.org/status?lang=es#")


def test_a_booking_email_gives_its_length_in_the_languages_plural_forms() -> None:
    assert "(15 minutos)" in rendered(Locale.ES)["booked_phone"].text
    assert SPANISH.ngettext("{n} minute", "{n} minutes", 1).format(n=1) == "1 minuto"
    assert SPANISH.ngettext("{n} minute", "{n} minutes", 1_000_000).format(n=1_000_000) == "1000000 de minutos"
