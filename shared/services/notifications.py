"""Every email the service sends, and their delivery from the outbox.

To the practice: that an intake arrived, that a client asked for a different counselor, that a check-in
says a bond may be at risk. Each names only the reference and where to look: never a name, contact detail
or answer.

To the client, in the client's language (the intake's, queued with each email: docs/i18n.md): the
confirmation with their private status link (or, when the shortlist is open to them, the
shortlist email with the same link), "you're matched" with their counselor and next steps, check-in
invitations, a word of support with a link to ask for someone else after a check-in that puts the bond at
risk, and their booked first conversation (booked, moved, cancelled), each with an iCalendar
invitation. None carries an answer the client gave; each link's token is
unguessable and expires. The matched email names the counselor and their credentials, languages and
formats, and links to the full profile, so an email read over someone's shoulder says nothing about what
the client asked for.

Client emails are written to the outbox in the same transaction as the change that causes them; the
notifier sends them, deletes each one sent, and leaves a failed one for the retry sweep.
"""

from datetime import datetime, timedelta
from gettext import NullTranslations
from typing import NamedTuple, Protocol, runtime_checkable

from aws_lambda_powertools import Logger
from pydantic import AnyHttpUrl, BaseModel, ConfigDict

from shared.domain.availability import MeetingKind, describe_instant
from shared.domain.booking import Booking
from shared.domain.counselor import CounselorPublicProfile
from shared.domain.errors import CounselorNotFound
from shared.domain.labels import labels
from shared.domain.records import IntakeId
from shared.domain.vocabulary import ConversationFormat
from shared.i18n import N_, Domain, Locale, format_date, format_instant, translations
from shared.services.changes import EmailKind
from shared.services.links import SOMEONE_ELSE, check_in_link, directory_link, status_link
from shared.services.ports import Outbox, PendingEmail

logger = Logger(child=True)

# TRANSLATORS: the crisis line every client email ends with. Give the lines as they are offered in your
# language: in Spanish, the 988 Lifeline's Spanish option (call 988, then press 2; or text AYUDA to 988), and 911.
CRISIS_LINE = N_(
    "If you are in crisis or thinking about harming yourself or someone else, call or text 988 (Suicide & "
    "Crisis Lifeline), or call 911 in an emergency. Please don't wait for us."
)


class IntakeReceived(BaseModel):
    """The EventBridge event's detail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intake_id: IntakeId
    urgent: bool
    no_match: bool


class IntakeEvent(BaseModel):
    """The detail of the other events: only the reference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intake_id: IntakeId


class Email(NamedTuple):
    subject: str
    text: str
    calendar: bytes | None = None  # an iCalendar invitation (RFC 5545), sent as its own part and as invite.ics
    calendar_method: str | None = None  # REQUEST or CANCEL (RFC 5546), for the part's content type


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> str: ...


@runtime_checkable
class CalendarMailer(Mailer, Protocol):
    def send_with_calendar(self, to: str, subject: str, text: str, calendar: bytes, method: str) -> str: ...


def new_intake_email(event: IntakeReceived, practice_name: str, console_url: str) -> Email:
    flag = "URGENT - " if event.urgent else ""
    subject = f"{flag}New intake {event.intake_id} - {practice_name}"
    lines = [
        f"A new intake arrived for {practice_name}.",
        "",
        f"Reference: {event.intake_id}",
        f"Urgent (safety answer): {'YES - review now and follow your crisis protocol' if event.urgent else 'no'}",
        f"Suggestions found: {'no - the console says why' if event.no_match else 'yes'}",
        "",
        f"Review it in the console: {console_url}#{event.intake_id}",
        "",
        "This email never contains client details; sign in to the console to see them.",
    ]
    return Email(subject=subject, text="\n".join(lines))


def rematch_requested_email(intake_id: str, practice_name: str, console_url: str) -> Email:
    return Email(
        subject=f"A client asked for a different counselor ({intake_id}) - {practice_name}",
        text="\n".join(
            [
                "A client asked for a different counselor. Their intake is back in the open queue with new "
                "suggestions; what they would like to change is in its history.",
                "",
                f"Reference: {intake_id}",
                f"Review it in the console: {console_url}#{intake_id}",
                "",
                "This email never contains client details; sign in to the console to see them.",
            ]
        ),
    )


