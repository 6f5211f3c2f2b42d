"""Helpers for the booking tests: a practice whose policy lets clients book, counselors with a schedule,
and the openings the pure availability rules give (shared/domain/availability.py, tested on its own)."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.domain.availability import BookingRules, Busy, MeetingKind, Schedule, openings
from shared.domain.counselor import CounselorProfile
from tests.integration.harness import Api, Reply, expect, new_counselor, submit

# Every day, 8:00-20:00 in Denver: a free 20-minute consult call by phone, a 50-minute first session by
# video with 10 minutes kept free after it (4 cells of the grid).
SCHEDULE: dict[str, Any] = {
    "time_zone": "America/Denver",
    "windows": [
        {"day": day, "start": "08:00", "end": "20:00"} for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ],
    "offers": [
        {"kind": "consult_call", "minutes": 20, "format": "phone"},
        {"kind": "first_session", "minutes": 50, "format": "telehealth", "buffer_minutes": 10},
    ],
}
RULES = BookingRules()  # the template's defaults: 24 hours' lead, 28 days ahead, every 30 minutes


def bookable_counselor(api: Api, schedule: Mapping[str, Any] = SCHEDULE, **changes: Any) -> CounselorProfile:
    return new_counselor(api, schedule=dict(schedule), **changes)


def first_openings(
    counselor: CounselorProfile,
    kind: str = "first_session",
    now: datetime | None = None,
    busy: tuple[Busy, ...] = (),
    limit: int = 50,
) -> tuple[datetime, ...]:
    assert counselor.schedule is not None
    return openings(
        Schedule.model_validate(counselor.schedule.model_dump()),
        MeetingKind(kind),
        busy,
        now or datetime.now(UTC),
        RULES,
        limit,
    )


def opening_after(counselor: CounselorProfile, after: datetime, kind: str = "first_session") -> datetime:
    """The counselor's first opening at or after `after`: "a later time" a test can book or move to at any
    hour it runs. (`start + 3h` is no opening once `start` is late in the counselor's day: the first
    openings are 24 hours on, so that is each evening, UTC.)"""
    return next(o for o in first_openings(counselor, kind, limit=200) if o >= after)


def submitted(api: Api, email: str = "booking.client@example.org", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = expect(201, submit(api, contact={"name": "Sam Rivera", "email": email}, **changes)).json
    return body


def book(
    api: Api,
    client: Mapping[str, Any],
    counselor_id: str,
    start: datetime | str,
    kind: str = "first_session",
    time_zone: str = "America/New_York",
    **extra: Any,
) -> Reply:
    return api.post(
        f"/intakes/{client['reference']}/booking",
        {"counselor_id": counselor_id, "kind": kind, "start": _iso(start), "time_zone": time_zone, **extra},
        headers={"X-Status-Token": client["status_token"]},
    )


def reschedule(
    api: Api, client: Mapping[str, Any], start: datetime | str, time_zone: str = "America/New_York"
) -> Reply:
    return api.request(
        "PUT",
        f"/intakes/{client['reference']}/booking",
        {"start": _iso(start), "time_zone": time_zone},
        headers={"X-Status-Token": client["status_token"]},
    )


def cancel(api: Api, client: Mapping[str, Any]) -> Reply:
    return api.request(
        "DELETE", f"/intakes/{client['reference']}/booking", headers={"X-Status-Token": client["status_token"]}
    )


def _iso(start: datetime | str) -> str:
    return start if isinstance(start, str) else start.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cells_of(items: list[dict[str, Any]]) -> list[str]:
    """The CELL sort keys among a counselor partition's items."""
    return sorted(i["SK"]["S"] for i in items if i["SK"]["S"].startswith("CELL#"))
