"""The next opening an admin save writes on the counselor (shared/services/counselors.py), on in-memory fakes."""

from datetime import timedelta

from shared.domain.availability import BookingRules, Busy, Schedule, next_opening
from shared.domain.counselor import CounselorDetails
from shared.services import counselors
from tests.factories import counselor_body
from tests.unit.services.fakes import ADMIN, FakeClock, FakeStore

RULES = BookingRules(lead_time_hours=24, horizon_days=14, slot_interval_minutes=30)
SCHEDULE = {
    "time_zone": "America/New_York",
    "windows": [{"day": "tue", "start": "09:00", "end": "11:00"}, {"day": "thu", "start": "14:00", "end": "16:00"}],
    "offers": [{"kind": "first_session", "minutes": 50, "format": "telehealth", "buffer_minutes": 10}],
}


def details(**changes: object) -> CounselorDetails:
    return CounselorDetails.model_validate(counselor_body(**changes))


def test_a_new_counselor_gets_its_first_opening_without_reading_booked_time() -> None:
    store, clock = FakeStore(), FakeClock()
    created = counselors.create_counselor(store, details(schedule=SCHEDULE), ADMIN, clock, RULES)
    assert store.next_openings[created.counselor_id] == next_opening(
        Schedule.model_validate(SCHEDULE), [], clock(), RULES
    )
    assert store.busy_reads == 0


def test_an_update_reads_the_booked_time_and_skips_what_is_taken() -> None:
    # Given a counselor whose first opening has been booked
    store, clock = FakeStore(), FakeClock()
    created = counselors.create_counselor(store, details(schedule=SCHEDULE), ADMIN, clock, RULES)
    first = store.next_openings[created.counselor_id]
    store.booked[created.counselor_id] = [Busy.booking(first, 50, 10)]
    # When an admin changes the counselor's capacity
    change = counselors.StatusChange(version=1, open_slots=5)
    counselors.change_status(store, created.counselor_id, change, ADMIN, clock, RULES)
    # Then the stored next opening is the next free one, worked out over one read of the booked time
    after = store.next_openings[created.counselor_id]
    assert after == next_opening(Schedule.model_validate(SCHEDULE), store.booked[created.counselor_id], clock(), RULES)
    assert after > first
    assert store.busy_reads == 1


def test_a_booking_that_lands_during_a_save_makes_it_work_the_opening_out_again() -> None:
    # Given a counselor whose first opening is booked between the save's read of booked time and its write
    # (the booking moves the roster version on, so the write is refused as RosterChanged)
    store, clock = FakeStore(), FakeClock()
    created = counselors.create_counselor(store, details(schedule=SCHEDULE), ADMIN, clock, RULES)
    first = store.next_openings[created.counselor_id]
    read = store.busy

    def busy_then_booked(counselor_id, since, until):  # type: ignore[no-untyped-def]
        found = read(counselor_id, since, until)
        if store.busy_reads == 1:
            store.booked[counselor_id] = [Busy.booking(first, 50, 10)]
            store.version += 1
        return found

    store.busy = busy_then_booked  # type: ignore[method-assign]
    # When an admin saves the counselor
    counselors.change_status(store, created.counselor_id, counselors.StatusChange(version=1), ADMIN, clock, RULES)
    # Then the save was tried again with the booking seen, so the stored opening is not the booked one
    assert store.busy_reads == 2
    assert store.next_openings[created.counselor_id] > first


def test_no_schedule_or_nothing_within_the_horizon_means_no_next_opening() -> None:
    store, clock = FakeStore(), FakeClock()
    plain = counselors.create_counselor(store, details(), ADMIN, clock, RULES)
    assert plain.counselor_id not in store.next_openings
    every_date_off = [(clock() + timedelta(days=d)).date().isoformat() for d in range(-1, 17)]
    off = counselors.create_counselor(
        store, details(schedule={**SCHEDULE, "dates_off": every_date_off}), ADMIN, clock, RULES
    )
    assert off.counselor_id not in store.next_openings
