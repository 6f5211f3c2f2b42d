"""What a counselor's own sign-in reaches: the link from their account to their one profile, the history of
changes to a profile, and their upcoming first conversations.

- The link is two writes in one transaction: the account's item (`attribute_not_exists`: an account is
  linked once) and `account_id` on the counselor (`attribute_not_exists(account_id)`: a profile has one
  account), so two invitations at once link one account, and the other is refused.
- A change's history item is written by the change itself (shared/dal/roster.py `save_counselor`).
- Upcoming first conversations come from the Outbox index's MEETINGS#<counselor> partition, which every
  booking item joins while it is not cancelled (shared/dal/bookings.py), then one batch read of those
  bookings and of their intakes' status, so a booking whose intake moved on is left out.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.dal.audit import audit_item
from shared.dal.keys import (
    CHANGE_PREFIX,
    OUTBOX_INDEX,
    account_key,
    booking_key,
    counselor_change_key,
    counselor_key,
    counselor_partition,
    intake_key,
    intake_partition,
    meetings_partition,
)
from shared.dal.paging import query_page
from shared.dal.table import Cancelled, Table
from shared.dal.values import number, parse_time, s, text, text_or_none, time
from shared.domain.booking import Booking
from shared.domain.errors import CounselorNotFound
from shared.domain.records import IntakeStatus
from shared.services.changes import Audit
from shared.services.ports import AccountTaken, CounselorChange, CounselorRatings, Page

_BATCH = 50  # bookings per batch read (each with its intake: 100 keys, BatchGetItem's most)


def change_item(counselor_id: str, audit: Audit) -> dict[str, Any]:
    """The counselor's history entry of one profile change: who, when, which fields. Never the values."""
    return {
        **counselor_change_key(counselor_id, audit.at),
        "at": s(time(audit.at)),
        "actor": s(audit.actor.username),
        "action": s(audit.action),
        "fields": {"L": [s(name) for name in audit.fields]},
    }


def _change_of(item: Mapping[str, Any]) -> CounselorChange:
    return CounselorChange(
        at=parse_time(text(item, "at")),
        actor=text(item, "actor"),
        action=text(item, "action"),
        fields=tuple(value["S"] for value in item.get("fields", {}).get("L", [])),
    )


class DynamoCounselorSelf:
    table: Table

    def account_counselor(self, user_id: str) -> str | None:
        """The counselor a sign-in is linked to, or None."""
        found = self.table.get(account_key(user_id), ConsistentRead=True)
        return text(found, "counselor_id") if found else None

    def link_account(self, counselor_id: str, user_id: str, audit: Audit) -> None:
        """Links the account to the counselor. Raises CounselorNotFound, or AccountTaken when the counselor
        already has an account or the account is linked already."""
        items = [
            self.table.put({**account_key(user_id), "counselor_id": s(counselor_id)}, "attribute_not_exists(PK)"),
            self.table.update(
                counselor_key(counselor_id),
                "SET account_id = :account",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(account_id)",
                ExpressionAttributeValues={":account": s(user_id)},
            ),
            self.table.put(audit_item(audit)),
        ]
        try:
            self.table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(1) and self.table.get(counselor_key(counselor_id), ProjectionExpression="PK") is None:
                raise CounselorNotFound() from cancelled
            if cancelled.refused(0) or cancelled.refused(1):
                raise AccountTaken() from cancelled
            raise

    def counselor_account(self, counselor_id: str) -> str | None:
        """The account linked to the counselor, or None."""
        found = self.table.get(counselor_key(counselor_id), ProjectionExpression="PK, account_id")
        if found is None:
            raise CounselorNotFound()
        return text_or_none(found, "account_id")

    def counselor_ratings(self, counselor_id: str) -> CounselorRatings:
        """How many clients rated the counselor's understanding and the sum of their ratings, in one read
        with whether the profile is active."""
        found = self.table.get(counselor_key(counselor_id), ProjectionExpression="PK, active, ev_n, ev_sum")
        if found is None:
            raise CounselorNotFound()
        rated = "ev_n" in found
        return CounselorRatings(
            found["active"]["BOOL"], number(found, "ev_n") if rated else 0, number(found, "ev_sum") if rated else 0
        )

    def counselor_changes(self, counselor_id: str, limit: int, cursor: str | None) -> Page[CounselorChange]:
        """The counselor's profile changes, newest first."""
        return query_page(
            self.table,
            ("PK", counselor_partition(counselor_id)),
            limit,
            cursor,
            _change_of,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :change)",
            ExpressionAttributeValues={":change": s(CHANGE_PREFIX)},
            ScanIndexForward=False,
        )

    def upcoming_meetings(self, counselor_id: str, since: datetime, until: datetime) -> list[tuple[str, Booking]]:
        """(intake id, booking) of the counselor's first conversations starting from `since` until `until`,
        soonest first, of intakes still assigned to them."""
        intake_ids = [
            text(item, "OutboxSK").rsplit("#", 1)[1]
            for item in self.table.query_all(
                IndexName=OUTBOX_INDEX,
                KeyConditionExpression="OutboxPK = :pk AND OutboxSK BETWEEN :since AND :until",
                ExpressionAttributeValues={
                    ":pk": s(meetings_partition(counselor_id)),
                    ":since": s(time(since)),
                    ":until": s(time(until) + "~"),
                },
            )
        ]
        found: dict[tuple[str, str], Mapping[str, Any]] = {}
        for start in range(0, len(intake_ids), _BATCH):
            keys = [k for i in intake_ids[start : start + _BATCH] for k in (intake_key(i), booking_key(i))]
            for item in self.table.batch_get(
                keys,
                ProjectionExpression="PK, SK, #s, assigned_counselor_id, erasing, booking, cancelled_at",
                ExpressionAttributeNames={"#s": "status"},
            ):
                found[(text(item, "PK"), text(item, "SK"))] = item
        meetings = []
        for intake_id in intake_ids:
            intake = found.get((intake_partition(intake_id), "INTAKE"))
            booked = found.get((intake_partition(intake_id), "BOOKING"))
            if (
                intake is None
                or booked is None
                or "erasing" in intake
                or "cancelled_at" in booked
                or text(intake, "status") != IntakeStatus.ASSIGNED.value
                or text_or_none(intake, "assigned_counselor_id") != counselor_id
            ):
                continue
            booking = Booking.model_validate_json(text(booked, "booking"))
            if booking.counselor_id == counselor_id:
                meetings.append((intake_id, booking))
        return meetings