def bond_at_risk_email(intake_id: str, practice_name: str, console_url: str) -> Email:
    return Email(
        subject=f"A check-in needs attention ({intake_id}) - {practice_name}",
        text="\n".join(
            [
                "A client's check-in suggests their bond with their counselor may be at risk (a low score, or a "
                'drop since the last check-in). It is in the console\'s "Needs attention" list.',
                "",
                f"Reference: {intake_id}",
                f"Review it in the console: {console_url}#{intake_id}",
                "",
                "This email never contains client details; sign in to the console to see them.",
            ]
        ),
    )


def email_not_delivered_email(intake_id: str, practice_name: str, console_url: str) -> Email:
    return Email(
        subject=f"We could not email a client ({intake_id}) - {practice_name}",
        text="\n".join(
            [
                "An email to a client could not be sent, after retrying for about a day (for example, SES "
                "refused the address, or the account is still in the SES sandbox). The client may be waiting "
                "to hear from us: please contact them another way.",
                "",
                f"Reference: {intake_id}",
                f"Review it in the console: {console_url}#{intake_id}",
                "",
                "This email never contains client details; sign in to the console to see them.",
            ]
        ),
    )


def _words(locale: Locale) -> NullTranslations:
    """The `emails` catalog in the client's language (English: the messages as written here)."""
    return translations(locale, Domain.EMAILS)


def _until(moment: datetime, locale: Locale) -> str:
    return format_date(moment, locale)


def _closing(t: NullTranslations, practice_name: str) -> list[str]:
    """How every client email ends: the crisis line, then the practice's name."""
    return ["", t.gettext(CRISIS_LINE), "", practice_name]


def confirmation_email(
    reference: str, token: str, practice_name: str, site_url: str, link_expires: datetime, locale: Locale = Locale.EN
) -> Email:
    t = _words(locale)
    return _status_email(
        t.gettext("We received your answers"),
        [
            t.gettext(
                "Thank you for telling us about yourself. Your answers reached {practice}, and a member of our "
                "team will read them personally and suggest a counselor, usually within two working days."
            ).format(practice=practice_name)
        ],
        reference, token, site_url, link_expires, practice_name, locale,
        link_intro=t.gettext("You can see where your request stands at any time with your private link:"),
    )  # fmt: skip


def shortlist_email(
    reference: str, token: str, practice_name: str, site_url: str, link_expires: datetime, locale: Locale = Locale.EN
) -> Email:
    """The shortlist is open to the client (on submit under client-first, or once staff release it): a link
    to the status page and nothing more. The page shows the counselors, the marks and the cost; an email
    can be read over someone's shoulder, so it names no counselor and none of the client's wishes."""
    t = _words(locale)
    return _status_email(
        t.gettext("Your shortlist of counselors is ready"),
        [
            t.gettext(
                "Thank you for telling us about yourself. Your answers reached {practice}, and the counselors who "
                "could fit you best are ready for you to look at."
            ).format(practice=practice_name)
        ],
        reference, token, site_url, link_expires, practice_name, locale,
        link_intro=t.gettext(
            "On your private status page you can see who they are, how each fits what you asked for, what each "
            "would likely cost you and when you could start, and book a first conversation yourself:"
        ),
        keep_private=t.gettext(
            "Keep this link to yourself: anyone who has it can see your request. It works until {until}."
        ),
    )  # fmt: skip


def _status_email(
    subject: str,
    paragraphs: list[str],
    reference: str,
    token: str,
    site_url: str,
    link_expires: datetime,
    practice: str,
    locale: Locale,
    link_intro: str | None = None,
    keep_private: str | None = None,
    place: str | None = None,
) -> Email:
    """A client email about their request: what happened and what comes next, then the private status link
    (opening at `place` on the page, if given), what it shows and until when (`keep_private`, with an
    `{until}` for the date), the reference and the crisis line. Every text passed in is already in the
    client's language."""
    t = _words(locale)
    body = [t.gettext("Hello,"), ""]
    for paragraph in paragraphs:
        body += [paragraph, ""]
    body += [
        link_intro or t.gettext("Your private status page shows where your request stands:"),
        status_link(reference, token, site_url, place, locale),
        "",
        (
            keep_private
            or t.gettext(
                "Keep this link to yourself: anyone who has it can see your request's status. It works until {until}."
            )
        ).format(until=_until(link_expires, locale)),
        "",
        t.gettext("Your reference: {reference}").format(reference=reference),
        *_closing(t, practice),
    ]
    return Email(subject=f"{subject} - {practice}", text="\n".join(body))


