"""A warm function's copy of the roster, kept current by reading only what changed.

Every counselor change moves the roster version on, and the changed counselor carries that version in
the Roster index's sort key. So a refresh is one query for "changed since version N": a warm function
with a current copy reads nothing, and after one assignment it reads one counselor, not the whole roster.
Writes that depend on the roster (storing suggestions) check the version in the same transaction, which
is the cheap freshness check: no extra read on the happy path.

Parsed profiles are kept too, so a refresh parses only the changed counselors; the compiled roster (its
order and indexes) is rebuilt from them on the next match.
"""

from collections.abc import Iterable

from shared.matching.profile import Interner, MatchProfile
from shared.matching.roster import CompiledRoster
from shared.services.ports import RosterStore


class RosterCache:
    def __init__(self) -> None:
        self.version = -1  # nothing loaded yet
        self._profiles: dict[str, MatchProfile] = {}
        self._names: dict[str, str] = {}
        self._intern = Interner()
        self._compiled: CompiledRoster | None = None

    def current(self, store: RosterStore) -> CompiledRoster:
        if self.version < 0:
            self.refresh(store)
        if self._compiled is None:
            self._compiled = CompiledRoster(self._profiles.values())
        return self._compiled

    def refresh(self, store: RosterStore) -> None:
        """Applies the changes since the version held (everything, the first time)."""
        changes = store.roster_changes(since=max(self.version, 0))
        for entry in changes.entries:
            self._profiles[entry.counselor_id] = MatchProfile.from_compact(
                entry.counselor_id,
                entry.compact_profile,
                entry.open_slots,
                self._intern,
                entry.understanding,
                entry.next_opening,
            )
            self._names[entry.counselor_id] = entry.name
        if changes.entries or self.version < 0:
            self._compiled = None
        self.version = changes.version

    def names(self, counselor_ids: Iterable[str]) -> dict[str, str]:
        return {cid: self._names[cid] for cid in counselor_ids if cid in self._names}

    def open_slots(self, counselor_ids: Iterable[str]) -> dict[str, int]:
        """The new clients each can take now: none while not accepting; an inactive counselor is left out (no
        longer on the roster, for a client)."""
        shown = (self._profiles[cid] for cid in counselor_ids if cid in self._profiles)
        return {p.counselor_id: p.open_slots if p.accepting else 0 for p in shown if p.active}
