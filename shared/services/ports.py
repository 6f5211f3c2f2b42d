"""What the services need from the outside world. The DynamoDB, EventBridge and SES adapters implement
these; the tests run them against moto."""

from datetime import datetime
from typing import Any, NamedTuple, Protocol

from shared.domain.availability import Busy
from shared.domain.bond import CheckIn
from shared.domain.booking import Booking
from shared.domain.counselor import CounselorProfile, CounselorPublicProfile
from shared.domain.records import Intake, IntakeStatus, QueueStage, QueueSummary
from shared.i18n import Locale
from shared.services.changes import (
    COUNSELOR_UPDATED_OWN_PROFILE,
    CREATED_COUNSELOR,
    Assignment,
    Audit,
    Booked,
    BookingCancelled,
    CheckInSaved,
    ClientRematch,
    Decided,
    Erasure,
    NewIntake,
    OutboxEmail,
    Rebooked,
    Rematched,
    ScheduledCheckIn,
    SessionHeld,
    ShortlistReleased,
    ViewRecorded,
)


class QueueEntry(NamedTuple):
    intake_id: str
    status: IntakeStatus
    urgent: bool
    created_at: datetime
    updated_at: datetime
    summary: QueueSummary


class Page[T](NamedTuple):
    items: list[T]
    cursor: str | None


class StatusView(NamedTuple):
    """The few fields the public status check reads."""

    status: IntakeStatus
    status_links: dict[str, datetime]
    assigned_counselor_id: str | None
    updated_at: datetime
    booking: Booking | None = None
    urgent: bool = False  # the client said they might be in danger: the page shows crisis resources
    client_asked: bool = False  # back in the queue because the client asked for someone else (nothing since)
    locale: Locale = Locale.EN  # the intake's language (IntakeAnswers.locale); an intake stored before it: English


class RosterEntry(NamedTuple):
    """A counselor as matching and the admin list need them (from the Roster index)."""

    counselor_id: str
    compact_profile: str
    open_slots: int
    name: str
    roster_version: int
    understanding: tuple[int, int] = (0, 0)
    active: bool = True
    accepting_new_clients: bool = True
    next_opening: datetime | None = None
    """The earliest first conversation clients could book when the counselor item last changed (UTC), or None."""


class RosterChanges(NamedTuple):
    version: int
    entries: list[RosterEntry]


class RosterColdLoad(NamedTuple):
    """What a function without a copy of the roster reads: the stored snapshot (None when there is none, or it
    could not be read whole) at `snapshot_version`, and the changes since that version (all counselors
    without a snapshot)."""

    snapshot: bytes | None
    snapshot_version: int
    changes: RosterChanges


class AuditEntry(NamedTuple):
    """Who did what, when: never client details."""

    at: datetime
    actor: str
    action: str
    intake_id: str | None
    counselor_id: str | None


class PendingEmail(NamedTuple):
    intake_id: str
    key: dict[str, Any]
    email: OutboxEmail
    queued_at: datetime
    attempts: int
    retry_at: datetime | None = None  # after a failure: not to be tried again before this


class DueCheckIn(NamedTuple):
    """A scheduled check-in whose day has come."""

    intake_id: str
    check_in: ScheduledCheckIn
    key: dict[str, Any]


class CounselorChange(NamedTuple):
    """One change to a counselor's profile: who made it, when, and which fields (never their values)."""

    at: datetime
    actor: str
    action: str
    fields: tuple[str, ...]

    @property
    def by_counselor(self) -> bool:
        return self.action == COUNSELOR_UPDATED_OWN_PROFILE

    @property
    def created(self) -> bool:
        return self.action == CREATED_COUNSELOR


class CounselorRatings(NamedTuple):
    """A counselor's clients' ratings of their understanding, as stored, and whether the profile is active."""

    active: bool
    clients: int
    total: int


class Counter(NamedTuple):
    """One aggregate counter of the match-quality report (summed over its shards)."""

    name: str
    values: dict[str, int]


class RosterChanged(Exception):
    """The roster changed since it was read (another change moved its version on first): the write is
    refused and can be tried again (shared/services/roster_lock.py says how often)."""


class MatchChanged(Exception):
    """The intake's stored match changed since it was read (a colleague re-ran matching): a decision that
    rests on it (the fit an assignment records) is refused and is made again on the match as it is now."""


class SlotsFull(Exception):
    """A slot given back would take the counselor over the most open slots a profile may have: the write is
    refused and is made again without giving the slot back."""


class CellTaken(Exception):
    """A cell of the booked time was taken by another booking between reading the counselor's busy time and
    writing: nothing was written; the use case answers with the counselor's fresh openings."""


class BookingChanged(Exception):
    """The intake or its booking is no longer as read (moved, cancelled, reassigned): nothing was written;
    the use case reads it again."""


