"""Use cases for the practice's record keeping: erase an intake on request, read the audit trail."""

from datetime import date

from shared.domain.records import Actor
from shared.services.changes import Audit
from shared.services.ports import AuditEntry, Clock, Page, RecordsAdministration


def erase_intake(store: RecordsAdministration, intake_id: str, actor: Actor, clock: Clock) -> None:
    """Removes everything the client told us and everything derived from it; an audit entry remains
    that says only which reference was erased, by whom and when."""
    store.erase_intake(intake_id, Audit(actor, "erased_intake", clock(), intake_id=intake_id))


def audit_log(store: RecordsAdministration, day: date, limit: int, cursor: str | None) -> Page[AuditEntry]:
    return store.list_audit(day.isoformat(), limit, cursor)
