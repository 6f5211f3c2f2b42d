"""The roster as columns: what CompiledRoster's indexes hold, kept current by changes, and stored compactly.

A cold function that parses every counselor's compact profile into a MatchProfile and then indexes them pays
for 10,000 Python objects before its first match. `RosterColumns` holds the indexes themselves instead: for
each set-valued field, element -> positions (what `CompiledRoster._element_index` builds), for every other
field, value -> positions (`_value_index`), with the counselor ids in order and their names. Positions are
bitsets (bitsets.py), so the columns encode as one fixed-width bitmap per key, which zlib packs small
(most are sparse), and decode with one `int.from_bytes` per key: no per-counselor object.

A MatchProfile is built only for a counselor the engine explains (its reasons read the whole profile), from
the bits at its position, so it equals the one parsed from the stored compact text.

Changes apply to the columns: a changed counselor's old keys lose its position and its new keys gain it; a
new counselor's position is opened in every bitset (positions stay in counselor-id order, which ranking's
last tie-break depends on).
"""

import json
import zlib
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Final

from shared.domain.vocabulary import (
    AgeBand,
    Approach,
    Concern,
    CulturalBackground,
    Directness,
    FaithTradition,
    Gender,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    ServiceType,
    SessionFormat,
    Structure,
    Value,
)
from shared.matching.bitsets import from_positions
from shared.matching.profile import MatchProfile

FORMAT: Final = 1
"""The layout written below; a snapshot in another layout is not read (the reader loads the roster instead)."""


def _same(value: Any) -> Any:
    return value


def _optional[T](kind: Callable[[Any], T]) -> Callable[[Any], T | None]:
    return lambda value: None if value is None else kind(value)


def _faith_identity(value: Any) -> FaithTradition | str | None:
    return None if value is None else "none" if value == "none" else FaithTradition(value)


def _pair(value: Any) -> tuple[int, int]:
    return int(value[0]), int(value[1])