class AccountTaken(Exception):
    """The counselor already has a sign-in, or the sign-in is linked to a counselor already."""


class AddressRefused(Exception):
    """The user pool does not take the address as a sign-in (its own email check is stricter than ours)."""


class EmailLimitReached(Exception):
    """The email's address already had its emails for the day (the change's `email_quota`): nothing was
    written, and the change can be written again without the email."""


class IntakeStore(Protocol):
    def create_intake(self, new: NewIntake) -> None: ...
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_status(self, intake_id: str) -> StatusView: ...
    def list_queue(
        self, stage: QueueStage, status: IntakeStatus | None, limit: int, cursor: str | None
    ) -> Page[QueueEntry]: ...
    def record_view(self, view: ViewRecorded) -> None: ...
    def assign(self, change: Assignment) -> None: ...
    def decide(self, change: Decided) -> None: ...
    def release_shortlist(self, change: ShortlistReleased) -> None: ...
    def save_match(self, change: Rematched) -> None: ...
    def record_session(self, change: SessionHeld) -> None: ...
    def get_check_in(self, intake_id: str, number: int) -> CheckIn: ...
    def save_check_in(self, change: CheckInSaved) -> None: ...
    def client_rematch(self, change: ClientRematch) -> None: ...
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
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]: ...
    def erase_intake(self, erasure: Erasure, audit: Audit, give_back_slot: bool) -> None: ...
    def finish_erasure(self, intake_id: str, audit: Audit, give_back_slot: bool) -> bool: ...
    def list_audit(self, day: str, limit: int, cursor: str | None) -> Page[AuditEntry]: ...


class RosterStore(Protocol):
    def roster_changes(self, since: int) -> RosterChanges: ...
    def roster_cold_load(self) -> RosterColdLoad: ...
    def save_roster_snapshot(self, version: int, snapshot: bytes) -> bool: ...
    def list_roster(self, limit: int, cursor: str | None) -> Page[RosterEntry]: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def public_profile(self, counselor_id: str) -> CounselorPublicProfile: ...
    def directory(self, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]: ...
    def save_counselor(
        self,
        profile: CounselorProfile,
        expected_version: int | None,
        audit: Audit,
        next_opening: datetime | None = None,
        roster_version: int | None = None,
    ) -> None: ...


class BookedTime(Protocol):
    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]: ...


class BookingStore(BookedTime, Protocol):
    """What booking needs: the intake, the counselor's schedule and booked time, the roster version, and the
    three writes (shared/dal/bookings.py)."""

    def get_intake(self, intake_id: str) -> Intake: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def roster_version(self) -> int: ...
    def book(self, change: Booked) -> None: ...
    def rebook(self, change: Rebooked) -> None: ...
    def cancel_booking(self, change: BookingCancelled) -> None: ...


class RosterAdministration(RosterStore, BookedTime, Protocol):
    """What the admins' counselor changes need: the roster, and each counselor's booked time (for the
    next opening written with the profile)."""

    def roster_version(self) -> int: ...


class CounselorAccounts(Protocol):
    """The link from a counselor's sign-in to their one profile (shared/dal/counselor_self.py)."""

    def account_counselor(self, user_id: str) -> str | None: ...
    def counselor_account(self, counselor_id: str) -> str | None: ...
    def link_account(self, counselor_id: str, user_id: str, audit: Audit) -> None: ...


class CounselorSelfStore(RosterAdministration, CounselorAccounts, Protocol):
    """What a counselor's own page needs: their profile (saved as an admin's change is), their account's
    link, and their upcoming first conversations."""

    def upcoming_meetings(self, counselor_id: str, since: datetime, until: datetime) -> list[tuple[str, Booking]]: ...
    def counselor_ratings(self, counselor_id: str) -> CounselorRatings: ...


class CounselorChanges(Protocol):
    def counselor_account(self, counselor_id: str) -> str | None: ...
    def counselor_changes(self, counselor_id: str, limit: int, cursor: str | None) -> Page[CounselorChange]: ...


class SignIns(Protocol):
    """The practice's user pool (shared/adapters/sign_ins.py): an invitation creates the account and emails
    a temporary password; it returns the account's id (the token's `sub`)."""

    def invite_counselor(self, email: str) -> str: ...
    def remove(self, user_id: str) -> None: ...


class IntakeEvents(Protocol):
    def intake_received(self, intake_id: str, urgent: bool, no_match: bool) -> None: ...
    def client_email_queued(self, intake_id: str) -> None: ...
    def rematch_requested(self, intake_id: str) -> None: ...
    def bond_at_risk(self, intake_id: str) -> None: ...


class Clock(Protocol):
    def __call__(self) -> datetime: ...
