"""The items of a counselor's booked cells (keys.py `cell_key`): taken by a booking, freed when it moves,
is cancelled or its intake is erased. A freed cell is marked rather than deleted (TTL removes every cell
item a day after the cell), so that no function needs to delete anything to free one; taking a cell
needs it absent or freed."""

from datetime import datetime, timedelta
from typing import Any

from shared.dal.keys import cell_key
from shared.dal.table import Table
from shared.dal.values import b, epoch, n
from shared.domain.booking import Booking

CELL_KEPT = timedelta(days=1)  # a cell's item is removed by TTL this long after the cell (it is past then)
CELL_FREE = "attribute_not_exists(PK) OR attribute_exists(freed)"


def cell_put(table: Table, counselor_id: str, cell: datetime) -> dict[str, Any]:
    item = {**cell_key(counselor_id, cell), "expires_at": n(epoch(cell + CELL_KEPT))}
    return table.put(item, CELL_FREE)


def cell_frees(table: Table, booking: Booking, keep: frozenset[datetime] = frozenset()) -> list[dict[str, Any]]:
    """Frees the booking's cells (but those in `keep`). They hold no intake reference: the caller's condition
    on the booking (still at the start read) says they are this booking's."""
    return [
        table.update(
            cell_key(booking.counselor_id, cell),
            "SET freed = :yes, expires_at = if_not_exists(expires_at, :expires)",
            ExpressionAttributeValues={":yes": b(True), ":expires": n(epoch(cell + CELL_KEPT))},
        )
        for cell in booking.cells()
        if cell not in keep
    ]