def decision_email(
    kind: EmailKind,
    reference: str,
    token: str,
    practice_name: str,
    site_url: str,
    link_expires: datetime,
    locale: Locale = Locale.EN,
) -> Email:
    """Staff waitlisted, referred out or declined the request, or the client asked for someone else: what it
    means and what happens next. Never the staff's note or the client's words, and no answer of the client's."""
    t = _words(locale)
    if kind is EmailKind.WAITLISTED:
        subject = t.gettext("You're on our waitlist")
        paragraphs = [
            t.gettext(
                "Thank you for your patience. Right now none of the counselors at {practice} who would fit what "
                "you asked for can take a new client, so we have put you on our waitlist rather than match you "
                "with someone who fits less well."
            ),
            t.gettext(
                "You don't need to do anything. We will email you as soon as a counselor who fits you has an "
                "opening, and your status page will show it. If your situation changes, or you would rather we "
                "suggest someone sooner, reply to this email."
            ),
        ]
    elif kind is EmailKind.REFERRED_OUT:
        subject = t.gettext("Another service may suit you better")
        paragraphs = [
            t.gettext(
                "Thank you for telling us about yourself. Our team read your answers carefully and thinks another "
                "service may help you better than the counselors at {practice} can."
            ),
            t.gettext(
                "A member of our team will contact you, usually within two working days, with where we suggest "
                "you go and how to reach them. If you would like to talk it over, reply to this email."
            ),
        ]
    elif kind is EmailKind.DECLINED:
        subject = t.gettext("About your request")
        paragraphs = [
            t.gettext(
                "Thank you for reaching out to {practice}. We're sorry: we are not able to offer you counseling "
                "at this time."
            ),
            # TRANSLATORS: the SAMHSA National Helpline answers in English and Spanish.
            t.gettext(
                "This is not a judgment of you or of what you're going through. You can find other counselors "
                "through your insurance, your doctor, or the SAMHSA National Helpline (1-800-662-4357, free and "
                "confidential, every day). If you would like to know more, reply to this email."
            ),
        ]
    elif kind is EmailKind.REMATCH_UNDER_WAY:
        subject = t.gettext("We're finding you someone else")
        paragraphs = [
            t.gettext(
                "We got your request for a different counselor. Thank you for telling us: finding the right fit "
                "matters, and asking is the right thing to do."
            ),
            t.gettext(
                "Our team will look at your answers again, leave out the counselor you asked to change, and "
                "suggest someone new, usually within two working days. We will email you when they do. If you "
                "had sessions planned with your previous counselor, you can cancel them with the practice by "
                "replying to this email."
            ),
        ]
    else:
        raise ValueError(f"not a decision email: {kind}")
    paragraphs = [paragraph.format(practice=practice_name) for paragraph in paragraphs]
    return _status_email(subject, paragraphs, reference, token, site_url, link_expires, practice_name, locale)


def check_in_support_email(
    reference: str, token: str, practice_name: str, site_url: str, link_expires: datetime, locale: Locale = Locale.EN
) -> Email:
    """A check-in put the bond at risk: that we heard it, that it is common and can be put right, that the
    practice will reach out, and a status link that opens at "ask for someone else". The same words for every
    such check-in: no answer, score or reason, so the email says nothing of what the client wrote to someone
    who reads it over their shoulder."""
    t = _words(locale)
    return _status_email(
        t.gettext("Thank you for your check-in"),
        [
            t.gettext(
                "Thank you for your check-in, and for being honest with us about how it is going. We heard you."
            ),
            t.gettext(
                "It is common for a first match not to feel right, and it can be put right: sometimes a "
                "conversation helps, sometimes a different counselor does. Someone from our team will reach out "
                "to you soon to ask what would help. You don't have to decide anything now."
            ),
        ],
        reference, token, site_url, link_expires, practice_name, locale,
        link_intro=t.gettext("If you would like someone else, you can ask here in one step:"),
        place=SOMEONE_ELSE,
    )  # fmt: skip


def _keep_link_private(t: NullTranslations, link_expires: datetime, locale: Locale) -> str:
    return t.gettext("(Keep this link to yourself. It works until {until}.)").format(until=_until(link_expires, locale))


