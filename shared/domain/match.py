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


class Suggestion(ResultModel):
    counselor_id: str
    score: int = Field(ge=0, le=100)
    open_slots: int
    breakdown: list[FactorScore]
    reasons: list[str] = Field(description="For staff.")
    client_reasons: list[str] = Field(description="Safe to show the client: no private counselor details.")
    unmet_must_haves: list[FactorName] = Field(default_factory=list)


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
