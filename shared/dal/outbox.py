"""Client emails waiting to be sent (the outbox), and check-ins scheduled by days after the match. Both are
written in the transactions of the changes that cause them; both sit in the keys-only Outbox index until
they are done, under their own partitions."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.dal.keys import (
    DUE_PK,
    OUTBOX_INDEX,
    OUTBOX_PK,
    confirmations_key,
    due_key,
    due_sort_key,
    outbox_key,
    outbox_partition,
    outbox_sort_key,
)
from shared.dal.table import Cancelled, Table
from shared.dal.values import epoch, n, number, parse_time, s, text, text_or_none, time
from shared.domain.booking import Booking
from shared.i18n import locale_of
from shared.services.changes import EmailKind, EmailQuota, OutboxEmail, ScheduledCheckIn
from shared.services.ports import DueCheckIn, PendingEmail

OUTBOX_DAYS = 3  # an email not sent within this is dropped (its links would be stale)


def outbox_item(intake_id: str, email: OutboxEmail, at: datetime) -> dict[str, Any]:
    item = {
        **outbox_key(intake_id, at),
        "OutboxPK": s(OUTBOX_PK),
        "OutboxSK": s(outbox_sort_key(at, intake_id)),
        "intake_id": s(intake_id),
        "kind": s(email.kind.value),
        "to": s(email.to),
        "token": s(email.token),
        "locale": s(email.locale.value),
        "queued_at": s(time(at)),
        "attempts": n(0),
        "expires_at": n(epoch(at) + OUTBOX_DAYS * 86400),
    }
    if email.counselor_id:
        item["counselor_id"] = s(email.counselor_id)
    if email.check_in is not None:
        item["check_in"] = n(email.check_in)
    if email.booking is not None:  # the time and counselor the invitation carries: no intake answer
        item["booking"] = s(email.booking.model_dump_json())
    return item


def email_counted(table: Table, quota: EmailQuota) -> dict[str, Any]:
    """Counts one more email to the address for the day, refused once `quota.limit` are counted."""
    return table.update(
        confirmations_key(quota.address_hash, quota.day),
        "ADD sent :one SET expires_at = :expires",
        ConditionExpression="attribute_not_exists(sent) OR sent < :limit",
        ExpressionAttributeValues={":one": n(1), ":limit": n(quota.limit), ":expires": n(quota.expires_at)},
    )


def due_item(intake_id: str, scheduled: ScheduledCheckIn) -> dict[str, Any]:
    return {
        **due_key(intake_id, scheduled.place),
        "OutboxPK": s(DUE_PK),
        "OutboxSK": s(due_sort_key(scheduled.due_at, intake_id, scheduled.place, scheduled.days)),
    }


def due_done(table: Table, due: DueCheckIn) -> dict[str, Any]:
    """Deletes the schedule entry, unless an assignment since replaced it with a new one."""
    seen = due_sort_key(due.check_in.due_at, due.intake_id, due.check_in.place, due.check_in.days)
    return table.delete(due.key, ConditionExpression="OutboxSK = :seen", ExpressionAttributeValues={":seen": s(seen)})


def _pending_of(item: Mapping[str, Any]) -> PendingEmail:
    attempts = number(item, "attempts")
    return PendingEmail(
        intake_id=text(item, "intake_id"),
        key={"PK": item["PK"], "SK": item["SK"]},
        email=OutboxEmail(
            kind=EmailKind(text(item, "kind")),
            to=text(item, "to"),
            token=text(item, "token"),
            counselor_id=text_or_none(item, "counselor_id"),
            check_in=number(item, "check_in") if "check_in" in item else None,
            booking=Booking.model_validate_json(text(item, "booking")) if "booking" in item else None,
            locale=locale_of(text_or_none(item, "locale")),  # an entry queued before there was one: English
        ),
        queued_at=parse_time(text(item, "queued_at")),
        attempts=attempts,
        retry_at=parse_time(text(item, "OutboxSK").split("#", 1)[0]) if attempts and "OutboxSK" in item else None,
    )


class DynamoOutbox:
    table: Table

    def _due_before(self, partition: str, before: datetime, limit: int) -> list[dict[str, Any]]:
        """The oldest keys in one partition of the keys-only Outbox index, up to `before` (one query)."""
        page = self.table.call(
            "query",
            TableName=self.table.name,
            IndexName=OUTBOX_INDEX,
            KeyConditionExpression="OutboxPK = :pk AND OutboxSK < :before",
            ExpressionAttributeValues={":pk": s(partition), ":before": s(time(before))},
            Limit=limit,
        )
        items: list[dict[str, Any]] = page.get("Items", [])
        return items

    def pending_emails(self, intake_id: str) -> list[PendingEmail]:
        return [
            _pending_of(item)
            for item in self.table.query_all(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": s(outbox_partition(intake_id))},
                ConsistentRead=True,
            )
        ]

    def due_emails(self, queued_before: datetime, limit: int) -> list[PendingEmail]:
        """Emails still unsent that were queued before `queued_before`, oldest first (the retry sweep)."""
        found = []
        # the index holds keys only; each email is read from the table
        for index_item in self._due_before(OUTBOX_PK, queued_before, limit):
            item = self.table.get({"PK": index_item["PK"], "SK": index_item["SK"]}, ConsistentRead=True)
            if item:
                found.append(_pending_of(item))
        return found

    def email_sent(self, pending: PendingEmail) -> None:
        self.table.call("delete_item", TableName=self.table.name, Key=pending.key)

    def email_failed(self, pending: PendingEmail, retry_at: datetime) -> None:
        """Counts the attempt and moves the email's place in the Outbox index to when it is due again."""
        try:
            self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=pending.key,
                UpdateExpression="ADD attempts :one SET OutboxSK = :next",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":one": n(1), ":next": s(outbox_sort_key(retry_at, pending.intake_id))},
            )
        except Cancelled:  # sent or erased meanwhile: nothing left to retry
            return

    def due_check_ins(self, before: datetime, limit: int) -> list[DueCheckIn]:
        """Scheduled check-ins due before `before`, oldest first (one query of the keys-only index)."""
        due = []
        for item in self._due_before(DUE_PK, before, limit):
            at, intake_id, place, days = text(item, "OutboxSK").split("#")
            due.append(
                DueCheckIn(
                    intake_id=intake_id,
                    check_in=ScheduledCheckIn(place=int(place), days=int(days), due_at=parse_time(at)),
                    key={"PK": item["PK"], "SK": item["SK"]},
                )
            )
        return due

    def drop_scheduled_check_in(self, due: DueCheckIn) -> None:
        try:
            self.table.call("delete_item", **due_done(self.table, due)["Delete"])
        except Cancelled:  # replaced by a later assignment's: that one stays
            return
