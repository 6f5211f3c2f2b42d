"""When a counselor can hold a first conversation, and the grid that keeps two bookings from overlapping.

Pure: no AWS, no event handler, no matching. The data layer stores a `Schedule`, the booking use case
asks `openings` for the times to offer and `cells` for the items its one transaction writes.

Time zones. A schedule is written in the counselor's own wall time and IANA zone; every instant this
module returns is in UTC. Zone rules come from the pinned `tzdata` package (not the machine's files), so
the same schedule gives the same openings on a laptop, in CI and on Lambda.

Daylight-saving changes. A weekly window holds every instant at which the counselor's clock reads a time
inside it, on that date. So:
- spring (a missing hour, e.g. no 2:30 on the change date in America/Denver): the missing times offer
  nothing; a window 1:00-4:00 offers 1:00, 1:30, then 3:00 (the real window is an hour shorter), and a
  window lying wholly in the gap offers nothing that day;
- autumn (a repeated hour, e.g. two 1:30s): each occurrence is its own instant and both are offered
  when free; a window 1:00-4:00 is four real hours that night. The zone's abbreviation (MDT, MST) tells
  the two 1:30s apart wherever a time is shown (`describe_instant`).
A meeting must lie wholly inside one window; it may run across the change itself (a 50-minute session
from 1:45 MDT ends at 1:35 MST), since the counselor is at work the whole time.

The booking grid. Time is cut into 15-minute cells aligned to UTC. Every zone in use today has offsets
and changes on the quarter hour, and windows start and end on quarter hours, so every opening starts on
a cell. A booking occupies the cells that its meeting plus its buffer touch; openings treat busy time
the same way, so an opening offered is one the booking transaction can take.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Annotated, Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    Field,
    PlainSerializer,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from shared.domain.errors import InvalidRequest
from shared.domain.intake import NoRepeats, StrictModel
from shared.domain.vocabulary import ConversationFormat, Day

CELL_MINUTES = 15
CELL = timedelta(minutes=CELL_MINUTES)
# A reschedule deletes the old cells and writes the new ones in one transaction, beside the booking, the
# intake, the capacity slot, history, audit and the email: 2 x 40 + about 10 stays under DynamoDB's 100.
MAX_CELLS = 40
MAX_WINDOWS = 28  # four a day
MAX_DATES_OFF = 120
MAX_OPENINGS = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Wider than any zone's daylight-saving shift (two hours at most), so a window's cells are all looked at.
_MARGIN = timedelta(hours=3)
_WEEKDAYS = tuple(Day)  # Monday first, as date.weekday() counts


class BookingTooLong(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            f"A booking can take at most {MAX_CELLS * CELL_MINUTES} minutes of the calendar, its buffer included."
        )


class MeetingKind(StrEnum):
    """The kinds of first conversation a counselor can offer."""

    CONSULT_CALL = "consult_call"  # free and short
    FIRST_SESSION = "first_session"


@cache
def _known_zones() -> frozenset[str]:
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(listed) - {"Factory"}  # a placeholder zone, not a place


@cache
def load_zone(name: str) -> ZoneInfo:
    """The zone's rules from the pinned tzdata package. Raises ValueError for a name it does not list."""
    if name not in _known_zones():
        raise ValueError("not a known IANA time zone; use a name such as America/Denver")
    *folders, leaf = name.split("/")
    package = ".".join(["tzdata", "zoneinfo", *folders])
    with resources.files(package).joinpath(leaf).open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def _known_zone(name: str) -> str:
    load_zone(name)
    return name


TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), AfterValidator(_known_zone)
]


def _quarter_hour(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("give the counselor's local wall time, without an offset")
    if value.minute % CELL_MINUTES or value.second or value.microsecond:
        raise ValueError("times start and end on a quarter hour (:00, :15, :30 or :45)")
    return value


# Written and read as "HH:MM": JSON Schema's `time` format is RFC 3339's full-time, which needs an offset,
# and a window is wall time without one (a schema-driven client would otherwise refuse every schedule).
QuarterHour = Annotated[
    time,
    AfterValidator(_quarter_hour),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):(00|15|30|45)$", "examples": ["09:00"]}),
]


def _minute_of_day(value: time) -> int:
    return value.hour * 60 + value.minute


class WeeklyWindow(StrictModel):
    """Hours on one weekday, in the counselor's wall time, when first conversations can be booked.

    A window lies within one day, so the latest end is 23:45.
    """

    day: Day
    start: QuarterHour
    end: QuarterHour

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("a window ends after it starts, on the same day")
        return end


class ConversationOffer(StrictModel):
    """One kind of first conversation: how long, how it is held, and the time kept free after it."""

    kind: MeetingKind
    minutes: StrictInt = Field(ge=10, le=180)
    format: ConversationFormat
    buffer_minutes: StrictInt = Field(default=0, ge=0, le=60, description="Kept free after it; counts as busy.")


