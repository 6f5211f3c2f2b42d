"""Use cases for the client's booked first conversation: book it from the shortlist, move it, cancel it
(the client from their status link, or staff as an override).

The use case decides; the data layer writes each change as one transaction (shared/dal/bookings.py).
A booking is an assignment made by the client: the same rules, history, audit, fit, first-match counter
and scheduled check-ins as staff assignment (shared/services/review.py `assignment_change`), with the
booking, its cells and the counselor's new next opening in the same transaction.

What is refused, and how (nothing is written in any of these):
- a start in the past, inside the lead time or beyond the horizon: 400 on `start`;
- a counselor not on the client's shortlist: 400 on `counselor_id`; a kind they do not offer: 400 on `kind`;
- a start that is not one of the counselor's openings for that kind now (taken, or never offered), or a
  cell taken between the read and the write: 409 with the counselor's fresh openings;
- a shortlist that is not open (the policy, an urgent intake, an intake closed or already assigned): 409;
- a second booking on the intake: 409; the counselor's last slot taken meanwhile: 409.
The time zone and the kind are checked by the request model (422 on the field).
"""

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain.availability import (
    BookingRules,
    Busy,
    ConversationOffer,
    MeetingKind,
    Schedule,
    next_opening,
    openings,
)
from shared.domain.booking import AlreadyBooked, Booking, NoBooking, TimeUnavailable
from shared.domain.counselor import CounselorProfile
from shared.domain.errors import AlreadyDecided, InvalidRequest, TransitionNotAllowed
from shared.domain.records import Actor, HistoryEntry, HistoryKind, Intake, IntakeStatus, QueueSummary
from shared.domain.shortlist import BookingPolicy, shortlist_counselor_ids, shortlist_open
from shared.services.booking_time import horizon_busy, with_booking, without_booking
from shared.services.changes import (
    Audit,
    Booked,
    BookingCancelled,
    EmailKind,
    Opening,
    Rebooked,
    StatusLink,
    client_email,
    move,
)
from shared.services.links import check_status_link, new_token
from shared.services.ports import (
    BookingChanged,
    BookingStore,
    CellTaken,
    Clock,
    IntakeEvents,
    MatchChanged,
    SlotsFull,
)
from shared.services.review import assignment_change
from shared.services.roster_lock import while_roster_changes

logger = Logger(child=True)

CLIENT = Actor(user_id="client", username="client", groups=frozenset())
"""The actor of what a client does from their status link (history and audit say "client")."""
FRESH_OPENINGS = 12  # how many of the counselor's openings a refused time answers with
_READS = 3  # an intake changed between the read and the write (a staff read, say) is read again


class BookingOptions(NamedTuple):
    """The practice's parameters that booking follows."""

    policy: BookingPolicy
    rules: BookingRules
    status_link_days: int = 180
    check_in_days: tuple[int, ...] = ()


def _check_start(start: datetime, now: datetime, rules: BookingRules) -> None:
    field = ("body", "start")
    if start <= now:
        raise InvalidRequest("This time has already passed. Choose one of the openings shown.", field)
    if start < now + timedelta(hours=rules.lead_time_hours):
        raise InvalidRequest(f"Book at least {rules.lead_time_hours} hours ahead.", field)
    if start > now + timedelta(days=rules.horizon_days):
        raise InvalidRequest(f"Book at most {rules.horizon_days} days ahead.", field)


def _schedule_for(counselor: CounselorProfile, kind: MeetingKind) -> tuple[Schedule, ConversationOffer]:
    schedule = counselor.schedule
    offer = schedule.offer(kind) if schedule is not None else None
    if schedule is None or offer is None:
        raise InvalidRequest("This counselor does not offer this kind of first conversation.", ("body", "kind"))
    return schedule, offer


def fresh_openings(store: BookingStore, counselor_id: str, kind: MeetingKind, now: datetime, rules: BookingRules,
                   ignore: Booking | None = None) -> tuple[datetime, ...]:  # fmt: skip
    """The counselor's openings of this kind as they are now (what a refused time answers with)."""
    counselor = store.get_counselor(counselor_id)
    if counselor.schedule is None:
        return ()
    busy = horizon_busy(store, counselor_id, now, rules)
    if ignore is not None:
        busy = without_booking(busy, ignore)
    return openings(counselor.schedule, kind, busy, now, rules, limit=FRESH_OPENINGS)


