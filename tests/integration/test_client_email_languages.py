"""The client's emails in the client's language, through the real handlers and moto: the language is stored
with the intake when it is sent, queued with each email in the same transaction as the change, and every
email, link and calendar invitation follows it. A Spanish email has no English sentence of the `emails`
catalog left in it, ends with the 988 Lifeline's Spanish option, gives its dates in Spanish and links to the
Spanish pages; an intake in English, or in a language the service does not speak, is emailed in English."""

import re
from datetime import timedelta
from typing import Any

import icalendar

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from shared.i18n import Locale
from shared.services.changes import EmailKind
from tests.email_languages import SPANISH, assert_no_english, assert_written_in_spanish
from tests.integration.bookings import (
    SCHEDULE,
    book,
    bookable_counselor,
    cancel,
    first_openings,
    opening_after,
    reschedule,
)
from tests.integration.harness import (
    Api,
    api_with,
    deliver_events,
    expect,
    new_counselor,
    partition_items,
    raw_emails,
    sent_emails,
    submit,
)

CLIENT = "cliente@example.org"
NAME, DETAILS = "Sentinel Ximena", "Sentinel: mi hermana dice que me preocupo demasiado"  # never in an email

# Each client email by its English subject (a spec written out here: a new kind fails the coverage check below).
SUBJECTS = {
    EmailKind.CONFIRMATION: "We received your answers",
    EmailKind.SHORTLIST: "Your shortlist of counselors is ready",
    EmailKind.MATCHED: "You're matched with a counselor",
    EmailKind.CHECK_IN: "How are your sessions going?",
    EmailKind.CHECK_IN_SUPPORT: "Thank you for your check-in",
    EmailKind.REMATCH_UNDER_WAY: "We're finding you someone else",
    EmailKind.WAITLISTED: "You're on our waitlist",
    EmailKind.REFERRED_OUT: "Another service may suit you better",
    EmailKind.DECLINED: "About your request",
    EmailKind.WAITLIST_OFFER: "A place with a counselor is held for you",
    EmailKind.BOOKED: "Your first conversation is booked",
    EmailKind.RESCHEDULED: "Your first conversation has moved",
    EmailKind.BOOKING_CANCELLED: "Your first conversation is cancelled",
}


def spanish_status_link(text: str) -> tuple[str, str]:
    (found, *_) = re.findall(r"status\?lang=es#(in-[a-z2-7]{20})\.([A-Za-z0-9_\-]+)", text)
    return found[0], found[1]


def kind_of(subject: str) -> EmailKind:
    (kind,) = [k for k, english in SUBJECTS.items() if subject.strip().startswith(SPANISH.gettext(english) + " - ")]
    return kind


def spanish_intake(api: Api, email: str = CLIENT, **changes: Any) -> dict[str, Any]:
    contact = {"name": NAME, "email": email}
    concerns = {"concerns": ["anxiety"], "primary": "anxiety", "details": DETAILS}
    body: dict[str, Any] = expect(201, submit(api, contact=contact, concerns=concerns, locale="es-MX", **changes)).json
    return body