class Schedule(StrictModel):
    """A counselor's availability for first conversations."""

    time_zone: TimeZoneName
    windows: list[WeeklyWindow] = Field(default_factory=list, max_length=MAX_WINDOWS)
    dates_off: Annotated[list[date], NoRepeats] = Field(
        default_factory=list, max_length=MAX_DATES_OFF, description="Local dates with no openings."
    )
    offers: list[ConversationOffer] = Field(default_factory=list, max_length=len(MeetingKind))

    @field_validator("windows")
    @classmethod
    def _sorted_and_apart(cls, windows: list[WeeklyWindow]) -> list[WeeklyWindow]:
        ordered = sorted(windows, key=lambda w: (_WEEKDAYS.index(w.day), w.start))
        for before, after in pairwise(ordered):
            if before.day == after.day and after.start <= before.end:
                raise ValueError("windows on the same day must not overlap or touch; join them into one")
        return ordered

    @field_validator("dates_off")
    @classmethod
    def _dates_sorted(cls, dates: list[date]) -> list[date]:
        return sorted(dates)

    @field_validator("offers")
    @classmethod
    def _one_offer_per_kind(cls, offers: list[ConversationOffer]) -> list[ConversationOffer]:
        if len({offer.kind for offer in offers}) != len(offers):
            raise ValueError("offer each kind of first conversation once")
        return offers

    def offer(self, kind: MeetingKind) -> ConversationOffer | None:
        return next((offer for offer in self.offers if offer.kind is kind), None)


class BookingRules(StrictModel):
    """The practice's rules for every counselor's openings."""

    lead_time_hours: int = Field(default=24, ge=0, le=14 * 24, description="No start sooner than this.")
    horizon_days: int = Field(default=28, ge=1, le=90, description="No start later than this many days ahead.")
    slot_interval_minutes: Literal[15, 30] = Field(default=30, description="Starts this often within a window.")

    @field_validator("horizon_days")
    @classmethod
    def _past_lead_time(cls, days: int, info: ValidationInfo) -> int:
        lead = info.data.get("lead_time_hours")
        if lead is not None and days * 24 <= lead:
            raise ValueError("clients must be able to book beyond the lead time")
        return days


class Busy(NamedTuple):
    """Time the counselor cannot be booked, [start, end): a booking with its buffer, for instance."""

    start: datetime
    end: datetime

    @classmethod
    def booking(cls, start: datetime, minutes: int, buffer_minutes: int = 0) -> "Busy":
        return cls(start, start + timedelta(minutes=minutes + buffer_minutes))


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone")


def _floor_cell(moment: datetime) -> int:
    return (moment - _EPOCH) // CELL


