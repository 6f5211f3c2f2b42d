"""Use cases for the practice's record keeping: erase an intake on request, read the audit trail."""

from datetime import date, datetime
from functools import partial

from shared.domain.availability import BookingRules, next_opening
from shared.domain.errors import AlreadyDecided, IntakeNotFound
from shared.domain.records import Actor, Intake, IntakeStatus
from shared.services.booking_time import horizon_busy, without_booking
from shared.services.changes import Audit, Erasure, Opening
from shared.services.ports import AuditEntry, Clock, Page, RecordsAdministration, SlotsFull
from shared.services.roster_lock import while_roster_changes

_READS = 3


def erase_intake(
    store: RecordsAdministration, intake_id: str, actor: Actor, clock: Clock, rules: BookingRules | None = None
) -> None:
    """Removes everything the client told us and everything derived from it, and gives back the slot they
    held with a counselor; an audit entry remains that says only which reference was erased, by whom and
    when, and the entries about what staff did to the intake no longer name it or its counselor.

    The erasure holds only while the intake is as read: when anything landed meanwhile (an assignment,
    say), it is read again. An erasure that stopped half-way is finished by the next request. A booked first
    conversation's cells are freed with it (the data layer), and, with the practice's booking `rules`, the
    counselor's next opening is written again with the slot given back."""
    now = clock()
    audit = Audit(actor, "erased_intake", now, intake_id=intake_id)
    for attempt in range(_READS):
        try:
            intake = store.get_intake(intake_id)
        except IntakeNotFound:
            if _finish(store, intake_id, audit):  # its erasure had begun and stopped half-way
                return
            raise
        held = intake.assigned_counselor_id if intake.status is IntakeStatus.ASSIGNED else None
        erasure = Erasure(intake=intake, at=now, slot_of=held, next_opening=_opening_after(store, intake, now, rules))
        try:
            try:
                while_roster_changes(partial(store.erase_intake, erasure, audit, True))
            except SlotsFull:  # the counselor already has the most open slots a profile may have
                while_roster_changes(partial(store.erase_intake, erasure, audit, False))
            return
        except AlreadyDecided:
            if attempt + 1 == _READS:
                raise


def _opening_after(
    store: RecordsAdministration, intake: Intake, now: datetime, rules: BookingRules | None
) -> Opening | None:
    """The booked counselor's next opening once the intake's booking is gone (None: not to be written)."""
    booking = intake.booking
    if booking is None or rules is None:
        return None
    schedule = store.get_counselor(booking.counselor_id).schedule
    if schedule is None:
        return Opening(None)
    busy = without_booking(horizon_busy(store, booking.counselor_id, now, rules), booking)
    return Opening(next_opening(schedule, busy, now, rules))


def _finish(store: RecordsAdministration, intake_id: str, audit: Audit) -> bool:
    try:
        return while_roster_changes(partial(store.finish_erasure, intake_id, audit, True))
    except SlotsFull:
        return while_roster_changes(partial(store.finish_erasure, intake_id, audit, False))


def audit_log(store: RecordsAdministration, day: date, limit: int, cursor: str | None) -> Page[AuditEntry]:
    return store.list_audit(day.isoformat(), limit, cursor)
