"""The matching rules of docs/matching.md, written out a second time in the plainest code: the oracle.

It is the check on the production engine (shared/matching): property tests rank generated rosters with both
and compare every pick, order, score, level and report. It is also the naive baseline of `make bench`.

So that a wrong rule cannot be wrong in both, it shares nothing with the engine. It imports only the
input models (`IntakeAnswers`, `CounselorProfile` and their vocabularies) and takes every rule from
docs/matching.md: its own hard constraints and their order, its own factor levels, thresholds, weights
table and relaxation order, and its own score formula. It reads each validated profile field by field,
loops over every counselor and every factor, and sorts the whole list. Keep it slow and obvious: when a
rule in the docs changes, change it here by reading the docs, not the engine.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from math import floor
from typing import Any

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers

# docs/matching.md, "Weights: the client's own ratings".
WEIGHT_OF_RATING = {"must_have": 4, "important": 3, "nice_to_have": 1, "doesnt_matter": 0}

# docs/matching.md, "Step 3": first relaxed first.
RELAXATION_ORDER = (
    "availability",
    "style",
    "approach",
    "values",
    "gender",
    "payment",
    "lgbtq_affirming",
    "faith",
    "culture",
    "language",
)

SUGGESTIONS_BY_DEFAULT = 3
EVIDENCE_MINIMUM_BY_DEFAULT = 5  # `BondEvidenceMinimum`
UNRATED_UNDERSTANDING = Fraction(75, 100)  # "counts as 7.5 of 10"
RATING_SCALE = 10

FULL = Fraction(1)
HALF = Fraction(1, 2)
# docs/matching.md, "Step 4": a counselor with no known next opening sorts after every known one.
NO_KNOWN_OPENING = datetime.max.replace(tzinfo=UTC)
NONE = Fraction(0)

# docs/matching.md, "Step 1", in the order they are checked: the reason staff see when nobody passes.
NO_ACTIVE_COUNSELORS = "no_active_counselors"
NOT_LICENSED = "not_licensed"
POPULATION_NOT_SERVED = "population_not_served"
FORMAT_NOT_OFFERED = "format_not_offered"
NO_OPEN_CAPACITY = "no_open_capacity"
NO_OTHER_COUNSELOR = "no_other_counselor"  # "When the client asked for someone else"


@dataclass(frozen=True)
class FactorLevel:
    factor: str
    weight: int
    importance: str | None  # the client's rating; None for the factors the practice weights
    level: Fraction  # 0 (not met) to 1 (fully met), in whole sixtieths
    met: bool  # what would meet it as a must-have: fully met (values and availability: met at all)
    must_have: bool = False

    @property
    def must_have_met(self) -> bool | None:
        return self.met if self.must_have else None


@dataclass(frozen=True)
class RankedCounselor:
    counselor_id: str
    open_slots: int
    factors: list[FactorLevel]
    next_opening: datetime | None = None
    """Known and still to come (docs/matching.md, "Step 4"); None when there is none or it has passed."""

    @property
    def points(self) -> Fraction:
        return sum((f.weight * f.level for f in self.factors), Fraction(0))

    @property
    def most(self) -> int:
        return sum(f.weight for f in self.factors)

    @property
    def score(self) -> int:
        """The share of everything the client asked for that the counselor meets, 0-100, rounded half up."""
        return floor(100 * self.points / self.most + HALF)

    @property
    def unmet_must_haves(self) -> list[str]:
        unmet = {f.factor for f in self.factors if f.must_have and not f.met}
        return [f for f in RELAXATION_ORDER if f in unmet]

    def meets(self, must_haves: Iterable[str]) -> bool:
        return not set(must_haves) & set(self.unmet_must_haves)

    @property
    def sort_key(self) -> tuple[Fraction, datetime, int, str]:
        """docs/matching.md, "Step 4": more points first, then the earlier next opening (none last), then more
        open slots, then the counselor's id."""
        opening = self.next_opening if self.next_opening is not None else NO_KNOWN_OPENING
        return (-self.points, opening, -self.open_slots, self.counselor_id)