def test_every_client_email_to_a_client_who_wrote_in_spanish_is_in_spanish(api: Api, aws: LocalStack) -> None:
    seen: dict[EmailKind, str] = {}
    # Given a client who sent their intake from the Spanish pages, matched by staff
    counselor = new_counselor(api, name="Maya Okafor", concerns_primary=["anxiety"], open_slots=3)
    client = spanish_intake(api)
    reference = client["reference"]
    assign = {"counselor_id": counselor.counselor_id, "reason": "Chosen for this test"}
    expect(200, api.post(f"/review/intakes/{reference}/assignment", assign, as_="staff"))
    # When a session is held and the check-in says the bond is at risk, and the client asks for someone else
    expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff"))
    deliver_events(api)
    (invitation,) = [e for e in sent_emails(CLIENT) if "/checkin?lang=es#" in e.body]
    ((number, check_in_token),) = re.findall(rf"checkin\?lang=es#{reference}\.(\d+)\.([\w-]+)", invitation.body)
    low = {"trust": 2, "understood": 3, "respected": 4, "agenda": 3, "overall": 2, "identity": 5}
    sent = api.post(f"/checkins/{reference}/{number}", low, headers={"X-Check-In-Token": check_in_token})
    assert expect(201, sent).json["support_email_sent"] is True
    deliver_events(api)
    support = sent_emails(CLIENT)[-1]
    assert "/status?lang=es#" in support.body and ".someone-else" in support.body
    _, token = spanish_status_link(support.body)
    wish = {"what_to_change": "Sentinel: no me deja terminar una frase"}
    expect(202, api.post(f"/intakes/{reference}/rematch-request", wish, headers={"X-Status-Token": token}))
    # And three other Spanish-speaking clients are waitlisted, referred out and declined
    for n, decision in enumerate(("waitlist", "refer_out", "decline")):
        other = spanish_intake(api, email=f"otro{n}@example.org")["reference"]
        decided = {"decision": decision, "note": "Staff only"}
        expect(200, api.post(f"/review/intakes/{other}/decision", decided, as_="staff"))
    deliver_events(api)

    # Then every email they got is in Spanish, and the links in them open their pages
    emails = sent_emails(CLIENT) + [e for n in range(3) for e in sent_emails(f"otro{n}@example.org")]
    for email in emails:
        assert_written_in_spanish(email.subject, email.body, (NAME, DETAILS))
        seen[kind_of(email.subject)] = email.body
    assert "Staff only" not in "".join(seen.values()) and "Sentinel" not in "".join(seen.values())
    linked, token = spanish_status_link(seen[EmailKind.MATCHED])
    assert expect(200, api.get(f"/intakes/{linked}/status", headers={"X-Status-Token": token})).json["stage"]
    assert f"/directory?lang=es#{counselor.counselor_id}" in seen[EmailKind.MATCHED]
    assert set(seen) == {
        EmailKind.CONFIRMATION, EmailKind.MATCHED, EmailKind.CHECK_IN, EmailKind.CHECK_IN_SUPPORT,
        EmailKind.REMATCH_UNDER_WAY, EmailKind.WAITLISTED, EmailKind.REFERRED_OUT, EmailKind.DECLINED,
    }  # fmt: skip


def _calendar_event(message: Any) -> Any:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (event,) = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def test_the_shortlist_and_booking_emails_and_their_invitations_are_in_spanish(aws: LocalStack) -> None:
    api = api_with(aws, BookingPolicy="client-first")
    # Given a Spanish-speaking client whose shortlist is open to them, who books, moves and cancels
    counselor = bookable_counselor(api, name="Daniel Reyes", concerns_primary=["anxiety"])
    client = spanish_intake(api)
    start = first_openings(counselor)[0]
    expect(201, book(api, client, counselor.counselor_id, start, time_zone="America/Chicago"))
    deliver_events(api)
    expect(200, reschedule(api, client, opening_after(counselor, start + timedelta(hours=2)), "America/Chicago"))
    deliver_events(api)
    expect(200, cancel(api, client))
    deliver_events(api)
    # Then the shortlist email is in Spanish
    (shortlist,) = sent_emails(CLIENT)
    assert kind_of(shortlist.subject) is EmailKind.SHORTLIST
    assert_written_in_spanish(shortlist.subject, shortlist.body, (NAME, DETAILS))
    # And so are the booking emails, the time given in Spanish, and their invitations, marked as Spanish
    booking_emails = raw_emails(CLIENT)
    assert [kind_of(m["Subject"]) for m in booking_emails] == [
        EmailKind.BOOKED, EmailKind.RESCHEDULED, EmailKind.BOOKING_CANCELLED
    ]  # fmt: skip
    for message in booking_emails:
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
        assert_written_in_spanish(str(message["Subject"]), text, (NAME, DETAILS))
        assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de", text)
        assert "(hora " in text  # the zone named in Spanish
        event = _calendar_event(message)
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            assert event[name].params["LANGUAGE"] == "es", name
            assert_no_english(str(event[name]))
        assert "Daniel Reyes" in str(event["SUMMARY"]) and str(event["URL"]).count("status?lang=es#") == 1
        assert NAME not in str(event.to_ical()) and DETAILS not in str(event.to_ical())
    assert "minutos" in str(_calendar_event(booking_emails[0])["DESCRIPTION"])


