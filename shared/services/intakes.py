"""Use cases for prospective clients: submit an intake, check where it stands, ask for someone else."""

from datetime import datetime, timedelta
from typing import NamedTuple

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict

from shared.domain import report_counters
from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM
from shared.domain.booking import Booking
from shared.domain.counselor import CounselorPublicProfile
from shared.domain.errors import CounselorNotFound, IntakeNotFound, RosterBusy, StoreUnavailable, TransitionNotAllowed
from shared.domain.ids import new_intake_id
from shared.domain.intake import IntakeAnswers
from shared.domain.records import HistoryEntry, HistoryKind, Intake, IntakeStatus, QueueStage, QueueSummary, StoredMatch
from shared.domain.rematch import AskedChanges, with_changes
from shared.domain.shortlist import BookingPolicy
from shared.matching.engine import suggest
from shared.services.changes import ClientRematch, EmailKind, NewIntake, StatusLink, client_email, move
from shared.services.email_limits import DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY, confirmation_quota
from shared.services.links import check_status_link, new_token, token_hash
from shared.services.ports import Clock, EmailLimitReached, IntakeEvents, IntakeStore, RosterStore, SlotsFull
from shared.services.roster_cache import RosterCache
from shared.services.roster_lock import while_roster_changes
from shared.services.shortlist import shortlist_ready

logger = Logger(child=True)


class Submitted(BaseModel):
    """What a submission returns (and a retry with the same Idempotency-Key gets again)."""

    model_config = ConfigDict(frozen=True)

    intake_id: str
    status_token: str
    status: IntakeStatus
    urgent: bool


def submit_intake(
    answers: IntakeAnswers,
    *,
    intakes: IntakeStore,
    roster_store: RosterStore,
    roster: RosterCache,
    events: IntakeEvents,
    clock: Clock,
    retention_days: int,
    status_link_days: int = 180,
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
    idempotency_record: str | None = None,
    confirmations_per_address_per_day: int = DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
    policy: BookingPolicy = BookingPolicy.STAFF_FIRST,
) -> Submitted:
    """Stores the intake with suggestions from the current roster, then announces it.

    Once this returns, the intake is stored: if matching cannot finish (it fails, or the roster keeps
    changing), the intake is stored anyway, marked for re-matching, and staff see it in the queue. The
    client's address is sent a confirmation only while it had fewer than `confirmations_per_address_per_day`
    today (anyone can type a stranger's address); past that the intake is stored without one, and the
    submit response still carries the status link. Under the client-first policy, when the shortlist is open
    (never for an urgent intake), that email is the shortlist email instead, with the same link.
    """
    now = clock()
    intake_id = new_intake_id()
    token, link_hash = new_token()
    expires_at = int((now + timedelta(days=retention_days)).timestamp())
    base = Intake(
        intake_id=intake_id,
        answers=answers,
        status=IntakeStatus.NEW,
        urgent=answers.urgent,
        created_at=now,
        updated_at=now,
        status_links={link_hash: now + timedelta(days=status_link_days)},
        idempotency_record=idempotency_record,
        history=[HistoryEntry(at=now, kind=HistoryKind.SUBMITTED, actor=None, status=IntakeStatus.NEW)],
    )
    quota = confirmation_quota(answers.contact.email, now, confirmations_per_address_per_day)

    def new(intake: Intake, roster_version: int | None) -> NewIntake:
        no_match = intake.match.result.no_match if intake.match else None
        kind = EmailKind.SHORTLIST if shortlist_ready(intake, policy) else EmailKind.CONFIRMATION
        return NewIntake(
            intake=intake,
            summary=QueueSummary.of(intake),
            stage=QueueStage.of(intake.status),
            expires_at=expires_at,
            roster_version=roster_version,
            email=client_email(kind, answers, token),
            counters=report_counters.matching_run(no_match.reason.value if no_match else None),
            email_quota=quota,
        )

    def store(change: NewIntake) -> None:
        try:
            intakes.create_intake(change)
        except EmailLimitReached:  # this address had its confirmations today: the intake is kept, unmailed
            logger.info(
                "confirmation limit reached for the address; stored without one", extra={"intake_id": intake_id}
            )
            intakes.create_intake(change._replace(email=None, email_quota=None))

    def match_and_store() -> Intake | None:
        try:
            match = _match(answers, roster_store, roster, now, evidence_minimum=evidence_minimum)
        except StoreUnavailable:
            raise
        except Exception:  # the engine must never lose an intake; the type is logged, never the content
            logger.exception("matching failed; storing the intake for re-matching", extra={"intake_id": intake_id})
            return None
        candidate = base.model_copy(update={"match": match})
        store(new(candidate, match.roster_version))
        return candidate

    try:
        stored = while_roster_changes(match_and_store, before_retry=lambda: roster.refresh(roster_store))
    except RosterBusy:
        stored = None
    if stored is None:
        stored = base.model_copy(update={"status": IntakeStatus.NEEDS_REMATCH})
        store(new(stored, None))

    no_match = stored.match is None or stored.match.result.no_match is not None
    try:  # the notifier emails the practice and sends the client's confirmation from the outbox
        events.intake_received(intake_id, stored.urgent, no_match)
    except Exception:  # the intake is stored and in the staff queue; the emails are sent by the retry sweep
        logger.exception("could not announce the new intake", extra={"intake_id": intake_id})
    return Submitted(intake_id=intake_id, status_token=token, status=stored.status, urgent=stored.urgent)