@dataclass(frozen=True)
class ReferenceResult:
    suggestions: list[RankedCounselor]
    alternatives: list[RankedCounselor]
    relaxed: list[str]
    no_match_reason: str | None
    eligible: int
    roster_size: int
    ranking: list[RankedCounselor] = field(default_factory=list)
    """Every eligible counselor, best first (before must-haves are applied)."""


def in_sixtieths(level: Fraction) -> Fraction:
    """docs/matching.md: levels are counted in whole sixtieths of "fully met", rounded down."""
    return Fraction(floor(level * 60), 60)


def share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole)


def postal_area(code: str) -> str:
    """The first three characters of a ZIP or postal code (spaces and case do not count)."""
    return code.replace(" ", "").upper()[:3]


# ---- Step 1: hard constraints -----------------------------------------------------------------------------


def formats_the_client_can_use(intake: IntakeAnswers) -> set[str]:
    wanted = intake.format.format.value
    if wanted == "either":
        return {"in_person", "telehealth"}
    return {wanted}


def hard_constraints(intake: IntakeAnswers) -> list[tuple[str, Callable[[CounselorProfile], bool]]]:
    """(the reason staff see when nobody passes, the check), in the order they are checked."""
    client = intake.client
    formats = formats_the_client_can_use(intake)
    return [
        (NO_ACTIVE_COUNSELORS, lambda c: c.active),
        (NOT_LICENSED, lambda c: client.jurisdiction in c.licensed_in),
        (
            POPULATION_NOT_SERVED,
            lambda c: client.service_type in c.service_types and client.effective_age_band in c.age_bands,
        ),
        (FORMAT_NOT_OFFERED, lambda c: bool(formats & {f.value for f in c.formats})),
        (NO_OPEN_CAPACITY, lambda c: c.accepting_new_clients and c.open_slots > 0),
    ]


# ---- Step 2: factors --------------------------------------------------------------------------------------


def rated(factor: str, importance: Any, level: Fraction, met_from_any: bool = False) -> FactorLevel | None:
    """A factor the client rated: left out at "doesn't matter"; a must-have is met when fully met (values and
    availability: when met at all)."""
    weight = WEIGHT_OF_RATING[importance.value]
    if weight == 0:
        return None
    level = in_sixtieths(level)
    met = level > 0 if met_from_any else level == FULL
    return FactorLevel(factor, weight, importance.value, level, met, importance.value == "must_have")


def fixed(factor: str, weight: int, level: Fraction) -> FactorLevel:
    level = in_sixtieths(level)
    return FactorLevel(factor, weight, None, level, level == FULL)