def matched_email(
    reference: str,
    token: str,
    counselor: CounselorPublicProfile,
    practice_name: str,
    site_url: str,
    link_expires: datetime,
    locale: Locale = Locale.EN,
) -> Email:
    t = _words(locale)
    pronouns = f" ({counselor.pronouns})" if counselor.pronouns else ""
    details = [
        f"{counselor.name}{pronouns}",
        *([", ".join(counselor.credentials)] if counselor.credentials else []),
        t.gettext("Sessions in: {languages}").format(languages=labels(tuple(counselor.languages), locale)),
        # TRANSLATORS: {formats} is a list of the ways the counselor meets clients, in lower case.
        t.gettext("Offers: {formats} sessions").format(formats=labels(tuple(counselor.formats), locale).lower()),
    ]
    return Email(
        subject=t.gettext("You're matched with a counselor") + f" - {practice_name}",
        text="\n".join(
            [
                t.gettext("Hello,"),
                "",
                t.gettext("We have matched you with a counselor:"),
                "",
                *(f"  {line}" for line in details),
                "",
                t.gettext("Read their full profile: {link}").format(
                    link=directory_link(counselor.counselor_id, site_url, locale)
                ),
                "",
                t.gettext(
                    "Next steps: your counselor, or someone from our team, will contact you in the way you asked "
                    "to arrange a first session. After your first sessions we will send you a short check-in, so "
                    "you can tell us how it is going."
                ),
                "",
                t.gettext(
                    "You are in the driver's seat. If this match does not feel right, at any time, you can ask for "
                    "a different counselor from your private status page:"
                ),
                status_link(reference, token, site_url, locale=locale),
                _keep_link_private(t, link_expires, locale),
                *_closing(t, practice_name),
            ]
        ),
    )


def check_in_email(
    reference: str,
    number: int,
    token: str,
    practice_name: str,
    site_url: str,
    link_expires: datetime,
    locale: Locale = Locale.EN,
) -> Email:
    t = _words(locale)
    return Email(
        subject=t.gettext("How are your sessions going?") + f" - {practice_name}",
        text="\n".join(
            [
                t.gettext("Hello,"),
                "",
                t.gettext(
                    "The relationship with your counselor matters more than anything else in whether counseling "
                    "helps. Would you tell us how it is going? It takes about a minute:"
                ),
                check_in_link(reference, number, token, site_url, locale),
                "",
                t.gettext(
                    "The link is just for you and works until {until}. Your answers go to our team, who use them "
                    "to make sure counseling is working for you. If it isn't, you can always ask for a different "
                    "counselor."
                ).format(until=_until(link_expires, locale)),
                *_closing(t, practice_name),
            ]
        ),
    )


def waitlist_offer_email(
    reference: str,
    token: str,
    counselor: CounselorPublicProfile,
    practice_name: str,
    site_url: str,
    link_expires: datetime,
    locale: Locale = Locale.EN,
) -> Email:
    """A place held for a waiting client: the counselor's name and a status link to claim it. Nothing the
    client wrote in their intake."""
    t = _words(locale)
    return Email(
        subject=t.gettext("A place with a counselor is held for you") + f" - {practice_name}",
        text="\n".join(
            [
                t.gettext("Hello,"),
                "",
                t.gettext(
                    "A place has opened with {counselor}, whom you were waiting for, and we are holding it for you "
                    "for a limited time. To take it, open your private status page and claim it:"
                ).format(counselor=counselor.name),
                status_link(reference, token, site_url, locale=locale),
                _keep_link_private(t, link_expires, locale),
                "",
                t.gettext("Read their full profile: {link}").format(
                    link=directory_link(counselor.counselor_id, site_url, locale)
                ),
                "",
                t.gettext(
                    "If you do not claim it in time, the place passes to the next person waiting. You can join the "
                    "waitlist again from your status page at any time."
                ),
                *_closing(t, practice_name),
            ]
        ),
    )


class ClientEmailSettings(NamedTuple):
    practice_name: str
    site_url: str
    status_link_days: int
    check_in_link_days: int
    practice_email: str = "intake@practice.example"  # the invitations' organizer: the address emails come from


