"""What the services need from the outside world. The DynamoDB, EventBridge and SES adapters implement
these; unit tests use the in-memory fakes in tests/fakes.py."""

from datetime import datetime
from typing import Any, NamedTuple, Protocol

from shared.domain.counselor import CounselorProfile, CounselorPublicProfile
from shared.domain.records import Actor, Intake, IntakeStatus, StoredMatch


class QueueEntry(NamedTuple):
    intake_id: str
    status: IntakeStatus
    urgent: bool
    created_at: datetime
    updated_at: datetime
    summary: dict[str, Any]


class Page[T](NamedTuple):
    items: list[T]
    cursor: str | None


class StatusView(NamedTuple):
    """The few fields the public status check reads."""

    status: IntakeStatus
    status_token_hash: str
    assigned_counselor_id: str | None
    updated_at: datetime


class RosterEntry(NamedTuple):
    """A counselor as matching and the admin list need them (from the Roster index)."""

    counselor_id: str
    compact_profile: str
    open_slots: int
    name: str
    roster_version: int


class RosterChanges(NamedTuple):
    version: int
    entries: list[RosterEntry]


class AuditEntry(NamedTuple):
    """Who did what, when: never client details."""

    at: datetime
    actor: str
    action: str
    intake_id: str | None
    counselor_id: str | None


class RosterChanged(Exception):
    """The roster changed since it was read: match again on the current roster."""


class IntakeStore(Protocol):
    def create_intake(self, intake: Intake, expires_at: int, roster_version: int | None) -> None: ...
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_status(self, intake_id: str) -> StatusView: ...
    def list_queue(
        self, stage: str, status: IntakeStatus | None, limit: int, cursor: str | None
    ) -> Page[QueueEntry]: ...
    def record_view(self, intake: Intake, actor: Actor, at: datetime) -> Intake: ...
    def assign(self, intake: Intake, counselor_id: str, actor: Actor, at: datetime, note: str) -> None: ...
    def decide(
        self, intake: Intake, status: IntakeStatus, allowed_from: frozenset[IntakeStatus], actor: Actor, at: datetime,
        note: str,
    ) -> None: ...  # fmt: skip
    def save_match(
        self, intake: Intake, match: StoredMatch, status: IntakeStatus, allowed_from: frozenset[IntakeStatus],
        actor: Actor | None, at: datetime,
    ) -> None: ...  # fmt: skip


class RecordsAdministration(Protocol):
    def erase_intake(self, intake_id: str, actor: Actor, at: datetime) -> None: ...
    def list_audit(self, day: str, limit: int, cursor: str | None) -> Page[AuditEntry]: ...


class RosterStore(Protocol):
    def roster_changes(self, since: int) -> RosterChanges: ...
    def list_roster(self, limit: int, cursor: str | None) -> Page[RosterEntry]: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def public_profile(self, counselor_id: str) -> CounselorPublicProfile: ...
    def directory(self, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]: ...
    def save_counselor(
        self, profile: CounselorProfile, expected_version: int | None, actor: Actor, at: datetime
    ) -> None: ...


class IntakeEvents(Protocol):
    def intake_received(self, intake_id: str, urgent: bool, no_match: bool) -> None: ...


class Clock(Protocol):
    def __call__(self) -> datetime: ...
