"""Intakes as stored: the intake item (with its place in the Queue index), its latest match, its history,
and the writes of the staff's and the client's decisions about it. Each write is one transaction of what
the use case decided (shared/services/changes.py) with the conditions that protect it."""

from collections.abc import Mapping
from typing import Any

from shared.dal.audit import audit_item, audit_scrub, audit_writes
from shared.dal.cells import cell_frees
from shared.dal.check_ins import check_in_of
from shared.dal.counters import counter_add
from shared.dal.intake_items import (
    NOT_ERASING,
    REVISED,
    REVISION_NAME,
    REVISION_STEP,
    answers_value,
    booking_closed,
    history_item,
    intake_item,
    match_item,
    match_unchanged,
    status_link_set,
    status_update,
)
from shared.dal.keys import (
    AUDIT_REF_PREFIX,
    CHECK_IN_PREFIX,
    DUE_PREFIX,
    HISTORY_PREFIX,
    QUEUE_INDEX,
    booking_key,
    counselor_key,
    intake_id_of_queue_key,
    intake_key,
    intake_partition,
    outbox_partition,
    queue_partition,
)
from shared.dal.outbox import due_item, email_counted, outbox_item
from shared.dal.paging import query_page
from shared.dal.roster import read_roster_version, roster_bump, roster_unchanged, slot_change
from shared.dal.table import Cancelled, Table
from shared.dal.values import b, from_epoch, n, number, parse_time, s, text, text_or_none, time
from shared.domain.booking import Booking
from shared.domain.errors import AlreadyDecided, IntakeNotFound, ShortlistAlreadyReleased, SlotTaken
from shared.domain.intake import IntakeAnswers
from shared.domain.records import (
    AssignedFit,
    HistoryEntry,
    Intake,
    IntakeStatus,
    QueueStage,
    QueueSummary,
    StoredMatch,
)
from shared.i18n import locale_of
from shared.services.changes import (
    Assignment,
    Audit,
    ClientRematch,
    Decided,
    Erasure,
    NewIntake,
    Opening,
    Rematched,
    ShortlistReleased,
    ViewRecorded,
)
from shared.services.ports import (
    EmailLimitReached,
    MatchChanged,
    Page,
    QueueEntry,
    RosterChanged,
    SlotsFull,
    StatusView,
)

ERASING = "erasing"  # the status of an intake from the first step of its erasure: no other write allows it
_TRANSACTION_ITEMS = 100


def _links_of(item: Mapping[str, Any]) -> dict[str, Any]:
    return {token_hash: from_epoch(at) for token_hash, at in item.get("status_links", {}).get("M", {}).items()}


def _booking_of(item: Mapping[str, Any] | None) -> Booking | None:
    """The intake's booking, unless there is none or it was cancelled (its tombstone: shared/dal/bookings.py)."""
    if item is None or "cancelled_at" in item:
        return None
    return Booking.model_validate_json(text(item, "booking"))


def _queue_entry_of(item: Mapping[str, Any]) -> QueueEntry:
    return QueueEntry(
        intake_id=intake_id_of_queue_key(text(item, "QueueSK")),
        status=IntakeStatus(text(item, "status")),
        urgent=item["urgent"]["BOOL"],
        created_at=parse_time(text(item, "created_at")),
        updated_at=parse_time(text(item, "updated_at")),
        summary=QueueSummary.model_validate_json(text(item, "summary")),
    )


