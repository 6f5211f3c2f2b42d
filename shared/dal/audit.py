"""The audit trail: one partition per UTC day, entries that name only who did what to which reference."""

from collections.abc import Mapping
from typing import Any

from shared.dal.keys import audit_key, audit_partition
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
