"""A counselor's booked time as the booking use cases read it: one query over everything `openings` may
look at, with or without one booking's own cells."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from shared.domain.availability import CELL, CELL_MINUTES, MAX_CELLS, BookingRules, Busy
from shared.domain.booking import Booking
from shared.services.ports import BookedTime


def horizon_busy(store: BookedTime, counselor_id: str, now: datetime, rules: BookingRules) -> list[Busy]:
    """The counselor's booked time from now to past the horizon, by the longest booking and a day (one query)."""
    margin = timedelta(minutes=MAX_CELLS * CELL_MINUTES) + timedelta(days=1)
    return store.busy(counselor_id, now - CELL, now + timedelta(days=rules.horizon_days) + margin)


def without_booking(busy: Sequence[Busy], booking: Booking) -> list[Busy]:
    own = set(booking.cells())
    return [b for b in busy if b.start not in own]


def with_booking(busy: Sequence[Busy], booking: Booking) -> list[Busy]:
    return [*busy, *(Busy(cell, cell + CELL) for cell in booking.cells())]
