"""Booking under races, through the real handlers on moto, with exact counts (races.py forces the order:
every client reads the counselor's time before any of them writes), and across a daylight-saving change.

What protects each (docs/booking.md): the same time, by one attribute_not_exists item per cell of it and
the roster version every booking moves on; the last slot, by the slot's `open_slots > 0` condition and the
roster version.
"""

import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import icalendar
import pytest

from infra.local.provision import LocalStack
from shared.domain.availability import describe_instant
from tests.integration.bookings import book, bookable_counselor, cells_of, first_openings, submitted
from tests.integration.harness import (
    Api,
    api_with,
    deliver_events,
    expect,
    partition_items,
    raw_emails,
    stored_counselor,
)
from tests.integration.races import Interleaving, run_together, separate_environments

CLIENTS = 10


@pytest.fixture
def api(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="client-first")


def clients(api: Api) -> list[dict[str, Any]]:
    return [submitted(api, email=f"racer.{i}@example.org") for i in range(CLIENTS)]


def all_read_then_all_write(monkeypatch: pytest.MonkeyPatch) -> Interleaving:
    race = Interleaving()
    everyone_read = threading.Barrier(CLIENTS)
    for i in range(CLIENTS):
        race.hold(f"client-{i}", "TransactWriteItems", everyone_read)
    return race