def assignment_writes(
    table: Table,
    change: Assignment,
    version: int,
    *,
    next_opening: Opening | None = None,
    condition: str = "",
    also_set: str = "",
    values: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The writes of an assignment at roster `version`: the intake (0), the slot taken (1), the roster
    version (2), the history entry (3), the match as read (4), the audit entry, the email, the scheduled
    check-ins and the report's counters. `condition` is added to the intake's, `also_set` to what it sets
    (with their `values`)."""
    intake, at = change.intake, change.at
    extra_set = ", assigned_counselor_id = :counselor, assigned_at = :at, sessions_held = :zero" + also_set
    extra_values: dict[str, Any] = {":counselor": s(change.counselor_id), ":zero": n(0), **(values or {})}
    if change.fit is not None:
        extra_set += ", assigned_fit = :fit"
        extra_values[":fit"] = s(change.fit.model_dump_json())
    update = status_update(table, intake, change.move, at, extra_set, extra_values, keep_expiry=False, link=change.link)
    if condition:
        update["Update"]["ConditionExpression"] += f" AND {condition}"
    items = [
        update,
        slot_change(table, change.counselor_id, version + 1, taking=True, next_opening=next_opening),
        roster_bump(table, version),
        table.put(history_item(intake.intake_id, change.history)),
        match_unchanged(table, intake),
        *audit_writes(table, change.audit),
    ]
    if change.email is not None:
        items.append(table.put(outbox_item(intake.intake_id, change.email, at)))
    items.extend(table.put(due_item(intake.intake_id, scheduled)) for scheduled in change.check_ins)
    items.extend(counter_add(table, delta) for delta in change.counters)
    return items


def assignment_refused(cancelled: Cancelled) -> None:
    """The domain error for a refused assignment's writes (assignment_writes), if one of them was refused."""
    if cancelled.refused(0):
        raise AlreadyDecided() from cancelled
    if cancelled.refused(1):
        raise SlotTaken() from cancelled
    if cancelled.refused(2):
        raise RosterChanged() from cancelled
    if cancelled.refused(4):
        raise MatchChanged() from cancelled


class DynamoIntakes:
    """Intakes in the table."""

    table: Table
    idempotency_table_name: str | None

    def create_intake(self, new: NewIntake) -> None:
        """Stores a new intake with its match, first history entry and confirmation email, all or nothing.
        With `new.roster_version`, raises RosterChanged when the roster moved on from that version; with
        `new.email_quota`, EmailLimitReached when the email's address already had its emails for the day."""
        intake, table = new.intake, self.table
        items = [
            table.put(intake_item(new), "attribute_not_exists(PK)"),
            *([table.put(match_item(intake.intake_id, intake.match))] if intake.match else []),
            *(table.put(history_item(intake.intake_id, entry)) for entry in intake.history),
        ]
        if new.email is not None:
            items.append(table.put(outbox_item(intake.intake_id, new.email, intake.created_at)))
        quota_at = len(items)
        if new.email_quota is not None:
            items.append(email_counted(table, new.email_quota))
        items.extend(counter_add(table, delta) for delta in new.counters)
        if new.roster_version is not None:
            items.append(roster_unchanged(table, new.roster_version))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if new.roster_version is not None and cancelled.refused(-1):
                raise RosterChanged() from cancelled
            if new.email_quota is not None and cancelled.refused(quota_at):
                raise EmailLimitReached() from cancelled
            raise

    def get_intake(self, intake_id: str) -> Intake:
        """The intake with its latest match, history and check-ins (one query)."""
        items = list(
            self.table.query_all(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": s(intake_partition(intake_id))},
                ConsistentRead=True,
            )
        )
        by_kind = {text(i, "SK"): i for i in items if not text(i, "SK").startswith(HISTORY_PREFIX)}
        head = by_kind.get("INTAKE")
        if head is None or "erasing" in head:
            raise IntakeNotFound()
        match = by_kind.get("MATCH")
        history = [
            HistoryEntry.model_validate_json(text(i, "entry"))
            for i in items
            if text(i, "SK").startswith(HISTORY_PREFIX)
        ]
        return Intake(
            intake_id=text(head, "intake_id"),
            answers=IntakeAnswers.model_validate_json(text(head, "answers")),
            status=IntakeStatus(text(head, "status")),
            urgent=head["urgent"]["BOOL"],
            created_at=parse_time(text(head, "created_at")),
            updated_at=parse_time(text(head, "updated_at")),
            assigned_counselor_id=text_or_none(head, "assigned_counselor_id"),
            status_links=_links_of(head),
            idempotency_record=text_or_none(head, "idempotency_record"),
            match=StoredMatch.model_validate_json(text(match, "match")) if match else None,
            history=sorted(history, key=lambda e: e.at),
            assigned_at=parse_time(text(head, "assigned_at")) if "assigned_at" in head else None,
            assigned_fit=AssignedFit.model_validate_json(text(head, "assigned_fit"))
            if "assigned_fit" in head
            else None,
            sessions_held=number(head, "sessions_held") if "sessions_held" in head else 0,
            check_ins=[check_in_of(i) for sk, i in sorted(by_kind.items()) if sk.startswith(CHECK_IN_PREFIX)],
            bond_at_risk=head["bond_at_risk"]["BOOL"] if "bond_at_risk" in head else False,
            excluded_counselor_ids=[v["S"] for v in head.get("excluded", {}).get("L", [])],
            shortlist_released_at=parse_time(text(head, "shortlist_released_at"))
            if "shortlist_released_at" in head
            else None,
            booking=_booking_of(by_kind.get("BOOKING")),
            revision=number(head, "rev") if "rev" in head else 0,
        )

    def get_status(self, intake_id: str) -> StatusView:
        found = self.table.get(
            intake_key(intake_id),
            ProjectionExpression="#s, status_links, assigned_counselor_id, updated_at, erasing, urgent, "
            "client_asked_at, #l",
            ExpressionAttributeNames={"#s": "status", "#l": "locale"},
        )
        if not found or "erasing" in found:
            raise IntakeNotFound()
        status = IntakeStatus(text(found, "status"))
        booked = None
        if status is IntakeStatus.ASSIGNED:  # only an assigned intake can have a booking: a second read then
            booked = self.table.get(booking_key(intake_id), ProjectionExpression="booking")
        return StatusView(
            status=status,
            status_links=_links_of(found),
            assigned_counselor_id=text_or_none(found, "assigned_counselor_id"),
            updated_at=parse_time(text(found, "updated_at")),
            booking=_booking_of(booked),
            urgent=bool(found.get("urgent", {}).get("BOOL", False)),
            # the client's request for someone else is the intake's latest change while both times agree
            client_asked=text_or_none(found, "client_asked_at") == text(found, "updated_at"),
            locale=locale_of(text_or_none(found, "locale")),  # an intake stored before languages: English
        )

    def list_queue(
        self, stage: QueueStage | str, status: IntakeStatus | None, limit: int, cursor: str | None
    ) -> Page[QueueEntry]:
        query: dict[str, Any] = {
            "IndexName": QUEUE_INDEX,
            "ExpressionAttributeNames": {"#s": "status"},
            "ProjectionExpression": "PK, SK, QueuePK, QueueSK, #s, urgent, created_at, updated_at, summary",
        }
        if status is not None:
            query["FilterExpression"] = "#s = :status"
            query["ExpressionAttributeValues"] = {":status": s(status.value)}
        partition = ("QueuePK", queue_partition(QueueStage(stage)))
        return query_page(self.table, partition, limit, cursor, _queue_entry_of, **query)

    def record_view(self, view: ViewRecorded) -> None:
        """Audits a staff read; with a move, the intake goes into review in the same transaction (raises
        AlreadyDecided, with nothing written, when someone else moved it first)."""
        audit = audit_writes(self.table, view.audit)
        if view.move is None or view.history is None:
            revised = self.table.update(
                intake_key(view.intake.intake_id),
                REVISED.strip(),
                ConditionExpression=NOT_ERASING,
                ExpressionAttributeNames=REVISION_NAME,
                ExpressionAttributeValues=REVISION_STEP,
            )
            try:  # while the intake is there, not once its erasure has begun
                self.table.transact([*audit, revised])
            except Cancelled as cancelled:
                raise IntakeNotFound() from cancelled
            return
        try:
            self.table.transact(
                [
                    status_update(self.table, view.intake, view.move, view.audit.at),
                    self.table.put(history_item(view.intake.intake_id, view.history)),
                    *audit,
                ]
            )
        except Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def assign(self, change: Assignment) -> None:
        """One transaction: the intake is still assignable, the counselor still has an open slot (which is
        taken), the roster version moves on, the history and audit entries, the email, the scheduled
        check-ins and the report's counters. Raises AlreadyDecided, SlotTaken, or RosterChanged when
        another roster change landed between reading the version and writing."""
        table = self.table
        items = assignment_writes(table, change, read_roster_version(table))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            assignment_refused(cancelled)
            raise

    def release_shortlist(self, change: ShortlistReleased) -> None:
        """Marks the shortlist released, once: while the intake is in one of `allowed_from`, not urgent, not
        released before and with the match read (MatchChanged otherwise); with its history and audit entries,
        the fresh status link and the email that carries it. ShortlistAlreadyReleased when the intake was
        released, moved or closed meanwhile."""
        table, intake, at = self.table, change.intake, change.at
        allowed = sorted(change.allowed_from)
        link_set, link_names, link_values = status_link_set(change.link)
        values: dict[str, Any] = {
            ":at": s(time(at)),
            ":no": b(False),
            **link_values,
            **{f":from{i}": s(status.value) for i, status in enumerate(allowed)},
            **REVISION_STEP,
        }
        update = table.update(
            intake_key(intake.intake_id),
            "SET shortlist_released_at = :at, updated_at = :at" + link_set + REVISED,
            ConditionExpression=f"{NOT_ERASING} AND attribute_not_exists(shortlist_released_at) AND urgent = :no "
            f"AND #s IN ({', '.join(f':from{i}' for i in range(len(allowed)))})",
            ExpressionAttributeNames={"#s": "status", **link_names, **REVISION_NAME},
            ExpressionAttributeValues=values,
        )
        items = [
            update,
            match_unchanged(table, intake),
            table.put(history_item(intake.intake_id, change.history)),
            *audit_writes(table, change.audit),
            table.put(outbox_item(intake.intake_id, change.email, at)),
        ]
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise ShortlistAlreadyReleased() from cancelled
            if cancelled.refused(1):
                raise MatchChanged() from cancelled
            raise

    def decide(self, change: Decided) -> None:
        """The staff's decision, only from the statuses the move allows. A bond review also needs the bond
        still flagged, and clears the flag."""
        extra_set, extra_values = "", dict[str, Any]()
        if change.bond_reviewed:
            extra_set, extra_values = ", bond_at_risk = :no", {":no": b(False), ":yes": b(True)}
        update = status_update(
            self.table, change.intake, change.move, change.at, extra_set, extra_values, link=change.link
        )
        if change.bond_reviewed:
            update["Update"]["ConditionExpression"] += " AND bond_at_risk = :yes"
        items = [
            update,
            self.table.put(history_item(change.intake.intake_id, change.history)),
            *audit_writes(self.table, change.audit),
        ]
        if change.email is not None:
            items.append(self.table.put(outbox_item(change.intake.intake_id, change.email, change.at)))
        try:
            self.table.transact(items)
        except Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def save_match(self, change: Rematched) -> None:
        """Replaces the intake's match, while the roster is still at the version matched against."""
        table, intake_id = self.table, change.intake.intake_id
        summary = {":summary": s(change.summary.model_dump_json())}  # what the staff lists show of this run
        items = [
            status_update(table, change.intake, change.move, change.at, ", summary = :summary", summary),
            table.put(match_item(intake_id, change.match)),
            table.put(history_item(intake_id, change.history)),
            roster_unchanged(table, change.match.roster_version),
        ]
        if change.audit is not None:
            items.extend(audit_writes(table, change.audit))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise AlreadyDecided() from cancelled
            if cancelled.refused(3):
                raise RosterChanged() from cancelled
            raise

    def client_rematch(self, change: ClientRematch) -> None:
        """Back to the open queue with the new match; the counselor left is excluded from now on and gets the
        slot back. Raises RosterChanged when the roster moved on since the match was made, AlreadyDecided
        when the intake is no longer with that counselor."""
        table, intake_id, previous = self.table, change.intake.intake_id, change.previous_counselor_id
        version = change.match.roster_version
        also_set, also_values = ", client_asked_at = :at", dict[str, Any]()  # :at is the update's own time
        if change.answers is not None:  # with what the client chose to change, from now on
            also_set += ", answers = :answers"
            also_values[":answers"] = answers_value(change.answers)
        also_set += ", summary = :summary"
        also_values[":summary"] = s(change.summary.model_dump_json())
        update = status_update(
            table, change.intake, change.move, change.at,
            extra_set=", excluded = list_append(if_not_exists(excluded, :none), :previous), bond_at_risk = :no"
            + also_set,
            extra_values={":none": {"L": []}, ":previous": {"L": [s(previous)]}, ":no": b(False),
                          ":counselor": s(previous), **also_values},
            link=change.link,
        )  # fmt: skip
        update["Update"]["UpdateExpression"] += " REMOVE assigned_counselor_id, assigned_at, assigned_fit"
        update["Update"]["ConditionExpression"] += " AND assigned_counselor_id = :counselor"
        # the stored match is as of the roster after this change (the slot returned)
        stored = change.match.model_copy(update={"roster_version": version + 1})
        items = [
            update,
            slot_change(table, previous, version + 1, taking=False)
            if change.give_back_slot
            else table.check(counselor_key(previous), "attribute_exists(PK)"),  # keeps the refusals' places
            roster_bump(table, version),
            table.put(match_item(intake_id, stored)),
            table.put(history_item(intake_id, change.history)),
            *(counter_add(table, delta) for delta in change.counters),
        ]
        if change.email is not None:
            items.append(table.put(outbox_item(intake_id, change.email, change.at)))
        if change.closes_booking is not None:  # last, so the refusals above keep their places
            items.append(booking_closed(table, intake_id, change.closes_booking, change.at))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0) or (change.closes_booking is not None and cancelled.refused(len(items) - 1)):
                raise AlreadyDecided() from cancelled  # no longer with that counselor, or the booking moved
            if cancelled.refused(2):
                raise RosterChanged() from cancelled
            if change.give_back_slot and cancelled.refused(1):
                raise SlotsFull() from cancelled
            raise

    def erase_intake(self, erasure: Erasure, audit: Audit, give_back_slot: bool) -> None:
        """Deletes the intake and everything under it (its match, history, check-ins, scheduled check-ins,
        audit references, emails, idempotency record), takes its reference out of the audit entries that name
        it, gives the slot back and leaves one audit entry: in one transaction, which holds only while the
        intake is as the use case read it and nothing was added under it since these keys were read
        (AlreadyDecided otherwise: read again). SlotsFull or RosterChanged when giving the slot back is
        refused.

        An intake with more than a transaction can hold is first closed to every other write (its status
        becomes `erasing`, which no other write allows) and then erased in several transactions; one that
        stops half-way is finished by `finish_erasure`."""
        table, intake = self.table, erasure.intake
        head, writes = self._erasure_writes(intake.intake_id)
        if head is None or "erasing" in head:
            raise AlreadyDecided()  # gone, or closed for erasure since the read: the use case reads again
        condition = "#s = :read AND attribute_not_exists(erasing)"
        values: dict[str, Any] = {":read": s(intake.status.value)}
        if erasure.slot_of is not None:
            condition += " AND assigned_counselor_id = :slot"
            values[":slot"] = s(erasure.slot_of)
        if "rev" in head:
            condition += " AND #rev = :rev"
            values[":rev"] = head["rev"]
        else:
            condition += " AND attribute_not_exists(#rev)"
        names = {"#s": "status", **REVISION_NAME}
        last = self._erasure_last(
            intake.intake_id, audit, erasure.slot_of if give_back_slot else None, erasure.next_opening
        )
        if len(writes) + len(last) > _TRANSACTION_ITEMS:
            self._close_for_erasure(intake.intake_id, erasure, condition, names, values)
            self.finish_erasure(intake.intake_id, audit, give_back_slot)
            return
        last[0]["Delete"] |= {
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        try:
            table.transact([*last, *writes])
        except Cancelled as cancelled:
            if cancelled.refused(0) or any(cancelled.refused(i) for i in range(len(last), len(cancelled.reasons))):
                raise AlreadyDecided() from cancelled  # the intake changed, or a scheduled check-in was sent
            self._slot_refused(cancelled)

    def _close_for_erasure(
        self, intake_id: str, erasure: Erasure, condition: str, names: dict[str, str], values: dict[str, Any]
    ) -> None:
        expression = "SET #s = :erasing, erasing = :at"
        values = {**values, ":erasing": s(ERASING), ":at": s(time(erasure.at))}
        if erasure.slot_of is not None:
            expression += ", erase_slot_of = :slot"
        try:
            self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=intake_key(intake_id),
                UpdateExpression=expression + " REMOVE QueuePK, QueueSK",
                ConditionExpression=f"attribute_exists(PK) AND {condition}",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def finish_erasure(self, intake_id: str, audit: Audit, give_back_slot: bool) -> bool:
        """Finishes an erasure that was closed but stopped half-way (see `erase_intake`). Returns False when
        there is none. SlotsFull or RosterChanged when giving the slot back is refused."""
        head, writes = self._erasure_writes(intake_id)
        if head is None or "erasing" not in head:
            return False
        for start in range(0, len(writes), _TRANSACTION_ITEMS):
            self.table.transact(writes[start : start + _TRANSACTION_ITEMS])
        slot_of = text_or_none(head, "erase_slot_of") if give_back_slot else None
        last = self._erasure_last(intake_id, audit, slot_of)
        last[0]["Delete"]["ConditionExpression"] = "attribute_exists(erasing)"
        try:
            self.table.transact(last)
        except Cancelled as cancelled:
            if cancelled.refused(0):  # another request finished it first
                return True
            self._slot_refused(cancelled)
        return True

    def _erasure_writes(self, intake_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The intake item as it is now, and the deletes (and audit scrubs) of everything under it."""
        table = self.table
        head: dict[str, Any] | None = None
        writes: list[dict[str, Any]] = []
        for item in table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": s(intake_partition(intake_id))},
            ProjectionExpression="PK, SK, #rev, erasing, erase_slot_of, idempotency_record, booking, cancelled_at",
            ExpressionAttributeNames=REVISION_NAME,
            ConsistentRead=True,
        ):
            key = {"PK": item["PK"], "SK": item["SK"]}
            sort_key = text(item, "SK")
            if sort_key == "INTAKE":
                head = item
                continue
            booked = _booking_of(item) if sort_key == "BOOKING" else None
            if booked is not None:  # the counselor's time it held is freed with it
                writes.extend(cell_frees(table, booked))
            if sort_key.startswith(DUE_PREFIX):  # the check-in schedule deletes it when it sends one
                writes.append(table.delete(key, ConditionExpression="attribute_exists(PK)"))
            else:
                writes.append(table.delete(key))
                if sort_key.startswith(AUDIT_REF_PREFIX):
                    writes.append(audit_scrub(table, sort_key))
        writes.extend(
            table.delete({"PK": item["PK"], "SK": item["SK"]})
            for item in table.query_all(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": s(outbox_partition(intake_id))},
                ProjectionExpression="PK, SK",
                ConsistentRead=True,
            )
        )
        record = text_or_none(head, "idempotency_record") if head else None
        if record and self.idempotency_table_name:
            writes.append({"Delete": {"TableName": self.idempotency_table_name, "Key": {"id": s(record)}}})
        return head, writes

    def _erasure_last(
        self, intake_id: str, audit: Audit, slot_of: str | None, next_opening: Opening | None = None
    ) -> list[dict[str, Any]]:
        """The intake item, the erasure's audit entry and the slot given back (with the counselor's next
        opening, when a booking's cells are freed): always in one transaction."""
        table = self.table
        last = [table.delete(intake_key(intake_id)), table.put(audit_item(audit))]
        if slot_of is not None:
            version = read_roster_version(table)
            change = slot_change(table, slot_of, version + 1, taking=False, next_opening=next_opening)
            last += [change, roster_bump(table, version)]
        return last

    @staticmethod
    def _slot_refused(cancelled: Cancelled) -> None:
        if cancelled.refused(2):
            raise SlotsFull() from cancelled
        if cancelled.refused(3):
            raise RosterChanged() from cancelled
        raise cancelled
