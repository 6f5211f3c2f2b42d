"""A counselor's booked time, and the writes of a client's booking: the 15-minute cells that first
conversations (and their buffers) occupy, and the intake's one BOOKING item.

The cells live in the counselor's own partition (keys.py), so one query reads a counselor's busy time
over the booking horizon, and one condition per cell (`attribute_not_exists`) keeps two bookings from
overlapping. Each booking change is one transaction of what the use case decided
(shared/services/booking.py) with the conditions that protect it:

A freed cell is marked `freed` rather than deleted, and a cancelled booking stays a tombstone, so the
client and staff functions never delete an item.

- book: the assignment's writes (the intake still open, and here also not urgent, not being erased and at
  the revision read; the slot taken with the counselor's new next opening; the roster version; history,
  audit, fit, email, check-ins, counters), the BOOKING item (`attribute_not_exists`, or a cancelled one's
  tombstone: one booking per intake at a time) and one item per cell (absent or freed: no double booking);
- reschedule: the booking replaced only while it is at the start read, the cells it leaves freed, the
  new ones taken, the next opening rewritten, the roster version, history, audit and the email;
- cancel: the booking marked cancelled and its cells freed (only while at the start read), the slot
  given back (capped),
  the next opening rewritten, the intake back to the open queue, history, audit and the email.
"""

from datetime import datetime
from typing import Any

from shared.dal.audit import audit_writes
from shared.dal.cells import cell_frees, cell_put
from shared.dal.intake_items import (
    NOT_ERASING,
    REVISED,
    REVISION_NAME,
    REVISION_STEP,
    booking_at_start,
    booking_closed,
    history_item,
    status_link_set,
    status_update,
)
from shared.dal.intakes import assignment_refused, assignment_writes
from shared.dal.keys import (
    booking_key,
    cell_sort_key,
    cell_start_of,
    counselor_partition,
    intake_key,
    meetings_partition,
)
from shared.dal.outbox import outbox_item
from shared.dal.roster import roster_bump, slot_change
from shared.dal.table import Cancelled, Table
from shared.dal.values import b, n, s, text, time
from shared.domain.availability import CELL, Busy
from shared.domain.booking import Booking
from shared.domain.errors import AlreadyDecided
from shared.domain.records import Intake, IntakeStatus
from shared.services.changes import Booked, BookingCancelled, Rebooked
from shared.services.ports import BookingChanged, CellTaken, RosterChanged, SlotsFull


def booking_item(intake_id: str, booking: Booking) -> dict[str, Any]:
    return {
        **booking_key(intake_id),
        "booking": s(booking.model_dump_json()),
        "booking_id": s(booking.booking_id),
        "start": s(time(booking.start)),
        "counselor_id": s(booking.counselor_id),
        # the counselor's upcoming first conversations (the Outbox index, their own partition of it)
        "OutboxPK": s(meetings_partition(booking.counselor_id)),
        "OutboxSK": s(f"{time(booking.start)}#{intake_id}"),
    }


# A cancelled booking stays as a tombstone (`cancelled_at`) until the intake is erased, so the client
# function never needs to delete an item of an intake's partition; a new booking may replace a tombstone.
BOOKING_FREE = "attribute_not_exists(PK) OR attribute_exists(cancelled_at)"


def _still_with(intake: Intake, counselor_id: str) -> tuple[str, dict[str, Any]]:
    """The intake is still assigned to the booked counselor, and not being erased."""
    return f"{NOT_ERASING} AND #s = :assigned AND assigned_counselor_id = :booked_with", {
        ":assigned": s(IntakeStatus.ASSIGNED.value),
        ":booked_with": s(counselor_id),
    }


