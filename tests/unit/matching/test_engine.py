"""Hard constraints, must-haves and relaxation, no-match reasons, ties and urgency."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from shared.matching.engine import suggest
from shared.matching.profile import MatchProfile
from shared.matching.result import NoMatchReason
from shared.matching.roster import CompiledRoster
from shared.matching.weights import FactorName
from tests.factories import a_counselor, a_roster, an_intake


def ids(suggestions: list) -> list[str]:
    return [s.counselor_id for s in suggestions]


@pytest.mark.parametrize(
    ("unfit", "reason"),
    [
        ({"active": False}, NoMatchReason.NO_ACTIVE_COUNSELORS),
        ({"licensed_in": ["US-NY"]}, NoMatchReason.NOT_LICENSED),
        ({"service_types": ["couples"]}, NoMatchReason.POPULATION_NOT_SERVED),
        ({"age_bands": ["older_adult"]}, NoMatchReason.POPULATION_NOT_SERVED),
        ({"formats": ["in_person"]}, NoMatchReason.FORMAT_NOT_OFFERED),
        ({"accepting_new_clients": False}, NoMatchReason.NO_OPEN_CAPACITY),
        ({"open_slots": 0}, NoMatchReason.NO_OPEN_CAPACITY),
    ],
)
def test_each_hard_constraint_excludes_a_counselor_and_names_the_reason(unfit: dict, reason: NoMatchReason) -> None:
    # Given a roster with only a counselor who fails one hard constraint
    roster = a_roster(a_counselor(**unfit))
    # When matching a default intake (adult, California, telehealth)
    result = suggest(an_intake(), roster)
    # Then nobody is suggested and the reason is one staff can act on
    assert result.suggestions == [] and result.alternatives == []
    assert result.no_match is not None and result.no_match.reason is reason
    assert result.no_match.detail and result.no_match.next_step


def test_hard_constraints_are_never_relaxed_even_when_must_haves_are() -> None:
    intake = an_intake(values={"values": ["justice"], "importance": "must_have"})
    unlicensed_perfect = a_counselor("c-aaaaaa01", licensed_in=["US-NY"], values_centered=["justice"])
    licensed = a_counselor("c-bbbbbb02")
    result = suggest(intake, a_roster(unlicensed_perfect, licensed))
    assert ids(result.suggestions) == []
    assert ids(result.alternatives) == ["c-bbbbbb02"]
    assert result.relaxed == [FactorName.VALUES]


def test_no_match_names_the_first_constraint_that_leaves_nobody() -> None:
    roster = a_roster(
        a_counselor("c-aaaaaa01", licensed_in=["US-NY"]),
        a_counselor("c-bbbbbb02", formats=["in_person"]),
        a_counselor("c-cccccc03", open_slots=0),
    )
    result = suggest(an_intake(client={"jurisdiction": "US-TX"}), roster)
    assert result.no_match is not None and result.no_match.reason is NoMatchReason.NOT_LICENSED
    assert "Texas" in result.no_match.detail
    full = suggest(an_intake(), a_roster(a_counselor(open_slots=0), a_counselor(accepting_new_clients=False)))
    assert full.no_match is not None and full.no_match.reason is NoMatchReason.NO_OPEN_CAPACITY


def test_an_empty_roster_is_a_clear_no_match() -> None:
    result = suggest(an_intake(), a_roster())
    assert result.no_match is not None and result.no_match.reason is NoMatchReason.NO_ACTIVE_COUNSELORS


def test_a_client_open_to_either_format_can_see_in_person_and_telehealth_counselors() -> None:
    intake = an_intake(format={"format": "either", "postal_code": "94110"})
    result = suggest(intake, a_roster(a_counselor("c-aaaaaa01", formats=["in_person"]), a_counselor("c-bbbbbb02")))
    assert sorted(ids(result.suggestions)) == ["c-aaaaaa01", "c-bbbbbb02"]


def test_must_haves_filter_when_enough_counselors_meet_them() -> None:
    # Given a must-have on gender and three counselors who meet it, two who do not but score higher otherwise
    intake = an_intake(
        counselor_gender={"preferred": ["woman"], "importance": "must_have"},
        concerns={"concerns": ["anxiety"], "primary": "anxiety"},
    )
    women = [a_counselor(f"c-woman{i:03d}", gender={"value": "woman"}) for i in range(3)]
    men = [a_counselor(f"c-man{i:03d}", gender={"value": "man"}, concerns_primary=["anxiety"]) for i in range(2)]
    # When matching
    result = suggest(intake, a_roster(*men, *women))
    # Then only counselors who meet it are suggested, and nothing was relaxed
    assert sorted(ids(result.suggestions)) == ["c-woman000", "c-woman001", "c-woman002"]
    assert result.alternatives == [] and result.relaxed == []


def test_too_few_meet_the_must_haves_so_alternatives_say_what_was_relaxed() -> None:
    # Given must-haves on gender and availability; one counselor meets both, one misses availability only
    evening = [{"day": "tue", "part": "evening"}]
    intake = an_intake(
        counselor_gender={"preferred": ["woman"], "importance": "must_have"},
        format={"format": "telehealth", "availability": evening, "availability_importance": "must_have"},
    )
    both = a_counselor("c-aaaaaa01", gender={"value": "woman"}, availability=evening)
    no_evening = a_counselor("c-bbbbbb02", gender={"value": "woman"})
    no_woman = a_counselor("c-cccccc03", availability=evening)
    # When matching for three
    result = suggest(intake, a_roster(both, no_evening, no_woman))
    # Then the full match is a suggestion and the rest are alternatives, availability relaxed first
    assert ids(result.suggestions) == ["c-aaaaaa01"]
    assert ids(result.alternatives)[0] == "c-bbbbbb02"
    assert result.alternatives[0].unmet_must_haves == [FactorName.AVAILABILITY]
    assert set(result.relaxed) == {FactorName.AVAILABILITY, FactorName.GENDER}
    assert result.relaxed == [FactorName.AVAILABILITY, FactorName.GENDER]  # reported in relaxation order


def test_relaxation_stops_as_soon_as_enough_counselors_qualify() -> None:
    evening = [{"day": "tue", "part": "evening"}]
    intake = an_intake(
        counselor_gender={"preferred": ["woman"], "importance": "must_have"},
        format={"format": "telehealth", "availability": evening, "availability_importance": "must_have"},
    )
    # Two women without the evening slot would do after relaxing availability: gender is kept
    roster = a_roster(
        a_counselor("c-aaaaaa01", gender={"value": "woman"}),
        a_counselor("c-bbbbbb02", gender={"value": "woman"}),
        a_counselor("c-cccccc03", availability=evening, concerns_primary=["anxiety"]),
    )
    result = suggest(intake, roster, limit=2)
    assert ids(result.alternatives) == ["c-aaaaaa01", "c-bbbbbb02"]
    assert result.relaxed == [FactorName.AVAILABILITY]


def test_language_is_the_last_must_have_to_be_relaxed() -> None:
    intake = an_intake(
        languages={"languages": ["es"], "importance": "must_have"},
        values={"values": ["family"], "importance": "must_have"},
    )
    spanish = a_counselor("c-aaaaaa01", languages=["es"])
    family = a_counselor("c-bbbbbb02", values_centered=["family"])
    result = suggest(intake, a_roster(spanish, family), limit=1)
    assert ids(result.alternatives) == ["c-aaaaaa01"]
    assert result.relaxed == [FactorName.VALUES]


def test_ties_go_to_more_open_slots_then_counselor_id() -> None:
    roster = a_roster(
        a_counselor("c-cccccc03", open_slots=5),
        a_counselor("c-bbbbbb02", open_slots=1),
        a_counselor("c-aaaaaa01", open_slots=1),
        a_counselor("c-dddddd04", open_slots=5),
    )
    result = suggest(an_intake(), roster, limit=4)
    assert len({s.score for s in result.suggestions}) == 1
    assert ids(result.suggestions) == ["c-cccccc03", "c-dddddd04", "c-aaaaaa01", "c-bbbbbb02"]


NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def with_opening(profile: MatchProfile, hours_from_now: float | None) -> MatchProfile:
    opening = None if hours_from_now is None else NOW + timedelta(hours=hours_from_now)
    return replace(profile, next_opening=opening)


def test_ten_counselors_tied_at_100_are_shown_by_the_earliest_next_opening_not_by_id() -> None:
    # Given ten counselors who all score 100 for the default intake, with the same open slots, whose next
    # openings run the other way round from their ids (the lowest ids have none, or the latest)
    hours = [None, None, 400, 300, 200, 150, 100, 72, 48, 30]
    profiles = [
        with_opening(
            MatchProfile.from_profile(a_counselor(f"c-tie{i:05d}", open_slots=2, concerns_primary=["anxiety"])), h
        )
        for i, h in enumerate(hours)
    ]
    # When matching at NOW
    result = suggest(an_intake(), CompiledRoster(profiles), limit=3, now=NOW)
    # Then all ten tie at 100, and the three shown are the three soonest to meet, soonest first
    assert {s.score for s in result.suggestions} == {100}
    assert ids(result.suggestions) == ["c-tie00009", "c-tie00008", "c-tie00007"]


def test_an_earlier_opening_beats_more_open_slots_and_no_opening_comes_last() -> None:
    # Given tied counselors: one with many slots and no opening, one with few slots and a late opening,
    # one with few slots and an early one, and one with many slots whose stored opening has already passed
    roster = CompiledRoster(
        [
            with_opening(MatchProfile.from_profile(a_counselor("c-aaaaaa01", open_slots=9)), None),
            with_opening(MatchProfile.from_profile(a_counselor("c-bbbbbb02", open_slots=1)), 300),
            with_opening(MatchProfile.from_profile(a_counselor("c-cccccc03", open_slots=1)), 30),
            with_opening(MatchProfile.from_profile(a_counselor("c-dddddd04", open_slots=5)), -2),
        ]
    )
    # When matching at NOW
    result = suggest(an_intake(), roster, limit=4, now=NOW)
    # Then known future openings come first, earliest first; a passed opening counts as unknown, like none,
    # and unknowns are ordered by open slots, then id
    assert ids(result.suggestions) == ["c-cccccc03", "c-bbbbbb02", "c-aaaaaa01", "c-dddddd04"]
    # And later, once the early opening has passed too, it is unknown as well
    later = suggest(an_intake(), roster, limit=4, now=NOW + timedelta(hours=31))
    assert ids(later.suggestions) == ["c-bbbbbb02", "c-aaaaaa01", "c-dddddd04", "c-cccccc03"]


def test_equal_openings_go_to_more_open_slots_then_id() -> None:
    profiles = [
        with_opening(MatchProfile.from_profile(a_counselor(cid, open_slots=slots)), 48)
        for cid, slots in (("c-cccccc03", 1), ("c-bbbbbb02", 4), ("c-aaaaaa01", 1))
    ]
    result = suggest(an_intake(), CompiledRoster(profiles), limit=3, now=NOW)
    assert ids(result.suggestions) == ["c-bbbbbb02", "c-aaaaaa01", "c-cccccc03"]


def test_an_opening_exactly_now_has_passed_and_one_a_moment_later_has_not() -> None:
    # Given two tied counselors whose stored openings are NOW and a quarter hour after
    profile = MatchProfile.from_profile(a_counselor("c-aaaaaa01"))
    roster = CompiledRoster(
        [
            replace(profile, next_opening=NOW),
            replace(profile, counselor_id="c-bbbbbb02", next_opening=NOW + timedelta(minutes=15)),
        ]
    )
    # When matching at NOW, Then the one still to come is first, though its id is higher
    assert ids(suggest(an_intake(), roster, 2, now=NOW).suggestions) == ["c-bbbbbb02", "c-aaaaaa01"]
    # And trusting every stored opening (no `now`), NOW is the earlier
    assert ids(suggest(an_intake(), roster, 2).suggestions) == ["c-aaaaaa01", "c-bbbbbb02"]


def test_the_same_input_always_gives_the_same_list() -> None:
    counselors = [a_counselor(f"c-same{i:04d}", open_slots=1 + i % 3) for i in range(12)]
    first = suggest(an_intake(), a_roster(*counselors), limit=5)
    again = suggest(an_intake(), a_roster(*reversed(counselors)), limit=5)
    assert first == again


def test_a_crisis_answer_never_blocks_matching_but_marks_the_result_urgent() -> None:
    result = suggest(an_intake(safety="yes"), a_roster(a_counselor()))
    assert result.urgent
    assert len(result.suggestions) == 1
    no_one = suggest(an_intake(safety="yes"), a_roster())
    assert no_one.urgent and no_one.no_match is not None


def test_the_limit_is_bounded() -> None:
    with pytest.raises(ValueError, match="limit"):
        suggest(an_intake(), a_roster(a_counselor()), limit=0)
    with pytest.raises(ValueError, match="limit"):
        suggest(an_intake(), a_roster(a_counselor()), limit=11)


def test_a_roster_lists_each_counselor_once() -> None:
    with pytest.raises(ValueError, match="once"):
        a_roster(a_counselor("c-twice0001"), a_counselor("c-twice0001"))


def test_availability_is_relaxed_before_style() -> None:
    # Given a client with must-haves on both a time slot and a style, and nobody who meets both:
    # one counselor has the slot but not the style, the other the style but not the slot
    intake = an_intake(
        format={"format": "telehealth", "availability": [{"day": "mon", "part": "morning"}],
                "availability_importance": "must_have"},
        style={"directness": "direct", "importance": "must_have"},
    )  # fmt: skip
    has_the_slot = a_counselor("c-hasslot", availability=[{"day": "mon", "part": "morning"}], directness="exploratory")
    has_the_style = a_counselor("c-hasstyle", availability=[{"day": "tue", "part": "morning"}], directness="direct")
    # When one suggestion is asked for
    result = suggest(intake, a_roster(has_the_slot, has_the_style), limit=1)
    # Then availability (first in the order) is relaxed: the alternative is the one with the style
    assert result.suggestions == []
    assert ids(result.alternatives) == ["c-hasstyle"]
    assert result.relaxed == [FactorName.AVAILABILITY]