def test_ten_clients_booking_the_same_time_one_wins_and_nine_get_fresh_times(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a counselor with room for all ten, and ten clients who each saw the same first opening
    counselor = bookable_counselor(api, name="Popular Counselor", open_slots=CLIENTS)
    racers = clients(api)
    start = first_openings(counselor)[0]
    gateways = separate_environments(api, "ClientApiFunction", CLIENTS)

    # When all ten book it at once (each has read the counselor's time before any writes)
    with all_read_then_all_write(monkeypatch).installed(monkeypatch):
        replies = run_together(
            {
                f"client-{i}": partial(book, gateways[i], racers[i], counselor.counselor_id, start)
                for i in range(CLIENTS)
            }
        )

    # Then exactly one booked it; nine got 409 with fresh times, none of which is the taken one
    statuses = sorted(r.status for r in replies.values())
    assert statuses == [201] + [409] * (CLIENTS - 1)
    for reply in replies.values():
        if reply.status == 409:
            assert reply.json["code"] == "time_unavailable"
            fresh = [datetime.fromisoformat(t) for t in reply.json["openings"]]
            assert fresh and start not in fresh
    # and the counselor's time and slots hold exactly one booking
    items = partition_items(aws, f"COUNSELOR#{counselor.counselor_id}")
    assert len(cells_of(items)) == 4
    assert stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"] == str(CLIENTS - 1)
    assigned = [c for c in racers if _status(aws, c) == "assigned"]
    assert len(assigned) == 1


def test_ten_clients_booking_a_counselors_last_slot_at_different_times_one_wins(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a counselor with one open slot, and ten clients each choosing a different one of their times
    counselor = bookable_counselor(api, name="Last Slot Counselor", open_slots=1)
    racers = clients(api)
    times = first_openings(counselor, limit=40)[::4][:CLIENTS]  # two hours apart: no cell shared
    assert len(times) == CLIENTS
    gateways = separate_environments(api, "ClientApiFunction", CLIENTS)

    # When all ten book at once
    with all_read_then_all_write(monkeypatch).installed(monkeypatch):
        replies = run_together(
            {
                f"client-{i}": partial(book, gateways[i], racers[i], counselor.counselor_id, times[i])
                for i in range(CLIENTS)
            }
        )

    # Then exactly one has the slot; nine are told it was just taken, and nothing of theirs was written
    statuses = sorted(r.status for r in replies.values())
    assert statuses == [201] + [409] * (CLIENTS - 1)
    assert {r.json["code"] for r in replies.values() if r.status == 409} == {"slot_taken"}
    assert stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"] == "0"
    assert len(cells_of(partition_items(aws, f"COUNSELOR#{counselor.counselor_id}"))) == 4
    assert sum(_status(aws, c) == "assigned" for c in racers) == 1
    assert (
        sum(any(i["SK"]["S"] == "BOOKING" for i in partition_items(aws, f"INTAKE#{c['reference']}")) for c in racers)
        == 1
    )


def z(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _status(aws: LocalStack, client: dict[str, Any]) -> str:
    (head,) = [i for i in partition_items(aws, f"INTAKE#{client['reference']}") if i["SK"]["S"] == "INTAKE"]
    return str(head["status"]["S"])


# ---------------------------------------------------------------- daylight saving

# America/Denver moves from MST (UTC-7) to MDT (UTC-6) at 2:00 on Sunday, March 14, 2027: no 2:00-2:59.
SPRING_SCHEDULE = {
    "time_zone": "America/Denver",
    "windows": [
        {"day": "sat", "start": "09:00", "end": "10:00"},
        {"day": "sun", "start": "01:00", "end": "04:00"},
        {"day": "mon", "start": "09:00", "end": "10:00"},
    ],
    "offers": [{"kind": "consult_call", "minutes": 20, "format": "phone"}],
}
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def test_booking_across_denvers_spring_change_stores_and_invites_the_right_instants(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the week of the change, and a counselor in Denver with windows either side of it and across it
    monkeypatch.setattr(api.functions["ClientApiFunction"].module, "utc_now", lambda: NOW)
    counselor = bookable_counselor(api, SPRING_SCHEDULE, open_slots=5)
    saturday_9_mst, sunday_3_mdt, monday_9_mdt = z("2027-03-13T16:00"), z("2027-03-14T09:00"), z("2027-03-15T15:00")
    # the openings the clients are offered: Sunday has 1:00 and 1:30 MST, then 3:00 MDT (2:xx does not exist)
    sunday = [t for t in first_openings(counselor, "consult_call", NOW) if t.date().isoformat() == "2027-03-14"]
    assert sunday == [z("2027-03-14T08:00"), z("2027-03-14T08:30"), sunday_3_mdt, z("2027-03-14T09:30")]

    # When three clients in Denver book Saturday 9:00 MST, Sunday 3:00 MDT and Monday 9:00 MDT
    addresses = [f"denver.{i}@example.org" for i in range(3)]
    people = [submitted(api, email=address) for address in addresses]
    for person, start in zip(people, (saturday_9_mst, sunday_3_mdt, monday_9_mdt), strict=True):
        expect(201, book(api, person, counselor.counselor_id, start, "consult_call", "America/Denver"))
    # and one asks for 2:30 on Sunday, a wall time that does not exist there, written with the MST offset
    gap = submitted(api, email="denver.gap@example.org")
    in_gap = book(api, gap, counselor.counselor_id, "2027-03-14T02:30:00-07:00", "consult_call", "America/Denver")

    # Then the stored cells are the right UTC instants, an hour apart in UTC from the same wall time
    cells = cells_of(partition_items(aws, f"COUNSELOR#{counselor.counselor_id}"))
    assert cells == [
        "CELL#2027-03-13T16:00:00.000000+00:00", "CELL#2027-03-13T16:15:00.000000+00:00",
        "CELL#2027-03-14T09:00:00.000000+00:00", "CELL#2027-03-14T09:15:00.000000+00:00",
        "CELL#2027-03-14T09:30:00.000000+00:00", "CELL#2027-03-14T09:45:00.000000+00:00",
        "CELL#2027-03-15T15:00:00.000000+00:00", "CELL#2027-03-15T15:15:00.000000+00:00",
    ]  # fmt: skip
    # 2:30 "MST" is the instant 9:30 UTC, 3:30 MDT, which is an opening: the API takes instants, not wall times
    assert in_gap.status == 201 and in_gap.json["start"] == "2027-03-14T09:30:00Z"
    # and each invitation holds that instant, the email naming the wall time and the zone's abbreviation
    deliver_events(api)
    walls = (
        "Saturday, March 13, 2027, 9:00 AM MST",
        "Sunday, March 14, 2027, 3:00 AM MDT",
        "Monday, March 15, 2027, 9:00 AM MDT",
    )
    for address, start, words in zip(addresses, (saturday_9_mst, sunday_3_mdt, monday_9_mdt), walls, strict=True):
        (message,) = raw_emails(address)
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
        assert f"{words} (America/Denver)" in text
        assert describe_instant(start, "America/Denver") == f"{words} (America/Denver)"
        ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar").get_payload(decode=True)
        (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + timedelta(minutes=20)


def test_asking_for_someone_else_after_the_first_conversation_while_it_is_moved_closes_nothing_new(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request for someone else closes a booking whose time has begun, only while the booking is still the
    one it read. If the client moves it to an upcoming time in another tab meanwhile, closing it would leave
    that new time's cells taken for good, with no cancellation email: the request is refused instead."""
    counselor = bookable_counselor(api, open_slots=3)
    client = submitted(api, email="moved.meanwhile@example.org")
    start = first_openings(counselor)[0]
    assert book(api, client, counselor.counselor_id, start).status == 201
    later = start + timedelta(hours=1)  # the first conversation has begun
    asking, moving = separate_environments(api, "ClientApiFunction", 2)
    for environment in (asking, moving):
        monkeypatch.setattr(environment.functions["ClientApiFunction"].module, "utc_now", lambda: later)
    new_start = first_openings(counselor, now=later)[3]
    status = {"X-Status-Token": client["status_token"]}

    # When the request has read the intake and its booking, the move writes, then the request writes
    race = Interleaving()
    read = race.reaching("ask", "TransactWriteItems")
    moved = race.after("move", "TransactWriteItems")
    race.hold("move", "TransactWriteItems", read)
    race.hold("ask", "TransactWriteItems", moved)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "ask": lambda: asking.post(
                    f"/intakes/{client['reference']}/rematch-request", {"changes": ["cost"]}, headers=status
                ),
                "move": lambda: moving.request(
                    "PUT",
                    f"/intakes/{client['reference']}/booking",
                    {"start": new_start.isoformat().replace("+00:00", "Z"), "time_zone": "America/New_York"},
                    headers=status,
                ),
            }
        )

    # Then the move stands, the booking is the moved one (not closed), and the client is still matched
    assert replies["move"].status == 200, replies["move"].json
    assert replies["ask"].status == 409, replies["ask"].json
    shown = api.get(f"/intakes/{client['reference']}/status", headers=status).json
    assert shown["stage"] == "matched" and shown["booking"] is not None
