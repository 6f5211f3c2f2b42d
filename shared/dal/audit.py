"""The audit trail: one partition per UTC day, entries that name only who did what to which reference."""

from collections.abc import Mapping
from typing import Any

from shared.dal.keys import audit_key, audit_key_of_ref, audit_partition, audit_ref_key
from shared.dal.paging import query_page
from shared.dal.table import Table
from shared.dal.values import parse_time, s, text, text_or_none, time
from shared.services.changes import Audit
from shared.services.ports import AuditEntry, Page


def audit_item(audit: Audit) -> dict[str, Any]:
    item = {
        **audit_key(audit.at),
        "at": s(time(audit.at)),
        "actor": s(audit.actor.username),
        "actor_id": s(audit.actor.user_id),
        "action": s(audit.action),
    }
    if audit.intake_id:
        item["intake_id"] = s(audit.intake_id)
    if audit.counselor_id:
        item["counselor_id"] = s(audit.counselor_id)
    return item


def audit_writes(table: Table, audit: Audit) -> list[dict[str, Any]]:
    """The audit entry, and, when it names an intake, the intake's note of where the entry is (so that an
    erasure can find every entry that names the intake without scanning the trail)."""
    item = audit_item(audit)
    writes = [table.put(item)]
    if audit.intake_id:
        key = {"PK": item["PK"], "SK": item["SK"]}
        writes.append(table.put(audit_ref_key(audit.intake_id, key)))
    return writes


def audit_scrub(table: Table, ref_sort_key: str) -> dict[str, Any]:
    """Takes an erased intake's reference and counselor out of one audit entry: who did what and when stays."""
    return table.update(
        audit_key_of_ref(ref_sort_key),
        "SET subject_erased = :yes REMOVE intake_id, counselor_id",
        ConditionExpression="attribute_exists(PK)",
        ExpressionAttributeValues={":yes": {"BOOL": True}},
    )


def _entry_of(item: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(
        at=parse_time(text(item, "at")),
        actor=text(item, "actor"),
        action=text(item, "action"),
        intake_id=text_or_none(item, "intake_id"),
        counselor_id=text_or_none(item, "counselor_id"),
    )


class DynamoAudit:
    table: Table

    def list_audit(self, day: str, limit: int, cursor: str | None) -> Page[AuditEntry]:
        return query_page(self.table, ("PK", audit_partition(day)), limit, cursor, _entry_of)
