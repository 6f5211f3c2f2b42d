"""The waitlist in the table: one item per waiting client, all in one partition (keys.py `waitlist_key`), so
the sweep and the staff view read the whole line with one query, and a client's own entry is one key away.

Every change is one transaction, and its conditions are what keep one freed slot from reaching two clients:
an offer takes the counselor's slot (conditional, like an assignment) and sets a hold only on an entry that
has none; a claim deletes the entry only while the hold is still that counselor's and unexpired (so a claim
made twice lands once); an expiry or a leave gives the slot back only with the very hold it read.
"""

import json
from collections.abc import Mapping
from typing import Any

from shared.dal.audit import audit_writes
from shared.dal.counters import counter_add
from shared.dal.intake_items import NOT_ERASING, REVISED, REVISION_NAME, REVISION_STEP, history_item, status_update
from shared.dal.keys import WAITLIST_PK, intake_key, waitlist_key
from shared.dal.outbox import outbox_item
from shared.dal.roster import read_roster_version, roster_bump, slot_change
from shared.dal.table import Cancelled, Table
from shared.dal.values import epoch, n, parse_time, s, text, time
from shared.domain.errors import AlreadyDecided, SlotTaken
from shared.domain.records import ASSIGNABLE_STATUSES
from shared.domain.waitlist import AlreadyWaiting, HoldChanged, NoOfferToClaim, WaitlistEntry
from shared.services.ports import RosterChanged, SlotsFull
from shared.services.waitlist_changes import HoldClaimed, HoldEnded, HoldOffered, Joined

_OPEN = {f":open{i}": s(status.value) for i, status in enumerate(sorted(ASSIGNABLE_STATUSES))}
_STILL_OPEN = f"{NOT_ERASING} AND #s IN ({', '.join(_OPEN)})"


def _entry_item(entry: WaitlistEntry) -> dict[str, Any]:
    return {
        **waitlist_key(entry.intake_id),
        "intake_id": s(entry.intake_id),
        "joined_at": s(time(entry.joined_at)),
        "counselor_ids": s(json.dumps(list(entry.counselor_ids))),
        "any_fit": {"BOOL": entry.any_fit},
    }


def _entry_of(item: Mapping[str, Any]) -> WaitlistEntry:
    held = "hold_counselor_id" in item
    return WaitlistEntry(
        intake_id=text(item, "intake_id"),
        joined_at=parse_time(text(item, "joined_at")),
        counselor_ids=tuple(json.loads(text(item, "counselor_ids"))),
        any_fit=item["any_fit"]["BOOL"],
        hold_counselor_id=text(item, "hold_counselor_id") if held else None,
        hold_until=parse_time(text(item, "hold_until")) if held else None,
    )


def _as_read(entry: WaitlistEntry) -> tuple[str, dict[str, Any]]:
    """A condition that holds while the entry's hold is exactly as it was read."""
    if entry.hold_counselor_id is None or entry.hold_until is None:
        return "attribute_exists(PK) AND attribute_not_exists(hold_counselor_id)", {}
    return (
        "hold_counselor_id = :held AND hold_until = :held_until",
        {":held": s(entry.hold_counselor_id), ":held_until": s(time(entry.hold_until))},
    )


