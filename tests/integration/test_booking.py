"""The client books, moves and cancels a first conversation through the real handlers on moto.

A booking is one transaction: the intake assigned (as a staff assignment would, with the client as the
actor), the slot taken with the counselor's new next opening, the BOOKING item, one item per cell, history,
audit and the confirmation email. Each refusal answers with a field-level 4xx and changes nothing.
"""

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.domain.availability import CELL, Busy, cells
from shared.domain.counselor import CounselorDetails, CounselorProfile
from tests.integration.bookings import (
    RULES,
    SCHEDULE,
    book,
    bookable_counselor,
    cancel,
    cells_of,
    first_openings,
    opening_after,
    reschedule,
    submitted,
)
from tests.integration.harness import (
    Api,
    api_with,
    expect,
    partition_items,
    stored_counselor,
    stored_items,
)


@pytest.fixture
def api(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="client-first")


@pytest.fixture
def counselor(api: Api) -> CounselorProfile:
    return bookable_counselor(api, name="Booked Counselor", open_slots=2)


def intake_head(aws: LocalStack, reference: str) -> dict[str, Any]:
    (head,) = [i for i in partition_items(aws, f"INTAKE#{reference}") if i["SK"]["S"] == "INTAKE"]
    return head


def booked_cells(start: datetime, minutes: int = 50, buffer: int = 10) -> list[str]:
    return sorted(f"CELL#{c.isoformat(timespec='microseconds')}" for c in cells(start, minutes, buffer))


def audit_actions(aws: LocalStack) -> list[tuple[str, str]]:
    client = aws.client("dynamodb")
    items = client.scan(TableName=aws.table_name)["Items"]
    return sorted((i["action"]["S"], i["actor"]["S"]) for i in items if i["PK"]["S"].startswith("AUDIT#"))


