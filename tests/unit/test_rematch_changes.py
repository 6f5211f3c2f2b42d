"""What a client chooses to change when asking for someone else: each choice rewrites the preference it is
about as a must-have, and leaves every other answer as it was."""

import pytest
from pydantic import ValidationError

from shared.domain.errors import InvalidRequest
from shared.domain.rematch import AskedChanges, Change, with_changes
from shared.domain.vocabulary import Structure
from tests.factories import an_intake


def test_each_choice_rewrites_only_its_own_preference_as_a_must_have() -> None:
    answers = an_intake(
        culture={"backgrounds": ["hispanic_latino"]},
        style={"directness": "exploratory", "importance": "nice_to_have"},
        payment={"method": "insurance", "insurance_carrier": "aetna", "importance": "nice_to_have"},
    )
    changed = with_changes(
        answers, AskedChanges(changes=[Change.CULTURE, Change.STYLE, Change.COST], structure=Structure.OPEN)
    )
    assert changed.culture.counselor_preference == "shares" and changed.culture.importance == "must_have"
    assert changed.culture.backgrounds == answers.culture.backgrounds
    # style: the side given changes, the side already stated stays, and both now count as a must-have
    assert (changed.style.directness, changed.style.structure, changed.style.importance) == (
        "exploratory",
        "open",
        "must_have",
    )
    assert changed.payment.importance == "must_have" and changed.payment.insurance_carrier == "aetna"
    untouched = {"contact", "client", "format", "languages", "concerns", "values", "faith", "counselor_gender"}
    assert all(getattr(changed, f) == getattr(answers, f) for f in untouched)


def test_no_choice_changes_nothing_not_even_what_was_left_unrated() -> None:
    answers = an_intake()
    unchanged = with_changes(answers, AskedChanges())
    # pydantic's == ignores which fields were given: compare what is stored, and what was rated
    assert unchanged.model_dump(exclude_unset=True) == answers.model_dump(exclude_unset=True)
    assert unchanged.unrated() == answers.unrated()


@pytest.mark.parametrize(("change", "at"), [(Change.FAITH, "tradition"), (Change.CULTURE, "backgrounds")])
def test_faith_or_culture_named_neither_in_the_answers_nor_with_the_choice_is_refused_there(
    change: Change, at: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        with_changes(an_intake(), AskedChanges(changes=[change]))
    assert refused.value.field == ("body", at)
    assert str(refused.value).startswith("Choose which")


def test_a_tradition_or_background_given_with_the_choice_is_the_one_looked_for() -> None:
    answers = an_intake(faith={"tradition": "christian"}, culture={"prefer_not_to_say": True})
    asked = AskedChanges.model_validate(
        {"changes": ["faith", "culture"], "tradition": "catholic", "backgrounds": ["hispanic_latino"]}
    )
    changed = with_changes(answers, asked)
    assert (changed.faith.tradition, changed.faith.role, changed.faith.importance) == (
        "catholic",
        "integrate",
        "must_have",
    )
    assert changed.culture.backgrounds == ["hispanic_latino"] and not changed.culture.prefer_not_to_say
    assert changed.culture.counselor_preference == "shares"


@pytest.mark.parametrize(
    ("body", "at"),
    [
        ({"changes": ["times"]}, "times"),
        ({"times": [{"day": "mon", "part": "evening"}]}, "times"),
        ({"changes": ["gender"]}, "genders"),
        ({"genders": ["woman"]}, "genders"),
        ({"changes": ["style"]}, "structure"),
        ({"directness": "direct"}, "structure"),
        ({"changes": ["cost", "cost"]}, "changes"),
        ({"tradition": "catholic"}, "tradition"),
        ({"backgrounds": ["african"]}, "backgrounds"),
    ],
)
def test_a_choice_and_its_details_come_together(body: dict[str, object], at: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AskedChanges.model_validate(body)
    assert [e["loc"][0] for e in refused.value.errors()] == [at]


def test_importances_the_client_never_rated_stay_unrated_and_the_ones_asked_for_are_theirs_now() -> None:
    answers = an_intake()  # the factory rates only the language
    assert "format" in answers.unrated() and "values" in answers.unrated()
    changed = with_changes(
        answers, AskedChanges.model_validate({"changes": ["times"], "times": [{"day": "mon", "part": "evening"}]})
    )
    assert "format" not in changed.unrated()  # asking for other times set how much they matter
    assert set(changed.unrated()) == set(answers.unrated()) - {"format"}