class DynamoWaitlist:
    table: Table

    def waitlist(self) -> list[WaitlistEntry]:
        """Every waiting client (one query, paged by DynamoDB beyond 1 MB)."""
        items = self.table.query_all(
            KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": s(WAITLIST_PK)}, ConsistentRead=True
        )
        return [_entry_of(item) for item in items]

    def waitlist_entry(self, intake_id: str) -> WaitlistEntry | None:
        found = self.table.get(waitlist_key(intake_id), ConsistentRead=True)
        return _entry_of(found) if found else None

    def join_waitlist(self, joined: Joined) -> None:
        """Raises AlreadyWaiting, or AlreadyDecided when the intake is no longer open to a first match."""
        items = [
            self.table.put(_entry_item(joined.entry), "attribute_not_exists(PK)"),
            self.table.check(
                intake_key(joined.entry.intake_id),
                _STILL_OPEN,
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=_OPEN,
            ),
        ]
        try:
            self.table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise AlreadyWaiting() from cancelled
            if cancelled.refused(1):
                raise AlreadyDecided() from cancelled
            raise

    def end_waitlist_entry(self, ended: HoldEnded) -> None:
        """The client leaves (or their hold ran out): the entry goes, and a held slot goes back to the
        counselor, only while the entry is as read. Raises HoldChanged, SlotsFull, RosterChanged."""
        condition, values = _as_read(ended.entry)
        items = [self.table.delete(waitlist_key(ended.entry.intake_id), ConditionExpression=condition)]
        if values:
            items[0]["Delete"]["ExpressionAttributeValues"] = values
        if ended.give_back_slot and ended.entry.hold_counselor_id is not None:
            version = read_roster_version(self.table)
            items += [
                slot_change(self.table, ended.entry.hold_counselor_id, version + 1, taking=False),
                roster_bump(self.table, version),
            ]
        try:
            self.table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise HoldChanged() from cancelled
            if cancelled.refused(1):
                raise SlotsFull() from cancelled
            if cancelled.refused(2):
                raise RosterChanged() from cancelled
            raise

    def offer_hold(self, offer: HoldOffered) -> None:
        """The hold, the counselor's slot taken for it, a fresh status link and the email, at once.
        Raises HoldChanged, SlotTaken, RosterChanged, or AlreadyDecided (the intake is no longer open)."""
        table, entry = self.table, offer.entry
        version = read_roster_version(table)
        items = [
            table.update(
                waitlist_key(entry.intake_id),
                "SET hold_counselor_id = :c, hold_until = :until, offered_at = :at",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(hold_counselor_id)",
                ExpressionAttributeValues={
                    ":c": s(offer.counselor_id),
                    ":until": s(time(offer.hold_until)),
                    ":at": s(time(offer.at)),
                },
            ),
            slot_change(table, offer.counselor_id, version + 1, taking=True),
            roster_bump(table, version),
            table.update(
                intake_key(entry.intake_id),
                "SET status_links.#link = :link_expires" + REVISED,
                ConditionExpression=_STILL_OPEN,
                ExpressionAttributeNames={"#s": "status", "#link": offer.link.token_hash, **REVISION_NAME},
                ExpressionAttributeValues={
                    ":link_expires": n(epoch(offer.link.expires_at)),
                    **_OPEN,
                    **REVISION_STEP,
                },
            ),
            table.put(outbox_item(entry.intake_id, offer.email, offer.at)),
        ]
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise HoldChanged() from cancelled
            if cancelled.refused(1):
                raise SlotTaken() from cancelled
            if cancelled.refused(2):
                raise RosterChanged() from cancelled
            if cancelled.refused(3):
                raise AlreadyDecided() from cancelled
            raise

    def claim_hold(self, claim: HoldClaimed) -> None:
        """The intake is assigned to the held counselor, using the slot the hold took (no second one),
        while the hold is still theirs and unexpired. Raises AlreadyDecided or NoOfferToClaim."""
        table, intake, at = self.table, claim.intake, claim.at
        extra_set = ", assigned_counselor_id = :counselor, assigned_at = :at, sessions_held = :zero"
        extra_values: dict[str, Any] = {":counselor": s(claim.counselor_id), ":zero": n(0)}
        if claim.fit is not None:
            extra_set += ", assigned_fit = :fit"
            extra_values[":fit"] = s(claim.fit.model_dump_json())
        items = [
            status_update(table, intake, claim.move, at, extra_set, extra_values, keep_expiry=False),
            table.delete(
                waitlist_key(intake.intake_id),
                ConditionExpression="hold_counselor_id = :c AND hold_until > :now",
                ExpressionAttributeValues={":c": s(claim.counselor_id), ":now": s(time(at))},
            ),
            table.put(history_item(intake.intake_id, claim.history)),
            *audit_writes(table, claim.audit),
            *(counter_add(table, delta) for delta in claim.counters),
        ]
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise AlreadyDecided() from cancelled
            if cancelled.refused(1):
                raise NoOfferToClaim() from cancelled
            raise