def _offered(schedule: Schedule, kind: MeetingKind, busy: Sequence[Busy], start: datetime, now: datetime,
             rules: BookingRules) -> None:  # fmt: skip
    found = openings(schedule, kind, busy, now, rules, limit=500)
    if start not in found:
        raise TimeUnavailable(found[:FRESH_OPENINGS])


def _not_open(intake: Intake) -> TransitionNotAllowed:
    if intake.urgent:
        return TransitionNotAllowed(
            "Our team will contact you personally about a first conversation; it cannot be booked online."
        )
    if intake.status is IntakeStatus.ASSIGNED:
        return TransitionNotAllowed("You are already matched with a counselor.")
    return TransitionNotAllowed("Booking online is not open for this request (yet): our team is choosing with you.")


def _retrying[T](write: Callable[[], T]) -> T:
    """Tries a read-decide-write again when what it read changed first: the roster (while_roster_changes),
    the intake or its match. Gives up as AlreadyDecided after a few reads."""
    for attempt in range(_READS):
        try:
            return while_roster_changes(write)
        except (AlreadyDecided, MatchChanged, BookingChanged):
            if attempt + 1 == _READS:
                raise AlreadyDecided() from None
    raise AssertionError("unreachable")


def _announce(events: IntakeEvents | None, intake_id: str) -> None:
    if events is None:
        return
    try:
        events.client_email_queued(intake_id)
    except Exception:  # the email waits in the outbox; the retry sweep sends it
        logger.exception("could not announce a queued email", extra={"intake_id": intake_id})


def book(
    store: BookingStore,
    intake_id: str,
    token: str,
    counselor_id: str,
    kind: MeetingKind,
    start: datetime,
    time_zone: str,
    *,
    options: BookingOptions,
    clock: Clock,
    events: IntakeEvents | None = None,
) -> Booking:
    """The client books a first conversation with a counselor on their shortlist (module docstring)."""
    rules = options.rules
    start = start.astimezone(UTC)  # stored and answered in UTC, whatever offset the request wrote

    def attempt() -> Booking:
        now = clock()
        intake = store.get_intake(intake_id)
        check_status_link(intake.status_links, token, now)
        if intake.booking is not None:
            raise AlreadyBooked()
        if not shortlist_open(intake, options.policy) or intake.match is None:
            raise _not_open(intake)
        if counselor_id not in shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids):
            raise InvalidRequest("This counselor is not on your shortlist.", ("body", "counselor_id"))
        _check_start(start, now, rules)
        counselor = store.get_counselor(counselor_id)
        schedule, offer = _schedule_for(counselor, kind)
        version = store.roster_version()  # before the busy time: a booking landing after it moves it on
        busy = horizon_busy(store, counselor_id, now, rules)
        _offered(schedule, kind, busy, start, now, rules)
        booking = Booking(
            booking_id=secrets.token_hex(8),
            counselor_id=counselor_id,
            counselor_name=counselor.name,
            kind=kind,
            format=offer.format,
            start=start,
            minutes=offer.minutes,
            buffer_minutes=offer.buffer_minutes,
            time_zone=time_zone,
            booked_at=now,
        )
        assignment, _ = assignment_change(
            intake, counselor_id, f"Booked by the client: {kind.value.replace('_', ' ')}", CLIENT, now,
            email_kind=EmailKind.BOOKED, status_link_days=options.status_link_days,
            check_in_days=options.check_in_days, booking=booking,
        )  # fmt: skip
        upcoming = next_opening(schedule, with_booking(busy, booking), now, rules)
        summary = QueueSummary.of(intake.model_copy(update={"booking": booking}))
        change = Booked(assignment, booking, version, Opening(upcoming), summary)
        try:
            store.book(change)
        except CellTaken:
            raise TimeUnavailable(fresh_openings(store, counselor_id, kind, clock(), rules)) from None
        return booking

    booked = _retrying(attempt)
    _announce(events, intake_id)
    return booked


def _booked(intake: Intake) -> Booking:
    if intake.booking is None or intake.status is not IntakeStatus.ASSIGNED:
        raise NoBooking()
    return intake.booking


def _new_link(now: datetime, days: int) -> tuple[str, StatusLink]:
    token, link_hash = new_token()
    return token, StatusLink(link_hash, now + timedelta(days=days))


