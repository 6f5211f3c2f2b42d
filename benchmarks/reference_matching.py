"""A deliberately plain reference implementation of counselor ranking: the oracle and the baseline.

The production engine (shared/matching/engine.py) is built for speed: it compiles the roster once, evaluates
each factor once per group of counselors that look alike to it, and ranks without a Python loop per
counselor. This module ranks the same way with none of that: it validates each profile, derives its
`MatchProfile`, checks every hard constraint on that one counselor, evaluates every factor for every
counselor, sums `weight x level`, sorts the whole list and applies the must-have and relaxation rules with
plain loops, exactly as the engine's module docstring states them:

1. A counselor is eligible when every hard constraint passes. When nobody is left, the reason is the first
   constraint (in `hard_constraints` order) after which nobody was left.
2. Points are the sum of `weight x level` over the intake's criteria; the score is
   round-half-up(100 x points / (LEVEL_SCALE x sum of weights)).
3. Ranking is by points (more first), then open slots (more first), then counselor id (ascending).
4. Suggestions are the best `limit` counselors who meet every must-have. When there are fewer than `limit`,
   must-haves are relaxed one at a time in RELAXATION_ORDER until the counselors outside the suggestions who
   meet the remaining must-haves are enough (or every must-have is relaxed); the alternatives are the best
   of them, and `relaxed` lists the must-haves some alternative misses, in RELAXATION_ORDER.

Property tests compare the engine against `rank_reference` on generated intakes and rosters, and the
benchmark uses it as the naive baseline. It must stay independent of the engine's compiled roster and ranking
code (no `suggest`, no `CompiledRoster`): it shares only the rule definitions (`criteria_for`,
`hard_constraints`, the weights).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor
from typing import Any

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.matching.engine import hard_constraints
from shared.matching.factors import Criterion, criteria_for
from shared.matching.profile import MatchProfile
from shared.matching.result import NoMatchReason
from shared.matching.weights import DEFAULT_SUGGESTIONS, LEVEL_SCALE, RELAXATION_ORDER, FactorName


@dataclass(frozen=True)
class RankedCounselor:
    counselor_id: str
    points: int
    score: int
    open_slots: int
    levels: dict[FactorName, int]
    unmet_must_haves: list[FactorName] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Sorting ascending by this key puts the best counselor first."""
        return (-self.points, -self.open_slots, self.counselor_id)


@dataclass(frozen=True)
class ReferenceResult:
    suggestions: list[RankedCounselor]
    alternatives: list[RankedCounselor]
    relaxed: list[FactorName]
    no_match_reason: NoMatchReason | None
    eligible: int
    roster_size: int
    ranking: list[RankedCounselor] = field(default_factory=list)
    """Every eligible counselor, best first (before must-haves are applied)."""


def as_match_profiles(profiles: Iterable[CounselorProfile | Mapping[str, Any] | MatchProfile]) -> list[MatchProfile]:
    """Validate dicts as `CounselorProfile`, then derive the matching view of each profile."""
    out: list[MatchProfile] = []
    for p in profiles:
        if isinstance(p, MatchProfile):
            out.append(p)
            continue
        profile = p if isinstance(p, CounselorProfile) else CounselorProfile.model_validate(p)
        out.append(MatchProfile.from_profile(profile))
    return out


def reads_of(profile: MatchProfile, reads: Sequence[str]) -> Any:
    """The value a constraint or criterion reads: one field itself, or a tuple of several."""
    if len(reads) == 1:
        return getattr(profile, reads[0])
    return tuple(getattr(profile, name) for name in reads)


def most_points(criteria: Sequence[Criterion]) -> int:
    return LEVEL_SCALE * sum(c.weight for c in criteria)


def score_of(points: int, most: int) -> int:
    """Round half up of 100 x points / most."""
    return floor(Fraction(100 * points, most) + Fraction(1, 2))


def rank_one(profile: MatchProfile, criteria: Sequence[Criterion]) -> RankedCounselor:
    """Score one counselor on every criterion, ignoring hard constraints."""
    points = 0
    levels: dict[FactorName, int] = {}
    unmet: list[FactorName] = []
    for criterion in criteria:
        level = criterion.level(profile)
        levels[criterion.factor] = level
        points += criterion.weight * level
        if criterion.must_have and level < criterion.threshold:
            unmet.append(criterion.factor)
    ordered_unmet = [f for f in RELAXATION_ORDER if f in unmet]
    return RankedCounselor(
        counselor_id=profile.counselor_id,
        points=points,
        score=score_of(points, most_points(criteria)),
        open_slots=profile.open_slots,
        levels=levels,
        unmet_must_haves=ordered_unmet,
    )


def points_of(intake: IntakeAnswers, profile: CounselorProfile | Mapping[str, Any] | MatchProfile) -> int:
    """The points one counselor earns for one intake (hard constraints ignored)."""
    (match_profile,) = as_match_profiles([profile])
    return rank_one(match_profile, criteria_for(intake)).points


def eligible_profiles(
    intake: IntakeAnswers, profiles: Sequence[MatchProfile]
) -> tuple[list[MatchProfile], NoMatchReason | None]:
    remaining = list(profiles)
    for constraint in hard_constraints(intake):
        kept: list[MatchProfile] = []
        for profile in remaining:
            if constraint.passes(reads_of(profile, constraint.reads)):
                kept.append(profile)
        remaining = kept
        if not remaining:
            return [], constraint.reason
    return remaining, None


def rank_reference(
    intake: IntakeAnswers,
    profiles: Iterable[CounselorProfile | Mapping[str, Any] | MatchProfile],
    limit: int = DEFAULT_SUGGESTIONS,
) -> ReferenceResult:
    match_profiles = as_match_profiles(profiles)
    eligible, reason = eligible_profiles(intake, match_profiles)
    if reason is not None:
        return ReferenceResult([], [], [], reason, 0, len(match_profiles))

    criteria = criteria_for(intake)
    ranking = [rank_one(profile, criteria) for profile in eligible]
    ranking.sort(key=lambda r: r.sort_key)

    must_haves = [f for f in RELAXATION_ORDER if any(c.must_have and c.factor == f for c in criteria)]

    def meets_all(counselor: RankedCounselor, required: Sequence[FactorName]) -> bool:
        return all(factor not in counselor.unmet_must_haves for factor in required)

    meeting_all = [r for r in ranking if meets_all(r, must_haves)]
    suggestions = meeting_all[:limit]

    alternatives: list[RankedCounselor] = []
    if len(suggestions) < limit and must_haves:
        need = limit - len(suggestions)
        meeting_ids = {r.counselor_id for r in meeting_all}
        relaxed_count = 0
        while relaxed_count < len(must_haves):
            relaxed_count += 1
            still_required = must_haves[relaxed_count:]
            pool = [r for r in ranking if r.counselor_id not in meeting_ids and meets_all(r, still_required)]
            if len(pool) >= need or relaxed_count == len(must_haves):
                alternatives = pool[:need]
                break

    relaxed: list[FactorName] = []
    for factor in RELAXATION_ORDER:
        for alternative in alternatives:
            if factor in alternative.unmet_must_haves:
                relaxed.append(factor)
                break

    return ReferenceResult(
        suggestions=suggestions,
        alternatives=alternatives,
        relaxed=relaxed,
        no_match_reason=None,
        eligible=len(eligible),
        roster_size=len(match_profiles),
        ranking=ranking,
    )