def _match(
    answers: IntakeAnswers,
    roster_store: RosterStore,
    roster: RosterCache,
    now: datetime,
    *,
    exclude: frozenset[str] = frozenset(),
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
) -> StoredMatch:
    compiled = roster.current(roster_store)
    result = suggest(answers, compiled, exclude=exclude, evidence_minimum=evidence_minimum, now=now)
    chosen = [s.counselor_id for s in (*result.suggestions, *result.alternatives)]
    return StoredMatch(
        result=result, roster_version=roster.version, matched_at=now, counselor_names=roster.names(chosen)
    )


class ClientStage:
    """Where an intake stands, in the client's terms."""

    RECEIVED = "received"
    BEING_REVIEWED = "being_reviewed"
    MATCHED = "matched"
    WAITLISTED = "waitlisted"
    REFERRED = "referred"
    CLOSED = "closed"
    FINDING_SOMEONE_ELSE = "finding_someone_else"  # the client asked for a different counselor


_CLIENT_STAGE = {
    IntakeStatus.NEW: ClientStage.RECEIVED,
    IntakeStatus.NEEDS_REMATCH: ClientStage.RECEIVED,  # a failed first match, a cancelled booking, ...
    IntakeStatus.IN_REVIEW: ClientStage.BEING_REVIEWED,
    IntakeStatus.ASSIGNED: ClientStage.MATCHED,
    IntakeStatus.WAITLISTED: ClientStage.WAITLISTED,
    IntakeStatus.REFERRED_OUT: ClientStage.REFERRED,
    IntakeStatus.DECLINED: ClientStage.CLOSED,
}


class ClientStatus(NamedTuple):
    stage: str
    updated_at: datetime
    counselor: CounselorPublicProfile | None
    can_request_rematch: bool
    booking: Booking | None = None
    urgent: bool = False


def intake_status(
    intake_id: str, token: str, *, intakes: IntakeStore, roster_store: RosterStore, clock: Clock
) -> ClientStatus:
    """Where the intake stands. A wrong token looks exactly like an unknown reference; an old one says so."""
    try:
        view = intakes.get_status(intake_id)
    except IntakeNotFound:
        token_hash(token)  # the same work either way, so timing does not tell the two apart
        raise
    check_status_link(view.status_links, token, clock())
    counselor = None
    if view.status is IntakeStatus.ASSIGNED and view.assigned_counselor_id:
        try:
            counselor = roster_store.public_profile(view.assigned_counselor_id)
        except CounselorNotFound:  # no longer with the practice: still matched, and free to ask for someone else
            counselor = None
    asked = view.status is IntakeStatus.NEEDS_REMATCH and view.client_asked
    return ClientStatus(
        stage=ClientStage.FINDING_SOMEONE_ELSE if asked else _CLIENT_STAGE[view.status],
        updated_at=view.updated_at,
        counselor=counselor,
        can_request_rematch=view.status is IntakeStatus.ASSIGNED,
        booking=view.booking,
        urgent=view.urgent,
    )


_REMATCH_ONLY_WHEN_MATCHED = (
    "You can ask for a different counselor once you have been matched with one. Until then, our team is "
    "still choosing, and you can tell us anything that matters by replying to our email."
)


_CANCEL_THE_BOOKING_FIRST = (
    "You have a first conversation booked with this counselor. Cancel it first (on this page); you can then "
    "choose someone else from your shortlist, or ask us for a different counselor."
)


