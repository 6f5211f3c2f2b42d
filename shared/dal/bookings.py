"""A counselor's booked time: the 15-minute cells that first conversations (and their buffers) occupy.

The cells live in the counselor's own partition (keys.py), so one query reads a counselor's busy time
over the booking horizon, and one condition per cell (`attribute_not_exists`) keeps two bookings from
overlapping. The booking transaction itself is written beside the intake writes.
"""

from datetime import datetime

from shared.dal.keys import cell_sort_key, cell_start_of, counselor_partition
from shared.dal.table import Table
from shared.dal.values import s, text
from shared.domain.availability import CELL, Busy


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
            ProjectionExpression="SK",
        )
        busy = []
        for item in items:
            start = cell_start_of(text(item, "SK"))
            if start + CELL > since and start < until:
                busy.append(Busy(start, start + CELL))
        return busy