class DynamoBookings:
    table: Table

    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]:
        """The counselor's booked cells that touch [since, until), each as a 15-minute busy interval,
        earliest first. One query (paged by DynamoDB beyond 1 MB)."""
        items = self.table.query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": s(counselor_partition(counselor_id)),
                ":low": s(cell_sort_key(since - CELL)),
                ":high": s(cell_sort_key(until)),
            },
            ProjectionExpression="SK, freed",
            ConsistentRead=True,
        )
        busy = []
        for item in items:
            if "freed" in item:
                continue
            start = cell_start_of(text(item, "SK"))
            if start + CELL > since and start < until:
                busy.append(Busy(start, start + CELL))
        return busy

    def book(self, change: Booked) -> None:
        """One transaction (see the module docstring). Raises AlreadyDecided when the intake moved on, was
        changed since it was read or already has a booking (the use case reads it again), CellTaken when a
        cell of the time was taken, SlotTaken, RosterChanged or MatchChanged as an assignment does."""
        table, booking = self.table, change.booking
        intake = change.assignment.intake
        revision = "attribute_not_exists(#rev)" if intake.revision == 0 else "#rev = :rev_read"
        values: dict[str, Any] = {":not_urgent": b(False), ":summary": s(change.summary.model_dump_json())}
        if intake.revision:
            values[":rev_read"] = n(intake.revision)
        items = assignment_writes(
            table,
            change.assignment,
            change.roster_version,
            next_opening=change.next_opening,
            condition=f"attribute_not_exists(erasing) AND urgent = :not_urgent AND {revision}",
            also_set=", summary = :summary",
            values=values,
        )
        booking_at = len(items)
        items.append(table.put(booking_item(intake.intake_id, booking), BOOKING_FREE))
        items.extend(cell_put(table, booking.counselor_id, cell) for cell in booking.cells())
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(booking_at) or cancelled.refused(0):
                raise AlreadyDecided() from cancelled
            if any(cancelled.refused(i) for i in range(booking_at + 1, len(items))):
                raise CellTaken() from cancelled
            assignment_refused(cancelled)
            raise

    def rebook(self, change: Rebooked) -> None:
        """Moves the booking (see the module docstring). Raises BookingChanged when the intake or its booking
        is no longer as read, CellTaken when a new cell was taken, RosterChanged."""
        table, old, new = self.table, change.old, change.new
        intake_id = change.intake.intake_id
        still, values = _still_with(change.intake, old.counselor_id)
        link_set, link_names, link_values = status_link_set(change.link)
        intake_update = table.update(
            intake_key(intake_id),
            "SET updated_at = :at, summary = :summary" + link_set + REVISED,
            ConditionExpression=still,
            ExpressionAttributeNames={"#s": "status", **REVISION_NAME, **link_names},
            ExpressionAttributeValues={
                ":at": s(time(change.at)),
                ":summary": s(change.summary.model_dump_json()),
                **values,
                **link_values,
                **REVISION_STEP,
            },
        )
        at_start, start_values = booking_at_start(old)
        old_cells, new_cells = frozenset(old.cells()), frozenset(new.cells())
        items = [
            intake_update,
            table.put(
                booking_item(intake_id, new),
                at_start,
                ExpressionAttributeNames={"#start": "start"},
                ExpressionAttributeValues=start_values,
            ),
            slot_change(
                table, old.counselor_id, change.roster_version + 1, taking=None, next_opening=change.next_opening
            ),
            roster_bump(table, change.roster_version),
            table.put(history_item(intake_id, change.history)),
            *audit_writes(table, change.audit),
            table.put(outbox_item(intake_id, change.email, change.at)),
            *cell_frees(table, old, keep=new_cells),
        ]
        first_new = len(items)
        items.extend(cell_put(table, new.counselor_id, cell) for cell in sorted(new_cells - old_cells))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0) or cancelled.refused(1):
                raise BookingChanged() from cancelled
            if any(cancelled.refused(i) for i in range(first_new, len(items))):
                raise CellTaken() from cancelled
            if cancelled.refused(3):
                raise RosterChanged() from cancelled
            raise

    def cancel_booking(self, change: BookingCancelled) -> None:
        """Cancels the booking (see the module docstring). Raises BookingChanged when the intake or its
        booking is no longer as read, SlotsFull when giving the slot back is refused, RosterChanged."""
        table, booking, intake = self.table, change.booking, change.intake
        link_set, link_names, link_values = status_link_set(change.link)
        still, values = _still_with(intake, booking.counselor_id)
        summary = {":summary": s(change.summary.model_dump_json())}
        update = status_update(
            table,
            intake,
            change.move,
            change.at,
            ", summary = :summary" + link_set,
            {**values, **link_values, **summary},
        )
        update["Update"]["UpdateExpression"] += " REMOVE assigned_counselor_id, assigned_at, assigned_fit"
        update["Update"]["ConditionExpression"] += f" AND {still}"
        update["Update"]["ExpressionAttributeNames"].update(link_names)
        items = [
            update,
            booking_closed(table, intake.intake_id, booking, change.at),
            slot_change(
                table,
                booking.counselor_id,
                change.roster_version + 1,
                taking=False if change.give_back_slot else None,
                next_opening=change.next_opening,
            ),
            roster_bump(table, change.roster_version),
            table.put(history_item(intake.intake_id, change.history)),
            *audit_writes(table, change.audit),
            table.put(outbox_item(intake.intake_id, change.email, change.at)),
            *cell_frees(table, booking),
        ]
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0) or cancelled.refused(1):
                raise BookingChanged() from cancelled
            if cancelled.refused(3):
                raise RosterChanged() from cancelled
            if change.give_back_slot and cancelled.refused(2):
                raise SlotsFull() from cancelled
            raise
