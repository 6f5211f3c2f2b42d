"""A match as the rest of the service sees it: the factors a counselor is scored on, why nobody could be
suggested, and the ranked suggestions with their scores, breakdowns and reasons. The matching engine
(shared/matching/) computes it; intakes store it and staff read it, without depending on the engine.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.vocabulary import Importance


class FactorName(StrEnum):
    PRIMARY_CONCERN = "primary_concern"
    OTHER_CONCERNS = "other_concerns"
    VALUES = "values"
    CULTURE = "culture"
    FAITH = "faith"
    LANGUAGE = "language"
    GENDER = "gender"
    LGBTQ_AFFIRMING = "lgbtq_affirming"
    APPROACH = "approach"
    STYLE = "style"
    AVAILABILITY = "availability"
    PAYMENT = "payment"
    LOCATION = "location"
    UNDERSTANDING = "client_rated_understanding"


class NoMatchReason(StrEnum):
    """Why no counselor could be suggested, in the order the hard constraints are checked."""

    NO_ACTIVE_COUNSELORS = "no_active_counselors"
    NOT_LICENSED = "not_licensed"
    POPULATION_NOT_SERVED = "population_not_served"
    FORMAT_NOT_OFFERED = "format_not_offered"
    NO_OPEN_CAPACITY = "no_open_capacity"
    NO_OTHER_COUNSELOR = "no_other_counselor"  # everyone who fits is a counselor the client asked to move on from


class ResultModel(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class FactorScore(ResultModel):
    factor: FactorName
    importance: Importance | None = Field(description="The client's rating; null for factors the practice weights.")
    weight: int
    level: float = Field(ge=0, le=1, description="How fully the counselor meets this factor.")
    points: float = Field(ge=0, le=100, description="This factor's share of the 0-100 score.")
    must_have_met: bool | None = Field(description="For must-haves: whether it is met; otherwise null.")
    met: bool | None = Field(
        default=None,
        description="Whether the factor is met by the engine's own test (for a must-have, the same as "
        "must_have_met); null in a match stored before this was recorded.",
    )
    judged: bool = Field(
        default=True,
        description="False when there was no evidence to judge the factor (too few clients' ratings): its level "
        "is the neutral one, neither met nor unmet.",
    )


class ReasonFit(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_JUDGED = "not_judged"  # no evidence yet (too few clients' ratings)


class ExplainedReason(ResultModel):
    """One reason with the factor it is about, and whether that factor is met, so a reader never has to
    guess from the words."""

    factor: FactorName
    importance: Importance | None = Field(description="The client's rating; null for factors the practice weights.")
    must_have: bool
    fit: ReasonFit = Field(
        description="met; partly_met (some credit, below the factor's test); not_met (none); not_judged (no "
        "evidence yet: too few clients' ratings)."
    )
    text: str


def _fit(score: "FactorScore") -> ReasonFit:
    if not score.judged:
        return ReasonFit.NOT_JUDGED
    met = score.met
    if met is None:  # a match stored before `met` was: a must-have's own test, otherwise full credit
        met = score.must_have_met if score.must_have_met is not None else score.level >= 1
    if met:
        return ReasonFit.MET
    return ReasonFit.PARTLY_MET if score.level > 0 else ReasonFit.NOT_MET


def _rank(reason: ExplainedReason) -> int:
    if reason.fit is ReasonFit.MET:
        return 2
    if reason.must_have:
        return 0
    return 1 if reason.importance is Importance.IMPORTANT else 2


class Suggestion(ResultModel):
    counselor_id: str
    score: int = Field(ge=0, le=100)
    open_slots: int
    breakdown: list[FactorScore]
    reasons: list[str] = Field(description="For staff.")
    client_reasons: list[str] = Field(description="Safe to show the client: no private counselor details.")
    unmet_must_haves: list[FactorName] = Field(default_factory=list)

    def ordered_reasons(self) -> list[ExplainedReason]:
        """The staff reasons, each with its factor and fit: unmet must-haves first, then unmet factors the
        client rated important, then the rest, each group in the breakdown's order. (The engine says one
        reason per factor, in the breakdown's order.)"""
        reasons = [
            ExplainedReason(
                factor=score.factor,
                importance=score.importance,
                must_have=score.must_have_met is not None,
                fit=_fit(score),
                text=text,
            )
            for score, text in zip(self.breakdown, self.reasons, strict=True)
        ]
        return sorted(reasons, key=_rank)


class NoMatch(ResultModel):
    reason: NoMatchReason
    detail: str
    next_step: str


class MatchResult(ResultModel):
    suggestions: list[Suggestion] = Field(description="Counselors who meet every must-have, best first.")
    alternatives: list[Suggestion] = Field(
        description="When too few meet every must-have: the best after relaxing must-haves, each naming what it misses."
    )
    relaxed: list[FactorName] = Field(description="Must-haves relaxed to find the alternatives, in relaxation order.")
    no_match: NoMatch | None = None
    urgent: bool
    eligible: int = Field(description="Counselors who passed every hard constraint.")
    roster_size: int
