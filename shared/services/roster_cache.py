"""A function's copy of the roster: loaded from the snapshot when cold, kept current by reading only what changed.

Every counselor change moves the roster version on, and the changed counselor carries that version in
the Roster index's sort key. So a refresh is one query for "changed since version N": a warm function
with a current copy reads nothing, and after one assignment it reads one counselor, not the whole roster.
Writes that depend on the roster (storing suggestions) check the version in the same transaction, which
is the cheap freshness check: no extra read on the happy path.

A cold function reads the roster snapshot (its matching columns at some version V, written by the
RosterSnapshotFunction) with the roster version in one call, then the changes since V, and applies them:
correct whatever the snapshot's age. Without a snapshot (or one this code cannot read) it loads every
counselor from the Roster index, as before there was one.

The copy is kept as columns (shared/matching/roster_snapshot.py): a change moves the counselor's position
between the columns' keys, and the compiled roster is made from the columns on the next match, its indexes
ready.
"""

from collections.abc import Iterable

from shared.matching.profile import Interner, MatchProfile
from shared.matching.roster import CompiledRoster
from shared.matching.roster_snapshot import RosterColumns
from shared.services.ports import RosterEntry, RosterStore


class RosterCache:
    def __init__(self) -> None:
        self.version = -1  # nothing loaded yet
        self.seen = 0
        """The newest roster version among the counselors read (a snapshot's version is the one it has seen):
        every change after it is read again from the Roster index by a function starting from the snapshot."""
        self.snapshot_version: int | None = None  # the stored snapshot's, when the cold load found one
        self._columns = RosterColumns()
        self._intern = Interner()
        self._compiled: CompiledRoster | None = None

    def current(self, store: RosterStore) -> CompiledRoster:
        if self.version < 0:
            self.refresh(store)
        if self._compiled is None:
            self._compiled = CompiledRoster.from_columns(self._columns)
        return self._compiled

    def refresh(self, store: RosterStore) -> None:
        """Applies the changes since the version held (the snapshot and what changed since, the first time)."""
        if self.version < 0:
            self._load(store)
            return
        changes = store.roster_changes(since=self.version)
        for entry in changes.entries:
            self._columns.apply(self._profile_of(entry), entry.name)
            self.seen = max(self.seen, entry.roster_version)
        if changes.entries:
            self._compiled = None
        self.version = changes.version

    def _load(self, store: RosterStore) -> None:
        cold = store.roster_cold_load()
        columns = RosterColumns.decode(cold.snapshot) if cold.snapshot is not None else None
        changes = cold.changes
        if cold.snapshot is not None and columns is None:  # a layout this code does not read: load it all
            changes = store.roster_changes(since=0)
        if columns is None:
            profiles = [self._profile_of(entry) for entry in changes.entries]
            self._columns = RosterColumns.of(profiles, {e.counselor_id: e.name for e in changes.entries})
        else:
            self._columns = columns
            self.snapshot_version = cold.snapshot_version
            for entry in changes.entries:
                columns.apply(self._profile_of(entry), entry.name)
        self.seen = max(
            [cold.snapshot_version if columns is not None else 0, *(e.roster_version for e in changes.entries)]
        )
        self._compiled = None
        self.version = changes.version

    def _profile_of(self, entry: RosterEntry) -> MatchProfile:
        return MatchProfile.from_compact(
            entry.counselor_id,
            entry.compact_profile,
            entry.open_slots,
            self._intern,
            entry.understanding,
            entry.next_opening,
        )

    def snapshot(self) -> bytes:
        """The copy, encoded for the roster snapshot (its version: `seen`)."""
        return self._columns.encode()

    def names(self, counselor_ids: Iterable[str]) -> dict[str, str]:
        names = self._columns.names
        return {cid: names[cid] for cid in counselor_ids if cid in names}

    def open_slots(self, counselor_ids: Iterable[str]) -> dict[str, int]:
        """The new clients each can take now: none while not accepting; an inactive counselor is left out (no
        longer on the roster, for a client)."""
        shown = (self._columns.profile(cid) for cid in counselor_ids if cid in self._columns)
        return {p.counselor_id: p.open_slots if p.accepting else 0 for p in shown if p.active}
