"""Suggest counselors for an intake: hard constraints, must-haves, relaxation, ranking and reasons.

How a suggestion list is made (docs/matching.md says the same for practice owners):
1. Hard constraints are never relaxed: active; licensed where the client will be; serves the client's
   service type and age band; offers a format the client can use; accepting new clients with a free slot.
   When nobody passes, the result names the first constraint that left nobody (something staff can act on).
2. Each factor the client cares about scores `weight x level` points (shared/matching/weights.py).
3. Counselors who meet every must-have are the suggestions, best first. When there are fewer of them than
   requested, must-haves are relaxed one at a time in RELAXATION_ORDER to find alternatives, and the result
   says which must-haves each alternative misses and which were relaxed.
4. Ties (equal points, so equal scores) go to the counselor with the earlier next opening (none last),
   then more open slots, then the counselor id: the same input always gives the same list. The next
   opening is the roster's stored figure (kept current by every booking and profile change, so matching
   reads nothing more); one at or before `now` has passed and counts as unknown, like none.
5. Counselors the client asked to move on from (a rematch) are never suggested again; when they were the
   only ones who fit, the result says so.

Speed: there is no Python loop per counselor. Each factor is evaluated once per group of counselors that
look the same to it (CompiledRoster.group), points are summed with bit-sliced counters over sets of
positions, and the best are read off those counters (bitsets.py). Explanations are built only for the few
counselors returned, by the same factor code, so scores and reasons cannot disagree.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import and_, or_
from typing import Any, NamedTuple

from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM
from shared.domain.intake import IntakeAnswers
from shared.domain.labels import label
from shared.domain.vocabulary import FORMATS_ACCEPTED
from shared.matching.bitsets import BitCounter, best
from shared.matching.factors import Criterion, criteria_for
from shared.matching.profile import MatchProfile
from shared.matching.result import FactorScore, MatchResult, NoMatch, NoMatchReason, Suggestion
from shared.matching.roster import CompiledRoster, Relevance
from shared.matching.weights import (
    DEFAULT_SUGGESTIONS,
    LEVEL_SCALE,
    MAX_SUGGESTIONS,
    RELAXATION_ORDER,
    FactorName,
)


@dataclass(frozen=True, slots=True)
class HardConstraint:
    reason: NoMatchReason
    reads: tuple[str, ...]
    relevant: Mapping[str, Relevance]  # see CompiledRoster.group
    passes: Callable[[Any], bool]  # the value of `reads` -> whether the counselor passes
    detail: str
    next_step: str


def hard_constraints(intake: IntakeAnswers) -> list[HardConstraint]:
    """The constraints no preference can relax, in the order a no-match is explained."""
    client = intake.client
    place = label(client.jurisdiction)
    service = client.service_type
    band = client.effective_age_band
    accepted = FORMATS_ACCEPTED[intake.format.format]
    return [
        HardConstraint(
            NoMatchReason.NO_ACTIVE_COUNSELORS,
            ("active",),
            {},
            bool,
            "There are no active counselors on the roster.",
            "Add or reactivate counselors, then re-run matching.",
        ),
        HardConstraint(
            NoMatchReason.NOT_LICENSED,
            ("licensed_in",),
            {"licensed_in": frozenset({client.jurisdiction})},
            lambda licensed: client.jurisdiction in licensed,
            f"No active counselor is licensed in {place}.",
            "Refer out to a provider licensed there.",
        ),
        HardConstraint(
            NoMatchReason.POPULATION_NOT_SERVED,
            ("service_types", "age_bands"),
            {"service_types": frozenset({service}), "age_bands": frozenset({band})},
            lambda f: service in f[0] and band in f[1],
            f"No counselor licensed in {place} offers {label(service).lower()} for {label(band).lower()}.",
            "Refer out to a provider who serves this population.",
        ),
        HardConstraint(
            NoMatchReason.FORMAT_NOT_OFFERED,
            ("formats",),
            {"formats": accepted},
            lambda formats: bool(accepted & formats),
            f"No counselor who could otherwise serve the client offers {label(intake.format.format).lower()} sessions.",
            "Ask whether another format works for the client, or refer out.",
        ),
        HardConstraint(
            NoMatchReason.NO_OPEN_CAPACITY,
            ("accepting", "open_slots"),
            {"open_slots": lambda slots: slots > 0},
            lambda f: bool(f[0]) and f[1] > 0,
            "Every counselor who fits is full or not accepting new clients.",
            "Waitlist the client, or re-run matching when a slot opens.",
        ),
    ]


def _eligible(
    intake: IntakeAnswers, roster: CompiledRoster, exclude: frozenset[str]
) -> tuple[int, int, NoMatch | None]:
    """(the positions that pass every hard constraint, how many counselors are active, why nobody passes)."""
    eligible = roster.everyone
    active = 0
    for constraint in hard_constraints(intake):
        eligible = roster.select(constraint.reads, constraint.relevant, constraint.passes, eligible)
        if constraint.reason is NoMatchReason.NO_ACTIVE_COUNSELORS:
            active = eligible.bit_count()  # the first constraint: what is left is the active roster
        if not eligible:
            no_match = NoMatch(reason=constraint.reason, detail=constraint.detail, next_step=constraint.next_step)
            return 0, active, no_match
    if exclude:
        eligible &= ~roster.positions_of(exclude)
        if not eligible:
            no_match = NoMatch(
                reason=NoMatchReason.NO_OTHER_COUNSELOR,
                detail="The only counselors who fit are ones the client asked to move on from.",
                next_step="Talk with the client about what would help, or refer out.",
            )
            return 0, active, no_match
    return eligible, active, None


def _score_of(points: int, most: int) -> int:
    return (200 * points + most) // (2 * most)  # round half up, in integers


def _suggestion(
    profile: MatchProfile, levels: Sequence[int], criteria: Sequence[Criterion], points: int, most: int
) -> Suggestion:
    breakdown: list[FactorScore] = []
    reasons: list[str] = []
    client_reasons: list[str] = []
    unmet: list[str] = []
    for criterion, level in zip(criteria, levels, strict=True):
        met = criterion.met(level)
        breakdown.append(
            FactorScore(
                factor=criterion.factor,
                importance=criterion.importance,
                weight=criterion.weight,
                level=round(level / LEVEL_SCALE, 3),
                points=round(100 * criterion.weight * level / most, 1),
                must_have_met=met if criterion.must_have else None,
                met=met,
                judged=criterion.judged is None or criterion.judged(profile),
            )
        )
        said = criterion.describe(profile, level)
        reasons.append(said.staff)
        if said.client is not None and level > 0:
            client_reasons.append(said.client)
        if criterion.must_have and not met:
            unmet.append(criterion.factor)
    return Suggestion(
        counselor_id=profile.counselor_id,
        score=_score_of(points, most),
        open_slots=profile.open_slots,
        breakdown=breakdown,
        reasons=reasons,
        client_reasons=client_reasons,
        unmet_must_haves=[f for f in RELAXATION_ORDER if f in unmet],
    )


@dataclass(frozen=True, slots=True)
class _Scored:
    """One intake scored against the eligible part of a roster: what suggest() and fits() rank from."""

    roster: CompiledRoster
    criteria: list[Criterion]
    most: int
    eligible: int
    full: int  # the eligible positions that meet every must-have
    meeting: Callable[[Sequence[str]], int]  # must-have factors -> the eligible positions meeting them all
    must: list[FactorName]  # the intake's must-haves, in relaxation order
    ranked: Callable[[int, int], list[int]]  # (positions, n) -> the best n of them, best first

    def build(self, position: int) -> Suggestion:
        profile = self.roster.profiles[position]
        levels = [c.level(profile) for c in self.criteria]
        total = sum(c.weight * level for c, level in zip(self.criteria, levels, strict=True))
        return _suggestion(profile, levels, self.criteria, total, self.most)


def _score(
    intake: IntakeAnswers,
    roster: CompiledRoster,
    exclude: frozenset[str],
    evidence_minimum: int,
    now: datetime | None,
) -> tuple[MatchResult, _Scored | None]:
    """The result without suggestions (eligible, roster size, why nobody fits), and the scored roster when
    someone is eligible."""
    eligible, active, no_match = _eligible(intake, roster, exclude)
    result = MatchResult(
        suggestions=[], alternatives=[], relaxed=[], no_match=no_match, urgent=intake.urgent,
        eligible=eligible.bit_count(), roster_size=active,
    )  # fmt: skip
    if no_match is not None:
        return result, None

    criteria = criteria_for(intake, evidence_minimum)
    most = LEVEL_SCALE * sum(c.weight for c in criteria)
    points = BitCounter()
    met: dict[str, int] = {}  # must-have factor -> positions that meet it
    for c in criteria:
        by_level = roster.group(c.reads, c.relevant, c.level_of, eligible)
        for level, where in by_level.items():
            points.add(where, c.weight * level)
        if c.must_have:
            met[c.factor] = reduce(or_, (where for level, where in by_level.items() if c.met(level)), 0)
    must = [f for f in RELAXATION_ORDER if f in met]
    sooner = roster.sooner_openings(now)

    def meeting(factors: Sequence[str]) -> int:
        return reduce(and_, (met[f] for f in factors), eligible)

    def ranked(within: int, n: int) -> list[int]:
        """Most points first, then the earlier next opening, more open slots, counselor id (lower position)."""
        return best(within, n, points, sooner, roster.open_slots())

    return result, _Scored(roster, criteria, most, eligible, meeting(must), meeting, must, ranked)


def suggest(
    intake: IntakeAnswers,
    roster: CompiledRoster,
    limit: int = DEFAULT_SUGGESTIONS,
    *,
    exclude: frozenset[str] = frozenset(),
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
    now: datetime | None = None,
) -> MatchResult:
    """Rank the roster for one intake, leaving out the counselors in `exclude`. Client ratings count only
    for counselors with at least `evidence_minimum` of them. Stored next openings at or before `now` count
    as unknown (None trusts them all). Never raises for a valid intake and profiles."""
    if not 1 <= limit <= MAX_SUGGESTIONS:
        raise ValueError(f"limit must be between 1 and {MAX_SUGGESTIONS}")
    result, scored = _score(intake, roster, exclude, evidence_minimum, now)
    if scored is None:
        return result
    chosen = scored.ranked(scored.full, limit)
    alternatives: list[int] = []
    must = scored.must
    if len(chosen) < limit and must:
        need = limit - len(chosen)
        for relaxed_count in range(1, len(must) + 1):
            pool = scored.meeting(must[relaxed_count:]) & ~scored.full
            if pool.bit_count() >= need or relaxed_count == len(must):
                alternatives = scored.ranked(pool, need)
                break

    alternative_suggestions = [scored.build(p) for p in alternatives]
    unmet = {f for s in alternative_suggestions for f in s.unmet_must_haves}
    return result.model_copy(
        update={
            "suggestions": [scored.build(p) for p in chosen],
            "alternatives": alternative_suggestions,
            "relaxed": [f for f in RELAXATION_ORDER if f in unmet],
        }
    )


class Fits(NamedTuple):
    result: MatchResult  # the counts (eligible, active roster size) and why nobody fits; no suggestions
    fits: list[Suggestion]
    meeting_every_must_have: int


def fits(
    intake: IntakeAnswers,
    roster: CompiledRoster,
    limit: int,
    *,
    exclude: frozenset[str] = frozenset(),
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
    now: datetime | None = None,
) -> Fits:
    """Everyone who fits (passes every hard constraint), for staff who want to look past the suggestions:
    those who meet every must-have first, then the others, each group ranked as suggest() ranks, with the
    same breakdown and reasons; at most `limit` of them."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    result, scored = _score(intake, roster, exclude, evidence_minimum, now)
    if scored is None:
        return Fits(result, [], 0)
    first = scored.ranked(scored.full, limit)
    rest = scored.ranked(scored.eligible & ~scored.full, limit - len(first)) if len(first) < limit else []
    return Fits(result, [scored.build(p) for p in (*first, *rest)], scored.full.bit_count())