def main_concern(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel:
    concern = intake.concerns.primary
    if concern in c.concerns_primary:
        return fixed("primary_concern", 3, FULL)
    if concern in c.concerns_experienced:
        return fixed("primary_concern", 3, HALF)
    return fixed("primary_concern", 3, NONE)


def other_concerns(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    others = set(intake.concerns.concerns) - {intake.concerns.primary}
    if not others:
        return None
    works_with = set(c.concerns_primary) | set(c.concerns_experienced)
    return fixed("other_concerns", 1, share(len(others & works_with), len(others)))


def values(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wanted = set(intake.values.values)
    if not wanted:
        return None
    level = share(len(wanted & set(c.values_centered)), len(wanted))
    return rated("values", intake.values.importance, level, met_from_any=True)


def culture(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wish = intake.culture.counselor_preference.value
    if wish == "no_preference":
        return None
    backgrounds = set(intake.culture.backgrounds)
    own = set(c.cultural_identity.value) if c.cultural_identity is not None else set()
    experienced = set(c.cultural_experience)
    if wish == "shares":
        level = FULL if backgrounds & own else HALF if backgrounds & experienced else NONE
    else:
        level = FULL if backgrounds & (own | experienced) else NONE
    return rated("culture", intake.culture.importance, level)


def faith(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    role = intake.faith.role.value
    tradition = intake.faith.tradition
    integrates = set(c.faith_integration)
    own = c.faith_identity.value if c.faith_identity is not None else None
    if role == "no_preference":
        return None
    if role == "integrate":
        level = FULL if tradition in integrates else NONE
    elif role == "respect_secular":
        level = FULL if tradition in integrates or own == tradition else HALF
    else:  # "I'd prefer a secular counselor"
        level = NONE if integrates else FULL
    return rated("faith", intake.faith.importance, level)


def language(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    level = FULL if set(intake.languages.languages) & set(c.languages) else NONE
    return rated("language", intake.languages.importance, level)


def gender(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wanted = set(intake.counselor_gender.preferred)
    if not wanted:
        return None
    level = FULL if c.gender is not None and c.gender.value in wanted else NONE
    return rated("gender", intake.counselor_gender.importance, level)


def lgbtq_affirming(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    if not intake.identity.wants_affirming:
        return None
    return rated("lgbtq_affirming", intake.identity.importance, FULL if c.lgbtq_affirming else NONE)


def approach(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wanted = {a.value for a in intake.approach.preferred} - {"not_sure"}
    if not wanted:
        return None
    level = FULL if wanted & {a.value for a in c.approaches} else NONE
    return rated("approach", intake.approach.importance, level)


def one_side_of_style(wanted: str, offered: str) -> Fraction:
    if wanted == offered:
        return FULL
    if "balanced" in (wanted, offered):
        return HALF
    return NONE


def style(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    sides = []
    if intake.style.directness != "no_preference":
        sides.append(one_side_of_style(str(intake.style.directness), c.directness.value))
    if intake.style.structure != "no_preference":
        sides.append(one_side_of_style(str(intake.style.structure), c.structure.value))
    if not sides:
        return None
    return rated("style", intake.style.importance, sum(sides, Fraction(0)) / len(sides))


def availability(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wanted = {(s.day.value, s.part.value) for s in intake.format.availability}
    if not wanted:
        return None
    offered = {(s.day.value, s.part.value) for s in c.availability}
    enough = min(3, len(wanted))
    level = share(min(len(wanted & offered), enough), enough)
    return rated("availability", intake.format.availability_importance, level, met_from_any=True)


def cost(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    payment = intake.payment
    if payment.method.value == "insurance":
        carrier = payment.insurance_carrier
        in_network = carrier is not None and carrier.value != "other" and carrier in c.insurance_panels
        return rated("payment", payment.importance, FULL if in_network else NONE)
    limit = payment.max_fee_per_session
    assert limit is not None  # the intake model asks self-pay clients for a limit
    if c.fee_per_session <= limit:
        level = FULL
    elif c.sliding_scale_min is not None and c.sliding_scale_min <= limit:
        level = FULL if payment.needs_sliding_scale else HALF
    else:
        level = NONE
    return rated("payment", payment.importance, level)


def office_nearby(intake: IntakeAnswers, c: CounselorProfile) -> FactorLevel | None:
    wanted = intake.format.format.value
    if wanted == "telehealth" or intake.format.postal_code is None:
        return None
    weight = 3 if wanted == "in_person" else 1
    area = postal_area(intake.format.postal_code)
    near = any(postal_area(office.postal_code) == area for office in c.offices)
    return fixed("location", weight, FULL if near else NONE)


def clients_rating(ratings: tuple[int, int], minimum: int) -> FactorLevel:
    count, total = ratings
    if count < minimum:
        return fixed("client_rated_understanding", 2, UNRATED_UNDERSTANDING)
    return fixed("client_rated_understanding", 2, Fraction(total, RATING_SCALE * count))


def factor_levels(
    intake: IntakeAnswers, c: CounselorProfile, ratings: tuple[int, int], evidence_minimum: int
) -> list[FactorLevel]:
    """Every factor the client's score counts, in the order docs/matching.md lists them."""
    found = [
        main_concern(intake, c),
        other_concerns(intake, c),
        values(intake, c),
        culture(intake, c),
        faith(intake, c),
        language(intake, c),
        gender(intake, c),
        lgbtq_affirming(intake, c),
        approach(intake, c),
        style(intake, c),
        availability(intake, c),
        cost(intake, c),
        office_nearby(intake, c),
    ]
    counted = [f for f in found if f is not None]
    if any(f.factor in ("values", "culture", "faith") for f in counted):
        counted.append(clients_rating(ratings, evidence_minimum))
    return counted


def rank_one(
    intake: IntakeAnswers,
    c: CounselorProfile,
    ratings: tuple[int, int] = (0, 0),
    evidence_minimum: int = EVIDENCE_MINIMUM_BY_DEFAULT,
) -> RankedCounselor:
    """Score one counselor on every factor, ignoring hard constraints."""
    return RankedCounselor(c.counselor_id, c.open_slots, factor_levels(intake, c, ratings, evidence_minimum))


def as_profiles(profiles: Iterable[CounselorProfile | Mapping[str, Any]]) -> list[CounselorProfile]:
    return [p if isinstance(p, CounselorProfile) else CounselorProfile.model_validate(p) for p in profiles]


# ---- Steps 3 and 4: must-haves, relaxation, ties ------------------------------------------------------------


def rank_reference(
    intake: IntakeAnswers,
    profiles: Iterable[CounselorProfile | Mapping[str, Any]],
    limit: int = SUGGESTIONS_BY_DEFAULT,
    *,
    ratings: Mapping[str, tuple[int, int]] | None = None,
    exclude: Sequence[str] = (),
    evidence_minimum: int = EVIDENCE_MINIMUM_BY_DEFAULT,
    next_openings: Mapping[str, datetime] | None = None,
    now: datetime | None = None,
) -> ReferenceResult:
    """Suggestions and alternatives for one intake. `ratings`: counselor id -> (how many ratings of their
    understanding, their sum); `exclude`: the counselors a client asked to move on from; `next_openings`:
    counselor id -> the roster's stored next opening, of which those at or before `now` have passed."""
    roster = as_profiles(profiles)
    ratings = ratings or {}
    # An opening that has passed is unknown, like none.
    openings = {cid: at for cid, at in (next_openings or {}).items() if now is None or at > now}

    active = sum(1 for c in roster if c.active)  # the roster size staff see: active counselors only
    eligible = list(roster)
    for reason, passes in hard_constraints(intake):
        eligible = [c for c in eligible if passes(c)]
        if not eligible:
            return ReferenceResult([], [], [], reason, 0, active)
    eligible = [c for c in eligible if c.counselor_id not in exclude]
    if not eligible:
        return ReferenceResult([], [], [], NO_OTHER_COUNSELOR, 0, active)

    ranking = [
        replace(
            rank_one(intake, c, ratings.get(c.counselor_id, (0, 0)), evidence_minimum),
            next_opening=openings.get(c.counselor_id),
        )
        for c in eligible
    ]
    ranking.sort(key=lambda r: r.sort_key)

    # Which factors count, and which are must-haves, depends on the intake alone: the same for every counselor.
    rated_must_haves = {f.factor for f in ranking[0].factors if f.must_have}
    must_haves = [f for f in RELAXATION_ORDER if f in rated_must_haves]
    meeting_all = [r for r in ranking if r.meets(must_haves)]
    meeting_all_ids = {r.counselor_id for r in meeting_all}
    suggestions = meeting_all[:limit]

    alternatives: list[RankedCounselor] = []
    if len(suggestions) < limit and must_haves:
        need = limit - len(suggestions)
        for relaxed_so_far in range(1, len(must_haves) + 1):
            still_required = must_haves[relaxed_so_far:]
            pool = [r for r in ranking if r.counselor_id not in meeting_all_ids and r.meets(still_required)]
            if len(pool) >= need or relaxed_so_far == len(must_haves):
                alternatives = pool[:need]
                break

    relaxed = [f for f in RELAXATION_ORDER if any(f in a.unmet_must_haves for a in alternatives)]
    return ReferenceResult(
        suggestions=suggestions,
        alternatives=alternatives,
        relaxed=relaxed,
        no_match_reason=None,
        eligible=len(eligible),
        roster_size=active,
        ranking=ranking,
    )


def points_of(intake: IntakeAnswers, profile: CounselorProfile | Mapping[str, Any]) -> Fraction:
    """The points one counselor earns for one intake (hard constraints ignored)."""
    (counselor,) = as_profiles([profile])
    return rank_one(intake, counselor).points