def _datetime_out(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# Set-valued fields: the type of their elements (stored as their string values).
_SET_FIELDS: Final[Mapping[str, Callable[[Any], Hashable]]] = {
    "licensed_in": Jurisdiction,
    "service_types": ServiceType,
    "age_bands": AgeBand,
    "formats": SessionFormat,
    "office_areas": str,
    "availability": str,
    "languages": Language,
    "concerns_primary": Concern,
    "concerns_experienced": Concern,
    "approaches": Approach,
    "values_centered": Value,
    "faith_integration": FaithTradition,
    "cultural_experience": CulturalBackground,
    "cultural_identity": CulturalBackground,
    "insurance_panels": InsuranceCarrier,
}
# The other fields: how a stored (JSON) value becomes the profile's value, and back.
_VALUE_FIELDS: Final[Mapping[str, tuple[Callable[[Any], Hashable], Callable[[Any], Any]]]] = {
    "active": (bool, _same),
    "accepting": (bool, _same),
    "open_slots": (int, _same),
    "lgbtq_affirming": (bool, _same),
    "faith_integration_public": (bool, _same),
    "cultural_identity_public": (bool, _same),
    "faith_identity": (_faith_identity, _same),
    "faith_identity_public": (bool, _same),
    "gender": (_optional(Gender), _same),
    "gender_public": (bool, _same),
    "fee": (int, _same),
    "sliding_scale_min": (_optional(int), _same),
    "directness": (Directness, _same),
    "structure": (Structure, _same),
    "understanding": (_pair, list),
    "next_opening": (_optional(datetime.fromisoformat), _datetime_out),
}
_ALL_FIELDS = tuple(f.name for f in fields(MatchProfile) if f.name != "counselor_id")
if set(_ALL_FIELDS) != {*_SET_FIELDS, *_VALUE_FIELDS}:  # a new MatchProfile field must be stored too
    raise RuntimeError("roster_snapshot.py lists every MatchProfile field but counselor_id")


@dataclass(frozen=True, slots=True)
class _Stored:
    """The bitmaps of a decoded snapshot, kept to build the profiles of the counselors it explains."""

    positions: Mapping[str, int]
    width: int
    bitmaps: memoryview
    keys: Mapping[str, list[tuple[Hashable, int]]]  # field -> (key, bitmap number)

    def has(self, bitmap: int, position: int) -> bool:
        return bool(self.bitmaps[bitmap * self.width + (position >> 3)] >> (position & 7) & 1)

    def profile(self, counselor_id: str) -> MatchProfile:
        position = self.positions[counselor_id]
        values: dict[str, Any] = {}
        for name in _SET_FIELDS:
            values[name] = frozenset(key for key, at in self.keys[name] if self.has(at, position))
        for name in _VALUE_FIELDS:
            values[name] = next(key for key, at in self.keys[name] if self.has(at, position))
        return MatchProfile(counselor_id=counselor_id, **values)


class RosterColumns:
    """Counselor ids in order, each field's key -> positions, and names; see the module's docstring."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: dict[str, str] = {}
        self.elements: dict[str, dict[Hashable, int]] = {name: {} for name in _SET_FIELDS}
        self.values: dict[str, dict[Hashable, int]] = {name: {} for name in _VALUE_FIELDS}
        self._profiles: dict[str, MatchProfile] = {}  # changed since the snapshot, or built for an explanation
        self._stored: _Stored | None = None

    @classmethod
    def of(cls, profiles: Iterable[MatchProfile], names: Mapping[str, str]) -> "RosterColumns":
        columns = cls()
        ordered = sorted(profiles, key=lambda p: p.counselor_id)
        columns.ids = [p.counselor_id for p in ordered]
        if len(set(columns.ids)) != len(columns.ids):
            raise ValueError("a roster lists each counselor once")
        size = len(ordered)
        for name in _ALL_FIELDS:
            # Group by the whole value first (equal sets are shared objects, so hashing one is cheap), then
            # give each element of a set the positions of every set that holds it.
            where: dict[Hashable, list[int]] = {}
            for position, profile in enumerate(ordered):
                where.setdefault(getattr(profile, name), []).append(position)
            if name in _VALUE_FIELDS:
                columns.values[name] = {key: from_positions(ps, size) for key, ps in where.items()}
                continue
            elements: dict[Hashable, list[int]] = {}
            for value, positions in where.items():
                for element in value:  # type: ignore[attr-defined]
                    elements.setdefault(element, []).extend(positions)
            columns.elements[name] = {key: from_positions(ps, size) for key, ps in elements.items()}
        columns._profiles = {p.counselor_id: p for p in ordered}
        columns.names = {cid: names[cid] for cid in columns.ids if cid in names}
        return columns

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, counselor_id: object) -> bool:
        return counselor_id in self._profiles or (self._stored is not None and counselor_id in self._stored.positions)

    def profile(self, counselor_id: str) -> MatchProfile:
        found = self._profiles.get(counselor_id)
        if found is None:
            if self._stored is None or counselor_id not in self._stored.positions:
                raise KeyError(counselor_id)
            found = self._profiles[counselor_id] = self._stored.profile(counselor_id)
        return found

    def frozen(self) -> "RosterColumns":
        """A copy that builds the profiles as they are now, whatever changes are applied to this one later."""
        copy = RosterColumns()
        copy.ids = self.ids
        copy._profiles = dict(self._profiles)
        copy._stored = self._stored
        return copy

    def apply(self, profile: MatchProfile, name: str) -> None:
        """The counselor as changed (or new): its position moves from its old keys to its new ones."""
        cid = profile.counselor_id
        position = bisect_left(self.ids, cid)
        bit = 1 << position
        if position < len(self.ids) and self.ids[position] == cid:
            old = self.profile(cid)
            for field_name in _SET_FIELDS:
                for element in getattr(old, field_name):
                    _clear(self.elements[field_name], element, bit)
            for field_name in _VALUE_FIELDS:
                _clear(self.values[field_name], getattr(old, field_name), bit)
        else:
            self.ids.insert(position, cid)
            below = bit - 1
            for index in (*self.elements.values(), *self.values.values()):
                for key, bits in index.items():
                    index[key] = (bits & below) | (bits >> position << (position + 1))
        for field_name in _SET_FIELDS:
            index = self.elements[field_name]
            for element in getattr(profile, field_name):
                index[element] = index.get(element, 0) | bit
        for field_name in _VALUE_FIELDS:
            index = self.values[field_name]
            key = getattr(profile, field_name)
            index[key] = index.get(key, 0) | bit
        self._profiles[cid] = profile
        self.names[cid] = name

    def encode(self) -> bytes:
        """The columns as bytes: a JSON header (ids, names, each field's keys) and one bitmap per key, zlib-packed."""
        width = (len(self.ids) + 7) // 8
        header: dict[str, Any] = {
            "format": FORMAT,
            "ids": self.ids,
            "names": [self.names.get(cid, "") for cid in self.ids],
            "fields": {},
        }
        bitmaps: list[bytes] = []
        for name in _ALL_FIELDS:
            index = self.elements[name] if name in _SET_FIELDS else self.values[name]
            out = _VALUE_FIELDS[name][1] if name in _VALUE_FIELDS else str
            header["fields"][name] = [out(key) for key in index]
            bitmaps.extend(bits.to_bytes(width, "little") for bits in index.values())
        head = json.dumps(header, separators=(",", ":")).encode()
        return zlib.compress(len(head).to_bytes(4, "big") + head + b"".join(bitmaps), 6)

    @classmethod
    def decode(cls, data: bytes) -> "RosterColumns | None":
        """The columns of `encode`'s bytes, or None for a snapshot this code cannot read: another layout, or
        damaged bytes (a cold function then loads the roster from the index: never fails for a snapshot)."""
        try:
            return cls._decode(data)
        except (zlib.error, ValueError, KeyError, IndexError, TypeError):
            return None

    @classmethod
    def _decode(cls, data: bytes) -> "RosterColumns | None":
        raw = memoryview(zlib.decompress(data))
        size = int.from_bytes(raw[:4], "big")
        header = json.loads(bytes(raw[4 : 4 + size]))
        if header.get("format") != FORMAT:
            return None
        columns = cls()
        columns.ids = header["ids"]
        columns.names = {cid: name for cid, name in zip(columns.ids, header["names"], strict=True) if name}
        width = (len(columns.ids) + 7) // 8
        bitmaps = raw[4 + size :]
        keys: dict[str, list[tuple[Hashable, int]]] = {}
        at = 0
        for name in _ALL_FIELDS:
            read = _VALUE_FIELDS[name][0] if name in _VALUE_FIELDS else _SET_FIELDS[name]
            index = columns.elements[name] if name in _SET_FIELDS else columns.values[name]
            keys[name] = []
            for stored in header["fields"][name]:
                key = read(stored)
                index[key] = int.from_bytes(bitmaps[at * width : (at + 1) * width], "little")
                keys[name].append((key, at))
                at += 1
        positions = {cid: i for i, cid in enumerate(columns.ids)}
        columns._stored = _Stored(positions, width, bitmaps, keys)
        return columns


def is_set_field(name: str) -> bool:
    return name in _SET_FIELDS


def _clear(index: dict[Hashable, int], key: Hashable, bit: int) -> None:
    left = index[key] & ~bit
    if left:
        index[key] = left
    else:  # a key no counselor has is not in an index built from profiles either
        del index[key]
