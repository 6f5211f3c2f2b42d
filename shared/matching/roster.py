"""A roster prepared for matching: profiles in a stable order, with indexes built once and reused.

A warm function keeps one `CompiledRoster` per roster version, so its indexes are built on the first
intake and shared by every intake after it.

`group` is what makes a large roster cheap. It splits the counselors into groups that look the same to
one factor and calls the factor once per group, not once per counselor. For a set-valued field only the
elements the factor looks at matter (a client asking for Spanish does not care which other languages a
counselor speaks); for other fields the factor may say which coarser property matters (a fee's only
relevance is whether it is within the client's limit). Groups are sets of positions (see bitsets.py).

A roster is built from profiles, or from columns (roster_snapshot.py) that already hold its indexes: a cold
function then builds a MatchProfile only for the few counselors it explains (`profiles[i]`).
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from shared.matching.bitsets import BitCounter, from_positions
from shared.matching.profile import Interner, MatchProfile
from shared.matching.roster_snapshot import RosterColumns, is_set_field

Relevance = frozenset[Hashable] | Callable[[Any], Hashable]
"""How a factor looks at one field: only these elements of a set-valued field, or only this projection of its value."""


class CompiledRoster:
    def __init__(self, profiles: Iterable[MatchProfile]) -> None:
        self.profiles: Sequence[MatchProfile] = sorted(profiles, key=lambda p: p.counselor_id)
        ids = [p.counselor_id for p in self.profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("a roster lists each counselor once")
        self.everyone = (1 << len(self.profiles)) - 1
        self._elements: dict[str, dict[Hashable, int]] = {}
        self._values: dict[str, dict[Hashable, int]] = {}
        self._open_slots: BitCounter | None = None
        self._openings: tuple[list[datetime], BitCounter] | None = None
        self._positions: dict[str, int] | None = None
        self._columns = False

    @classmethod
    def from_columns(cls, columns: RosterColumns) -> "CompiledRoster":
        """The roster of these columns, its indexes ready; later changes to the columns do not reach it."""
        roster = cls(())
        roster.profiles = _ProfilesOf(columns)
        roster.everyone = (1 << len(columns)) - 1
        roster._elements = {name: dict(index) for name, index in columns.elements.items()}
        roster._values = {name: dict(index) for name, index in columns.values.items()}
        roster._columns = True
        return roster

    @classmethod
    def from_compact(cls, entries: Iterable[tuple[str, str, int]]) -> "CompiledRoster":
        """From (counselor id, compact match profile, open slots), as stored."""
        intern = Interner()
        return cls(MatchProfile.from_compact(cid, text, slots, intern) for cid, text, slots in entries)

    def __len__(self) -> int:
        return len(self.profiles)

    def group[T: Hashable](
        self,
        reads: tuple[str, ...],
        relevant: Mapping[str, Relevance],
        fn: Callable[[Any], T],
        within: int,
    ) -> dict[T, int]:
        """The positions in `within`, grouped by `fn` of the value of `reads` (one field's, or a tuple).

        Contract: `fn` looks at a field named in `relevant` only through those elements or that projection.
        `fn` is called once per distinct relevant combination present, with a representative value.
        """
        parts: list[tuple[int, tuple[Any, ...]]] = [(within, ())]
        for field in reads:
            how = relevant.get(field)
            if isinstance(how, frozenset):
                parts = self._split_by_elements(parts, field, how)
            else:
                parts = self._split_by_value(parts, field, how)
        grouped: dict[T, int] = {}
        for bits, values in parts:
            key = fn(values[0] if len(reads) == 1 else values)
            grouped[key] = grouped.get(key, 0) | bits
        return grouped

    def select(
        self, reads: tuple[str, ...], relevant: Mapping[str, Relevance], test: Callable[[Any], bool], within: int
    ) -> int:
        """The positions in `within` whose value of `reads` passes `test`."""
        return self.group(reads, relevant, test, within).get(True, 0)

    def positions_of(self, counselor_ids: Iterable[str]) -> int:
        """The positions of these counselors (ids not on the roster are ignored)."""
        if self._positions is None:
            ids = (
                self.profiles.ids if isinstance(self.profiles, _ProfilesOf) else (p.counselor_id for p in self.profiles)
            )
            self._positions = {cid: i for i, cid in enumerate(ids)}
        bits = 0
        for counselor_id in counselor_ids:
            position = self._positions.get(counselor_id)
            if position is not None:
                bits |= 1 << position
        return bits

    def sooner_openings(self, now: datetime | None) -> BitCounter:
        """A counter that is higher the earlier a counselor's next opening (the first tie-break).

        0 for a counselor with no known opening: none stored, or one at or before `now` (time moved on since
        it was worked out, so the real next opening is unknown). None for `now` trusts every stored opening.
        """
        if self._openings is None:
            index = self._value_index("next_opening")
            known = sorted(value for value in index if isinstance(value, datetime))
            counter = BitCounter()
            for rank, value in enumerate(reversed(known), start=1):  # the latest counts 1, the earliest most
                counter.add(index[value], rank)
            self._openings = (known, counter)
        known, counter = self._openings
        cut = 0 if now is None else bisect_right(known, now)
        if not cut:
            return counter
        index = self._value_index("next_opening")
        passed = reduce(or_, (index[value] for value in known[:cut]), 0)
        unknown_passed = BitCounter()
        unknown_passed.planes = [plane & ~passed for plane in counter.planes]
        return unknown_passed

    def open_slots(self) -> BitCounter:
        """Each counselor's open slots, as a counter (the second tie-break)."""
        if self._open_slots is None:
            counter = BitCounter()
            for slots, bits in self._value_index("open_slots").items():
                counter.add(bits, int(slots))  # type: ignore[call-overload]
            self._open_slots = counter
        return self._open_slots

    def _split_by_elements(
        self, parts: list[tuple[int, tuple[Any, ...]]], field: str, elements: frozenset[Hashable]
    ) -> list[tuple[int, tuple[Any, ...]]]:
        index = self._element_index(field)
        out: list[tuple[int, tuple[Any, ...]]] = []
        for bits, values in parts:
            groups: list[tuple[int, frozenset[Hashable]]] = [(bits, frozenset())]
            for element in elements:
                having = index.get(element, 0)
                if not having:
                    continue
                refined = []
                for group, present in groups:
                    with_it = group & having
                    if with_it:
                        refined.append((with_it, present | {element}))
                    if with_it != group:
                        refined.append((group ^ with_it, present))
                groups = refined
            out.extend((group, (*values, present)) for group, present in groups)
        return out

    def _split_by_value(
        self, parts: list[tuple[int, tuple[Any, ...]]], field: str, projection: Callable[[Any], Hashable] | None
    ) -> list[tuple[int, tuple[Any, ...]]]:
        index = self._value_index(field)
        if projection is None:
            classes = [(bits, value) for value, bits in index.items()]
        else:
            merged: dict[Hashable, tuple[int, Any]] = {}
            for value, bits in index.items():
                key = projection(value)
                before = merged.get(key)
                merged[key] = (bits, value) if before is None else (before[0] | bits, before[1])
            classes = list(merged.values())
        out: list[tuple[int, tuple[Any, ...]]] = []
        for bits, values in parts:
            for having, value in classes:
                both = bits & having
                if both:
                    out.append((both, (*values, value)))
        return out

    def _element_index(self, field: str) -> dict[Hashable, int]:
        """For a set-valued field: element -> positions whose set contains it."""
        index = self._elements.get(field)
        if index is None:
            where: defaultdict[Hashable, list[int]] = defaultdict(list)
            for position, profile in enumerate(self.profiles):
                for element in getattr(profile, field):
                    where[element].append(position)
            index = {element: from_positions(ps, len(self.profiles)) for element, ps in where.items()}
            self._elements[field] = index
        return index

    def _value_index(self, field: str) -> dict[Hashable, int]:
        """Exact value -> positions with that value."""
        index = self._values.get(field)
        if index is None and self._columns and is_set_field(field):
            index = self._values[field] = self._sets_of(field)
        if index is None:
            where: defaultdict[Hashable, list[int]] = defaultdict(list)
            for position, profile in enumerate(self.profiles):
                where[getattr(profile, field)].append(position)
            index = {value: from_positions(ps, len(self.profiles)) for value, ps in where.items()}
            self._values[field] = index
        return index

    def _sets_of(self, field: str) -> dict[Hashable, int]:
        """For a set-valued field of a roster built from columns: each distinct set -> positions with it, by
        splitting everyone on each element (what `_value_index` builds from profiles)."""
        groups: list[tuple[int, frozenset[Hashable]]] = [(self.everyone, frozenset())]
        for element, having in self._element_index(field).items():
            refined = []
            for group, present in groups:
                if with_it := group & having:
                    refined.append((with_it, present | {element}))
                if with_it != group:
                    refined.append((group ^ with_it, present))
            groups = refined
        return {present: group for group, present in groups if group}


class _ProfilesOf(Sequence[MatchProfile]):
    """A roster's profiles by position, each built from the columns when first read."""

    def __init__(self, columns: RosterColumns) -> None:
        self.ids = list(columns.ids)
        self._columns = columns.frozen()
        self._built: dict[int, MatchProfile] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        found = self._built.get(position)
        if found is None:
            found = self._built[position] = self._columns.profile(self.ids[position])
        return found
