"""The match-quality report's privacy minimum, on counters as the store keeps them."""

from shared.services.ports import Counter
from shared.services.report import quality_report


def test_counts_between_one_and_the_minimum_are_hidden_and_zero_is_shown() -> None:
    counters = [
        Counter("ASSIGN", {"n": 4, "waited_d0": 4}),
        Counter("NOMATCH#not_licensed", {"n": 5}),
        Counter("NOMATCH#format_not_offered", {"n": 1}),
    ]
    report = quality_report(counters, minimum=5)
    assert report.assignments is None
    assert report.median_time_to_assignment is None
    assert [r.count for r in report.time_to_assignment] == [None, 0, 0, 0, 0]
    no_match = {r.key: r.count for r in report.no_match}
    assert no_match["not_licensed"] == 5
    assert no_match["format_not_offered"] is None
    assert no_match["no_open_capacity"] == 0


def test_means_need_the_minimum_number_of_check_ins() -> None:
    four = {"n": 4, "overall": 36, "trust": 36, "understood": 36, "respected": 36, "agenda": 36}
    five = {"n": 5, "overall": 40, "trust": 45, "understood": 40, "respected": 50, "agenda": 45}
    report = quality_report([Counter("BAND#80", four), Counter("BAND#90", five)], minimum=5)
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
        Counter("FACTOR#faith#unmet", {"n": 2, "overall": 10}),
    ]
    (row,) = quality_report(counters, minimum=5).by_factor
    assert row.factor == "faith"
    assert (row.fully_met.check_ins, row.fully_met.overall) == (6, 9.0)
    assert (row.not_met.check_ins, row.not_met.overall) == (None, None)
    assert (row.partly_met.check_ins, row.partly_met.overall) == (0, None)


def test_the_median_wait_is_the_range_holding_the_middle_assignment() -> None:
    counters = [Counter("ASSIGN", {"n": 10, "waited_d0": 2, "waited_d1": 2, "waited_d2": 5, "waited_w2": 1})]
    assert quality_report(counters, minimum=5).median_time_to_assignment == "2-7 days"
