"""What a client who asks for someone else wants changed, as choices that count.

Free text alone is read by staff only, and the next matching run would weigh the same answers the same
way. So the client picks what to change; each choice rewrites the matching preference it is about, as a
must-have (relaxed like any must-have when nobody meets them all), before matching runs again. The answers
the intake keeps are the rewritten ones, so every later run (a staff rematch, the waitlist) counts them too,
and the intake's history says what was asked for.
"""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from shared.domain.errors import InvalidRequest
from shared.domain.intake import IntakeAnswers, NoRepeats, Slot, StrictModel
from shared.domain.vocabulary import (
    CulturePreference,
    Directness,
    FaithRole,
    Gender,
    Importance,
    Structure,
)


class Change(StrEnum):
    FAITH = "faith"  # a counselor who brings the client's own faith into counseling
    CULTURE = "culture"  # a counselor who shares the client's background
    TIMES = "times"  # other times: the ones given
    COST = "cost"  # in network with their insurance, or within what they said they can pay
    GENDER = "gender"  # a counselor of a gender given
    STYLE = "style"  # a different style: the directness and/or structure given


def _needs(change: Change, given: bool, info: ValidationInfo, what: str) -> None:
    chosen = change in (info.data.get("changes") or ())
    if chosen and not given:
        raise ValueError(f"choose {what}")
    if given and not chosen:
        raise ValueError(f"choose '{change.value}' as something to change, or leave this empty")


class AskedChanges(StrictModel):
    """The structured part of a request for someone else (the details each choice needs beside it)."""

    changes: Annotated[list[Change], NoRepeats] = Field(
        default_factory=list, max_length=len(Change), description="What to change for the next match."
    )
    times: Annotated[list[Slot], NoRepeats] = Field(
        default_factory=list,
        validate_default=True,
        max_length=21,
        description="With `times`: the times that suit the client now.",
    )
    genders: Annotated[list[Gender], NoRepeats] = Field(
        default_factory=list,
        validate_default=True,
        max_length=3,
        description="With `gender`: the counselor genders the client wants.",
    )
    directness: Directness | None = Field(default=None, description="With `style`.")
    structure: Structure | None = Field(
        default=None, validate_default=True, description="With `style` (this, directness, or both)."
    )

    @field_validator("times")
    @classmethod
    def _times(cls, times: list[Slot], info: ValidationInfo) -> list[Slot]:
        _needs(Change.TIMES, bool(times), info, "at least one time that suits you")
        return times

    @field_validator("genders")
    @classmethod
    def _genders(cls, genders: list[Gender], info: ValidationInfo) -> list[Gender]:
        _needs(Change.GENDER, bool(genders), info, "at least one gender")
        return genders

    @field_validator("structure")
    @classmethod
    def _style(cls, structure: Structure | None, info: ValidationInfo) -> Structure | None:
        _needs(Change.STYLE, structure is not None or info.data.get("directness") is not None, info, "a style")
        return structure


_NO_FAITH_NAMED = (
    "Your answers don't name a faith tradition, so we can't look for a counselor who brings it in. Tell us "
    "in the box below which tradition matters to you, and our team will take it into account."
)
_NO_BACKGROUND_NAMED = (
    "Your answers don't name a cultural background, so we can't look for a counselor who shares it. Tell us "
    "in the box below what matters to you, and our team will take it into account."
)


def with_changes(answers: IntakeAnswers, asked: AskedChanges) -> IntakeAnswers:
    """The client's answers with each chosen change made a must-have. Raises InvalidRequest (at
    `body.changes`) for a change the answers give nothing to work from."""
    data: dict[str, Any] = answers.model_dump(mode="json")
    must = Importance.MUST_HAVE.value
    for change in asked.changes:
        match change:
            case Change.FAITH:
                if answers.faith.stated_tradition is None:
                    raise InvalidRequest(_NO_FAITH_NAMED, ("body", "changes"))
                data["faith"] |= {"role": FaithRole.INTEGRATE.value, "importance": must}
            case Change.CULTURE:
                if not answers.culture.backgrounds:
                    raise InvalidRequest(_NO_BACKGROUND_NAMED, ("body", "changes"))
                data["culture"] |= {"counselor_preference": CulturePreference.SHARES.value, "importance": must}
            case Change.TIMES:
                data["format"] |= {
                    "availability": [slot.model_dump(mode="json") for slot in asked.times],
                    "availability_importance": must,
                }
            case Change.COST:
                data["payment"] |= {"importance": must}
            case Change.GENDER:
                data["counselor_gender"] = {"preferred": [g.value for g in asked.genders], "importance": must}
            case Change.STYLE:
                style = data["style"]
                if asked.directness is not None:
                    style["directness"] = asked.directness.value
                if asked.structure is not None:
                    style["structure"] = asked.structure.value
                style["importance"] = must
    return IntakeAnswers.model_validate(data)
