"""What a use case decides, as plain values the stores write: the new status and queue place, the history
entry, the audit entry, the emails to send, the report's counter deltas, the rating change.

Each store method takes one of these and writes it in one transaction with the conditions that protect it
(shared/dal/); it adds nothing of its own but keys, encodings and the roster-version lock.
"""

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from shared.domain.bond import CheckIn, CheckInAnswers, CountedIn, RatingChange, RiskReason
from shared.domain.booking import Booking
from shared.domain.intake import IntakeAnswers
from shared.domain.records import (
    Actor,
    AssignedFit,
    HistoryEntry,
    Intake,
    IntakeStatus,
    QueueStage,
    QueueSummary,
    StoredMatch,
)
from shared.domain.report_counters import CounterDelta
from shared.i18n import Locale


class EmailKind(StrEnum):
    CONFIRMATION = "confirmation"  # on submit: the private status link
    MATCHED = "matched"  # on assignment: the counselor's public profile, next steps, a fresh status link
    CHECK_IN = "check_in"  # after a session: the check-in link
    # The client's booked first conversation: each with an iCalendar invitation (REQUEST, or CANCEL) and a
    # fresh status link to reschedule or cancel.
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    BOOKING_CANCELLED = "booking_cancelled"
    SHORTLIST = "shortlist"  # the shortlist is open to the client: a link to their status page, nothing more
    WAITLIST_OFFER = "waitlist_offer"  # a place held for a waiting client: the counselor's name, a status link
    # Staff's decisions: what it means and what happens next, with a fresh status link (never the staff note).
    WAITLISTED = "waitlisted"
    REFERRED_OUT = "referred_out"
    DECLINED = "declined"
    REMATCH_UNDER_WAY = "rematch_under_way"  # the client asked for someone else: what happens meanwhile
    # A check-in put the bond at risk: that we heard it, that the practice will reach out, and a fresh status
    # link to ask for someone else (the check-in link itself can do neither). Never an answer or a score.
    CHECK_IN_SUPPORT = "check_in_support"


class OutboxEmail(NamedTuple):
    """An email to the client, written in the same transaction as the change that causes it and sent by the
    notifier afterwards (and retried until sent), so sending never blocks or fails the request."""

    kind: EmailKind
    to: str
    token: str  # the status-link or check-in token the email's link carries
    counselor_id: str | None = None
    check_in: int | None = None
    booking: Booking | None = None  # the booking emails: the time and counselor the invitation carries
    locale: Locale = Locale.EN  # the language it is written in: the intake's, when the email was queued


def client_email(
    kind: EmailKind,
    answers: IntakeAnswers,
    token: str,
    *,
    counselor_id: str | None = None,
    check_in: int | None = None,
    booking: Booking | None = None,
) -> OutboxEmail:
    """An email to the client whose intake holds `answers`: to their address, in their language."""
    return OutboxEmail(
        kind, answers.contact.email, token, counselor_id=counselor_id, check_in=check_in, booking=booking,
        locale=answers.locale,
    )  # fmt: skip


class EmailQuota(NamedTuple):
    """One more email counted against an address's limit for a UTC day: written only while fewer than
    `limit` were counted (shared/services/email_limits.py). The counter is keyed by a hash of the
    normalised address, never the address, and expires (TTL) at `expires_at`."""

    address_hash: str
    day: str  # yyyy-mm-dd, UTC
    limit: int
    expires_at: int  # epoch seconds


class StatusLink(NamedTuple):
    """A private status link: the hash of its token (the token itself is only ever in the client's email or
    the submit response) and when it stops working."""

    token_hash: str
    expires_at: datetime


class ScheduledCheckIn(NamedTuple):
    """A check-in the schedule sends `days` after the match unless sessions already sent it: the `place`-th
    (1 for the first) with this counselor."""

    place: int
    days: int
    due_at: datetime


# The actions of a counselor's profile changes (their history says who made each).
CREATED_COUNSELOR = "created_counselor"
UPDATED_COUNSELOR = "updated_counselor"
COUNSELOR_UPDATED_OWN_PROFILE = "counselor_updated_own_profile"


class Audit(NamedTuple):
    """An audit entry: who did what, when, to which reference. Never client details."""

    actor: Actor
    action: str
    at: datetime
    intake_id: str | None = None
    counselor_id: str | None = None
    fields: tuple[str, ...] = ()
    """For a counselor's profile change: the names of the fields it changed (never their values)."""


class StatusMove(NamedTuple):
    """An intake's new status and staff list, written only while its stored status is one of `allowed_from`."""

    status: IntakeStatus
    stage: QueueStage
    allowed_from: frozenset[IntakeStatus]


def move(status: IntakeStatus, allowed_from: frozenset[IntakeStatus], bond_at_risk: bool = False) -> StatusMove:
    return StatusMove(status, QueueStage.of(status, bond_at_risk), allowed_from)


class NewIntake(NamedTuple):
    """A submitted intake with its match and first history entry (in `intake`), and its confirmation email.
    With `roster_version`, written only while the roster is still at that version; with `email_quota`,
    written only while the email's address is under its limit for the day."""

    intake: Intake
    summary: QueueSummary
    stage: QueueStage
    expires_at: int
    roster_version: int | None
    email: OutboxEmail | None
    counters: tuple[CounterDelta, ...] = ()
    email_quota: EmailQuota | None = None


class ViewRecorded(NamedTuple):
    """A staff read, audited; with `move` and `history`, the read that takes a new intake into review."""

    intake: Intake
    audit: Audit
    move: StatusMove | None = None
    history: HistoryEntry | None = None


