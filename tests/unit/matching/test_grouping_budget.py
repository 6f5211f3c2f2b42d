"""A deterministic budget: each factor's level is worked out once per distinct part of the roster it looks
at, never once per counselor (docs/matching.md, "How it stays fast"; `make bench` has the times).

What each factor looks at is written here a second time, from the rules in docs/matching.md, not read from
the engine: the main concern looks only at whether a counselor lists that concern, the values factor only
at which of the client's values they share, and so on. A factor that grouped the roster by the whole field
(every counselor's full list of concerns, say) would give the same ranking, only more slowly, so only a
count like this one tells the two apart.
"""

from typing import Any

import pytest
from hypothesis import Phase, given, settings

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.domain.vocabulary import PaymentMethod
from shared.matching.factors import criteria_for
from shared.matching.profile import MatchProfile, postal_area, slot_key
from shared.matching.roster import CompiledRoster
from shared.matching.weights import FactorName
from tests.strategies import counselor_bodies, intakes

ROSTER_SIZE = 300


@pytest.fixture(scope="module")
def roster() -> CompiledRoster:
    """A varied roster (generated, derandomized), each counselor with an id of their own."""
    bodies: list[dict[str, Any]] = []

    @settings(max_examples=ROSTER_SIZE, derandomize=True, database=None, deadline=None, phases=[Phase.generate])
    @given(body=counselor_bodies())
    def collect(body: dict[str, Any]) -> None:
        bodies.append(body)

    collect()
    profiles = [
        CounselorProfile.model_validate({**body, "counselor_id": f"c-budget{n:05d}", "version": 1})
        for n, body in enumerate(bodies)
    ]
    return CompiledRoster(MatchProfile.from_profile(p) for p in profiles)


def named(intake: IntakeAnswers) -> dict[FactorName, dict[str, frozenset[Any]]]:
    """For each set-valued factor: the fields of the profile it reads, and the only elements that matter."""
    primary = frozenset({intake.concerns.primary})
    others = frozenset(intake.concerns.concerns) - primary
    backgrounds = frozenset(intake.culture.backgrounds)
    spec: dict[FactorName, dict[str, frozenset[Any]]] = {
        FactorName.PRIMARY_CONCERN: {"concerns_primary": primary, "concerns_experienced": primary},
        FactorName.OTHER_CONCERNS: {"concerns_primary": others, "concerns_experienced": others},
        FactorName.VALUES: {"values_centered": frozenset(intake.values.values)},
        FactorName.CULTURE: {"cultural_identity": backgrounds, "cultural_experience": backgrounds},
        FactorName.LANGUAGE: {"languages": frozenset(intake.languages.languages)},
        FactorName.APPROACH: {"approaches": frozenset(intake.approach.known)},
        FactorName.AVAILABILITY: {
            "availability": frozenset(slot_key(s.day, s.part) for s in intake.format.availability)
        },
    }
    if intake.format.postal_code is not None:
        spec[FactorName.LOCATION] = {"office_areas": frozenset({postal_area(intake.format.postal_code)})}
    if intake.payment.method is PaymentMethod.INSURANCE:
        spec[FactorName.PAYMENT] = {"insurance_panels": frozenset({intake.payment.insurance_carrier})}
    if intake.faith.stated_tradition is not None:
        spec[FactorName.FAITH] = {"faith_integration": frozenset({intake.faith.stated_tradition})}
    return spec


@settings(max_examples=100)  # in every profile: fewer intakes may name no culture (mutation runs use 10)
@given(intake=intakes())
def test_each_factor_works_out_a_level_once_per_distinct_part_of_the_roster_it_looks_at(
    roster: CompiledRoster, intake: IntakeAnswers
) -> None:
    everyone = roster
    spec = named(intake)
    checked = 0
    for criterion in criteria_for(intake):
        fields = spec.get(criterion.factor)
        if fields is None or set(criterion.reads) != set(fields):
            continue  # a factor of one value (gender, style) or the faith factor's other readings
        calls = 0

        def counting(value: Any, level_of: Any = criterion.level_of) -> int:
            nonlocal calls
            calls += 1
            return int(level_of(value))

        everyone.group(criterion.reads, criterion.relevant, counting, everyone.everyone)
        parts = {tuple(getattr(p, field) & fields[field] for field in criterion.reads) for p in everyone.profiles}
        assert calls == len(parts), (criterion.factor, calls, len(parts))
        checked += 1
    assert checked >= 1  # the main concern, at least, is always a factor
