"""The bond after the match: the client's check-in, what counts as a bond at risk, and how a rating becomes
evidence for matching.

The items are the project's own wording, one per pillar of the practice's idea of the bond (trust,
feeling understood, respect, talking about what the client wants in the way they want), one overall item
and one on understanding of the client's values, culture and faith. They are deliberately not the WAI-SR
or SRS items, which are licensed.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from shared.domain.intake import MAX_FREE_TEXT, StrictModel
from shared.domain.text import NFC, MultiLine
from shared.i18n import N_


class CheckInItem(StrEnum):
    TRUST = "trust"
    UNDERSTOOD = "understood"
    RESPECTED = "respected"
    AGENDA = "agenda"
    OVERALL = "overall"
    IDENTITY = "identity"


PILLARS = (CheckInItem.TRUST, CheckInItem.UNDERSTOOD, CheckInItem.RESPECTED, CheckInItem.AGENDA)
"""The practice's four pillars of the bond."""

ITEM_TEXT: dict[CheckInItem, str] = {
    CheckInItem.TRUST: N_("I felt I could trust my counselor."),
    CheckInItem.UNDERSTOOD: N_("I felt my counselor understood me."),
    CheckInItem.RESPECTED: N_("I felt respected."),
    CheckInItem.AGENDA: N_("We talked about what I wanted to talk about, in a way that worked for me."),
    CheckInItem.OVERALL: N_("Overall, counseling with this counselor is working for me."),
    CheckInItem.IDENTITY: N_("My counselor understood my values, culture and faith, as far as they matter to me."),
}
"""Each is rated 0 (not at all) to 10 (completely)."""

SCALE_MIN, SCALE_MAX = 0, 10
MAX_SCHEDULE_DAYS = 365
MAX_SCHEDULED = 10  # check-ins scheduled by days (each is an item written with the assignment)

# ---------------------------------------------------------------- early warning

LOW_SCORE = 6
"""A rating at or below this on any pillar or the overall item puts the bond at risk. Early bond ratings
skew high (most clients rate 8-10), so a 6 out of 10 is already a clear signal worth a conversation."""
DROP = 1.5
"""A fall of this many points or more in the average of the five bond items since the previous check-in
puts the bond at risk even when every rating is above LOW_SCORE: a falling bond is the signal to act on
(Flückiger et al. 2018: the alliance predicts outcome, r = .278)."""

# ---------------------------------------------------------------- evidence for matching

DEFAULT_EVIDENCE_MINIMUM = 5
"""A counselor's client-rated understanding is used, and shown, only once this many clients have rated it:
below that, a single rating could be traced back to one client."""

Score = Annotated[StrictInt, Field(ge=SCALE_MIN, le=SCALE_MAX)]


class CheckInAnswers(StrictModel):
    """What the client sends from the check-in page."""

    trust: Score = Field(description=ITEM_TEXT[CheckInItem.TRUST])
    understood: Score = Field(description=ITEM_TEXT[CheckInItem.UNDERSTOOD])
    respected: Score = Field(description=ITEM_TEXT[CheckInItem.RESPECTED])
    agenda: Score = Field(description=ITEM_TEXT[CheckInItem.AGENDA])
    overall: Score = Field(description=ITEM_TEXT[CheckInItem.OVERALL])
    identity: Score | None = Field(
        default=None, description=f"{ITEM_TEXT[CheckInItem.IDENTITY]} Null: does not apply to me."
    )
    not_working: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_FREE_TEXT), NFC, MultiLine] = (
        Field(default="", description="Anything that isn't working. Shown to the practice's staff only.")
    )

    @property
    def bond_items(self) -> tuple[int, ...]:
        return (self.trust, self.understood, self.respected, self.agenda, self.overall)

    @property
    def bond_mean(self) -> float:
        return sum(self.bond_items) / len(self.bond_items)


class RiskReason(StrEnum):
    LOW_SCORE = "low_score"
    DROPPED = "dropped"


class Risk(NamedTuple):
    at_risk: bool
    reasons: tuple[RiskReason, ...]


def assess(current: CheckInAnswers, previous: CheckInAnswers | None) -> Risk:
    """Whether this check-in puts the bond at risk, and why."""
    reasons: list[RiskReason] = []
    if min(current.bond_items) <= LOW_SCORE:
        reasons.append(RiskReason.LOW_SCORE)
    if previous is not None and previous.bond_mean - current.bond_mean >= DROP:
        reasons.append(RiskReason.DROPPED)
    return Risk(at_risk=bool(reasons), reasons=tuple(reasons))


class CountedIn(BaseModel):
    """Where a check-in's answers were added in the match-quality report (so a later check-in from the same
    client can take exactly these figures out again): the assignment's score band and factor levels."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    band: str
    levels: dict[str, str] = Field(description="Factor -> how fully it was met (met, partial, unmet).")


class CheckIn(BaseModel):
    """One check-in: invited after a session, or a number of days after the match when staff have not marked
    that session yet; answered (once) by the client."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    number: int = Field(ge=1, description="1 for the first check-in, 2 for the second, ...")
    after_session: int = Field(ge=0, description="Sessions marked as held when it was sent.")
    after_days: int | None = Field(default=None, ge=1, description="Sent by the day schedule: days after the match.")
    counselor_id: str
    counselor_name: str
    invited_at: datetime
    expires_at: datetime
    token_hash: str = Field(exclude=True)
    submitted_at: datetime | None = None
    answers: CheckInAnswers | None = None
    risk: list[RiskReason] = Field(default_factory=list)
    counted: CountedIn | None = Field(default=None, exclude=True)


def parse_schedule(text: str) -> tuple[int, ...]:
    """ "1,3" -> (1, 3): after which held sessions a check-in is sent (CheckInAfterSessions)."""
    numbers = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    if not numbers or numbers[0] < 1:
        raise ValueError("the check-in schedule lists session numbers from 1, e.g. 1,3")
    return tuple(numbers)


def parse_day_schedule(text: str) -> tuple[int, ...]:
    """ "14,42" -> (14, 42): how many days after the match each check-in goes out at the latest
    (CheckInAfterDays); "" -> (): by held sessions only."""
    parts = [part for part in text.replace(" ", "").split(",") if part]
    days = sorted({int(part) for part in parts if part.isdigit()})
    if (
        len(days) < len(set(parts))
        or len(days) > MAX_SCHEDULED
        or (days and not 1 <= days[0] <= days[-1] <= MAX_SCHEDULE_DAYS)
    ):
        raise ValueError(
            f"the check-in days are up to {MAX_SCHEDULED} whole days after the match, 1 to {MAX_SCHEDULE_DAYS}, "
            "e.g. 14,42"
        )
    return tuple(days)


def check_in_due(sent: int, place: int) -> bool:
    """Whether the check-in at `place` (1 for the first listed session or day, 2 for the second, ...) is still
    to be sent, when `sent` check-ins already went out with this counselor. The session schedule and the day
    schedule count the same check-ins: whichever reaches a place first sends it, the other sends nothing."""
    return sent < place


class RatingChange(NamedTuple):
    """What a check-in changes in its counselor's client-rated understanding (how many clients rated it, and
    the sum of their ratings)."""

    clients: int  # 1 for the client's first rating of this counselor, 0 when it replaces their earlier one
    score: int


def rating_change(rating: int | None, rated_before: int | None) -> RatingChange | None:
    """One rating per client and counselor: a later one replaces the earlier one instead of adding to it."""
    if rating is None or rating == rated_before:
        return None
    return RatingChange(1 if rated_before is None else 0, rating - (rated_before or 0))