# The first sentence of a booking email: booked or moved (followed by the time), or cancelled (with it).
_BOOKING_OPENINGS = {
    (EmailKind.BOOKED, MeetingKind.CONSULT_CALL): N_(
        "Your free consult call ({duration}) with {counselor} is booked for:"
    ),
    (EmailKind.BOOKED, MeetingKind.FIRST_SESSION): N_(
        "Your first session ({duration}) with {counselor} is booked for:"
    ),
    (EmailKind.RESCHEDULED, MeetingKind.CONSULT_CALL): N_(
        "Your free consult call ({duration}) with {counselor} has moved to:"
    ),
    (EmailKind.RESCHEDULED, MeetingKind.FIRST_SESSION): N_(
        "Your first session ({duration}) with {counselor} has moved to:"
    ),
    (EmailKind.BOOKING_CANCELLED, MeetingKind.CONSULT_CALL): N_(
        "Your free consult call ({duration}) with {counselor} on {when} is cancelled, and the time is free again."
    ),
    (EmailKind.BOOKING_CANCELLED, MeetingKind.FIRST_SESSION): N_(
        "Your first session ({duration}) with {counselor} on {when} is cancelled, and the time is free again."
    ),
}
_FORMAT_WORDS = {
    ConversationFormat.TELEHEALTH: N_("Held by video (telehealth); the link comes before the time."),
    ConversationFormat.PHONE: N_("Held by phone; the counselor calls you."),
    ConversationFormat.IN_PERSON: N_("Held in person, at the counselor's office."),
}
_BOOKING_SUBJECTS = {
    EmailKind.BOOKED: N_("Your first conversation is booked"),
    EmailKind.RESCHEDULED: N_("Your first conversation has moved"),
    EmailKind.BOOKING_CANCELLED: N_("Your first conversation is cancelled"),
}


def _when(moment: datetime, zone: str, locale: Locale) -> str:
    """The booked time in the client's zone, the zone named. English keeps the format its emails and pages
    have always had (`describe_instant`: "Tuesday, March 10, 2026, 9:00 AM MDT (America/Denver)"); another
    language has its own, from Babel ("martes, 10 de marzo de 2026, 9:00 (hora de verano de las Montañas
    Rocosas)"), whose zone name still tells the two 1:30s of a fall-back night apart."""
    if locale is Locale.EN:
        return describe_instant(moment, zone)
    return format_instant(moment, zone, locale)


def minutes_words(minutes: int, locale: Locale) -> str:
    """'50 minutes', '50 minutos' (the language's plural forms)."""
    return translations(locale, Domain.EMAILS).ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def booking_email(
    kind: EmailKind,
    reference: str,
    token: str,
    booking: Booking,
    client_email: str,
    settings: "ClientEmailSettings",
    queued_at: datetime,
    locale: Locale = Locale.EN,
) -> Email:
    """A booked, moved or cancelled first conversation: when (in the client's zone, named), with whom, how,
    and the status link to move or cancel it; with the calendar invitation (REQUEST, or CANCEL for the same
    UID with a higher SEQUENCE), in the same language. Nothing the client wrote in their intake."""
    # only booking emails build an invitation: the notifier's cold start does not pay for it (performance.md)
    from shared.services.invitations import BookedConversation, InvitationMethod, invitation

    t = _words(locale)
    link = status_link(reference, token, settings.site_url, locale=locale)
    when = _when(booking.start, booking.time_zone, locale)
    opening = t.gettext(_BOOKING_OPENINGS[kind, booking.kind]).format(
        duration=minutes_words(booking.minutes, locale), counselor=booking.counselor_name, when=when
    )
    cancelled = kind is EmailKind.BOOKING_CANCELLED
    expires = queued_at + timedelta(days=settings.status_link_days)
    if cancelled:
        lines = [
            opening,
            "",
            t.gettext("You can book another time, or someone else from your shortlist, on your private status page:"),
        ]
    else:
        lines = [
            opening,
            "",
            f"  {when}",
            f"  {t.gettext(_FORMAT_WORDS[booking.format])}",
            "",
            t.gettext(
                "The invitation attached adds it to your calendar. To move or cancel it, use your private status page:"
            ),
        ]
    text = "\n".join(
        [
            t.gettext("Hello,"),
            "",
            *lines,
            link,
            _keep_link_private(t, expires, locale),
            *_closing(t, settings.practice_name),
        ]
    )
    method = InvitationMethod.CANCEL if cancelled else InvitationMethod.REQUEST
    conversation = BookedConversation(
        booking_id=booking.booking_id,
        sequence=booking.sequence,
        kind=booking.kind,
        start=booking.start,
        minutes=booking.minutes,
        format=booking.format,
        counselor_name=booking.counselor_name,
        practice_name=settings.practice_name,
        practice_email=settings.practice_email,
        client_email=client_email,
        manage_url=AnyHttpUrl(link),
        locale=locale,
    )
    return Email(
        subject=f"{t.gettext(_BOOKING_SUBJECTS[kind])} - {settings.practice_name}",
        text=text,
        calendar=invitation(conversation, method, queued_at),
        calendar_method=method.value,
    )