def test_a_client_books_a_first_session_in_one_transaction(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    # Given a client whose shortlist holds the counselor, and the counselor's first opening
    client = submitted(api)
    start = first_openings(counselor)[0]

    # When they book it
    reply = expect(201, book(api, client, counselor.counselor_id, start))

    # Then the booking is theirs, in the client's zone, with its end and format
    body = reply.json
    assert body == {
        "reference": client["reference"],
        "counselor_id": counselor.counselor_id,
        "counselor_name": "Booked Counselor",
        "kind": "first_session",
        "format": "telehealth",
        "start": start.isoformat().replace("+00:00", "Z"),
        "end": (start + timedelta(minutes=50)).isoformat().replace("+00:00", "Z"),
        "minutes": 50,
        "time_zone": "America/New_York",
    }
    # the intake is assigned by the client, as a staff assignment would be
    head = intake_head(aws, client["reference"])
    assert head["status"]["S"] == "assigned"
    assert head["assigned_counselor_id"]["S"] == counselor.counselor_id
    assert "assigned_fit" in head
    history = [i for i in partition_items(aws, f"INTAKE#{client['reference']}") if i["SK"]["S"].startswith("HISTORY#")]
    assert any('"kind":"assigned"' in i["entry"]["S"] and '"actor":"client"' in i["entry"]["S"] for i in history)
    assert ("booked", "client") in audit_actions(aws)
    # the counselor's time is taken, cell by cell, the slot with it, and the next opening moves on
    counselor_items = partition_items(aws, f"COUNSELOR#{counselor.counselor_id}")
    assert cells_of(counselor_items) == booked_cells(start)
    profile = stored_counselor(aws, counselor.counselor_id)
    assert profile["open_slots"]["N"] == "1"
    busy = tuple(Busy(c, c + CELL) for c in cells(start, 50, 10))
    expected_next = min(first_openings(counselor, kind, busy=busy)[0] for kind in ("consult_call", "first_session"))
    assert profile["next_opening"]["S"] == expected_next.isoformat(timespec="microseconds")
    # the booking's confirmation waits in the outbox, after the submit's email (under client-first the
    # shortlist email, which takes the place of the submit confirmation)
    outbox = partition_items(aws, f"OUTBOX#{client['reference']}")
    assert [i["kind"]["S"] for i in outbox] == ["shortlist", "booked"]
    # and the status page shows it
    status = expect(
        200, api.get(f"/intakes/{client['reference']}/status", headers={"X-Status-Token": client["status_token"]})
    ).json
    assert status["stage"] == "matched"
    assert status["booking"] == body


@pytest.mark.parametrize(
    ("case", "status", "field"),
    [
        ("past", 400, ["body", "start"]),
        ("inside the lead time", 400, ["body", "start"]),
        ("beyond the horizon", 400, ["body", "start"]),
        ("not on the shortlist", 400, ["body", "counselor_id"]),
        ("a kind not offered", 400, ["body", "kind"]),
        ("an unknown kind", 422, ["body", "kind"]),
        ("an invalid time zone", 422, ["body", "time_zone"]),
        ("a start without an offset", 422, ["body", "start"]),
    ],
)
def test_a_bad_booking_gets_a_field_level_error_and_changes_nothing(
    api: Api, aws: LocalStack, counselor: CounselorProfile, case: str, status: int, field: list[str]
) -> None:
    # Given a client with the counselor on their shortlist, and another counselor who is not on it
    outsider = bookable_counselor(api, name="Not Shortlisted", licensed_in=["US-NY"])
    consult_only = {**SCHEDULE, "offers": [SCHEDULE["offers"][0]]}
    client = submitted(api)
    now = datetime.now(UTC)
    start = first_openings(counselor)[0]
    counselor_id, kind, time_zone = counselor.counselor_id, "first_session", "America/New_York"
    if case == "past":
        start = start - timedelta(days=3)
    elif case == "inside the lead time":
        start = now + timedelta(hours=RULES.lead_time_hours - 2)
    elif case == "beyond the horizon":
        start = now + timedelta(days=RULES.horizon_days + 1)
    elif case == "not on the shortlist":
        counselor_id = outsider.counselor_id
    elif case == "a kind not offered":
        stored = expect(200, api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin")).json
        details = {k: v for k, v in stored.items() if k in CounselorDetails.model_fields}
        expect(
            200,
            api.request(
                "PUT",
                f"/admin/counselors/{counselor.counselor_id}",
                {**details, "schedule": consult_only, "version": stored["version"]},
                as_="admin",
            ),
        )
    elif case == "an unknown kind":
        kind = "walk_in"
    elif case == "an invalid time zone":
        time_zone = "Mars/Olympus_Mons"
    before = stored_items(aws)

    # When they try to book
    if case == "a start without an offset":
        reply = book(api, client, counselor_id, start.replace(tzinfo=None).isoformat(), kind, time_zone)
    else:
        reply = book(api, client, counselor_id, start, kind, time_zone)

    # Then it is refused on the field, and nothing changed
    assert reply.status == status, reply.json
    assert field in [d["loc"] for d in reply.json["detail"]], reply.json
    assert stored_items(aws) == before


def test_a_time_that_is_not_an_opening_gets_409_with_fresh_openings(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    client = submitted(api)
    offered = first_openings(counselor, limit=12)
    before = stored_items(aws)
    # 3:00 in the morning in Denver is outside every window
    night = (offered[0].astimezone(UTC) + timedelta(days=1)).replace(hour=10, minute=0)  # 3:00 MST
    reply = book(api, client, counselor.counselor_id, night)
    assert reply.status == 409, reply.json
    assert reply.json["code"] == "time_unavailable"
    assert [datetime.fromisoformat(t) for t in reply.json["openings"]] == list(offered)
    assert stored_items(aws) == before


def test_a_second_booking_on_the_same_intake_is_refused(api: Api, aws: LocalStack, counselor: CounselorProfile) -> None:
    client = submitted(api)
    first, second = first_openings(counselor)[:2]
    expect(201, book(api, client, counselor.counselor_id, first))
    before = stored_items(aws)
    reply = book(api, client, counselor.counselor_id, opening_after(counselor, second + timedelta(hours=2)))
    assert reply.status == 409 and reply.json["code"] == "already_booked", reply.json
    assert stored_items(aws) == before


@pytest.mark.parametrize("policy", ["staff-first", "staff-approved"])
def test_a_shortlist_that_is_not_open_cannot_be_booked(aws: LocalStack, policy: str) -> None:
    api = api_with(aws, BookingPolicy=policy)
    counselor = bookable_counselor(api)
    client = submitted(api)
    before = stored_items(aws)
    reply = book(api, client, counselor.counselor_id, first_openings(counselor)[0])
    assert reply.status == 409 and reply.json["code"] == "transition_not_allowed", reply.json
    assert stored_items(aws) == before


def test_an_urgent_intake_is_never_offered_self_service(api: Api, aws: LocalStack, counselor: CounselorProfile) -> None:
    client = submitted(api, safety="yes")
    before = stored_items(aws)
    reply = book(api, client, counselor.counselor_id, first_openings(counselor)[0])
    assert reply.status == 409, reply.json
    assert "personally" in reply.json["message"]
    assert stored_items(aws) == before


def test_a_closed_or_erased_intake_cannot_be_booked(api: Api, aws: LocalStack, counselor: CounselorProfile) -> None:
    declined, erased = submitted(api), submitted(api, email="other.client@example.org")
    decision = {"decision": "decline", "note": "x"}
    expect(200, api.post(f"/review/intakes/{declined['reference']}/decision", decision, as_="staff"))
    expect(200, api.request("DELETE", f"/admin/intakes/{erased['reference']}", as_="admin"))
    before = stored_items(aws)
    start = first_openings(counselor)[0]
    assert book(api, declined, counselor.counselor_id, start).status == 409
    assert book(api, erased, counselor.counselor_id, start).status == 404
    assert stored_items(aws) == before


def test_a_wrong_status_token_looks_like_an_unknown_reference(api: Api, counselor: CounselorProfile) -> None:
    client = submitted(api)
    reply = book(api, {**client, "status_token": "x" * 43}, counselor.counselor_id, first_openings(counselor)[0])
    assert reply.status == 404, reply.json


# ---------------------------------------------------------------- reschedule, cancel, override, erasure


_clients = itertools.count()


def booked(api: Api, counselor: CounselorProfile, start: datetime | None = None) -> tuple[dict[str, Any], datetime]:
    client = submitted(api, email=f"booked.{next(_clients)}@example.org")
    start = start or first_openings(counselor)[0]
    expect(201, book(api, client, counselor.counselor_id, start))
    return client, start


def next_opening_of(aws: LocalStack, counselor_id: str) -> str | None:
    found = stored_counselor(aws, counselor_id).get("next_opening")
    return found["S"] if found else None


def expected_next(counselor: CounselorProfile, *taken: datetime) -> str:
    busy = tuple(Busy(c, c + CELL) for start in taken for c in cells(start, 50, 10))
    first = min(first_openings(counselor, kind, busy=busy)[0] for kind in ("consult_call", "first_session"))
    return first.isoformat(timespec="microseconds")


def live_cells(aws: LocalStack, counselor_id: str) -> list[str]:
    items = partition_items(aws, f"COUNSELOR#{counselor_id}")
    return cells_of([i for i in items if "freed" not in i])


def test_a_client_moves_their_booking_in_one_transaction(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    # Given a booked first session at the counselor's first opening
    # (an opening half an hour before another: the day's last opening has none after it)
    openings = first_openings(counselor)
    client, start = booked(api, counselor, next(o for o in openings if o + timedelta(minutes=30) in openings))
    # When the client moves it to a time that overlaps the old one by half an hour (the cells both share stay)
    later = start + timedelta(minutes=30)
    assert later in first_openings(counselor, busy=())
    reply = expect(200, reschedule(api, client, later, "Europe/Berlin"))
    # Then the booking is at the new time, in the new zone, and only its cells are taken
    assert reply.json["start"] == later.isoformat().replace("+00:00", "Z")
    assert reply.json["time_zone"] == "Europe/Berlin"
    assert live_cells(aws, counselor.counselor_id) == booked_cells(later)
    assert next_opening_of(aws, counselor.counselor_id) == expected_next(counselor, later)
    assert stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"] == "1"  # the same slot
    assert ("rescheduled", "client") in audit_actions(aws)
    outbox = [i["kind"]["S"] for i in partition_items(aws, f"OUTBOX#{client['reference']}")]
    # (under client-first the submit's email is the shortlist email, in place of the confirmation)
    assert sorted(outbox) == ["booked", "rescheduled", "shortlist"]


def test_moving_a_booking_to_a_time_that_is_not_an_opening_changes_nothing(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    client, start = booked(api, counselor)
    _, taken = booked(api, counselor, opening_after(counselor, start + timedelta(hours=2)))
    before = stored_items(aws)
    reply = reschedule(api, client, taken)  # the other client's time
    assert reply.status == 409 and reply.json["code"] == "time_unavailable", reply.json
    assert reply.json["openings"]
    assert reschedule(api, client, start - timedelta(days=2)).status == 400
    assert stored_items(aws) == before


def test_a_client_cancels_and_may_book_again(api: Api, aws: LocalStack, counselor: CounselorProfile) -> None:
    # Given a booked client
    client, start = booked(api, counselor)
    # When they cancel
    reply = expect(200, cancel(api, client))
    # Then the time and the slot are the counselor's again, and the intake is back in the open queue
    assert reply.json == {"reference": client["reference"], "cancelled": True}
    assert live_cells(aws, counselor.counselor_id) == []
    profile = stored_counselor(aws, counselor.counselor_id)
    assert profile["open_slots"]["N"] == "2"
    assert profile["next_opening"]["S"] == expected_next(counselor)
    head = intake_head(aws, client["reference"])
    assert head["status"]["S"] == "needs_rematch"
    assert "assigned_counselor_id" not in head
    assert ("cancelled_booking", "client") in audit_actions(aws)
    status = expect(
        200, api.get(f"/intakes/{client['reference']}/status", headers={"X-Status-Token": client["status_token"]})
    ).json
    assert status["booking"] is None
    assert status["stage"] == "received"  # never "finding someone else": the client asked for nobody new
    assert cancel(api, client).status == 409  # nothing left to cancel
    # and they may book the same time again
    expect(201, book(api, client, counselor.counselor_id, start))
    assert live_cells(aws, counselor.counselor_id) == booked_cells(start)


def test_staff_override_a_booking_by_cancelling_it_and_keep_their_tools(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    other = bookable_counselor(api, name="Other Counselor")
    client, _ = booked(api, counselor)
    reply = expect(200, api.request("DELETE", f"/review/intakes/{client['reference']}/booking", as_="staff"))
    assert reply.json["status"] == "needs_rematch"
    assert live_cells(aws, counselor.counselor_id) == []
    assert ("cancelled_booking", "staff@practice.example") in audit_actions(aws)
    assert [i["kind"]["S"] for i in partition_items(aws, f"OUTBOX#{client['reference']}")][-1] == "booking_cancelled"
    # every staff tool applies again: here, assigning someone else
    expect(
        200,
        api.post(
            f"/review/intakes/{client['reference']}/assignment",
            {"counselor_id": other.counselor_id, "reason": "The client asked us by phone"},
            as_="staff",
        ),
    )


def test_a_booked_client_cancels_before_asking_for_someone_else(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    client, _ = booked(api, counselor)
    before = stored_items(aws)
    reply = api.post(
        f"/intakes/{client['reference']}/rematch-request",
        {"what_to_change": "Someone else"},
        headers={"X-Status-Token": client["status_token"]},
    )
    assert reply.status == 409 and "Cancel it first" in reply.json["message"], reply.json
    assert stored_items(aws) == before


def test_after_the_first_conversation_the_client_asks_for_someone_else_in_one_step(
    api: Api, aws: LocalStack, counselor: CounselorProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The support email after a hard check-in offers asking for someone else in one step: a booking whose
    time has begun is the past, so it is closed with the request instead of asking the client to cancel it."""
    client, start = booked(api, counselor)
    monkeypatch.setattr(api.functions["ClientApiFunction"].module, "utc_now", lambda: start + timedelta(hours=1))
    reply = api.post(
        f"/intakes/{client['reference']}/rematch-request",
        {"changes": ["cost"]},
        headers={"X-Status-Token": client["status_token"]},
    )
    assert reply.status == 202, reply.json
    stored = next(i for i in partition_items(aws, f"INTAKE#{client['reference']}") if i["SK"]["S"] == "BOOKING")
    assert "cancelled_at" in stored and "OutboxPK" not in stored  # out of the counselor's meetings too
    head = intake_head(aws, client["reference"])
    assert head["status"]["S"] == "needs_rematch" and "assigned_counselor_id" not in head
    status = api.get(f"/intakes/{client['reference']}/status", headers={"X-Status-Token": client["status_token"]})
    assert status.json["booking"] is None and status.json["stage"] == "finding_someone_else"


def test_erasing_a_booked_intake_frees_its_cells_and_returns_the_slot(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    client, start = booked(api, counselor)
    _, later = booked(api, counselor, opening_after(counselor, start + timedelta(hours=3)))
    expect(200, api.request("DELETE", f"/admin/intakes/{client['reference']}", as_="admin"))
    assert live_cells(aws, counselor.counselor_id) == booked_cells(later)
    profile = stored_counselor(aws, counselor.counselor_id)
    assert profile["open_slots"]["N"] == "1"
    assert profile["next_opening"]["S"] == expected_next(counselor, later)
    assert partition_items(aws, f"INTAKE#{client['reference']}") == []


def test_staff_see_the_booking_in_the_queue_and_on_the_intake(
    api: Api, aws: LocalStack, counselor: CounselorProfile
) -> None:
    client, start = booked(api, counselor)
    iso = start.isoformat().replace("+00:00", "Z")
    (entry,) = [
        e
        for e in expect(200, api.get("/review/intakes?stage=assigned", as_="staff")).json["items"]
        if e["reference"] == client["reference"]
    ]
    assert entry["booking"] == {
        "counselor_id": counselor.counselor_id,
        "kind": "first_session",
        "format": "telehealth",
        "start": iso,
        "minutes": 50,
    }
    detail = expect(200, api.get(f"/review/intakes/{client['reference']}", as_="staff")).json
    assert detail["booking"]["start"] == iso and detail["booking"]["format"] == "telehealth"
    # moved, the lists follow; cancelled, the booking leaves them
    later = opening_after(counselor, start + timedelta(hours=1))
    expect(200, reschedule(api, client, later))
    (entry,) = [
        e
        for e in expect(200, api.get("/review/intakes?stage=assigned", as_="staff")).json["items"]
        if e["reference"] == client["reference"]
    ]
    assert entry["booking"]["start"] == later.isoformat().replace("+00:00", "Z")
    expect(200, cancel(api, client))
    (entry,) = [
        e
        for e in expect(200, api.get("/review/intakes?stage=open", as_="staff")).json["items"]
        if e["reference"] == client["reference"]
    ]
    assert entry["booking"] is None
    assert expect(200, api.get(f"/review/intakes/{client['reference']}", as_="staff")).json["booking"] is None