def reschedule(
    store: BookingStore,
    intake_id: str,
    token: str,
    start: datetime,
    time_zone: str,
    *,
    options: BookingOptions,
    clock: Clock,
    events: IntakeEvents | None = None,
) -> Booking:
    """The client moves their booking to another of the same counselor's openings, same kind."""
    rules = options.rules
    start = start.astimezone(UTC)

    def attempt() -> Booking:
        now = clock()
        intake = store.get_intake(intake_id)
        check_status_link(intake.status_links, token, now)
        old = _booked(intake)
        _check_start(start, now, rules)
        counselor = store.get_counselor(old.counselor_id)
        schedule, offer = _schedule_for(counselor, old.kind)
        version = store.roster_version()
        busy = without_booking(horizon_busy(store, old.counselor_id, now, rules), old)
        _offered(schedule, old.kind, busy, start, now, rules)
        new = old.model_copy(
            update={"start": start, "time_zone": time_zone, "sequence": old.sequence + 1, "minutes": offer.minutes,
                    "buffer_minutes": offer.buffer_minutes, "format": offer.format, "counselor_name": counselor.name}
        )  # fmt: skip
        new_token_, link = _new_link(now, options.status_link_days)
        change = Rebooked(
            intake=intake,
            old=old,
            new=new,
            at=now,
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.RESCHEDULED,
                actor=CLIENT.username,
                status=intake.status,
                counselor_id=old.counselor_id,
            ),
            audit=Audit(CLIENT, "rescheduled", now, intake_id=intake_id, counselor_id=old.counselor_id),
            link=link,
            email=client_email(
                EmailKind.RESCHEDULED, intake.answers, new_token_, counselor_id=old.counselor_id, booking=new
            ),
            roster_version=version,
            next_opening=Opening(next_opening(schedule, with_booking(busy, new), now, rules)),
            summary=QueueSummary.of(intake.model_copy(update={"booking": new})),
        )
        try:
            store.rebook(change)
        except CellTaken:
            raise TimeUnavailable(fresh_openings(store, old.counselor_id, old.kind, clock(), rules, old)) from None
        return new

    moved = _retrying(attempt)
    _announce(events, intake_id)
    return moved


def cancel(
    store: BookingStore,
    intake_id: str,
    *,
    token: str | None,
    actor: Actor,
    options: BookingOptions,
    clock: Clock,
    events: IntakeEvents | None = None,
) -> Booking:
    """Cancels the booking: by the client (`token`, their status link) or by staff (`token` None; the staff
    override). The cells are freed, the slot given back (unless the counselor already has the most a profile
    may have), the next opening rewritten, and the intake goes back to the open queue as needs_rematch (the
    one way back from assigned), with its match kept: the client may book again from the same shortlist, and
    staff keep every tool they have. The client is emailed the cancellation with a fresh status link."""
    rules = options.rules

    def attempt() -> Booking:
        now = clock()
        intake = store.get_intake(intake_id)
        if token is not None:
            check_status_link(intake.status_links, token, now)
        booking = _booked(intake)
        counselor = store.get_counselor(booking.counselor_id)
        version = store.roster_version()
        busy = without_booking(horizon_busy(store, booking.counselor_id, now, rules), booking)
        upcoming = next_opening(counselor.schedule, busy, now, rules) if counselor.schedule else None
        cancelled = booking.model_copy(update={"sequence": booking.sequence + 1})
        new_token_, link = _new_link(now, options.status_link_days)
        change = BookingCancelled(
            intake=intake,
            booking=booking,
            at=now,
            move=move(IntakeStatus.NEEDS_REMATCH, frozenset({IntakeStatus.ASSIGNED})),
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.BOOKING_CANCELLED,
                actor=actor.username,
                status=IntakeStatus.NEEDS_REMATCH,
                counselor_id=booking.counselor_id,
            ),
            audit=Audit(actor, "cancelled_booking", now, intake_id=intake_id, counselor_id=booking.counselor_id),
            link=link,
            email=client_email(
                EmailKind.BOOKING_CANCELLED,
                intake.answers,
                new_token_,
                counselor_id=booking.counselor_id,
                booking=cancelled,
            ),
            roster_version=version,
            next_opening=Opening(upcoming),
            summary=QueueSummary.of(intake.model_copy(update={"booking": None})),
        )
        try:
            store.cancel_booking(change)
        except SlotsFull:  # the counselor already has the most open slots a profile may have
            store.cancel_booking(change._replace(give_back_slot=False))
        return cancelled

    done = _retrying(attempt)
    _announce(events, intake_id)
    return done