def render(pending: PendingEmail, outbox: Outbox, settings: ClientEmailSettings) -> Email:
    """The email an outbox entry stands for, in the language it was queued in. Links expire as the tokens
    they carry do (the same number of days after the change that queued them)."""
    email = pending.email
    locale = email.locale
    practice, site = settings.practice_name, settings.site_url
    if email.kind in _BOOKING_SUBJECTS:
        if email.booking is None:
            raise ValueError("a booking email carries its booking")
        return booking_email(
            email.kind, pending.intake_id, email.token, email.booking, email.to, settings, pending.queued_at, locale
        )
    if email.kind is EmailKind.CHECK_IN:
        if email.check_in is None:
            raise ValueError("a check-in email names its check-in")
        expires = pending.queued_at + timedelta(days=settings.check_in_link_days)
        return check_in_email(pending.intake_id, email.check_in, email.token, practice, site, expires, locale)
    expires = pending.queued_at + timedelta(days=settings.status_link_days)
    if email.kind is EmailKind.CONFIRMATION:
        return confirmation_email(pending.intake_id, email.token, practice, site, expires, locale)
    if email.kind is EmailKind.SHORTLIST:
        return shortlist_email(pending.intake_id, email.token, practice, site, expires, locale)
    if email.kind in (EmailKind.MATCHED, EmailKind.WAITLIST_OFFER):
        if email.counselor_id is None:
            raise ValueError(f"a {email.kind.value} email names its counselor")
        counselor = outbox.public_profile(email.counselor_id)
        write = matched_email if email.kind is EmailKind.MATCHED else waitlist_offer_email
        return write(pending.intake_id, email.token, counselor, practice, site, expires, locale)
    if email.kind in (EmailKind.WAITLISTED, EmailKind.REFERRED_OUT, EmailKind.DECLINED, EmailKind.REMATCH_UNDER_WAY):
        return decision_email(email.kind, pending.intake_id, email.token, practice, site, expires, locale)
    if email.kind is EmailKind.CHECK_IN_SUPPORT:
        return check_in_support_email(pending.intake_id, email.token, practice, site, expires, locale)
    raise ValueError(f"not a client email: {email.kind}")


MAX_ATTEMPTS = 10
"""Tries before an email is given up (and the practice told): with the delays below, about a day."""


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure an email is tried again: 5 minutes, doubling, at most 6 hours,
    so a lasting failure neither hammers SES nor holds up the emails queued after it."""
    return min(timedelta(minutes=5) * (1 << min(attempts - 1, 10)), timedelta(hours=6))


class Delivery(NamedTuple):
    failed: int  # will be retried
    given_up: list[PendingEmail]  # not sent after MAX_ATTEMPTS tries: tell the practice, then drop them


def deliver(
    pending: list[PendingEmail], outbox: Outbox, mailer: Mailer, settings: ClientEmailSettings, now: datetime
) -> Delivery:
    """Sends each email and removes it from the outbox; a failed one stays (with its attempts counted) and is
    tried again after `retry_delay`, up to MAX_ATTEMPTS times. Logs carry the reference and kind, never an
    address or a link."""
    failed = 0
    given_up: list[PendingEmail] = []
    for entry in pending:
        try:
            email = render(entry, outbox, settings)
            if email.calendar is not None and email.calendar_method is not None:
                if not isinstance(mailer, CalendarMailer):
                    raise TypeError("this mailer cannot send a calendar invitation")
                mailer.send_with_calendar(
                    entry.email.to, email.subject, email.text, email.calendar, email.calendar_method
                )
            else:
                mailer.send(entry.email.to, email.subject, email.text)
        except CounselorNotFound:  # the counselor was removed: the status page shows the current state
            logger.warning("matched email dropped: counselor gone", extra={"intake_id": entry.intake_id})
            outbox.email_sent(entry)
            continue
        except Exception as error:
            attempts = entry.attempts + 1
            context = {"intake_id": entry.intake_id, "kind": entry.email.kind.value,
                       "error_type": type(error).__name__, "attempts": attempts}  # fmt: skip
            if attempts >= MAX_ATTEMPTS:
                logger.error("client email given up", extra=context)
                given_up.append(entry)
                continue
            failed += 1
            logger.warning("client email not sent; it will be retried", extra=context)
            outbox.email_failed(entry, now + retry_delay(attempts))
            continue
        outbox.email_sent(entry)
        logger.info("client email sent", extra={"intake_id": entry.intake_id, "kind": entry.email.kind.value})
    return Delivery(failed, given_up)