def test_a_place_held_for_a_waiting_client_who_wrote_in_spanish_is_offered_in_spanish(aws: LocalStack) -> None:
    api = api_with(aws, BookingPolicy="client-first")
    # Given a Spanish-speaking client waiting for a counselor whose one place is taken
    full = new_counselor(api, name="Priya Raman", open_slots=1, concerns_primary=["anxiety"], schedule=SCHEDULE)
    waiting = spanish_intake(api, email="espera@example.org")
    taken = expect(201, submit(api, contact={"name": "Sam", "email": "sam@example.org"})).json["reference"]
    expect(200, api.post(f"/review/intakes/{taken}/assignment", {"counselor_id": full.counselor_id}, as_="staff"))
    headers = {"X-Status-Token": waiting["status_token"]}
    join = {"counselor_id": full.counselor_id}
    expect(201, api.post(f"/intakes/{waiting['reference']}/waitlist", join, headers=headers))
    version = expect(200, api.get(f"/admin/counselors/{full.counselor_id}", as_="admin")).json["version"]
    patch = {"version": version, "open_slots": 1}
    expect(200, api.request("PATCH", f"/admin/counselors/{full.counselor_id}", patch, as_="admin"))
    sweep = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    assert api.functions["WaitlistSweepFunction"].invoke(sweep)["offered"] == 1
    deliver_events(api)

    # Then the offer is in Spanish, and names the counselor
    (offer,) = sent_emails("espera@example.org")[1:]
    assert kind_of(offer.subject) is EmailKind.WAITLIST_OFFER
    assert_written_in_spanish(offer.subject, offer.body, (NAME, DETAILS))
    assert "Priya Raman" in offer.body and f"/directory?lang=es#{full.counselor_id}" in offer.body


def test_an_intake_in_english_or_in_a_language_not_spoken_is_emailed_in_english(api: Api, aws: LocalStack) -> None:
    new_counselor(api, name="Maya Okafor", concerns_primary=["anxiety"])
    for n, code in enumerate(("en", "fr-CA", "xx")):
        expect(201, submit(api, contact={"name": "Sam", "email": f"c{n}@example.org"}, locale=code))
    deliver_events(api)
    for n in range(3):
        (email,) = sent_emails(f"c{n}@example.org")
        assert email.subject.startswith("We received your answers - ")
        assert "Hello,\n" in email.body and "call or text 988 (Suicide & Crisis Lifeline)" in email.body
        assert "/status#in-" in email.body and "?lang=" not in email.body


def test_a_queued_email_carries_the_language_of_the_intake_and_one_queued_without_reads_english(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    # Given one intake sent from Spanish pages and one from English pages
    spanish = expect(201, submit(api, contact={"name": "Ana", "email": CLIENT}, locale="es-MX")).json["reference"]
    english = expect(201, submit(api, contact={"name": "Sam", "email": "sam@example.org"})).json["reference"]

    # Then each confirmation waits in the outbox with its intake's language
    ((spanish_item,), (english_item,)) = (partition_items(aws, f"OUTBOX#{r}") for r in (spanish, english))
    assert spanish_item["locale"] == {"S": "es"}
    assert english_item["locale"] == {"S": "en"}
    outbox = api.functions["NotifierFunction"].module.outbox()
    assert [p.email.locale for p in outbox.pending_emails(spanish)] == [Locale.ES]

    # And an entry queued before emails had a language reads as English
    aws.client("dynamodb").update_item(
        TableName=aws.table_name,
        Key={"PK": spanish_item["PK"], "SK": spanish_item["SK"]},
        UpdateExpression="REMOVE #locale",
        ExpressionAttributeNames={"#locale": "locale"},
    )
    assert [p.email.locale for p in outbox.pending_emails(spanish)] == [Locale.EN]


def test_the_submit_response_links_to_the_status_page_in_the_language_sent(
    api: Api, roster: list[CounselorProfile]
) -> None:
    spanish = expect(201, submit(api, locale="es")).json
    assert spanish["status_link"] == f"status?lang=es#{spanish['reference']}.{spanish['status_token']}"
    for code in ("en", "fr", "klingon"):  # English, and an unknown language read as English: no parameter
        english = expect(201, submit(api, locale=code)).json
        assert english["status_link"] == f"status#{english['reference']}.{english['status_token']}"
