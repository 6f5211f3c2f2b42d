"""The waitlist's rules (shared/domain/waitlist.py): who is served first, what they are offered, what can be."""

from datetime import UTC, datetime, timedelta

from shared.domain.waitlist import WaitlistEntry, counselor_for, first_in_line, room_to_offer

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def entry(intake_id: str, minutes_ago: int, *counselor_ids: str, held: str | None = None) -> WaitlistEntry:
    return WaitlistEntry(
        intake_id=intake_id,
        joined_at=NOW - timedelta(minutes=minutes_ago),
        counselor_ids=counselor_ids,
        any_fit=len(counselor_ids) > 1,
        hold_counselor_id=held,
        hold_until=NOW + timedelta(hours=48) if held else None,
    )


def test_the_first_to_join_is_served_first_and_equal_times_go_by_reference() -> None:
    line = [entry("in-c", 5, "c-1"), entry("in-b", 10, "c-1"), entry("in-a", 5, "c-1")]
    assert [e.intake_id for e in first_in_line(line)] == ["in-b", "in-a", "in-c"]


def test_a_client_is_offered_the_first_counselor_they_wait_for_who_has_room() -> None:
    waiting = entry("in-a", 1, "c-best", "c-next", "c-last")
    assert counselor_for(waiting, {"c-next": 1, "c-last": 2}) == "c-next"
    assert counselor_for(waiting, {"c-best": 0, "c-other": 3}) is None
    # a client with a place held is offered nothing more
    assert counselor_for(entry("in-b", 1, "c-best", held="c-best"), {"c-best": 1}) is None


def test_only_a_counselor_active_accepting_with_a_slot_and_an_opening_to_come_has_room() -> None:
    later = NOW + timedelta(days=2)
    room = room_to_offer(
        [
            ("c-ok", True, True, 2, later),
            ("c-inactive", False, True, 2, later),
            ("c-not-accepting", True, False, 2, later),
            ("c-full", True, True, 0, later),
            ("c-no-opening", True, True, 2, None),
            ("c-passed", True, True, 2, NOW),
        ],
        NOW,
    )
    assert room == {"c-ok": 2}


def test_a_hold_can_be_claimed_until_it_ends_and_has_ended_from_then_on() -> None:
    held = entry("in-a", 1, "c-1", held="c-1")
    assert held.hold_until is not None
    assert held.hold_claimable(held.hold_until - timedelta(seconds=1))
    assert not held.hold_expired(held.hold_until - timedelta(seconds=1))
    assert not held.hold_claimable(held.hold_until)
    assert held.hold_expired(held.hold_until)
