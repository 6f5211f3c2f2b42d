"""Client ratings as evidence in matching, and leaving out counselors the client moved on from."""

from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM
from shared.matching.engine import suggest
from shared.matching.factors import criteria_for, understanding_level
from shared.matching.profile import MatchProfile
from shared.matching.roster import CompiledRoster
from shared.matching.weights import LEVEL_SCALE, UNRATED_UNDERSTANDING_LEVEL, FactorName
from tests.factories import a_counselor, an_intake


def rated(counselor_id: str, count: int, total: int) -> MatchProfile:
    profile = MatchProfile.from_profile(a_counselor(counselor_id))
    return MatchProfile.from_compact(
        counselor_id, profile.to_compact(), profile.open_slots, understanding=(count, total)
    )


def test_below_the_minimum_every_counselor_looks_unrated() -> None:
    for count in range(DEFAULT_EVIDENCE_MINIMUM):
        assert understanding_level((count, 10 * count), DEFAULT_EVIDENCE_MINIMUM) == UNRATED_UNDERSTANDING_LEVEL
        assert understanding_level((count, 0), DEFAULT_EVIDENCE_MINIMUM) == UNRATED_UNDERSTANDING_LEVEL


def test_from_the_minimum_the_level_is_the_mean_rating() -> None:
    assert understanding_level((5, 50), 5) == LEVEL_SCALE
    assert understanding_level((5, 25), 5) == LEVEL_SCALE // 2
    assert understanding_level((8, 0), 5) == 0


def test_the_factor_counts_only_when_values_culture_or_faith_matter_to_the_client() -> None:
    plain = an_intake()
    assert FactorName.UNDERSTANDING not in [c.factor for c in criteria_for(plain)]
    for changes in (
        {"values": {"values": ["family"], "importance": "nice_to_have"}},
        {"faith": {"tradition": "muslim", "role": "integrate", "importance": "important"}},
        {"culture": {"backgrounds": ["east_asian"], "counselor_preference": "experienced", "importance": "must_have"}},
    ):
        assert FactorName.UNDERSTANDING in [c.factor for c in criteria_for(an_intake(**changes))], changes
    doesnt_matter = an_intake(values={"values": ["family"], "importance": "doesnt_matter"})
    assert FactorName.UNDERSTANDING not in [c.factor for c in criteria_for(doesnt_matter)]


def test_a_well_rated_counselor_ranks_above_an_unrated_and_a_poorly_rated_one() -> None:
    intake = an_intake(values={"values": ["family"], "importance": "important"})
    roster = CompiledRoster([rated("c-aaaaaa", 0, 0), rated("c-bbbbbb", 6, 57), rated("c-cccccc", 6, 18)])
    ranked = [s.counselor_id for s in suggest(intake, roster).suggestions]
    assert ranked == ["c-bbbbbb", "c-aaaaaa", "c-cccccc"]
    reasons = {s.counselor_id: s.reasons for s in suggest(intake, roster).suggestions}
    assert any("9.5 of 10 (n = 6)" in r for r in reasons["c-bbbbbb"])
    assert not any("n =" in r for r in reasons["c-aaaaaa"])


def test_a_rating_below_the_minimum_never_shows_in_scores_or_reasons() -> None:
    intake = an_intake(values={"values": ["family"], "importance": "important"})
    unrated = suggest(intake, CompiledRoster([rated("c-aaaaaa", 0, 0)])).suggestions[0]
    few = suggest(intake, CompiledRoster([rated("c-aaaaaa", 4, 4)])).suggestions[0]  # four ratings of 1
    assert few.score == unrated.score
    assert few.breakdown == unrated.breakdown
    assert few.reasons == unrated.reasons
    assert few.client_reasons == unrated.client_reasons


def test_excluded_counselors_are_never_suggested_and_leaving_nobody_is_explained() -> None:
    intake = an_intake()
    roster = CompiledRoster(MatchProfile.from_profile(a_counselor(cid)) for cid in ("c-aaaaaa", "c-bbbbbb", "c-cccccc"))
    result = suggest(intake, roster, exclude=frozenset({"c-aaaaaa", "c-unknown1"}))
    assert "c-aaaaaa" not in [s.counselor_id for s in (*result.suggestions, *result.alternatives)]
    assert len(result.suggestions) == 2
    nobody = suggest(intake, roster, exclude=frozenset({"c-aaaaaa", "c-bbbbbb", "c-cccccc"}))
    assert nobody.no_match is not None
    assert nobody.no_match.reason == "no_other_counselor"
