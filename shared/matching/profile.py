"""The part of a counselor profile that matching reads, in a compact, hashable form.

A `MatchProfile` is derived from a validated `CounselorProfile` when the profile is written, and stored
beside it as a compact JSON text, so a function can load a large roster without reading or validating
bios, license numbers or anything else matching does not need. Equal sets are shared objects
(`Interner`), so the engine's per-distinct-value work stays small on large rosters.
"""

import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.domain.counselor import CounselorProfile
from shared.domain.vocabulary import (
    AgeBand,
    Approach,
    Concern,
    CulturalBackground,
    Day,
    DayPart,
    Directness,
    FaithTradition,
    Gender,
    IdentityVisibility,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    ServiceType,
    SessionFormat,
    Structure,
    Value,
)


def postal_area(postal_code: str) -> str:
    """The first three characters: a US ZIP's sectional center or a Canadian forward sortation area.

    Without a geocoding data set, "same postal area" is how the engine judges that an office is near.
    """
    return postal_code.replace(" ", "").upper()[:3]


def slot_key(day: str, part: str) -> str:
    return f"{day}:{part}"


def read_fields(profile: "MatchProfile", reads: tuple[str, ...]) -> Any:
    """One field's value, or a tuple of several fields' values."""
    if len(reads) == 1:
        return getattr(profile, reads[0])
    return tuple(getattr(profile, name) for name in reads)


class Interner:
    """Hands out one shared frozenset per distinct content, of one element type.

    The key carries the element type: the vocabularies are string enums, so `{ServiceType.FAMILY}` equals
    `{Value.FAMILY}` (both are "family"), and sharing one for the other would name a value by the label of a
    service type. Empty sets need no type: they hold nothing to be labelled.
    """

    def __init__(self) -> None:
        self._seen: dict[Hashable, Any] = {}

    def __call__[T](self, items: Iterable[T]) -> frozenset[T]:
        value = frozenset(items)
        key = (type(next(iter(value))), value) if value else value
        return self._seen.setdefault(key, value)  # type: ignore[no-any-return]


_NO_INTERNING = Interner()