class Assignment(NamedTuple):
    """The intake goes to a counselor, who must still have an open slot (taken by it)."""

    intake: Intake
    counselor_id: str
    at: datetime
    move: StatusMove
    history: HistoryEntry
    audit: Audit
    fit: AssignedFit | None
    link: StatusLink | None
    email: OutboxEmail | None
    check_ins: tuple[ScheduledCheckIn, ...]  # replacing any an earlier assignment scheduled
    counters: tuple[CounterDelta, ...]


class ShortlistReleased(NamedTuple):
    """Staff released the intake's shortlist to the client (policy staff-approved): once, only while the intake
    is still open to a first match, not urgent, and with the match staff saw; with a fresh status link and
    the email that carries it."""

    intake: Intake
    at: datetime
    allowed_from: frozenset[IntakeStatus]
    history: HistoryEntry
    audit: Audit
    link: StatusLink
    email: OutboxEmail


class Decided(NamedTuple):
    """Waitlisted, referred out or declined by staff; also a bond review (the intake leaves "attention")."""

    intake: Intake
    at: datetime
    move: StatusMove
    history: HistoryEntry
    audit: Audit
    bond_reviewed: bool = False  # only if the intake's bond is still flagged, and the flag is cleared
    link: StatusLink | None = None  # a decision's email carries a fresh status link
    email: OutboxEmail | None = None


class Rematched(NamedTuple):
    """Staff (or the service) ran matching again; written only while the roster is at the match's version."""

    intake: Intake
    match: StoredMatch
    at: datetime
    move: StatusMove
    history: HistoryEntry
    audit: Audit | None
    summary: QueueSummary  # the staff lists' summary, with what this run found


class SessionHeld(NamedTuple):
    """A session counted, only while the intake is still with its counselor at `intake.sessions_held`; with
    `invite`, the check-in it triggers and the email that carries its link."""

    intake: Intake
    at: datetime
    sessions_held: int
    history: HistoryEntry
    audit: Audit
    invite: CheckIn | None
    email: OutboxEmail | None


class CheckInSaved(NamedTuple):
    """A client's answers, stored once; with them the history entry and, while the client is still with the
    counselor the check-in is about, the bond flag (`flag`), the report's counters and the rating change."""

    intake: Intake
    at: datetime
    check_in: CheckIn
    answers: CheckInAnswers
    risk: tuple[RiskReason, ...]
    counted: CountedIn | None
    history: HistoryEntry
    flag: StatusMove | None
    counters: tuple[CounterDelta, ...]
    rating: RatingChange | None
    # How many of the client's check-ins about this counselor were answered when the intake was read: the
    # replaced figures and the rating above rest on that read, so the write holds only while it still holds.
    answered_before: int = 0
    # With the flag: the support email to the client and the fresh status link it carries.
    link: StatusLink | None = None
    email: OutboxEmail | None = None


class Erasure(NamedTuple):
    """An intake erased on request, only while it is as it was read; `slot_of` is the counselor whose slot
    the client held, given back with it."""

    intake: Intake
    at: datetime
    slot_of: str | None
    # with a booking: the counselor's next opening once its cells are freed, written with the slot given back
    next_opening: "Opening | None" = None


class ClientRematch(NamedTuple):
    """The client asked for someone else: back to the open queue with `match`; the counselor they leave is
    never suggested again and gets the slot back."""

    intake: Intake
    previous_counselor_id: str
    match: StoredMatch
    at: datetime
    move: StatusMove
    history: HistoryEntry
    counters: tuple[CounterDelta, ...]
    summary: QueueSummary  # the staff lists' summary, with what this run found
    give_back_slot: bool = True  # not when the counselor already has the most open slots a profile may have
    link: StatusLink | None = None  # the confirmation email's fresh status link
    email: OutboxEmail | None = None
    answers: IntakeAnswers | None = None  # the answers with what the client chose to change (None: unchanged)
    closes_booking: Booking | None = None  # a first conversation already begun: closed with the request


class Opening(NamedTuple):
    """A counselor's next opening as it is after a change of their booked time (None: none within the
    horizon), written in the same update as the change."""

    at: datetime | None


class Booked(NamedTuple):
    """The client books a first conversation: the assignment it is (the slot taken, history, audit, fit,
    email, check-ins), with the booking and its cells, while the roster is at `roster_version`."""

    assignment: Assignment
    booking: Booking
    roster_version: int
    next_opening: Opening
    summary: QueueSummary  # the staff lists' summary, now with the booking


class Rebooked(NamedTuple):
    """The client moves their booking to another time with the same counselor, only while it is still at
    `old.start`: the old cells freed, the new ones taken."""

    intake: Intake
    old: Booking
    new: Booking
    at: datetime
    history: HistoryEntry
    audit: Audit
    link: StatusLink
    email: OutboxEmail
    roster_version: int
    next_opening: Opening
    summary: QueueSummary


class BookingCancelled(NamedTuple):
    """The booking is cancelled (by the client, or by staff as an override), only while it is still at
    `booking.start`: its cells freed, the slot given back, the intake back in the open queue (`move`)."""

    intake: Intake
    booking: Booking
    at: datetime
    move: StatusMove
    history: HistoryEntry
    audit: Audit
    link: StatusLink | None
    email: OutboxEmail
    roster_version: int
    next_opening: Opening
    summary: QueueSummary  # without the booking
    give_back_slot: bool = True  # not when the counselor already has the most open slots a profile may have
