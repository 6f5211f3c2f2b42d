"""What the services need from the outside world. The DynamoDB, EventBridge and SES adapters implement
these; the tests run them against moto."""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from shared.domain.bond import CheckIn, CheckInAnswers, RiskReason
from shared.domain.counselor import CounselorProfile, CounselorPublicProfile
from shared.domain.records import Actor, AssignedFit, Intake, IntakeStatus, StoredMatch


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
    status_links: dict[str, datetime]
    assigned_counselor_id: str | None
    updated_at: datetime


class RosterEntry(NamedTuple):
    """A counselor as matching and the admin list need them (from the Roster index)."""

    counselor_id: str
    compact_profile: str
    open_slots: int
    name: str
    roster_version: int
    understanding: tuple[int, int] = (0, 0)


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


class StatusLink(NamedTuple):
    """A private status link: the hash of its token (the token itself is only ever in the client's email or
    the submit response) and when it stops working."""

    token_hash: str
    expires_at: datetime


class EmailKind(StrEnum):
    CONFIRMATION = "confirmation"  # on submit: the private status link
    MATCHED = "matched"  # on assignment: the counselor's public profile, next steps, a fresh status link
    CHECK_IN = "check_in"  # after a session: the check-in link


class OutboxEmail(NamedTuple):
    """An email to the client, written in the same transaction as the change that causes it and sent by the
    notifier afterwards (and retried until sent), so sending never blocks or fails the request."""

    kind: EmailKind
    to: str
    token: str  # the status-link or check-in token the email's link carries
    counselor_id: str | None = None
    check_in: int | None = None


class PendingEmail(NamedTuple):
    intake_id: str
    key: dict[str, Any]
    email: OutboxEmail
    queued_at: datetime
    attempts: int
    retry_at: datetime | None = None  # after a failure: not to be tried again before this


class ScheduledCheckIn(NamedTuple):
    """A check-in the schedule sends `days` after the match unless sessions already sent it: the `place`-th
    (1 for the first) with this counselor."""

    place: int
    days: int
    due_at: datetime


class DueCheckIn(NamedTuple):
    """A scheduled check-in whose day has come."""

    intake_id: str
    check_in: ScheduledCheckIn
    key: dict[str, Any]


class CheckInRecord(NamedTuple):
    """A submitted check-in with what it changes: the bond flag, the counselor's ratings, the report."""

    check_in: CheckIn
    answers: CheckInAnswers
    risk: tuple[RiskReason, ...]
    flag_intake: bool  # the intake is still with this counselor: put it in the queue when at risk
    fit: AssignedFit | None
    # Each client counts once per counselor (in the report and in the counselor's rating): a later check-in
    # replaces the earlier one's figures instead of adding to them.
    replaces: CheckIn | None = None  # the check-in whose figures in the report these answers take over
    rated_before: int | None = None  # the rating of this counselor's understanding the client gave last


class Counter(NamedTuple):
    """One aggregate counter of the match-quality report (summed over its shards)."""

    name: str
    values: dict[str, int]


class RosterChanged(Exception):
    """The roster changed since it was read: match again on the current roster."""


class IntakeStore(Protocol):
    def create_intake(
        self, intake: Intake, expires_at: int, roster_version: int | None, email: OutboxEmail | None = None
    ) -> None: ...
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_status(self, intake_id: str) -> StatusView: ...
    def list_queue(
        self, stage: str, status: IntakeStatus | None, limit: int, cursor: str | None
    ) -> Page[QueueEntry]: ...
    def record_view(self, intake: Intake, actor: Actor, at: datetime) -> Intake: ...
    def assign(
        self, intake: Intake, counselor_id: str, actor: Actor, at: datetime, note: str,
        fit: AssignedFit | None = None, link: StatusLink | None = None, email: OutboxEmail | None = None,
        check_ins: Sequence[ScheduledCheckIn] = (),
    ) -> None: ...  # fmt: skip
    def decide(
        self, intake: Intake, status: IntakeStatus, allowed_from: frozenset[IntakeStatus], actor: Actor, at: datetime,
        note: str,
    ) -> None: ...  # fmt: skip
    def save_match(
        self, intake: Intake, match: StoredMatch, status: IntakeStatus, allowed_from: frozenset[IntakeStatus],
        actor: Actor | None, at: datetime,
    ) -> None: ...  # fmt: skip
    def record_session(
        self, intake: Intake, actor: Actor, at: datetime, invite: CheckIn | None, email: OutboxEmail | None
    ) -> None: ...
    def get_check_in(self, intake_id: str, number: int) -> CheckIn: ...
    def save_check_in(self, intake: Intake, record: CheckInRecord, at: datetime) -> None: ...
    def review_bond(self, intake: Intake, actor: Actor, at: datetime, note: str) -> None: ...
    def client_rematch(self, intake: Intake, match: StoredMatch, note: str, at: datetime) -> None: ...
    def report_counters(self) -> list[Counter]: ...


class CheckInSchedule(Protocol):
    def get_intake(self, intake_id: str) -> Intake: ...
    def public_profile(self, counselor_id: str) -> CounselorPublicProfile: ...
    def due_check_ins(self, before: datetime, limit: int) -> list[DueCheckIn]: ...
    def send_scheduled_check_in(self, intake: Intake, due: DueCheckIn, invite: CheckIn, email: OutboxEmail) -> bool: ...
    def drop_scheduled_check_in(self, due: DueCheckIn) -> None: ...


class Outbox(Protocol):
    def pending_emails(self, intake_id: str) -> list[PendingEmail]: ...
    def due_emails(self, queued_before: datetime, limit: int) -> list[PendingEmail]: ...
    def email_sent(self, pending: PendingEmail) -> None: ...
    def email_failed(self, pending: PendingEmail, retry_at: datetime) -> None: ...
    def public_profile(self, counselor_id: str) -> CounselorPublicProfile: ...


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
    def client_email_queued(self, intake_id: str) -> None: ...
    def rematch_requested(self, intake_id: str) -> None: ...
    def bond_at_risk(self, intake_id: str) -> None: ...


class Clock(Protocol):
    def __call__(self) -> datetime: ...
