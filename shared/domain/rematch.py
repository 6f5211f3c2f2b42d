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
    CulturalBackground,
    CulturePreference,
    Directness,
    FaithRole,
    FaithTradition,
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
    tradition: FaithTradition | None = Field(
        default=None, description="With `faith`: the tradition, when the answers name none (or another)."
    )
    backgrounds: Annotated[list[CulturalBackground], NoRepeats] = Field(
        default_factory=list,
        max_length=5,
        description="With `culture`: the backgrounds, when the answers name none (or others).",
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

    @field_validator("tradition")
    @classmethod
    def _tradition(cls, tradition: FaithTradition | None, info: ValidationInfo) -> FaithTradition | None:
        if tradition is not None and Change.FAITH not in (info.data.get("changes") or ()):
            raise ValueError("choose 'faith' as something to change, or leave this empty")
        return tradition

    @field_validator("backgrounds")
    @classmethod
    def _backgrounds(cls, backgrounds: list[CulturalBackground], info: ValidationInfo) -> list[CulturalBackground]:
        if backgrounds and Change.CULTURE not in (info.data.get("changes") or ()):
            raise ValueError("choose 'culture' as something to change, or leave this empty")
        return backgrounds

    @field_validator("structure")
    @classmethod
    def _style(cls, structure: Structure | None, info: ValidationInfo) -> Structure | None:
        stated = structure is not None or info.data.get("directness") is not None
        _needs(Change.STYLE, stated, info, "more direct or more exploratory, or more structured or more open")
        return structure


_NO_FAITH_NAMED = "Choose which faith tradition, so we can look for a counselor who brings it into counseling."
_NO_BACKGROUND_NAMED = "Choose which background, so we can look for a counselor who shares it."


def with_changes(answers: IntakeAnswers, asked: AskedChanges) -> IntakeAnswers:
    """The client's answers with each chosen change made a must-have. Faith and culture use the tradition or
    backgrounds given with the choice, else the answers'; with neither, InvalidRequest at `body.tradition` /
    `body.backgrounds` (the page then asks for them beside the choice)."""
    # only what the client gave (as stored), so the importances they never rated stay unrated
    data: dict[str, Any] = answers.model_dump(mode="json", exclude_unset=True)
    must = Importance.MUST_HAVE.value
    for change in asked.changes:
        match change:
            case Change.FAITH:
                tradition = asked.tradition or answers.faith.stated_tradition
                if tradition is None:
                    raise InvalidRequest(_NO_FAITH_NAMED, ("body", "tradition"))
                data["faith"] = {"tradition": tradition.value, "role": FaithRole.INTEGRATE.value, "importance": must}
            case Change.CULTURE:
                backgrounds = asked.backgrounds or answers.culture.backgrounds
                if not backgrounds:
                    raise InvalidRequest(_NO_BACKGROUND_NAMED, ("body", "backgrounds"))
                data["culture"] = data.get("culture", {}) | {
                    "backgrounds": [b.value for b in backgrounds],
                    "prefer_not_to_say": False,
                    "counselor_preference": CulturePreference.SHARES.value,
                    "importance": must,
                }
            case Change.TIMES:
                data["format"] = data["format"] | {
                    "availability": [slot.model_dump(mode="json") for slot in asked.times],
                    "availability_importance": must,
                }
            case Change.COST:
                data["payment"] = data["payment"] | {"importance": must}
            case Change.GENDER:
                data["counselor_gender"] = {"preferred": [g.value for g in asked.genders], "importance": must}
            case Change.STYLE:
                style = data.setdefault("style", {})
                if asked.directness is not None:
                    style["directness"] = asked.directness.value
                if asked.structure is not None:
                    style["structure"] = asked.structure.value
                style["importance"] = must
    return IntakeAnswers.model_validate(data)
