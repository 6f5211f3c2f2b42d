"""The roster snapshot: the matching columns of every counselor at one roster version (shared/matching/
roster_snapshot.py encodes them), stored as a few large items so that a cold function reads the roster in
one or two calls instead of paging through the Roster index.

The snapshot is split into parts under DynamoDB's 400 KB item limit: part 000 carries the roster version
and the number of parts, and every part carries the version, so a read that raced a newer write (the parts
come from different writes) is seen as such and not used. All parts are written in one transaction whose
first write is refused unless the stored snapshot is older: two writers never let an older roster
overwrite a newer one. docs/data-model.md says why the table holds it, and what it costs.
"""

from typing import Any

from shared.dal.keys import ROSTER_META, roster_snapshot_part
from shared.dal.roster import changes_since
from shared.dal.table import Cancelled, Table
from shared.dal.values import n, number
from shared.services.ports import RosterChanges, RosterColdLoad

PART_BYTES = 350_000  # under the 400 KB item limit, with room for the key and attribute names
MOST_PARTS = 10  # one transaction: 100 writes, 4 MB in all


class SnapshotTooLarge(Exception):
    """More than MOST_PARTS parts: the roster is loaded from the Roster index instead."""


class DynamoRosterSnapshot:
    table: Table

    def roster_cold_load(self) -> RosterColdLoad:
        """The snapshot and the roster version in one read (a second for a snapshot in several parts), then
        the counselors changed since the snapshot's version; without a whole snapshot, every counselor.

        A snapshot as new as the version item needs no query: a counselor's Roster sort key only moves with
        the version, in the same transaction (roster_bump), so nothing can have changed after it."""
        found = {item["SK"]["S"]: item for item in self.table.batch_get(
            [ROSTER_META, roster_snapshot_part(0)], ConsistentRead=True
        )}  # fmt: skip
        meta, head = found.get(ROSTER_META["SK"]["S"]), found.get(roster_snapshot_part(0)["SK"]["S"])
        version = number(meta, "version") if meta else 0
        snapshot = self._whole(head) if head else None
        since = number(head, "version") if head and snapshot is not None else 0
        if snapshot is not None and version <= since:
            return RosterColdLoad(snapshot, since, RosterChanges(since, []))
        return RosterColdLoad(snapshot, since, changes_since(self.table, since, version))

    def _whole(self, head: dict[str, Any]) -> bytes | None:
        version, parts = number(head, "version"), number(head, "parts")
        rest = self.table.batch_get([roster_snapshot_part(i) for i in range(1, parts)], ConsistentRead=True)
        by_part = {item["SK"]["S"]: item for item in rest}
        chunks = [head]
        for i in range(1, parts):
            part = by_part.get(roster_snapshot_part(i)["SK"]["S"])
            if part is None or number(part, "version") != version:
                return None  # a newer snapshot was being written: its parts and ours are mixed
            chunks.append(part)
        return b"".join(chunk["data"]["B"] for chunk in chunks)

    def save_roster_snapshot(self, version: int, snapshot: bytes) -> bool:
        """Stores the snapshot of roster `version` unless the stored one is as new or newer (then False)."""
        chunks = [snapshot[i : i + PART_BYTES] for i in range(0, len(snapshot), PART_BYTES)] or [b""]
        if len(chunks) > MOST_PARTS:
            raise SnapshotTooLarge()
        head = self.table.put(
            {**roster_snapshot_part(0), "version": n(version), "parts": n(len(chunks)), "data": {"B": chunks[0]}},
            "attribute_not_exists(PK) OR version < :v",
            ExpressionAttributeValues={":v": n(version)},
        )
        rest = [
            self.table.put({**roster_snapshot_part(i), "version": n(version), "data": {"B": chunk}})
            for i, chunk in enumerate(chunks[1:], start=1)
        ]
        try:
            if rest:
                self.table.transact([head, *rest])
            else:  # one part: a conditional put costs half a transaction
                self.table.call("put_item", **head["Put"])
        except Cancelled as cancelled:
            if cancelled.refused(0):
                return False
            raise
        return True
