"""Keeps the roster snapshot current: what a cold function reads instead of every counselor.

Runs on a schedule (RosterSnapshotFunction, every minute). The writer's own copy of the roster
(RosterCache) is cold the first time (the stored snapshot and the changes since) and warm after: each run
reads only the counselors changed since the last one, and writes a new snapshot only when it saw a change.
A stale snapshot is never wrong, only slower to start from (a cold function applies the changes since
it), so a run that fails or is refused costs nothing but freshness.
"""

from typing import NamedTuple

from shared.services.ports import RosterStore
from shared.services.roster_cache import RosterCache


class SnapshotRun(NamedTuple):
    version: int  # the roster version of the copy (the newest change it has seen)
    written: bool  # False: the stored snapshot was as new (or newer, from another writer)
    size: int  # bytes written (0 when nothing was)


def write_roster_snapshot(store: RosterStore, roster: RosterCache, stored_version: int | None) -> SnapshotRun:
    """Brings the copy up to date and stores its snapshot when it is newer than `stored_version` (the
    version this writer last stored or found; None: unknown, as when cold)."""
    roster.refresh(store)
    known = roster.snapshot_version if stored_version is None else stored_version
    if known is not None and roster.seen <= known:
        return SnapshotRun(roster.seen, False, 0)
    snapshot = roster.snapshot()
    written = store.save_roster_snapshot(roster.seen, snapshot)
    return SnapshotRun(roster.seen, written, len(snapshot) if written else 0)
