"""The one object the functions build to reach the table: every store of shared/dal/ over one DynamoDB
table (and the idempotency table, for erasure). It implements the ports of shared/services/ports.py.

Where each part lives: shared/dal/table.py (calls and error translation), keys.py (every key format),
values.py (attribute encoding), paging.py (cursors), intakes.py and intake_items.py (intakes), check_ins.py,
roster.py (counselors and the roster-version lock),
roster_snapshot.py (the roster for a cold function), counselor_self.py (counselors' sign-ins, profile histories
and upcoming first conversations), bookings.py (counselors' booked time), waitlist.py,
outbox.py (client emails, scheduled check-ins),
audit.py, counters.py (the report's counters). docs/data-model.md lists the access patterns.

Every write that belongs together is one TransactWriteItems call, so nothing is ever half-written.
"""

from typing import Any

from shared.dal.audit import DynamoAudit
from shared.dal.bookings import DynamoBookings
from shared.dal.check_ins import DynamoCheckIns
from shared.dal.counselor_self import DynamoCounselorSelf
from shared.dal.counters import DynamoReportCounters
from shared.dal.intakes import DynamoIntakes
from shared.dal.outbox import DynamoOutbox
from shared.dal.roster import DynamoRoster
from shared.dal.roster_snapshot import DynamoRosterSnapshot
from shared.dal.table import Table
from shared.dal.waitlist import DynamoWaitlist


class DynamoRepository(
    DynamoIntakes,
    DynamoCheckIns,
    DynamoRoster,
    DynamoRosterSnapshot,
    DynamoCounselorSelf,
    DynamoBookings,
    DynamoWaitlist,
    DynamoOutbox,
    DynamoAudit,
    DynamoReportCounters,
):
    """Intakes, counselors, the outbox, the audit trail and the report's counters in one DynamoDB table."""

    def __init__(self, table_name: str, client: Any | None = None, idempotency_table_name: str | None = None) -> None:
        self.table = Table(table_name, client)
        self.table_name = table_name
        self.idempotency_table_name = idempotency_table_name

    @property
    def client(self) -> Any:
        return self.table.client
