"""The roster carries each counselor's next opening (docs/booking.md): written with every admin save, read
by matching with the roster, and used to break ties."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.dal.dynamodb import DynamoRepository
from shared.dal.keys import cell_key
from shared.dal.values import parse_time
from shared.domain.availability import BookingRules, Busy, MeetingKind, Schedule, cells, next_opening
from shared.services.roster_cache import RosterCache
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api, expect, stored_counselor

# Frozen for the admin function, a little ahead of the real clock: the public function matches at the real
# time, and openings are after the lead time, so they are still to come when a test submits an intake.
NOW = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)

WEEKDAY_MORNINGS: dict[str, Any] = {
    "time_zone": "America/Denver",
    "windows": [{"day": day, "start": "09:00", "end": "12:00"} for day in ("mon", "tue", "wed", "thu", "fri")],
    "offers": [{"kind": "consult_call", "minutes": 20, "format": "telehealth", "buffer_minutes": 10}],
}


@pytest.fixture
def frozen(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.functions["AdminApiFunction"].module, "utc_now", lambda: NOW)


def rules_of(aws: LocalStack) -> BookingRules:
    env = aws.function_environment("AdminApiFunction")
    return BookingRules(
        lead_time_hours=int(env["BOOKING_LEAD_HOURS"]),
        horizon_days=int(env["BOOKING_HORIZON_DAYS"]),
        slot_interval_minutes=int(env["BOOKING_SLOT_MINUTES"]),  # type: ignore[arg-type]
    )


def stored_opening(aws: LocalStack, counselor_id: str) -> datetime | None:
    item = stored_counselor(aws, counselor_id)
    return parse_time(item["next_opening"]["S"]) if "next_opening" in item else None


def create(api: Api, **changes: Any) -> dict[str, Any]:
    return expect(201, api.post("/admin/counselors", counselor_body(**changes), as_="admin")).json


def book(aws: LocalStack, counselor_id: str, start: datetime, minutes: int = 20, buffer: int = 10) -> list[Busy]:
    """Takes the counselor's time the way a booking does: one item per 15-minute cell."""
    client = aws.client("dynamodb")
    taken = cells(start, minutes, buffer)
    for cell in taken:
        client.put_item(TableName=aws.table_name, Item=cell_key(counselor_id, cell))
    return [Busy(cell, cell + timedelta(minutes=15)) for cell in taken]


def test_a_saved_schedule_puts_the_next_opening_on_the_counselor_and_in_the_roster(
    api: Api, aws: LocalStack, repository: DynamoRepository, frozen: None
) -> None:
    # Given an admin saves a counselor with weekday-morning consult calls
    created = create(api, schedule=WEEKDAY_MORNINGS)
    expected = next_opening(Schedule.model_validate(WEEKDAY_MORNINGS), [], NOW, rules_of(aws))
    assert expected is not None
    # Then the counselor item carries the earliest opening, and the roster that matching reads carries it too
    assert stored_opening(aws, created["counselor_id"]) == expected
    (entry,) = [e for e in repository.roster_changes(0).entries if e.counselor_id == created["counselor_id"]]
    assert entry.next_opening == expected
    cache = RosterCache()
    (profile,) = cache.current(repository).profiles
    assert profile.next_opening == expected
    # And a counselor without a schedule has none
    plain = create(api)
    assert stored_opening(aws, plain["counselor_id"]) is None


def test_a_save_works_the_next_opening_out_over_the_counselors_booked_time(
    api: Api, aws: LocalStack, frozen: None
) -> None:
    # Given a counselor whose first opening is then booked
    created = create(api, schedule=WEEKDAY_MORNINGS)
    schedule = Schedule.model_validate(WEEKDAY_MORNINGS)
    first = stored_opening(aws, created["counselor_id"])
    assert first is not None
    busy = book(aws, created["counselor_id"], first)
    # When an admin changes the counselor's capacity
    path = f"/admin/counselors/{created['counselor_id']}"
    expect(200, api.request("PATCH", path, {"version": 1, "open_slots": 4}, as_="admin"))
    # Then the stored next opening is the first one still free, as availability works it out
    after = stored_opening(aws, created["counselor_id"])
    assert after == next_opening(schedule, busy, NOW, rules_of(aws), MeetingKind.CONSULT_CALL)
    assert after is not None and after > first
    # And an update that removes the schedule removes the next opening
    expect(200, api.request("PUT", path, {**counselor_body(open_slots=4), "version": 2}, as_="admin"))
    assert stored_opening(aws, created["counselor_id"]) is None


def test_matching_breaks_a_tie_by_the_earlier_next_opening_then_none_last(
    api: Api, aws: LocalStack, repository: DynamoRepository, frozen: None
) -> None:
    # Given three counselors who score the same for the default intake, with the same open slots: one who
    # meets only on Thursday mornings, one on weekday mornings, and one with no schedule
    same = {"concerns_primary": ["anxiety"], "open_slots": 2}
    thursdays = {**WEEKDAY_MORNINGS, "windows": [{"day": "thu", "start": "09:00", "end": "12:00"}]}
    later = create(api, name="Thursday Only", schedule=thursdays, **same)["counselor_id"]
    sooner = create(api, name="Weekday Mornings", schedule=WEEKDAY_MORNINGS, **same)["counselor_id"]
    none = create(api, name="No Schedule", **same)["counselor_id"]
    if stored_opening(aws, later) == stored_opening(aws, sooner):  # today is a Wednesday: Thursday is soonest
        thursdays["windows"] = [{"day": "fri", "start": "09:00", "end": "12:00"}]
        version = expect(200, api.get(f"/admin/counselors/{later}", as_="admin")).json["version"]
        body = {**counselor_body(name="Thursday Only", schedule=thursdays, **same), "version": version}
        expect(200, api.request("PUT", f"/admin/counselors/{later}", body, as_="admin"))
    assert stored_opening(aws, sooner) < stored_opening(aws, later)  # type: ignore[operator]
    # When a client submits an intake
    reference = expect(201, submit(api)).json["reference"]
    # Then the suggestions tie on score and come soonest opening first, the counselor with none last
    suggestions = repository.get_intake(reference).match.result.suggestions  # type: ignore[union-attr]
    assert len({s.score for s in suggestions}) == 1
    assert [s.counselor_id for s in suggestions] == [sooner, later, none]
