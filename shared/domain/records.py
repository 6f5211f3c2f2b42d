"""Stored intakes and their lifecycle: statuses, the rule for moving between them, and history entries."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.domain.bond import CheckIn
from shared.domain.booking import Booking
from shared.domain.intake import IntakeAnswers
from shared.domain.match import MatchResult
from shared.domain.rematch import Change
from shared.i18n import Locale

IntakeId = Annotated[str, StringConstraints(pattern=r"^in-[a-z2-7]{20}$")]


class IntakeStatus(StrEnum):
    NEW = "new"  # stored with suggestions; nobody has opened it yet
    IN_REVIEW = "in_review"  # a staff member has opened it
    NEEDS_REMATCH = "needs_rematch"  # stored, but matching has to run again (it failed, or was asked for)
    ASSIGNED = "assigned"
    WAITLISTED = "waitlisted"
    REFERRED_OUT = "referred_out"
    DECLINED = "declined"


class Decision(StrEnum):
    """What staff can decide instead of assigning."""

    WAITLIST = "waitlist"
    REFER_OUT = "refer_out"
    DECLINE = "decline"


DECISION_STATUS: dict[Decision, IntakeStatus] = {
    Decision.WAITLIST: IntakeStatus.WAITLISTED,
    Decision.REFER_OUT: IntakeStatus.REFERRED_OUT,
    Decision.DECLINE: IntakeStatus.DECLINED,
}

OPEN_STATUSES = frozenset({IntakeStatus.NEW, IntakeStatus.IN_REVIEW, IntakeStatus.NEEDS_REMATCH})
"""Waiting for a staff decision."""
ASSIGNABLE_STATUSES = OPEN_STATUSES | {IntakeStatus.WAITLISTED}
"""An intake in one of these can be given a counselor (a waitlisted client gets one when a slot opens)."""


class QueueStage(StrEnum):
    """Which of the staff's lists an intake is in."""

    OPEN = "open"
    ATTENTION = "attention"  # assigned, but a check-in says the bond is at risk
    WAITLISTED = "waitlisted"
    ASSIGNED = "assigned"
    CLOSED = "closed"

    @staticmethod
    def of(status: IntakeStatus, bond_at_risk: bool = False) -> "QueueStage":
        if status in OPEN_STATUSES:
            return QueueStage.OPEN
        if status is IntakeStatus.WAITLISTED:
            return QueueStage.WAITLISTED
        if status is IntakeStatus.ASSIGNED:
            return QueueStage.ATTENTION if bond_at_risk else QueueStage.ASSIGNED
        return QueueStage.CLOSED


_ALLOWED: dict[IntakeStatus, frozenset[IntakeStatus]] = {
    IntakeStatus.NEW: frozenset(
        {
            IntakeStatus.IN_REVIEW,
            IntakeStatus.NEEDS_REMATCH,
            IntakeStatus.ASSIGNED,
            IntakeStatus.WAITLISTED,
            IntakeStatus.REFERRED_OUT,
            IntakeStatus.DECLINED,
        }
    ),
    IntakeStatus.IN_REVIEW: frozenset(
        {
            IntakeStatus.NEEDS_REMATCH,
            IntakeStatus.ASSIGNED,
            IntakeStatus.WAITLISTED,
            IntakeStatus.REFERRED_OUT,
            IntakeStatus.DECLINED,
        }
    ),
    IntakeStatus.NEEDS_REMATCH: frozenset(
        {
            IntakeStatus.IN_REVIEW,
            IntakeStatus.ASSIGNED,
            IntakeStatus.WAITLISTED,
            IntakeStatus.REFERRED_OUT,
            IntakeStatus.DECLINED,
        }
    ),
    IntakeStatus.WAITLISTED: frozenset(
        {IntakeStatus.NEEDS_REMATCH, IntakeStatus.ASSIGNED, IntakeStatus.REFERRED_OUT, IntakeStatus.DECLINED}
    ),
    # only when the client asks for someone else, or their booked first conversation is cancelled
    IntakeStatus.ASSIGNED: frozenset({IntakeStatus.NEEDS_REMATCH}),
    IntakeStatus.REFERRED_OUT: frozenset(),
    IntakeStatus.DECLINED: frozenset(),
}


def can_transition(current: IntakeStatus, new: IntakeStatus) -> bool:
    return new in _ALLOWED[current]


def statuses_that_can_become(new: IntakeStatus) -> frozenset[IntakeStatus]:
    """Every status from which `new` may be reached (a conditional write checks the stored one)."""
    return frozenset(status for status, nexts in _ALLOWED.items() if new in nexts)


COUNSELOR_GROUP = "counselor"
"""The user pool group of counselors' own sign-ins (an admin's invitation puts them there)."""


