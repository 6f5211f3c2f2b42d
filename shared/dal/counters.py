"""The report's counters as stored: sharded items under one partition, added to in the transactions of the
changes they count. Their names and amounts are decided in shared/domain/report_counters.py."""

from typing import Any

from shared.dal.keys import STATS_PK, counter_of_stats_key, stats_key
from shared.dal.table import Table
from shared.dal.values import n, s, text
from shared.domain.report_counters import CounterDelta
from shared.services.ports import Counter


def counter_add(table: Table, delta: CounterDelta) -> dict[str, Any]:
    """Adds to one shard of a report counter."""
    amounts = delta.amounts
    return table.update(
        stats_key(delta.name),
        "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(amounts))),
        ExpressionAttributeNames={f"#c{i}": name for i, name in enumerate(amounts)},
        ExpressionAttributeValues={f":c{i}": n(amount) for i, amount in enumerate(amounts.values())},
    )


class DynamoReportCounters:
    table: Table

    def report_counters(self) -> list[Counter]:
        """Every report counter, its shards summed (one query: the report holds no intake)."""
        totals: dict[str, dict[str, int]] = {}
        for item in self.table.query_all(
            KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": s(STATS_PK)}
        ):
            values = totals.setdefault(counter_of_stats_key(text(item, "SK")), {})
            for field, value in item.items():
                if "N" in value:
                    values[field] = values.get(field, 0) + int(value["N"])
        return [Counter(name, values) for name, values in sorted(totals.items())]
