"""The match-quality report's privacy minimum, on counters as the store keeps them."""

from shared.services.ports import Counter
from shared.services.report import quality_report, shown_in_group


def test_counts_between_one_and_the_minimum_are_hidden_and_zero_is_shown() -> None:
    counters = [
        Counter("ASSIGN", {"n": 4, "waited_d0": 4}),
        Counter("NOMATCH#not_licensed", {"n": 5}),
        Counter("NOMATCH#format_not_offered", {"n": 1}),
        Counter("NOMATCH#no_open_capacity", {"n": 4}),
    ]
    report = quality_report(counters, minimum=5)
    assert report.assignments is None
    assert report.median_time_to_assignment is None
    assert [r.count for r in report.time_to_assignment] == [None, 0, 0, 0, 0]
    no_match = {r.key: r.count for r in report.no_match}
    assert no_match["not_licensed"] == 5
    assert no_match["format_not_offered"] is None
    assert no_match["no_open_capacity"] is None  # hidden with it: the two together are 5
    assert no_match["population_not_served"] == 0


def test_means_need_the_minimum_number_of_check_ins() -> None:
    four = {"n": 4, "overall": 36, "trust": 36, "understood": 36, "respected": 36, "agenda": 36}
    five = {"n": 5, "overall": 40, "trust": 45, "understood": 40, "respected": 50, "agenda": 45}
    three = {"n": 3, "overall": 21, "trust": 21, "understood": 21, "respected": 21, "agenda": 21}
    counters = [Counter("BAND#80", four), Counter("BAND#90", five), Counter("BAND#60", three)]
    report = quality_report(counters, minimum=5)
    bands = {b.band: b for b in report.by_score_band}
    assert (bands["80"].check_ins, bands["80"].overall, bands["80"].pillars) == (None, None, None)
    assert (bands["90"].check_ins, bands["90"].overall, bands["90"].pillars) == (5, 8.0, 9.0)
    assert bands["70"].check_ins == 0


def test_a_rematch_rate_is_shown_only_when_neither_count_could_point_at_a_client() -> None:
    def rate(assignments: int, rematches: int) -> float | None:
        counters = [Counter("ASSIGN", {"n": assignments}), Counter("REMATCH", {"n": rematches})]
        return quality_report(counters, minimum=5).rematch_rate

    assert rate(20, 0) == 0.0
    assert rate(20, 2) is None
    assert rate(20, 5) == 0.25
    assert rate(4, 0) is None


def test_factor_rows_split_by_how_fully_the_factor_was_met() -> None:
    counters = [
        Counter("FACTOR#faith#met", {"n": 6, "overall": 54}),
        Counter("FACTOR#faith#partial", {"n": 3, "overall": 18}),
        Counter("FACTOR#faith#unmet", {"n": 2, "overall": 10}),
    ]
    (row,) = quality_report(counters, minimum=5).by_factor
    assert row.factor == "faith"
    assert (row.fully_met.check_ins, row.fully_met.overall) == (6, 9.0)
    assert (row.not_met.check_ins, row.not_met.overall) == (None, None)
    assert (row.partly_met.check_ins, row.partly_met.overall) == (None, None)


def test_the_median_wait_is_the_range_holding_the_middle_assignment() -> None:
    counters = [Counter("ASSIGN", {"n": 10, "waited_d0": 2, "waited_d1": 2, "waited_d2": 5, "waited_w2": 1})]
    assert quality_report(counters, minimum=5).median_time_to_assignment == "2-7 days"


def test_no_small_group_can_be_recovered_by_subtracting_shown_cells_from_a_total() -> None:
    # the waits add up to the assignments: with 1 hidden, 6 - 5 would reveal it
    counters = [Counter("ASSIGN", {"n": 6, "waited_d0": 5, "waited_w2": 1})]
    report = quality_report(counters, minimum=5)
    assert report.assignments == 6
    assert [r.count for r in report.time_to_assignment] == [None, 0, 0, 0, None]
    # the bands and a factor row count the same check-ins: a lone hidden band would follow from the factor
    band = {"n": 9, "overall": 81, "trust": 81, "understood": 81, "respected": 81, "agenda": 81}
    small = {"n": 1, "overall": 2, "trust": 2, "understood": 2, "respected": 2, "agenda": 2}
    counters = [
        Counter("BAND#90", band),
        Counter("BAND#60", small),
        Counter("FACTOR#primary_concern#met", {"n": 10, "overall": 83}),
    ]
    bands = {b.band: b.check_ins for b in quality_report(counters, minimum=5).by_score_band}
    assert bands["90"] is None and bands["60"] is None


def test_a_group_hides_the_smallest_cells_until_the_hidden_ones_reach_the_minimum() -> None:
    assert shown_in_group([9, 0, 7], 5) == [True, True, True]
    assert shown_in_group([9, 1, 7], 5) == [True, False, False]  # 1 + 7 = 8 hidden
    assert shown_in_group([9, 2, 2, 20], 5) == [False, False, False, True]  # 2 + 2 + 9
    assert shown_in_group([3, 1], 5) == [False, False]
    assert shown_in_group([0, 0], 5) == [True, True]


def test_the_not_suggested_band_cannot_uncover_a_small_scored_band() -> None:
    # the primary concern is a factor of every scored match: its row counts what the scored bands count
    band = {"n": 12, "overall": 96, "trust": 96, "understood": 96, "respected": 96, "agenda": 96}
    small = {"n": 3, "overall": 6, "trust": 6, "understood": 6, "respected": 6, "agenda": 6}
    unscored = {"n": 6, "overall": 42, "trust": 42, "understood": 42, "respected": 42, "agenda": 42}
    counters = [
        Counter("BAND#90", band),
        Counter("BAND#80", small),
        Counter("BAND#none", unscored),
        Counter("FACTOR#primary_concern#met", {"n": 15, "overall": 102}),
    ]
    report = quality_report(counters, minimum=5)
    bands = {b.band: b.check_ins for b in report.by_score_band}
    (row,) = report.by_factor
    shown_scored = sum(n or 0 for key, n in bands.items() if key != "none")
    hidden = (row.fully_met.check_ins or 0) - shown_scored
    assert hidden == 0 or hidden >= 5  # 15 minus what is shown never leaves a small group
    assert bands["80"] is None
