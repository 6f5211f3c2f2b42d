"""Use cases for the roster: the public directory and the admins' counselor management.

Every save writes the counselor's next opening (the earliest first conversation a client could book, over
the counselor's booked time, by the practice's booking rules) in the same write as the profile, so the
roster that matching reads carries it and ties need no extra call. The roster version is read before the
booked time and the save is conditioned on it: a booking that lands in between moves the version on, so
the save is refused (RosterChanged) and worked out again.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.availability import CELL, MAX_CELLS, BookingRules, Schedule, next_opening
from shared.domain.counselor import CounselorDetails, CounselorProfile, CounselorPublicProfile
from shared.domain.errors import InvalidRequest
from shared.domain.ids import new_counselor_id
from shared.domain.records import Actor
from shared.services.changes import CREATED_COUNSELOR, UPDATED_COUNSELOR, Audit
from shared.services.ports import BookedTime, Clock, Page, RosterAdministration, RosterEntry, RosterStore
from shared.services.roster_lock import while_roster_changes

# A booking that starts at the horizon's end still holds cells after it: read those too.
_LONGEST_BOOKING = MAX_CELLS * CELL


class StatusChange(BaseModel):
    """The everyday roster changes: capacity, accepting new clients, active."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    version: int = Field(ge=1, description="The version you loaded; a stale one gets 409.")
    open_slots: int | None = Field(default=None, ge=0, le=200)
    accepting_new_clients: bool | None = None
    active: bool | None = None


def directory(store: RosterStore, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]:
    return store.directory(limit, cursor)


def public_profile(store: RosterStore, counselor_id: str) -> CounselorPublicProfile:
    return store.public_profile(counselor_id)


def list_counselors(store: RosterStore, limit: int, cursor: str | None) -> Page[RosterEntry]:
    return store.list_roster(limit, cursor)


def get_counselor(store: RosterStore, counselor_id: str) -> CounselorProfile:
    return store.get_counselor(counselor_id)


_DEFAULT_RULES = BookingRules()


def create_counselor(
    store: RosterAdministration,
    details: CounselorDetails,
    actor: Actor,
    clock: Clock,
    rules: BookingRules = _DEFAULT_RULES,
) -> CounselorProfile:
    profile = CounselorProfile.model_validate(
        {**details.model_dump(), "counselor_id": new_counselor_id(), "version": 1}
    )
    audit = Audit(actor, CREATED_COUNSELOR, clock(), counselor_id=profile.counselor_id)
    save_profile(store, profile, None, audit, rules)
    return profile


def update_counselor(
    store: RosterAdministration,
    counselor_id: str,
    details: CounselorDetails,
    expected_version: int,
    actor: Actor,
    clock: Clock,
    rules: BookingRules = _DEFAULT_RULES,
) -> CounselorProfile:
    """Replaces the profile if nobody changed it since `expected_version` was loaded."""
    current = store.get_counselor(counselor_id)  # a clear 404 for an unknown id
    profile = CounselorProfile.model_validate(
        {**details.model_dump(), "counselor_id": counselor_id, "version": expected_version + 1}
    )
    audit = Audit(actor, UPDATED_COUNSELOR, clock(), counselor_id=counselor_id, fields=changed_fields(current, profile))
    save_profile(store, profile, expected_version, audit, rules)
    return profile


def change_status(
    store: RosterAdministration,
    counselor_id: str,
    change: StatusChange,
    actor: Actor,
    clock: Clock,
    rules: BookingRules = _DEFAULT_RULES,
) -> CounselorProfile:
    current = store.get_counselor(counselor_id)
    updates = change.model_dump(exclude_none=True, exclude={"version"})
    profile = current.model_copy(update={**updates, "version": change.version + 1})
    profile = CounselorProfile.model_validate(profile.model_dump())
    audit = Audit(actor, UPDATED_COUNSELOR, clock(), counselor_id=counselor_id, fields=changed_fields(current, profile))
    save_profile(store, profile, change.version, audit, rules)
    return profile


def changed_fields(before: CounselorProfile, after: CounselorProfile) -> tuple[str, ...]:
    """The names of the profile's fields that differ (what the counselor's change history records)."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return tuple(name for name in CounselorDetails.model_fields if old.get(name) != new.get(name))


def roster_next_opening(
    booked: BookedTime, counselor_id: str, schedule: Schedule | None, now: datetime, rules: BookingRules
) -> datetime | None:
    """The counselor's earliest opening of any kind offered, over their booked time: what the roster carries.
    None without a schedule that offers something (no read then), or with nothing free within the horizon."""
    if schedule is None or not schedule.offers or not schedule.windows:
        return None
    busy = booked.busy(counselor_id, now, now + timedelta(days=rules.horizon_days) + _LONGEST_BOOKING)
    return next_opening(schedule, busy, now, rules)


def save_profile(
    store: RosterAdministration,
    profile: CounselorProfile,
    expected_version: int | None,
    audit: Audit,
    rules: BookingRules,
) -> None:
    if profile.over_the_maximum():
        raise InvalidRequest(
            f"Open slots can be at most {profile.max_open_slots}, the maximum the practice set.", ("body", "open_slots")
        )

    def save() -> None:
        if expected_version is None:  # a new counselor has no booked time yet
            opening = next_opening(profile.schedule, [], audit.at, rules) if profile.schedule else None
            store.save_counselor(profile, expected_version, audit, opening)
            return
        version = store.roster_version()  # before the booked time: a booking after it refuses the save
        opening = roster_next_opening(store, profile.counselor_id, profile.schedule, audit.at, rules)
        store.save_counselor(profile, expected_version, audit, opening, version)

    while_roster_changes(save)
