"""The check-in's rules: what puts a bond at risk, the schedule, and the answers' limits."""

import pytest
from pydantic import ValidationError

from shared.domain.bond import (
    DROP,
    LOW_SCORE,
    CheckInAnswers,
    RiskReason,
    assess,
    check_in_due,
    parse_day_schedule,
    parse_schedule,
)


def answers(**changes: int | str | None) -> CheckInAnswers:
    base: dict[str, int | str | None] = {"trust": 9, "understood": 9, "respected": 9, "agenda": 9, "overall": 9}
    return CheckInAnswers.model_validate({**base, **changes})


def test_a_strong_first_check_in_is_not_at_risk() -> None:
    assert assess(answers(), None) == (False, ())


@pytest.mark.parametrize("item", ["trust", "understood", "respected", "agenda", "overall"])
def test_any_bond_item_at_or_below_the_low_score_is_at_risk(item: str) -> None:
    assert assess(answers(**{item: LOW_SCORE}), None).reasons == (RiskReason.LOW_SCORE,)
    assert assess(answers(**{item: LOW_SCORE + 1}), None).at_risk is False


def test_the_identity_item_alone_does_not_raise_the_alarm() -> None:
    # It feeds the counselor's rating; a client for whom it matters little may score it low.
    assert assess(answers(identity=0), None).at_risk is False


def test_a_drop_in_the_average_is_at_risk_even_when_every_score_is_fair() -> None:
    before = answers(trust=10, understood=10, respected=10, agenda=10, overall=10)
    after = answers(trust=8, understood=9, respected=8, agenda=8, overall=8)  # mean 8.2: a drop of 1.8
    assert before.bond_mean - after.bond_mean >= DROP
    assert assess(after, before).reasons == (RiskReason.DROPPED,)
    assert assess(answers(trust=9, understood=9, respected=9, agenda=9, overall=9), before).at_risk is False


def test_low_and_dropped_are_both_reported() -> None:
    assert assess(answers(trust=1, understood=5), answers()).reasons == (RiskReason.LOW_SCORE, RiskReason.DROPPED)


@pytest.mark.parametrize("bad", [{"trust": 11}, {"overall": -1}, {"identity": 12}, {"agenda": None}, {"extra": 1}])
def test_answers_outside_the_scale_or_the_form_are_rejected(bad: dict[str, int | None]) -> None:
    with pytest.raises(ValidationError):
        answers(**bad)


def test_free_text_is_capped() -> None:
    with pytest.raises(ValidationError):
        answers(not_working="x" * 2001)


def test_the_schedule_reads_as_session_numbers() -> None:
    assert parse_schedule("1,3") == (1, 3)
    assert parse_schedule(" 3, 1 ,3") == (1, 3)
    for bad in ("", "0,2", "a"):
        with pytest.raises(ValueError, match=r"."):
            parse_schedule(bad)


def test_the_day_schedule_reads_as_days_after_the_match_and_may_be_empty() -> None:
    assert parse_day_schedule("14,42") == (14, 42)
    assert parse_day_schedule(" 42, 14,14 ") == (14, 42)
    assert parse_day_schedule("") == ()
    for bad in ("0", "14,366", "a", ",".join(str(d) for d in range(1, 12))):
        with pytest.raises(ValueError, match=r"days after the match"):
            parse_day_schedule(bad)


def test_a_place_in_either_schedule_is_due_until_that_many_check_ins_went_out() -> None:
    assert check_in_due(sent=0, place=1)
    assert not check_in_due(sent=1, place=1)
    assert check_in_due(sent=1, place=2)
    assert not check_in_due(sent=2, place=2)


def test_every_day_schedule_the_template_accepts_is_one_the_functions_accept() -> None:
    import re

    from infra import template

    pattern = re.compile(template.load()["Parameters"]["CheckInAfterDays"]["AllowedPattern"])
    for text in (
        "",
        "14,42",
        "1",
        "99",
        "100",
        "199",
        "200",
        "299",
        "300",
        "359",
        "360",
        "365",
        "1,2,3,4,5,6,7,8,9,10",
    ):
        assert pattern.fullmatch(text), text
        parse_day_schedule(text)
    for text in ("0", "366", "400", "999", "14,", "1,2,3,4,5,6,7,8,9,10,11", "a"):
        assert not pattern.fullmatch(text), text


def test_a_check_in_with_any_reason_is_at_risk() -> None:
    assert assess(answers(trust=LOW_SCORE), None) == (True, (RiskReason.LOW_SCORE,))
    dropped = answers(trust=8, understood=8, respected=8, agenda=8, overall=8)
    assert assess(dropped, answers(trust=10, understood=10, respected=10, agenda=10, overall=10)).at_risk is True


def test_a_schedule_that_cannot_be_read_says_what_a_good_one_looks_like() -> None:
    with pytest.raises(ValueError, match=r"^the check-in schedule lists session numbers from 1, e\.g\. 1,3$"):
        parse_schedule("0")
    with pytest.raises(ValueError, match=r"whole days after the match, 1 to 365, e\.g\. 14,42$"):
        parse_day_schedule("0")
