"""Use cases for the roster: the public directory and the admins' counselor management."""

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.counselor import CounselorDetails, CounselorProfile, CounselorPublicProfile
from shared.domain.ids import new_counselor_id
from shared.domain.records import Actor
from shared.services.changes import Audit
from shared.services.ports import Clock, Page, RosterEntry, RosterStore
from shared.services.roster_lock import while_roster_changes


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


def create_counselor(store: RosterStore, details: CounselorDetails, actor: Actor, clock: Clock) -> CounselorProfile:
    profile = CounselorProfile.model_validate(
        {**details.model_dump(), "counselor_id": new_counselor_id(), "version": 1}
    )
    _save(store, profile, None, Audit(actor, "created_counselor", clock(), counselor_id=profile.counselor_id))
    return profile


def update_counselor(
    store: RosterStore, counselor_id: str, details: CounselorDetails, expected_version: int, actor: Actor, clock: Clock
) -> CounselorProfile:
    """Replaces the profile if nobody changed it since `expected_version` was loaded."""
    store.get_counselor(counselor_id)  # a clear 404 for an unknown id
    profile = CounselorProfile.model_validate(
        {**details.model_dump(), "counselor_id": counselor_id, "version": expected_version + 1}
    )
    _save(store, profile, expected_version, Audit(actor, "updated_counselor", clock(), counselor_id=counselor_id))
    return profile


def change_status(
    store: RosterStore, counselor_id: str, change: StatusChange, actor: Actor, clock: Clock
) -> CounselorProfile:
    current = store.get_counselor(counselor_id)
    updates = change.model_dump(exclude_none=True, exclude={"version"})
    profile = current.model_copy(update={**updates, "version": change.version + 1})
    profile = CounselorProfile.model_validate(profile.model_dump())
    _save(store, profile, change.version, Audit(actor, "updated_counselor", clock(), counselor_id=counselor_id))
    return profile


def _save(store: RosterStore, profile: CounselorProfile, expected_version: int | None, audit: Audit) -> None:
    while_roster_changes(lambda: store.save_counselor(profile, expected_version, audit))
