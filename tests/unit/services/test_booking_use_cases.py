"""The booking use cases' rules on in-memory fakes of their ports: what booking, moving and cancelling
decide, and what they refuse. The same flows run through the real handlers and moto in
tests/integration/test_booking.py."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from shared.domain.availability import CELL, BookingRules, Busy, MeetingKind, openings
from shared.domain.booking import Booking, TimeUnavailable
from shared.domain.errors import AlreadyDecided, InvalidRequest, TransitionNotAllowed
from shared.domain.records import IntakeStatus
from shared.domain.shortlist import BookingPolicy
from shared.services import booking, intakes
from shared.services.changes import Booked, BookingCancelled, EmailKind, Rebooked
from shared.services.ports import BookingChanged, CellTaken, SlotsFull
from shared.services.roster_cache import RosterCache
from tests.factories import a_counselor, an_intake
from tests.integration.bookings import SCHEDULE
from tests.unit.services.fakes import STAFF, FakeClock, FakeEvents, FakeStore

RULES = BookingRules()


class FakeBookingStore(FakeStore):
    """FakeStore with the counselors' booked cells and the three booking writes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, datetime], str] = {}  # (counselor, cell) -> booking id

    def roster_version(self) -> int:
        return self.version

    def _opening_is(self, counselor_id: str, at: datetime | None) -> None:
        """As the counselor item: the attribute absent when there is no opening."""
        if at is None:
            self.next_openings.pop(counselor_id, None)
        else:
            self.next_openings[counselor_id] = at

    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]:
        return sorted(Busy(c, c + CELL) for (who, c) in self.cells if who == counselor_id and since <= c < until)

    def _take(self, booking: Booking, keep: frozenset[datetime] = frozenset()) -> None:
        if any((booking.counselor_id, c) in self.cells for c in booking.cells() if c not in keep):
            raise CellTaken()

    def book(self, change: Booked) -> None:
        current = self._current(change.assignment.intake.intake_id)
        if current.booking is not None or current.urgent:
            raise AlreadyDecided()
        self._take(change.booking)
        self._unchanged(change.roster_version)
        self.assign(change.assignment)
        for cell in change.booking.cells():
            self.cells[(change.booking.counselor_id, cell)] = change.booking.booking_id
        intake = self.intakes[current.intake_id]
        self.intakes[current.intake_id] = intake.model_copy(update={"booking": change.booking})
        self._opening_is(change.booking.counselor_id, change.next_opening.at)

    def rebook(self, change: Rebooked) -> None:
        current = self._current(change.intake.intake_id)
        if current.booking != change.old or current.status is not IntakeStatus.ASSIGNED:
            raise BookingChanged()
        self._take(change.new, keep=frozenset(change.old.cells()))
        self._locked(change.roster_version)
        for cell in change.old.cells():
            del self.cells[(change.old.counselor_id, cell)]
        for cell in change.new.cells():
            self.cells[(change.new.counselor_id, cell)] = change.new.booking_id
        self.intakes[current.intake_id] = current.model_copy(update={"booking": change.new})
        self._opening_is(change.new.counselor_id, change.next_opening.at)
        self.audit.append(change.audit)
        self.outbox.append((current.intake_id, change.email))

    def cancel_booking(self, change: BookingCancelled) -> None:
        current = self._current(change.intake.intake_id)
        if current.booking != change.booking:
            raise BookingChanged()
        counselor = self.counselors[change.booking.counselor_id]
        if change.give_back_slot and counselor.open_slots >= 200:
            raise SlotsFull()
        self._locked(change.roster_version)
        slots = counselor.open_slots + (1 if change.give_back_slot else 0)
        self.counselors[counselor.counselor_id] = counselor.model_copy(update={"open_slots": slots})
        for cell in change.booking.cells():
            del self.cells[(change.booking.counselor_id, cell)]
        moved = self._moved(current, change.move, change.at, booking=None, assigned_counselor_id=None)
        self.intakes[current.intake_id] = moved
        self._opening_is(change.booking.counselor_id, change.next_opening.at)
        self.audit.append(change.audit)
        self.outbox.append((current.intake_id, change.email))


class World:
    def __init__(self, policy: BookingPolicy = BookingPolicy.CLIENT_FIRST) -> None:
        self.store = FakeBookingStore()
        self.clock = FakeClock()
        self.events = FakeEvents()
        self.counselor = a_counselor(name="Alex Morgan", open_slots=2, schedule=SCHEDULE)
        self.store.add_counselor(self.counselor)
        self.options = booking.BookingOptions(policy=policy, rules=RULES, check_in_days=(30,))

    def submit(self, **changes: Any) -> intakes.Submitted:
        return intakes.submit_intake(
            an_intake(**changes), intakes=self.store, roster_store=self.store, roster=RosterCache(),
            events=self.events, clock=self.clock, retention_days=30,
        )  # fmt: skip

    def openings(self, kind: MeetingKind = MeetingKind.FIRST_SESSION) -> tuple[datetime, ...]:
        schedule = self.counselor.schedule
        assert schedule is not None
        busy = self.store.busy(self.counselor.counselor_id, self.clock() - CELL, self.clock() + timedelta(days=40))
        return openings(schedule, kind, busy, self.clock(), RULES)

    def book(self, client: intakes.Submitted, start: datetime, counselor_id: str | None = None) -> Booking:
        return booking.book(
            self.store, client.intake_id, client.status_token, counselor_id or self.counselor.counselor_id,
            MeetingKind.FIRST_SESSION, start, "America/New_York", options=self.options, clock=self.clock,
            events=self.events,
        )  # fmt: skip