def request_rematch(
    intake_id: str,
    token: str,
    what_to_change: str,
    *,
    asked: AskedChanges | None = None,
    intakes: IntakeStore,
    roster_store: RosterStore,
    roster: RosterCache,
    events: IntakeEvents,
    clock: Clock,
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
    status_link_days: int = 180,
) -> "RematchRequested":
    """The client asks for a different counselor: matching runs again on their answers with what they chose
    to change made must-haves (shared/domain/rematch.py), leaving out every counselor they moved on from;
    the intake keeps the changed answers and goes back to the staff queue; the previous counselor gets the
    slot back. What the client writes is kept for staff only."""
    asked = asked or AskedChanges()
    intake = intakes.get_intake(intake_id)
    check_status_link(intake.status_links, token, clock())
    if intake.status is not IntakeStatus.ASSIGNED or intake.assigned_counselor_id is None:
        raise TransitionNotAllowed(_REMATCH_ONLY_WHEN_MATCHED)
    # An upcoming booking's time and slot are freed by cancelling it, which emails the client; one that has
    # begun is the past: it is closed with the request.
    if intake.booking is not None and intake.booking.start > clock():
        raise TransitionNotAllowed(_CANCEL_THE_BOOKING_FIRST)
    answers = with_changes(intake.answers, asked) if asked.changes else intake.answers
    exclude = frozenset({*intake.excluded_counselor_ids, intake.assigned_counselor_id})
    # The assignment this undoes changed the roster after any copy this function holds: catch up first
    # (one read of what changed) rather than have the first write refused.
    roster.refresh(roster_store)

    def match_and_store() -> StoredMatch:
        now = clock()
        match = _match(answers, roster_store, roster, now, exclude=exclude, evidence_minimum=evidence_minimum)
        match = match.model_copy(update={"asked_for": list(asked.changes)})
        change = client_rematch_change(intake, match, what_to_change, now, status_link_days, answers)
        if intake.booking is not None:
            change = change._replace(closes_booking=intake.booking)
        try:
            intakes.client_rematch(change)
        except SlotsFull:  # the counselor already has the most open slots a profile may have: none given back
            intakes.client_rematch(change._replace(give_back_slot=False))
        return match

    match = while_roster_changes(match_and_store, before_retry=lambda: roster.refresh(roster_store))
    try:
        events.rematch_requested(intake_id)  # the notifier tells the practice and sends the client's email
    except Exception:  # staff see it in the queue either way; the client's email waits for the retry sweep
        logger.exception("could not announce the rematch request", extra={"intake_id": intake_id})
    return RematchRequested(stage=ClientStage.FINDING_SOMEONE_ELSE, no_match=match.result.no_match is not None)


class RematchRequested(NamedTuple):
    stage: str  # where the intake now stands, in the client's terms
    no_match: bool


def client_rematch_change(
    intake: Intake,
    match: StoredMatch,
    what_to_change: str,
    at: datetime,
    status_link_days: int = 180,
    answers: IntakeAnswers | None = None,
) -> ClientRematch:
    """What a client's request for someone else changes: back to the open queue with `match`, the counselor
    they leave named in the history (with what they would like to change, for staff), the report's
    rematch count (and no-match count, when nobody else fits), and an email saying what happens meanwhile
    (with a fresh status link; never their words)."""
    previous = intake.assigned_counselor_id or ""
    no_match = match.result.no_match
    token, link_hash = new_token()
    return ClientRematch(
        intake=intake,
        previous_counselor_id=previous,
        match=match,
        at=at,
        move=move(IntakeStatus.NEEDS_REMATCH, frozenset({IntakeStatus.ASSIGNED})),
        history=HistoryEntry(
            at=at,
            kind=HistoryKind.REMATCH_REQUESTED,
            actor=None,
            status=IntakeStatus.NEEDS_REMATCH,
            counselor_id=previous,
            note=what_to_change.strip(),
            asked_for=match.asked_for,
        ),
        counters=(
            report_counters.rematch_requested(),
            *report_counters.matching_run(no_match.reason.value if no_match else None),
        ),
        link=StatusLink(link_hash, at + timedelta(days=status_link_days)),
        email=client_email(EmailKind.REMATCH_UNDER_WAY, intake.answers, token, counselor_id=previous),
        answers=answers if answers != intake.answers else None,
        summary=QueueSummary.of(intake.model_copy(update={"match": match, "answers": answers or intake.answers})),
    )