class Actor(BaseModel):
    """A signed-in staff member, as the token describes them."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    user_id: str
    username: str
    groups: frozenset[str]


class HistoryKind(StrEnum):
    SUBMITTED = "submitted"
    OPENED = "opened"
    MATCHED = "matched"
    ASSIGNED = "assigned"
    DECIDED = "decided"
    SESSION_HELD = "session_held"
    CHECK_IN = "check_in"
    REMATCH_REQUESTED = "rematch_requested"
    BOND_REVIEWED = "bond_reviewed"
    SHORTLIST_RELEASED = "shortlist_released"  # staff released the shortlist to the client (staff-approved)
    # the client's booked first conversation (booking it is an `assigned` entry with the actor "client")
    RESCHEDULED = "rescheduled"
    BOOKING_CANCELLED = "booking_cancelled"


class HistoryEntry(BaseModel):
    """One step in an intake's life, shown to staff. `note` is staff-written and never logged."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    at: datetime
    kind: HistoryKind
    actor: str | None = Field(description="Who did it (staff username), or null for the service itself.")
    status: IntakeStatus
    counselor_id: str | None = None
    note: str = ""
    asked_for: list[Change] = Field(
        default_factory=list, description="On a client's request for someone else: what they chose to change."
    )


class StoredMatch(BaseModel):
    """The latest matching run for an intake, with the counselor names as they were at that time."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    result: MatchResult
    roster_version: int
    matched_at: datetime
    counselor_names: dict[str, str] = Field(default_factory=dict)
    asked_for: list[Change] = Field(
        default_factory=list,
        description="When the client asked for someone else: what they chose to change, as must-haves of this run.",
    )


class AssignedFit(BaseModel):
    """How the assigned counselor fit when assigned: their score and each factor's level (for the report)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    score: int | None = Field(description="Null when the counselor was not among the suggestions.")
    levels: dict[str, float] = Field(default_factory=dict)


class Intake(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    intake_id: IntakeId
    answers: IntakeAnswers
    status: IntakeStatus
    urgent: bool
    created_at: datetime
    updated_at: datetime
    assigned_counselor_id: str | None = None
    status_links: dict[str, datetime] = Field(
        description="The hash of each private status-link token the client was given, with when it expires."
    )
    idempotency_record: str | None = Field(default=None, description="Erased together with the intake.")
    match: StoredMatch | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
    assigned_at: datetime | None = None
    assigned_fit: AssignedFit | None = None
    sessions_held: int = 0
    check_ins: list[CheckIn] = Field(default_factory=list)
    bond_at_risk: bool = False
    excluded_counselor_ids: list[str] = Field(
        default_factory=list, description="Counselors the client asked not to continue with: never suggested again."
    )
    shortlist_released_at: datetime | None = Field(
        default=None, description="When staff released the shortlist to the client (policy staff-approved)."
    )
    booking: Booking | None = Field(default=None, description="The first conversation the client booked.")
    revision: int = Field(default=0, description="How many writes changed the intake: a write may hold on it.")

    def was_assigned_before(self) -> bool:
        """Whether the intake had a counselor before (and the client asked for someone else)."""
        return any(entry.kind is HistoryKind.ASSIGNED for entry in self.history)

    def check_ins_with_current_counselor(self) -> int:
        """Check-ins sent since the intake was assigned to its current counselor."""
        if self.assigned_counselor_id is None or self.assigned_at is None:
            return 0
        return sum(
            1
            for c in self.check_ins
            if c.counselor_id == self.assigned_counselor_id and c.invited_at >= self.assigned_at
        )


class QueueSummary(BaseModel):
    """What the staff's lists show of an intake without opening it (and auditing the read)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    name: str
    primary_concern: str
    service_type: str
    jurisdiction: str
    format: str
    no_match: str | None = None

    booking: "BookedInQueue | None" = None
    locale: Locale = Locale.EN  # the client's language (a summary written before languages: English)

    @staticmethod
    def of(intake: Intake) -> "QueueSummary":
        answers = intake.answers
        no_match = intake.match.result.no_match if intake.match else None
        return QueueSummary(
            name=answers.contact.preferred_name or answers.contact.name,
            primary_concern=answers.concerns.primary.value,
            service_type=answers.client.service_type.value,
            jurisdiction=answers.client.jurisdiction.value,
            format=answers.format.format.value,
            no_match=no_match.reason.value if no_match else None,
            booking=BookedInQueue.of(intake.booking) if intake.booking else None,
            locale=answers.locale,
        )


class BookedInQueue(BaseModel):
    """The client's booked first conversation, as the staff's lists show it (kept in the queue summary, so
    the lists need no other read)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    counselor_id: str
    kind: str
    format: str
    start: datetime
    minutes: int

    @staticmethod
    def of(booking: Booking) -> "BookedInQueue":
        return BookedInQueue(
            counselor_id=booking.counselor_id,
            kind=booking.kind.value,
            format=booking.format.value,
            start=booking.start,
            minutes=booking.minutes,
        )