@pytest.fixture
def world() -> World:
    return World()


def test_booking_is_the_clients_assignment_with_the_booking_its_cells_and_the_next_opening(world: World) -> None:
    client = world.submit()
    first = world.openings()[0]
    booked = world.book(client, first)
    intake = world.store.intakes[client.intake_id]
    assert intake.status is IntakeStatus.ASSIGNED and intake.assigned_counselor_id == world.counselor.counselor_id
    assert intake.booking == booked and booked.start == first and booked.minutes == 50
    assert intake.history[-1].actor == "client" and intake.assigned_fit is not None
    assert [(a.action, a.actor.username) for a in world.store.audit][-1] == ("booked", "client")
    assert world.store.counselors[world.counselor.counselor_id].open_slots == 1
    assert len([k for k in world.store.cells if k[0] == world.counselor.counselor_id]) == 4  # 50 + 10 minutes
    assert world.store.next_openings[world.counselor.counselor_id] == min(
        world.openings(MeetingKind.CONSULT_CALL)[0], world.openings()[0]
    )
    (_, email) = world.store.outbox[-1]
    assert email.kind is EmailKind.BOOKED and email.booking == booked
    assert ("client_email_queued", client.intake_id) in world.events.published


@pytest.mark.parametrize(
    ("case", "error", "field"),
    [
        ("staff-first", TransitionNotAllowed, None),
        ("staff-approved, not released", TransitionNotAllowed, None),
        ("urgent", TransitionNotAllowed, None),
        ("not on the shortlist", InvalidRequest, ("body", "counselor_id")),
        ("inside the lead time", InvalidRequest, ("body", "start")),
        ("not an opening", TimeUnavailable, None),
    ],
)
def test_what_booking_refuses(case: str, error: type[Exception], field: tuple[str, str] | None) -> None:
    policy = {"staff-first": BookingPolicy.STAFF_FIRST, "staff-approved, not released": BookingPolicy.STAFF_APPROVED}
    world = World(policy.get(case, BookingPolicy.CLIENT_FIRST))
    client = world.submit(safety="yes") if case == "urgent" else world.submit()
    start, counselor_id = world.openings()[0], None
    if case == "not on the shortlist":
        other = a_counselor(name="Not Suggested", licensed_in=["US-NY"], schedule=SCHEDULE)
        world.store.add_counselor(other)
        counselor_id = other.counselor_id
    elif case == "inside the lead time":
        start = world.clock() + timedelta(hours=2)
    elif case == "not an opening":
        start = start + timedelta(minutes=15)
    before = (dict(world.store.intakes), dict(world.store.cells), list(world.store.outbox))
    with pytest.raises(error) as refused:
        world.book(client, start, counselor_id)
    if field is not None:
        assert isinstance(refused.value, InvalidRequest) and refused.value.field == field
    if isinstance(refused.value, TimeUnavailable):
        assert refused.value.openings == world.openings()[: booking.FRESH_OPENINGS]
    assert (dict(world.store.intakes), dict(world.store.cells), list(world.store.outbox)) == before


def test_a_time_taken_between_the_read_and_the_write_answers_with_fresh_openings(world: World) -> None:
    client = world.submit()
    start = world.openings()[0]

    original = world.store.book

    def book_after_the_other(change: Booked) -> None:  # another request's cells land after this one's read
        for i in range(4):
            world.store.cells[(world.counselor.counselor_id, start + i * CELL)] = "elsewhere"
        original(change)

    world.store.book = book_after_the_other  # type: ignore[method-assign]
    with pytest.raises(TimeUnavailable) as refused:
        world.book(client, start)
    assert start not in refused.value.openings and refused.value.openings
    assert world.store.intakes[client.intake_id].status is not IntakeStatus.ASSIGNED


def test_moving_frees_the_old_cells_and_cancelling_returns_the_slot_and_reopens_the_shortlist(world: World) -> None:
    client = world.submit()
    first = world.openings()[0]
    world.book(client, first)
    later = first + timedelta(hours=1)
    moved = booking.reschedule(
        world.store, client.intake_id, client.status_token, later, "Europe/Berlin",
        options=world.options, clock=world.clock,
    )  # fmt: skip
    assert moved.sequence == 1 and moved.start == later and moved.booking_id
    assert sorted(c for (_, c) in world.store.cells) == list(moved.cells())
    assert world.store.outbox[-1][1].kind is EmailKind.RESCHEDULED
    cancelled = booking.cancel(
        world.store, client.intake_id, token=None, actor=STAFF, options=world.options, clock=world.clock
    )
    assert cancelled.sequence == 2
    assert world.store.cells == {}
    assert world.store.counselors[world.counselor.counselor_id].open_slots == 2
    intake = world.store.intakes[client.intake_id]
    assert intake.status is IntakeStatus.NEEDS_REMATCH and intake.booking is None
    assert world.store.audit[-1].action == "cancelled_booking" and world.store.audit[-1].actor == STAFF
    (_, email) = world.store.outbox[-1]
    assert email.kind is EmailKind.BOOKING_CANCELLED and email.booking == cancelled
    world.book(client, first)  # the client may book again
    assert world.store.intakes[client.intake_id].status is IntakeStatus.ASSIGNED
