"""A counselor's openings for first conversations, across daylight-saving changes, and the booking grid."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from shared.domain.availability import (
    MAX_CELLS,
    MAX_OPENINGS,
    BookingRules,
    BookingTooLong,
    Busy,
    MeetingKind,
    Schedule,
    cells,
    describe_instant,
    load_zone,
    next_opening,
    openings,
)

SESSION = MeetingKind.FIRST_SESSION
CONSULT = MeetingKind.CONSULT_CALL
QUARTER = timedelta(minutes=15)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def schedule(
    zone: str,
    windows: Sequence[tuple[str, str, str]] = (),
    *,
    dates_off: Sequence[date] = (),
    session: tuple[int, int] | None = (50, 10),
    consult: tuple[int, int] | None = None,
) -> Schedule:
    offers: list[dict[str, Any]] = []
    if session:
        offers.append(
            {"kind": "first_session", "minutes": session[0], "buffer_minutes": session[1], "format": "telehealth"}
        )
    if consult:
        offers.append({"kind": "consult_call", "minutes": consult[0], "buffer_minutes": consult[1], "format": "phone"})
    return Schedule.model_validate(
        {
            "time_zone": zone,
            "windows": [{"day": day, "start": start, "end": end} for day, start, end in windows],
            "dates_off": [d.isoformat() for d in dates_off],
            "offers": offers,
        }
    )


def rules(lead: int = 0, horizon: int = 7, interval: int = 30) -> BookingRules:
    return BookingRules.model_validate(
        {"lead_time_hours": lead, "horizon_days": horizon, "slot_interval_minutes": interval}
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(instants: Sequence[datetime], zone: str) -> list[str]:
    return [i.astimezone(load_zone(zone)).strftime("%a %H:%M %Z") for i in instants]


EVERY_MORNING = [(day, "09:00", "12:00") for day in DAYS]
SUNDAY_NIGHT = [("sun", "01:00", "04:00")]


# --- daylight saving: a week across each change -------------------------------------------------------

DST_WEEKS = [
    # zone, the change date, 9:00 on the Friday before and the Monday after (UTC), the night window's starts
    pytest.param(
        "America/Denver",
        date(2026, 3, 8),
        utc(2026, 3, 6, 16),
        utc(2026, 3, 9, 15),
        ["Sun 01:00 MST", "Sun 01:30 MST", "Sun 03:00 MDT"],
        id="denver-spring",
    ),
    pytest.param(
        "America/Denver",
        date(2026, 11, 1),
        utc(2026, 10, 30, 15),
        utc(2026, 11, 2, 16),
        ["Sun 01:00 MDT", "Sun 01:30 MDT", "Sun 01:00 MST", "Sun 01:30 MST", "Sun 02:00 MST", "Sun 02:30 MST",
         "Sun 03:00 MST"],
        id="denver-autumn",
    ),
    pytest.param(
        "America/New_York",
        date(2026, 3, 8),
        utc(2026, 3, 6, 14),
        utc(2026, 3, 9, 13),
        ["Sun 01:00 EST", "Sun 01:30 EST", "Sun 03:00 EDT"],
        id="new-york-spring",
    ),
    pytest.param(
        "America/New_York",
        date(2026, 11, 1),
        utc(2026, 10, 30, 13),
        utc(2026, 11, 2, 14),
        ["Sun 01:00 EDT", "Sun 01:30 EDT", "Sun 01:00 EST", "Sun 01:30 EST", "Sun 02:00 EST", "Sun 02:30 EST",
         "Sun 03:00 EST"],
        id="new-york-autumn",
    ),
    pytest.param(
        "Australia/Sydney",
        date(2026, 4, 5),
        utc(2026, 4, 2, 22),
        utc(2026, 4, 5, 23),
        ["Sun 01:00 AEDT", "Sun 01:30 AEDT", "Sun 02:00 AEDT", "Sun 02:30 AEDT", "Sun 02:00 AEST",
         "Sun 02:30 AEST", "Sun 03:00 AEST"],
        id="sydney-autumn",
    ),
    pytest.param(
        "Australia/Sydney",
        date(2026, 10, 4),
        utc(2026, 10, 1, 23),
        utc(2026, 10, 4, 22),
        ["Sun 01:00 AEST", "Sun 01:30 AEST", "Sun 03:00 AEDT"],
        id="sydney-spring",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("zone", "change", "friday_nine", "monday_nine", "night"), DST_WEEKS)
def test_a_week_across_a_daylight_saving_change_gives_the_right_instants(
    zone: str, change: date, friday_nine: datetime, monday_nine: datetime, night: list[str]
) -> None:
    # Given mornings 9-12 every day and a Sunday-night window 1-4 across the change, 60-minute bookings
    counselor = schedule(zone, EVERY_MORNING + SUNDAY_NIGHT)
    now = datetime.combine(change - timedelta(days=3), time(0), load_zone(zone))

    # When the week's openings are listed
    found = openings(counselor, SESSION, [], now, rules(horizon=7), limit=MAX_OPENINGS)

    # Then 9:00 local is the right UTC instant on both sides of the change
    assert friday_nine in found
    assert monday_nine in found
    assert monday_nine - friday_nine != timedelta(days=3)  # the offset really changed
    # and each morning offers 9:00 to 11:00 on the half hour, five starts, whatever the offset
    mornings = [i for i in found if i.astimezone(load_zone(zone)).hour >= 9]
    assert len(mornings) == 5 * 7
    # and the night of the change offers a missing hour nothing and a repeated hour twice
    local_change = [i for i in found if i.astimezone(load_zone(zone)).date() == change and i not in mornings]
    assert wall(local_change, zone) == night
    assert_all_inside_windows(counselor, SESSION, found)


@pytest.mark.parametrize(("zone", "nine_utc"), [("America/Phoenix", time(16)), ("Asia/Kathmandu", time(3, 15))])
def test_a_zone_without_daylight_saving_keeps_the_same_utc_times_all_week(zone: str, nine_utc: time) -> None:
    # Given mornings 9-12 in a zone that never changes its clocks (Kathmandu is 5:45 ahead of UTC)
    counselor = schedule(zone, EVERY_MORNING)

    # When a week that holds the US change is listed
    found = openings(counselor, SESSION, [], utc(2026, 3, 5), rules(horizon=7), limit=MAX_OPENINGS)

    # Then every day's first opening is 9:00 local at the same UTC time, on the quarter-hour grid
    firsts = sorted({i.astimezone(load_zone(zone)).date(): i for i in reversed(found)}.values())
    assert len(firsts) == 7
    assert {first.timetz().replace(tzinfo=None) for first in firsts} == {nine_utc}
    assert len(found) == 5 * 7


def test_a_window_inside_the_missing_hour_offers_nothing_that_night() -> None:
    # Given a Sunday window 2:00-3:00 in Denver, and 15-minute calls
    counselor = schedule("America/Denver", [("sun", "02:00", "03:00")], session=None, consult=(15, 0))

    # When the fortnight around the spring change is listed
    found = openings(counselor, CONSULT, [], utc(2026, 3, 2), rules(horizon=14, interval=15), limit=MAX_OPENINGS)

    # Then the Sundays before and after give their four starts and the change night none
    assert wall(found, "America/Denver") == [f"Sun 02:{m:02d} MDT" for m in (0, 15, 30, 45)]
    assert {i.date() for i in found} == {date(2026, 3, 15)}


def test_a_window_starting_at_a_missing_time_opens_when_the_clock_jumps() -> None:
    # Given a Sunday window 2:30-4:00 in New York on the spring change (no 2:30 that night)
    counselor = schedule("America/New_York", [("sun", "02:30", "04:00")], session=None, consult=(30, 0))

    # When that night is listed
    found = openings(counselor, CONSULT, [], utc(2026, 3, 7), rules(horizon=2), limit=MAX_OPENINGS)

    # Then the first start is 3:00 EDT: the slot interval counts from 2:30 on the wall clock
    assert wall(found, "America/New_York") == ["Sun 03:00 EDT", "Sun 03:30 EDT"]


def test_the_repeated_hour_interleaves_two_windows_and_openings_stay_in_order() -> None:
    # Given Denver windows 0:00-1:30 and 1:45-3:00 on the autumn change night, 15-minute calls every 15
    counselor = schedule(
        "America/Denver", [("sun", "00:00", "01:30"), ("sun", "01:45", "03:00")], session=None, consult=(15, 0)
    )
    now = utc(2026, 10, 31, 12)

    # When the night is listed
    found = openings(counselor, CONSULT, [], now, rules(horizon=1, interval=15), limit=MAX_OPENINGS)

    # Then both windows' pieces are merged earliest first, the 1:45 MDT start between the two 1:00-1:30s
    assert list(found) == sorted(found)
    labels = wall(found, "America/Denver")
    assert labels.index("Sun 01:15 MDT") < labels.index("Sun 01:45 MDT") < labels.index("Sun 01:00 MST")
    assert labels.count("Sun 01:15 MDT") == 1
    assert "Sun 01:15 MST" in labels
    # and a small limit gives the same first ones
    assert openings(counselor, CONSULT, [], now, rules(horizon=1, interval=15), limit=8) == found[:8]


def test_the_southern_hemisphere_midnight_changes_in_santiago() -> None:
    # Given a Santiago counselor with Saturday 23:00-23:45 and Sunday 0:00-2:00, 15-minute calls
    counselor = schedule(
        "America/Santiago", [("sat", "23:00", "23:45"), ("sun", "00:00", "02:00")], session=None, consult=(15, 0)
    )
    every_quarter = rules(horizon=2, interval=15)

    # When the weekend clocks go back at midnight (April) and forward at midnight (September)
    april = openings(counselor, CONSULT, [], utc(2026, 4, 4, 12), every_quarter, limit=MAX_OPENINGS)
    september = openings(counselor, CONSULT, [], utc(2026, 9, 5, 12), every_quarter, limit=MAX_OPENINGS)

    # Then Saturday's late hour is offered twice in April, and Sunday starts at 1:00 in September
    april_saturday = [label for label in wall(april, "America/Santiago") if label.startswith("Sat")]
    assert april_saturday == [f"Sat 23:{m:02d} {offset}" for offset in ("-03", "-04") for m in (0, 15, 30)]
    assert wall(september, "America/Santiago")[3:6] == ["Sun 01:00 -03", "Sun 01:15 -03", "Sun 01:30 -03"]
    assert len([i for i in september if i.astimezone(load_zone("America/Santiago")).weekday() == 6]) == 4


# --- the practice's rules, dates off, busy time ------------------------------------------------------


def test_no_opening_inside_the_lead_time_or_beyond_the_horizon() -> None:
    # Given mornings every day in Denver and a 48-hour lead time, a 5-day horizon
    counselor = schedule("America/Denver", EVERY_MORNING)
    now = utc(2026, 5, 4, 16, 20)  # Monday 10:20 MDT

    # When the openings are listed
    found = openings(counselor, SESSION, [], now, rules(lead=48, horizon=5), limit=MAX_OPENINGS)

    # Then the first is Wednesday 10:30 (not 10:00, inside the lead time) and the last Saturday 10:00
    assert found[0] == utc(2026, 5, 6, 16, 30)
    assert found[-1] == utc(2026, 5, 9, 16)
    assert len(found) == 2 + 5 + 5 + 3


def test_dates_off_give_nothing() -> None:
    # Given mornings every day, with Wednesday and Thursday off
    counselor = schedule("America/New_York", EVERY_MORNING, dates_off=[date(2026, 5, 6), date(2026, 5, 7)])

    # When the week is listed
    found = openings(counselor, SESSION, [], utc(2026, 5, 4), rules(horizon=7), limit=MAX_OPENINGS)

    # Then no opening falls on those local dates, and the other days keep theirs
    local_dates = {i.astimezone(load_zone("America/New_York")).date() for i in found}
    assert local_dates.isdisjoint({date(2026, 5, 6), date(2026, 5, 7)})
    assert len(local_dates) == 5


def test_a_booking_and_both_buffers_keep_neighbours_apart() -> None:
    # Given a 9-12 window (UTC), 50-minute sessions with a 10-minute buffer, starts every 15 minutes,
    # and a booking at 10:00 that holds 10:00-11:00 with its buffer
    counselor = schedule("UTC", [("mon", "09:00", "12:00")])
    booked = Busy.booking(utc(2026, 5, 4, 10), 50, 10)

    # When Monday's openings are listed
    found = openings(counselor, SESSION, [booked], utc(2026, 5, 3), rules(horizon=2, interval=15))

    # Then only 9:00 (its buffer ends as the booking starts) and 11:00 (after the booking's buffer) remain
    assert found == (utc(2026, 5, 4, 9), utc(2026, 5, 4, 11))


def test_busy_time_off_the_grid_blocks_its_whole_cells() -> None:
    # Given a busy interval 10:50-10:55, which lies in the 10:45 cell
    counselor = schedule("UTC", [("mon", "09:00", "12:00")], session=(15, 0))
    busy = [Busy(utc(2026, 5, 4, 10, 50), utc(2026, 5, 4, 10, 55))]

    # When the quarter-hour starts are listed
    found = openings(counselor, SESSION, busy, utc(2026, 5, 3), rules(horizon=2, interval=15), limit=MAX_OPENINGS)

    # Then 10:45 is not offered, 10:30 and 11:00 are
    assert utc(2026, 5, 4, 10, 45) not in found
    assert {utc(2026, 5, 4, 10, 30), utc(2026, 5, 4, 11)} <= set(found)


def test_a_kind_not_offered_has_no_openings_and_next_opening_takes_the_earliest_kind() -> None:
    # Given a counselor offering only consult calls, 15 minutes, and one with both kinds
    calls_only = schedule("UTC", [("mon", "09:00", "10:00")], session=None, consult=(15, 0))
    both = schedule("UTC", [("mon", "09:00", "10:00")], session=(50, 10), consult=(15, 0))
    now = utc(2026, 5, 4, 9, 5)

    # When asked for sessions and for the next opening of any kind
    # Then no session is offered, and the next opening is the first call that fits (9:15; 9:00 has passed)
    assert openings(calls_only, SESSION, [], now, rules(interval=15)) == ()
    assert next_opening(calls_only, [], now, rules(interval=15)) == utc(2026, 5, 4, 9, 15)
    assert next_opening(both, [], now, rules(interval=15), kind=SESSION) == utc(2026, 5, 11, 9)
    assert next_opening(both, [], now, rules(interval=15)) == utc(2026, 5, 4, 9, 15)
    assert next_opening(schedule("UTC", [("mon", "09:00", "10:00")], session=None), [], now, rules()) is None


@pytest.mark.parametrize("limit", [0, MAX_OPENINGS + 1])
def test_the_number_of_openings_asked_for_is_bounded(limit: int) -> None:
    with pytest.raises(ValueError, match="between 1 and"):
        openings(schedule("UTC", EVERY_MORNING), SESSION, [], utc(2026, 5, 4), rules(), limit=limit)


def test_naive_instants_are_refused() -> None:
    counselor = schedule("UTC", EVERY_MORNING)
    with pytest.raises(ValueError, match="time zone"):
        openings(counselor, SESSION, [], datetime(2026, 5, 4), rules())
    with pytest.raises(ValueError, match="time zone"):
        openings(counselor, SESSION, [Busy(datetime(2026, 5, 4), utc(2026, 5, 5))], utc(2026, 5, 4), rules())


# --- the schedule's own rules -------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "america/denver", "Factory", "", "../../etc/passwd", "EST+5"])
def test_an_invalid_time_zone_is_refused(zone: str) -> None:
    with pytest.raises(ValidationError, match=r"IANA time zone|at least 1 character"):
        schedule(zone)


def test_windows_are_sorted_and_may_not_overlap_or_touch() -> None:
    assert [w.day.value for w in schedule("UTC", [("tue", "09:00", "10:00"), ("mon", "13:00", "14:00")]).windows] == [
        "mon",
        "tue",
    ]
    for clash in (("mon", "09:30", "11:00"), ("mon", "10:00", "11:00")):
        with pytest.raises(ValidationError, match="overlap or touch"):
            schedule("UTC", [("mon", "09:00", "10:00"), clash])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("10:00", "09:00", "ends after it starts"), ("09:10", "10:00", "quarter hour"), ("09:00", "09:00", "ends after")],
)
def test_a_window_ends_after_it_starts_on_a_quarter_hour(start: str, end: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        schedule("UTC", [("mon", start, end)])


def test_windows_dates_off_and_offers_are_capped() -> None:
    many_windows = [(day, f"{h:02d}:00", f"{h:02d}:30") for day in DAYS for h in range(5)]
    with pytest.raises(ValidationError, match="at most 28"):
        schedule("UTC", many_windows)
    with pytest.raises(ValidationError, match="at most 120"):
        schedule("UTC", dates_off=[date(2026, 1, 1) + timedelta(days=i) for i in range(121)])
    with pytest.raises(ValidationError, match="each kind"):
        Schedule.model_validate(
            {"time_zone": "UTC", "offers": [{"kind": "consult_call", "minutes": 15, "format": "phone"}] * 2}
        )
    with pytest.raises(ValidationError, match="less than or equal to 180"):
        schedule("UTC", session=(181, 0))


def test_the_booking_window_must_reach_past_the_lead_time() -> None:
    with pytest.raises(ValidationError, match="beyond the lead time"):
        rules(lead=48, horizon=2)
    with pytest.raises(ValidationError):
        rules(interval=20)


def test_describe_instant_names_the_zone_and_tells_the_repeated_hour_apart() -> None:
    first, second = utc(2026, 11, 1, 7, 30), utc(2026, 11, 1, 8, 30)
    assert describe_instant(first, "America/Denver") == "Sunday, November 1, 2026, 1:30 AM MDT (America/Denver)"
    assert describe_instant(second, "America/Denver") == "Sunday, November 1, 2026, 1:30 AM MST (America/Denver)"
    assert describe_instant(utc(2026, 5, 4, 15), "America/Sao_Paulo") == (
        "Monday, May 4, 2026, 12:00 PM UTC-03:00 (America/Sao_Paulo)"
    )
    with pytest.raises(ValueError, match="IANA"):
        describe_instant(first, "Nowhere/Else")


# --- the booking grid ----------------------------------------------------------------------------------


def test_a_booking_occupies_the_cells_its_meeting_and_buffer_touch() -> None:
    assert cells(utc(2026, 5, 4, 9), 50, 10) == tuple(utc(2026, 5, 4, 9, m) for m in (0, 15, 30, 45))
    assert len(cells(utc(2026, 5, 4, 9), 50, 0)) == 4  # the last cell holds ten minutes of dead time
    assert len(cells(utc(2026, 5, 4, 9), 15, 0)) == 1


def test_a_booking_longer_than_the_cell_cap_is_refused() -> None:
    assert len(cells(utc(2026, 5, 4, 9), MAX_CELLS * 15 - 30, 30)) == MAX_CELLS
    with pytest.raises(BookingTooLong, match="at most 600 minutes"):
        cells(utc(2026, 5, 4, 9), MAX_CELLS * 15 - 30, 31)


def test_a_booking_off_the_grid_is_refused() -> None:
    with pytest.raises(ValueError, match="quarter hour"):
        cells(utc(2026, 5, 4, 9, 5), 50)
    with pytest.raises(ValueError, match="quarter hour"):
        cells(utc(2026, 5, 4, 9) + timedelta(seconds=1), 50)


def test_the_largest_offer_fits_the_cell_cap() -> None:
    assert len(cells(utc(2026, 5, 4, 9), 180, 60)) <= MAX_CELLS


GRID_START = utc(2026, 1, 1)


@given(
    st.integers(0, 400),
    st.integers(1, 300),
    st.integers(0, 60),
    st.integers(0, 400),
    st.integers(1, 300),
    st.integers(0, 60),
)
def test_cells_of_two_bookings_intersect_exactly_when_they_overlap(
    first: int, minutes1: int, buffer1: int, second: int, minutes2: int, buffer2: int
) -> None:
    # Given two bookings that start on the grid, each with its own length and buffer
    start1, start2 = GRID_START + first * QUARTER, GRID_START + second * QUARTER
    end1 = start1 + timedelta(minutes=minutes1 + buffer1)
    end2 = start2 + timedelta(minutes=minutes2 + buffer2)

    # When their cells are taken
    shared = set(cells(start1, minutes1, buffer1)) & set(cells(start2, minutes2, buffer2))

    # Then they share a cell exactly when their times (buffers included) overlap
    assert bool(shared) == (start1 < end2 and start2 < end1)


# --- properties over zones, windows, bookings and rules ---------------------------------------------------

ZONES = ["America/Denver", "America/New_York", "Australia/Sydney", "America/Santiago", "Asia/Kathmandu", "UTC"]
# Weeks that hold every change in those zones in 2026, so changes are often inside the horizon.
NOW_RANGES = [(utc(2026, 2, 28), utc(2026, 4, 8)), (utc(2026, 8, 30), utc(2026, 11, 5))]


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    windows = []
    for day in draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)):
        points = sorted(draw(st.sets(st.integers(0, 95), min_size=2, max_size=4)))
        for start, end in zip(points[::2], points[1::2], strict=False):
            windows.append((day, f"{start // 4:02d}:{start % 4 * 15:02d}", f"{end // 4:02d}:{end % 4 * 15:02d}"))
    minutes = draw(st.sampled_from([15, 20, 30, 45, 50, 53, 60]))
    return schedule(
        draw(st.sampled_from(ZONES)),
        windows,
        session=(minutes, draw(st.sampled_from([0, 5, 10, 15]))),
        dates_off=draw(st.lists(st.dates(date(2026, 2, 27), date(2026, 11, 20)), max_size=20, unique=True)),
    )


@st.composite
def situations(draw: st.DrawFn) -> tuple[Schedule, list[Busy], datetime, BookingRules]:
    counselor = draw(schedules())
    low, high = draw(st.sampled_from(NOW_RANGES))
    now = low + timedelta(minutes=draw(st.integers(0, (high - low) // timedelta(minutes=1))))
    booked = [
        Busy.booking(
            now + draw(st.integers(-8, 14 * 96)) * QUARTER, draw(st.integers(10, 90)), draw(st.integers(0, 30))
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    return (
        counselor,
        booked,
        now,
        rules(draw(st.integers(0, 72)), draw(st.integers(4, 14)), draw(st.sampled_from([15, 30]))),
    )


def local_window_of(counselor: Schedule, moment: datetime) -> tuple[date, int] | None:
    """The local date and window index whose wall-clock span holds this instant, if any."""
    local = moment.astimezone(load_zone(counselor.time_zone))
    minute = local.hour * 60 + local.minute
    for index, window in enumerate(counselor.windows):
        if DAYS.index(window.day.value) != local.weekday():
            continue
        if window.start.hour * 60 + window.start.minute <= minute < window.end.hour * 60 + window.end.minute:
            return local.date(), index
    return None


def occupied(counselor: Schedule, kind: MeetingKind, start: datetime) -> list[datetime]:
    offer = counselor.offer(kind)
    assert offer is not None
    return list(cells(start, offer.minutes, offer.buffer_minutes))


def assert_all_inside_windows(counselor: Schedule, kind: MeetingKind, found: Sequence[datetime]) -> None:
    for start in found:
        spans = {local_window_of(counselor, cell) for cell in occupied(counselor, kind, start)}
        assert len(spans) == 1
        assert None not in spans


def reference_openings(counselor: Schedule, busy: list[Busy], now: datetime, practice: BookingRules) -> list[datetime]:
    """Every quarter hour in the booking window, tried one by one against the rules as stated."""
    offer = counselor.offer(SESSION)
    assert offer is not None
    zone = load_zone(counselor.time_zone)
    taken = {cell for interval in busy for cell in _cells_touched(interval)}
    earliest, latest = now + timedelta(hours=practice.lead_time_hours), now + timedelta(days=practice.horizon_days)
    moment = GRID_START + -(-(earliest - GRID_START) // QUARTER) * QUARTER
    result = []
    while moment <= latest:
        placed = local_window_of(counselor, moment)
        if placed and placed[0] not in counselor.dates_off:
            window = counselor.windows[placed[1]]
            local = moment.astimezone(zone)
            offset = local.hour * 60 + local.minute - (window.start.hour * 60 + window.start.minute)
            meeting = occupied(counselor, SESSION, moment)
            if offset % practice.slot_interval_minutes == 0 and all(
                local_window_of(counselor, cell) == placed and cell not in taken for cell in meeting
            ):
                result.append(moment)
        moment += QUARTER
    return result


def _cells_touched(interval: Busy) -> list[datetime]:
    cell = GRID_START + ((interval.start - GRID_START) // QUARTER) * QUARTER
    touched = []
    while cell < interval.end:
        touched.append(cell)
        cell += QUARTER
    return touched


@settings(max_examples=150, deadline=None)
@given(situations())
def test_openings_are_exactly_the_starts_the_rules_allow(
    situation: tuple[Schedule, list[Busy], datetime, BookingRules],
) -> None:
    # Given any schedule, bookings, moment and practice rules
    counselor, busy, now, practice = situation

    # When every opening is listed
    found = openings(counselor, SESSION, busy, now, practice, limit=MAX_OPENINGS)

    # Then they are the starts a one-by-one reading of the rules allows, earliest first
    assert list(found) == reference_openings(counselor, busy, now, practice)[:MAX_OPENINGS]
    offer = counselor.offer(SESSION)
    assert offer is not None
    for start in found:
        # inside the lead time and the horizon, on the grid
        assert now + timedelta(hours=practice.lead_time_hours) <= start <= now + timedelta(days=practice.horizon_days)
        assert (start - GRID_START) % QUARTER == timedelta(0)
        # and never overlapping a booking or either buffer
        end = start + timedelta(minutes=offer.minutes + offer.buffer_minutes)
        assert all(end <= b.start or b.end <= start for b in busy)
        assert local_window_of(counselor, start) is not None
        assert start.astimezone(load_zone(counselor.time_zone)).date() not in counselor.dates_off
    assert_all_inside_windows(counselor, SESSION, found)


@settings(max_examples=75, deadline=None)
@given(situations(), st.integers(1, 30))
def test_a_limit_gives_the_earliest_openings(
    situation: tuple[Schedule, list[Busy], datetime, BookingRules], limit: int
) -> None:
    counselor, busy, now, practice = situation
    every = openings(counselor, SESSION, busy, now, practice, limit=MAX_OPENINGS)
    assert openings(counselor, SESSION, busy, now, practice, limit=limit) == every[:limit]
    assert next_opening(counselor, busy, now, practice) == (every[0] if every else None)


def test_no_zone_moves_its_clock_back_across_midnight_or_off_the_quarter_hour() -> None:
    # openings() stops after the date that fills its limit, and the grid assumes quarter-hour offsets:
    # both hold for every zone in the pinned tzdata, checked around each change in 2026.
    from shared.domain.availability import _known_zones

    problems: list[tuple[str, datetime | None]] = []
    for name in sorted(_known_zones()):
        zone = load_zone(name)
        moment = utc(2026, 1, 1)
        while moment.year < 2027:
            after = moment + timedelta(days=1)
            if moment.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
                previous = moment.astimezone(zone)
                while moment < after:
                    moment += QUARTER
                    local = moment.astimezone(zone)
                    if local.date() < previous.date() or local.minute % 15 or local.second:
                        problems.append((name, moment))
                    previous = local
            moment = after
        if (utc(2026, 6, 1).astimezone(zone).utcoffset() or timedelta(0)) % QUARTER:
            problems.append((name, None))
    assert problems == []


def test_spread_over_days_keeps_the_earliest_and_at_most_so_many_a_day_in_the_zone() -> None:
    from shared.domain.availability import spread_over_days

    # Given starts every 30 minutes from 22:00 UTC on Monday (16:00 in Chicago) to Thursday
    first = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)
    starts = [first + timedelta(minutes=30 * i) for i in range(150)]
    # When two a day are kept, six in all
    kept = spread_over_days(starts, "America/Chicago", per_day=2, limit=6)
    # Then the first start stays first, the list is in order, and no Chicago date has more than two
    assert kept[0] == first and kept == sorted(kept) and len(kept) == 6
    days = [k.astimezone(load_zone("America/Chicago")).date() for k in kept]
    assert max(days.count(d) for d in days) == 2
    # and each kept start is the earliest of its Chicago date not yet taken: 16:00 and 16:30 on Monday...
    assert kept[:2] == starts[:2]
    # ...then midnight Chicago time (06:00 UTC) on Tuesday, not 17:00 on Monday
    assert kept[2] == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    # and fewer starts than the limit are all kept when the days allow
    assert spread_over_days(starts[:1], "America/Chicago", per_day=2, limit=6) == starts[:1]
