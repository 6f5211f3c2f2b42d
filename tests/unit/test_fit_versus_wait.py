"""Fit versus wait: said plainly when the best fit's first opening is much later than another good fit's."""

from datetime import UTC, datetime, timedelta

from shared.services.shortlist import FIT_VERSUS_WAIT_DAYS, Standing, fit_versus_wait

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a Tuesday


def at(days: float, hours: float = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


def test_a_best_fit_three_weeks_out_and_a_good_fit_on_thursday_are_named() -> None:
    sentence = fit_versus_wait(
        [Standing("Maya Okafor", False, at(21)), Standing("Daniel Reyes", False, at(2))], NOW, "America/Denver", 28
    )
    assert sentence == (
        "The best fit's first opening is in 3 weeks (Maya Okafor); another good fit, Daniel Reyes, can meet on "
        "Thursday, December 3."
    )


def test_the_day_is_the_clients_own() -> None:
    # 02:00 UTC on Thursday is still Wednesday evening in Denver
    soon = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    standings = [Standing("A", False, at(20)), Standing("B", False, soon)]
    assert fit_versus_wait(standings, NOW, "America/Denver", 28).endswith("can meet on Wednesday, December 2.")  # type: ignore[union-attr]
    assert fit_versus_wait(standings, NOW, "Asia/Tokyo", 28).endswith("can meet on Thursday, December 3.")  # type: ignore[union-attr]


def test_nothing_is_said_below_the_threshold() -> None:
    just_under = [Standing("A", False, at(2 + FIT_VERSUS_WAIT_DAYS, hours=-1)), Standing("B", False, at(2))]
    assert fit_versus_wait(just_under, NOW, "UTC", 28) is None
    exactly = [Standing("A", False, at(2 + FIT_VERSUS_WAIT_DAYS)), Standing("B", False, at(2))]
    assert fit_versus_wait(exactly, NOW, "UTC", 28) == (
        "The best fit's first opening is in 9 days (A); another good fit, B, can meet on Thursday, December 3."
    )


def test_the_best_fit_with_no_opening_in_the_horizon() -> None:
    sentence = fit_versus_wait([Standing("A", False, None), Standing("B", False, at(3))], NOW, "UTC", 28)
    assert sentence == (
        "The best fit (A) has no opening in the next 28 days; another good fit, B, can meet on Friday, December 4."
    )


def test_an_alternative_is_not_offered_as_the_quicker_good_fit() -> None:
    # the best fit meets every must-have; the quick one was found by relaxing one
    assert fit_versus_wait([Standing("A", False, at(25)), Standing("B", True, at(2))], NOW, "UTC", 28) is None
    # when nobody meets them all, the closest fits are compared with each other
    assert fit_versus_wait([Standing("A", True, at(25)), Standing("B", True, at(2))], NOW, "UTC", 28) is not None


def test_the_soonest_other_good_fit_is_named_and_none_without_one() -> None:
    standings = [Standing("A", False, at(25)), Standing("B", False, at(10)), Standing("C", False, at(3))]
    assert ", C, can meet" in (fit_versus_wait(standings, NOW, "UTC", 28) or "")
    assert fit_versus_wait([Standing("A", False, at(25))], NOW, "UTC", 28) is None
    assert fit_versus_wait([Standing("A", False, at(25)), Standing("B", False, None)], NOW, "UTC", 28) is None
    assert fit_versus_wait([Standing("A", False, None), Standing("B", False, None)], NOW, "UTC", 28) is None
    # a best fit who is sooner than the others: nothing to say
    assert fit_versus_wait([Standing("A", False, at(2)), Standing("B", False, at(20))], NOW, "UTC", 28) is None