def _ceil_cell(moment: datetime) -> int:
    return -((_EPOCH - moment) // CELL)


def _cell_start(index: int) -> datetime:
    return _EPOCH + index * CELL


def cell_count(minutes: int, buffer_minutes: int = 0) -> int:
    """How many cells a booking of this length and buffer occupies when it starts on a cell."""
    return -(-(minutes + buffer_minutes) // CELL_MINUTES)


def cells(start: datetime, minutes: int, buffer_minutes: int = 0) -> tuple[datetime, ...]:
    """The 15-minute cells (UTC, aligned) a booking occupies, its buffer included.

    The booking transaction writes one `attribute_not_exists` item per cell: two bookings whose times
    (buffers included) overlap share a cell, so only one can succeed; two that do not overlap share none.
    Raises ValueError for a start off the grid or a length below a minute, BookingTooLong past MAX_CELLS.
    """
    _require_aware(start, "a booking's start")
    if minutes < 1 or buffer_minutes < 0:
        raise ValueError("a booking lasts at least a minute and its buffer is not negative")
    if (start - _EPOCH) % CELL:
        raise ValueError("a booking starts on a quarter hour")
    count = cell_count(minutes, buffer_minutes)
    if count > MAX_CELLS:
        raise BookingTooLong
    first = _floor_cell(start)
    return tuple(_cell_start(first + i) for i in range(count))


def _busy_cells(busy: Iterable[Busy], low: int, high: int) -> set[int]:
    taken: set[int] = set()
    for interval in busy:
        _require_aware(interval.start, "a busy interval")
        _require_aware(interval.end, "a busy interval")
        if interval.end <= interval.start:
            raise ValueError("a busy interval ends after it starts")
        taken.update(range(max(_floor_cell(interval.start), low), min(_ceil_cell(interval.end), high)))
    return taken


def _starts_in_window(
    zone: ZoneInfo,
    day: date,
    window: WeeklyWindow,
    need: int,
    interval: int,
    taken: set[int],
    earliest: int,
    latest: int,
) -> Iterator[int]:
    """Cells on `day` where a meeting of `need` cells starts and stays inside the window, all free."""
    start_minute, end_minute = _minute_of_day(window.start), _minute_of_day(window.end)
    low = _floor_cell(datetime.combine(day, window.start, zone) - _MARGIN)
    high = _ceil_cell(datetime.combine(day, window.end, zone) + _MARGIN)
    inside: dict[int, int] = {}  # cell -> minutes since the window's start, on the wall clock
    for index in range(low, high):
        local = _cell_start(index).astimezone(zone)
        minute = local.hour * 60 + local.minute
        if local.date() == day and not local.second and start_minute <= minute <= end_minute - CELL_MINUTES:
            inside[index] = minute - start_minute
    for index, offset in inside.items():
        if not earliest <= index <= latest or offset % interval:
            continue
        if all(cell in inside and cell not in taken for cell in range(index, index + need)):
            yield index


def openings(
    schedule: Schedule,
    kind: MeetingKind,
    busy: Sequence[Busy],
    now: datetime,
    rules: BookingRules,
    limit: int = 50,
) -> tuple[datetime, ...]:
    """The start instants (UTC, earliest first, at most `limit`) a client may book for this kind.

    A start is offered when it lies between now + the lead time and now + the horizon (both included), on
    the slot interval counted from its window's start on the wall clock, on a date not off, and the whole
    meeting plus its buffer lies inside that window and touches no busy cell. Busy intervals are taken as
    given (bookings widened by their buffers, so neighbours' buffers stack): a caller that cannot read
    them must offer nothing rather than call this with fewer. Daylight-saving rules: the module docstring.
    """
    _require_aware(now, "now")
    if not 1 <= limit <= MAX_OPENINGS:
        raise ValueError(f"ask for between 1 and {MAX_OPENINGS} openings")
    offer = schedule.offer(kind)
    if offer is None or not schedule.windows:
        return ()
    zone = load_zone(schedule.time_zone)
    earliest_at = now + timedelta(hours=rules.lead_time_hours)
    latest_at = now + timedelta(days=rules.horizon_days)
    earliest, latest = _ceil_cell(earliest_at), _floor_cell(latest_at)
    one_day = timedelta(days=1)
    taken = _busy_cells(busy, earliest - 96, latest + 96 + MAX_CELLS)
    need = cell_count(offer.minutes, offer.buffer_minutes)
    by_weekday: dict[int, list[WeeklyWindow]] = defaultdict(list)
    for window in schedule.windows:
        by_weekday[_WEEKDAYS.index(window.day)].append(window)
    dates_off = set(schedule.dates_off)

    found: list[int] = []
    day = earliest_at.astimezone(zone).date() - one_day
    last_day = latest_at.astimezone(zone).date() + one_day
    # Within a date, a repeated hour can interleave two windows (hence the sort); across dates it cannot,
    # since no zone moves its clock back across midnight (a test checks the pinned tzdata).
    while day <= last_day and len(found) < limit:
        if day not in dates_off:
            for window in by_weekday[day.weekday()]:
                found.extend(
                    _starts_in_window(zone, day, window, need, rules.slot_interval_minutes, taken, earliest, latest)
                )
        day += one_day
    return tuple(_cell_start(index) for index in sorted(found)[:limit])


def next_opening(
    schedule: Schedule,
    busy: Sequence[Busy],
    now: datetime,
    rules: BookingRules,
    kind: MeetingKind | None = None,
) -> datetime | None:
    """The earliest opening of this kind, or of any kind offered when none is named (the roster's figure)."""
    kinds = [kind] if kind is not None else [offer.kind for offer in schedule.offers]
    firsts = [found[0] for k in kinds if (found := openings(schedule, k, busy, now, rules, limit=1))]
    return min(firsts, default=None)


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def spread_over_days(starts: Iterable[datetime], tz_name: str, per_day: int, limit: int) -> list[datetime]:
    """The earliest starts, at most `per_day` on any one date of the zone's wall clock and `limit` in all,
    earliest first. A short list of openings then offers a choice of days rather than one afternoon, and
    the first start stays the first opening."""
    zone = load_zone(tz_name)
    taken: dict[date, int] = defaultdict(int)
    chosen: list[datetime] = []
    for start in starts:
        day = start.astimezone(zone).date()
        if taken[day] < per_day:
            taken[day] += 1
            chosen.append(start)
            if len(chosen) == limit:
                break
    return chosen


def describe_instant(instant: datetime, tz_name: str) -> str:
    """An instant as wall time in a zone, with the zone named, for emails.

    "Tuesday, March 10, 2026, 9:00 AM MDT (America/Denver)". English names whatever the machine's locale;
    a zone whose abbreviation is only an offset shows it as one ("UTC-03:00").
    """
    _require_aware(instant, "an instant")
    local = instant.astimezone(load_zone(tz_name))
    abbreviation = local.tzname() or ""
    if not abbreviation[:1].isalpha():
        offset = local.utcoffset() or timedelta(0)
        sign = "-" if offset < timedelta(0) else "+"
        hours, minutes = divmod(abs(offset) // timedelta(minutes=1), 60)
        abbreviation = f"UTC{sign}{hours:02d}:{minutes:02d}"
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return (
        f"{_DAY_NAMES[local.weekday()]}, {_MONTH_NAMES[local.month - 1]} {local.day}, {local.year}, "
        f"{hour}:{local.minute:02d} {half} {abbreviation} ({tz_name})"
    )