@dataclass(frozen=True, slots=True)
class MatchProfile:
    counselor_id: str
    active: bool
    accepting: bool
    open_slots: int
    licensed_in: frozenset[Jurisdiction]
    service_types: frozenset[ServiceType]
    age_bands: frozenset[AgeBand]
    formats: frozenset[SessionFormat]
    office_areas: frozenset[str]
    availability: frozenset[str]
    languages: frozenset[Language]
    concerns_primary: frozenset[Concern]
    concerns_experienced: frozenset[Concern]
    approaches: frozenset[Approach]
    lgbtq_affirming: bool
    values_centered: frozenset[Value]
    faith_integration: frozenset[FaithTradition]
    faith_integration_public: bool
    cultural_experience: frozenset[CulturalBackground]
    cultural_identity: frozenset[CulturalBackground]
    cultural_identity_public: bool
    faith_identity: FaithTradition | Literal["none"] | None
    faith_identity_public: bool
    gender: Gender | None
    gender_public: bool
    insurance_panels: frozenset[InsuranceCarrier]
    fee: int
    sliding_scale_min: int | None
    directness: Directness
    structure: Structure
    understanding: tuple[int, int] = (0, 0)
    """Client ratings of the counselor's understanding of values, culture and faith: (how many, their sum).
    Kept beside the profile (it changes with every check-in), never in the compact text."""
    next_opening: datetime | None = None
    """The counselor's earliest bookable first conversation (UTC) when it was last worked out, or None (no
    schedule, or nothing free within the horizon). Kept beside the profile (every booking changes it), never in
    the compact text. Ties are broken by it; a stored opening that has passed is treated as unknown (engine.py)."""

    @property
    def has_room(self) -> bool:
        return self.active and self.accepting and self.open_slots > 0

    @classmethod
    def from_profile(cls, p: CounselorProfile) -> "MatchProfile":
        public = IdentityVisibility.PUBLIC
        return cls(
            counselor_id=p.counselor_id,
            active=p.active,
            accepting=p.accepting_new_clients,
            open_slots=p.open_slots,
            licensed_in=frozenset(p.licensed_in),
            service_types=frozenset(p.service_types),
            age_bands=frozenset(p.age_bands),
            formats=frozenset(p.formats),
            office_areas=frozenset(postal_area(o.postal_code) for o in p.offices),
            availability=frozenset(slot_key(s.day, s.part) for s in p.availability),
            languages=frozenset(p.languages),
            concerns_primary=frozenset(p.concerns_primary),
            concerns_experienced=frozenset(p.concerns_experienced) - frozenset(p.concerns_primary),
            approaches=frozenset(p.approaches),
            lgbtq_affirming=p.lgbtq_affirming,
            values_centered=frozenset(p.values_centered),
            faith_integration=frozenset(p.faith_integration),
            faith_integration_public=p.show_faith_integration,
            cultural_experience=frozenset(p.cultural_experience),
            cultural_identity=frozenset(p.cultural_identity.value) if p.cultural_identity else frozenset(),
            cultural_identity_public=bool(p.cultural_identity and p.cultural_identity.visibility is public),
            faith_identity=p.faith_identity.value if p.faith_identity else None,
            faith_identity_public=bool(p.faith_identity and p.faith_identity.visibility is public),
            gender=p.gender.value if p.gender else None,
            gender_public=bool(p.gender and p.gender.visibility is public),
            insurance_panels=frozenset(p.insurance_panels),
            fee=p.fee_per_session,
            sliding_scale_min=p.sliding_scale_min,
            directness=p.directness,
            structure=p.structure,
        )

    def to_compact(self) -> str:
        """A small JSON text with short keys and sorted lists (stable bytes for equal profiles).

        Left out: the id (it is in the index key), open slots, client ratings and the next opening (they
        change with every assignment, check-in and booking, so they are stored on their own); empty lists,
        false flags and absent values.
        """
        out: dict[str, Any] = {}
        for name, key in _COMPACT_KEYS.items():
            value = getattr(self, name)
            if name == "availability":
                mask = sum(1 << _SLOT_BITS[slot] for slot in value)
                if mask:
                    out[key] = mask
            elif isinstance(value, frozenset):
                if value:
                    out[key] = sorted(str(v) for v in value)
            elif value is not None and value is not False:
                out[key] = str(value) if isinstance(value, str) else value
        return json.dumps(out, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_compact(
        cls,
        counselor_id: str,
        text: str,
        open_slots: int,
        intern: Interner = _NO_INTERNING,
        understanding: tuple[int, int] = (0, 0),
        next_opening: datetime | None = None,
    ) -> "MatchProfile":
        """Rebuild from `to_compact` output, trusting it: it was validated when the profile was written."""
        d = {name: value for key, value in json.loads(text).items() if (name := _FIELD_OF.get(key))}
        faith_identity = d.get("faith_identity")
        gender = d.get("gender")
        sliding = d.get("sliding_scale_min")
        mask = int(d.get("availability", 0))
        return cls(
            counselor_id=counselor_id,
            active=d.get("active", False),
            accepting=d.get("accepting", False),
            open_slots=open_slots,
            licensed_in=intern(Jurisdiction(v) for v in d.get("licensed_in", ())),
            service_types=intern(ServiceType(v) for v in d.get("service_types", ())),
            age_bands=intern(AgeBand(v) for v in d.get("age_bands", ())),
            formats=intern(SessionFormat(v) for v in d.get("formats", ())),
            office_areas=intern(d.get("office_areas", ())),
            availability=intern(slot for slot, bit in _SLOT_BITS.items() if mask >> bit & 1),
            languages=intern(Language(v) for v in d.get("languages", ())),
            concerns_primary=intern(Concern(v) for v in d.get("concerns_primary", ())),
            concerns_experienced=intern(Concern(v) for v in d.get("concerns_experienced", ())),
            approaches=intern(Approach(v) for v in d.get("approaches", ())),
            lgbtq_affirming=d.get("lgbtq_affirming", False),
            values_centered=intern(Value(v) for v in d.get("values_centered", ())),
            faith_integration=intern(FaithTradition(v) for v in d.get("faith_integration", ())),
            faith_integration_public=d.get("faith_integration_public", False),
            cultural_experience=intern(CulturalBackground(v) for v in d.get("cultural_experience", ())),
            cultural_identity=intern(CulturalBackground(v) for v in d.get("cultural_identity", ())),
            cultural_identity_public=d.get("cultural_identity_public", False),
            faith_identity=None
            if faith_identity is None
            else "none"
            if faith_identity == "none"
            else FaithTradition(faith_identity),
            faith_identity_public=d.get("faith_identity_public", False),
            gender=None if gender is None else Gender(gender),
            gender_public=d.get("gender_public", False),
            insurance_panels=intern(InsuranceCarrier(v) for v in d.get("insurance_panels", ())),
            fee=d.get("fee", 0),
            sliding_scale_min=None if sliding is None else int(sliding),
            directness=Directness(d.get("directness", Directness.BALANCED)),
            structure=Structure(d.get("structure", Structure.BALANCED)),
            understanding=understanding,
            next_opening=next_opening,
        )


# Short keys keep a large roster read small: the Roster index projects this text for every counselor.
_COMPACT_KEYS = {
    "active": "a",
    "accepting": "ac",
    "licensed_in": "l",
    "service_types": "st",
    "age_bands": "ab",
    "formats": "f",
    "office_areas": "o",
    "availability": "av",
    "languages": "la",
    "concerns_primary": "cp",
    "concerns_experienced": "ce",
    "approaches": "ap",
    "lgbtq_affirming": "lg",
    "values_centered": "v",
    "faith_integration": "fi",
    "faith_integration_public": "fip",
    "cultural_experience": "cx",
    "cultural_identity": "ci",
    "cultural_identity_public": "cip",
    "faith_identity": "fd",
    "faith_identity_public": "fdp",
    "gender": "g",
    "gender_public": "gp",
    "insurance_panels": "ip",
    "fee": "fe",
    "sliding_scale_min": "ss",
    "directness": "d",
    "structure": "s",
}
_FIELD_OF = {key: name for name, key in _COMPACT_KEYS.items()}
# Availability as one int: a bit per (day, part of day), in the week's order.
_SLOT_BITS = {slot_key(day, part): 3 * i + j for i, day in enumerate(Day) for j, part in enumerate(DayPart)}
