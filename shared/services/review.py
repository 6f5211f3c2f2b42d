"""Use cases for practice staff: the queue, one intake, assign, decide, re-run matching, and after the
match: sessions held (which send check-ins) and reviewing a bond at risk."""

from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain import report_counters
from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM, CheckIn, check_in_due
from shared.domain.booking import Booking
from shared.domain.errors import AlreadyDecided, InvalidRequest, ShortlistAlreadyReleased, TransitionNotAllowed
from shared.domain.records import (
    ASSIGNABLE_STATUSES,
    DECISION_STATUS,
    Actor,
    AssignedFit,
    Decision,
    HistoryEntry,
    HistoryKind,
    Intake,
    IntakeStatus,
    QueueStage,
    QueueSummary,
    StoredMatch,
    can_transition,
    statuses_that_can_become,
)
from shared.domain.shortlist import BookingPolicy, shortlist_counselor_ids
from shared.matching.engine import Fits, fits, suggest
from shared.services.bond import new_check_in
from shared.services.changes import (
    Assignment,
    Audit,
    Decided,
    EmailKind,
    OutboxEmail,
    Rematched,
    ScheduledCheckIn,
    SessionHeld,
    ShortlistReleased,
    StatusLink,
    ViewRecorded,
    client_email,
    move,
)
from shared.services.links import new_token
from shared.services.ports import Clock, IntakeEvents, IntakeStore, MatchChanged, Page, QueueEntry, RosterStore
from shared.services.roster_cache import RosterCache
from shared.services.roster_lock import while_roster_changes

logger = Logger(child=True)

OVERRIDE_REASON_MIN = 10


class Outcome(NamedTuple):
    """Where a staff action left the intake."""

    reference: str
    status: IntakeStatus


class SessionOutcome(NamedTuple):
    sessions_held: int
    check_in: CheckIn | None  # the check-in the session sent, if one


def queue(
    intakes: IntakeStore, stage: QueueStage, status: IntakeStatus | None, limit: int, cursor: str | None
) -> Page[QueueEntry]:
    """Urgent intakes first, then the oldest."""
    return intakes.list_queue(stage, status, limit, cursor)


def open_intake(intakes: IntakeStore, intake_id: str, actor: Actor, clock: Clock) -> Intake:
    """The intake with its answers, suggestions and history. The read is audited; the first read by staff
    also takes a new intake into review."""
    intake = intakes.get_intake(intake_id)
    now = clock()
    audit = Audit(actor, "viewed_intake", now, intake_id=intake.intake_id)
    if intake.status is not IntakeStatus.NEW:
        intakes.record_view(ViewRecorded(intake, audit))
        return intake
    entry = HistoryEntry(at=now, kind=HistoryKind.OPENED, actor=actor.username, status=IntakeStatus.IN_REVIEW)
    try:
        intakes.record_view(
            ViewRecorded(intake, audit, move(IntakeStatus.IN_REVIEW, frozenset({IntakeStatus.NEW})), entry)
        )
    except AlreadyDecided:  # another staff member opened it first: still audit this read
        intakes.record_view(ViewRecorded(intake, audit))
        return intake
    return intake.model_copy(
        update={"status": IntakeStatus.IN_REVIEW, "updated_at": now, "history": [*intake.history, entry]}
    )


def suggested_ids(intake: Intake) -> set[str]:
    if intake.match is None:
        return set()
    result = intake.match.result
    return {s.counselor_id for s in (*result.suggestions, *result.alternatives)}


def fit_of(intake: Intake, counselor_id: str) -> AssignedFit:
    """The counselor's score and factor levels in the intake's match (none if they were not suggested)."""
    if intake.match is not None:
        result = intake.match.result
        for suggestion in (*result.suggestions, *result.alternatives):
            if suggestion.counselor_id == counselor_id:
                return AssignedFit(
                    score=suggestion.score, levels={f.factor.value: f.level for f in suggestion.breakdown}
                )
    return AssignedFit(score=None, levels={})


_MATCH_READS = 3


def assign(
    intakes: IntakeStore,
    intake_id: str,
    counselor_id: str,
    reason: str,
    actor: Actor,
    clock: Clock,
    *,
    events: IntakeEvents | None = None,
    status_link_days: int = 180,
    check_in_days: tuple[int, ...] = (),
) -> Outcome:
    """Gives the intake to a counselor: a suggested one, or any other with a reason of at least 10 characters.
    The client is emailed that they are matched, with a fresh private status link. With `check_in_days`,
    check-ins are scheduled that many days after the match, in case no session is marked as held."""
    for attempt in range(_MATCH_READS):  # a colleague may re-run matching meanwhile: then on the new match
        intake = intakes.get_intake(intake_id)
        if intake.status not in ASSIGNABLE_STATUSES:
            raise TransitionNotAllowed(f"An intake that is {intake.status.value.replace('_', ' ')} cannot be assigned.")
        if counselor_id in intake.excluded_counselor_ids and len(reason.strip()) < OVERRIDE_REASON_MIN:
            raise InvalidRequest(
                "The client asked to move on from this counselor. Say why you are assigning them again "
                "(at least 10 characters).",
                ("body", "reason"),
            )
        if counselor_id not in suggested_ids(intake) and len(reason.strip()) < OVERRIDE_REASON_MIN:
            raise InvalidRequest(
                "Say why you chose a counselor who was not suggested (at least 10 characters).", ("body", "reason")
            )
        change, _ = assignment_change(
            intake, counselor_id, reason.strip(), actor, clock(),
            email_kind=EmailKind.MATCHED, status_link_days=status_link_days, check_in_days=check_in_days,
        )  # fmt: skip
        try:
            while_roster_changes(partial(intakes.assign, change))
            break
        except MatchChanged:
            if attempt + 1 == _MATCH_READS:
                raise AlreadyDecided() from None
    _announce_email(events, intake_id)
    return Outcome(intake_id, IntakeStatus.ASSIGNED)


def assignment_change(
    intake: Intake,
    counselor_id: str,
    note: str,
    actor: Actor,
    now: datetime,
    *,
    email_kind: EmailKind,
    status_link_days: int,
    check_in_days: tuple[int, ...],
    booking: Booking | None = None,
) -> tuple[Assignment, str]:
    """What giving the intake to a counselor changes, whoever does it (staff, or the client booking a first
    conversation): the status, the history and audit entries, the fit recorded, a fresh status link in the
    client's email, the scheduled check-ins and the first-match counter. Returns it with the link's token."""
    token, link_hash = new_token()
    first_match = (
        ()
        if intake.was_assigned_before()
        else (  # the report: each client's first match
            report_counters.first_match((now - intake.created_at).total_seconds() / 3600),
        )
    )
    change = Assignment(
        intake=intake,
        counselor_id=counselor_id,
        at=now,
        move=move(IntakeStatus.ASSIGNED, ASSIGNABLE_STATUSES),
        history=HistoryEntry(
            at=now,
            kind=HistoryKind.ASSIGNED,
            actor=actor.username,
            status=IntakeStatus.ASSIGNED,
            counselor_id=counselor_id,
            note=note,
        ),
        audit=Audit(
            actor, "booked" if booking else "assigned", now, intake_id=intake.intake_id, counselor_id=counselor_id
        ),
        fit=fit_of(intake, counselor_id),
        link=StatusLink(link_hash, now + timedelta(days=status_link_days)),
        email=client_email(email_kind, intake.answers, token, counselor_id=counselor_id, booking=booking),
        check_ins=tuple(
            ScheduledCheckIn(n, days, now + timedelta(days=days)) for n, days in enumerate(check_in_days, 1)
        ),
        counters=first_match,
    )
    return change, token


def _announce_email(events: IntakeEvents | None, intake_id: str) -> None:
    if events is None:
        return
    try:
        events.client_email_queued(intake_id)
    except Exception:  # the email waits in the outbox; the retry sweep sends it
        logger.exception("could not announce a queued email", extra={"intake_id": intake_id})


def shortlist_releasable(intake: Intake, policy: BookingPolicy) -> bool:
    """Whether staff can release this intake's shortlist now (the console shows the action only then)."""
    return (
        policy is BookingPolicy.STAFF_APPROVED
        and not intake.urgent
        and intake.status in ASSIGNABLE_STATUSES
        and intake.shortlist_released_at is None
        and intake.match is not None
        and bool(shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids))
    )


def release_shortlist(
    intakes: IntakeStore,
    intake_id: str,
    actor: Actor,
    clock: Clock,
    *,
    policy: BookingPolicy,
    events: IntakeEvents | None = None,
    status_link_days: int = 180,
) -> Outcome:
    """Staff release the shortlist to the client (policy staff-approved), once: the client can see it on their
    status page and book from it, and is emailed a fresh link to that page. Never for an urgent intake: a
    person reaches that client first."""
    intake = intakes.get_intake(intake_id)
    if policy is not BookingPolicy.STAFF_APPROVED:
        raise TransitionNotAllowed(
            f"The practice's booking policy is {policy.value}: staff do not release shortlists under it."
        )
    if intake.urgent:
        raise TransitionNotAllowed("An urgent intake is never offered self-service: contact the client yourself.")
    if intake.shortlist_released_at is not None:
        raise ShortlistAlreadyReleased()
    if intake.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(
            f"An intake that is {intake.status.value.replace('_', ' ')} has no shortlist to release."
        )
    if intake.match is None or not shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids):
        raise TransitionNotAllowed("This intake has no suggestions to release. Re-run matching first.")
    now = clock()
    token, link_hash = new_token()
    change = ShortlistReleased(
        intake=intake,
        at=now,
        allowed_from=ASSIGNABLE_STATUSES,
        history=HistoryEntry(at=now, kind=HistoryKind.SHORTLIST_RELEASED, actor=actor.username, status=intake.status),
        audit=Audit(actor, "released_shortlist", now, intake_id=intake.intake_id),
        link=StatusLink(link_hash, now + timedelta(days=status_link_days)),
        email=client_email(EmailKind.SHORTLIST, intake.answers, token),
    )
    try:
        intakes.release_shortlist(change)
    except MatchChanged:  # a colleague re-ran matching since this read: staff look at the new suggestions
        raise AlreadyDecided() from None
    _announce_email(events, intake_id)
    return Outcome(intake_id, intake.status)


DECISION_EMAIL = {
    IntakeStatus.WAITLISTED: EmailKind.WAITLISTED,
    IntakeStatus.REFERRED_OUT: EmailKind.REFERRED_OUT,
    IntakeStatus.DECLINED: EmailKind.DECLINED,
}


def decide(
    intakes: IntakeStore,
    intake_id: str,
    decision: Decision,
    note: str,
    actor: Actor,
    clock: Clock,
    events: IntakeEvents | None = None,
    status_link_days: int = 180,
) -> Outcome:
    """Waitlist, refer out or decline, with a note for the team. The client is emailed what the decision
    means and what happens next, with a fresh status link; never the note."""
    intake = intakes.get_intake(intake_id)
    status = DECISION_STATUS[decision]
    if not can_transition(intake.status, status):
        raise TransitionNotAllowed(
            f"An intake that is {intake.status.value.replace('_', ' ')} cannot be {status.value.replace('_', ' ')}."
        )
    now = clock()
    token, link_hash = new_token()
    intakes.decide(
        Decided(
            intake=intake,
            at=now,
            move=move(status, statuses_that_can_become(status)),
            history=HistoryEntry(
                at=now, kind=HistoryKind.DECIDED, actor=actor.username, status=status, note=note.strip()
            ),
            audit=Audit(actor, f"decided_{status.value}", now, intake_id=intake.intake_id),
            link=StatusLink(link_hash, now + timedelta(days=status_link_days)),
            email=client_email(DECISION_EMAIL[status], intake.answers, token),
        )
    )
    _announce_email(events, intake_id)
    return Outcome(intake_id, status)


def rematch(
    intakes: IntakeStore,
    roster_store: RosterStore,
    roster: RosterCache,
    intake_id: str,
    actor: Actor,
    clock: Clock,
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
) -> StoredMatch:
    """Runs matching again on the current roster (after the roster changed, or a failed match). Counselors
    the client moved on from stay left out."""
    intake = intakes.get_intake(intake_id)
    if intake.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(f"An intake that is {intake.status.value.replace('_', ' ')} is not being matched.")
    new_status = IntakeStatus.IN_REVIEW if intake.status is not IntakeStatus.WAITLISTED else IntakeStatus.WAITLISTED
    allowed = frozenset({intake.status})
    exclude = frozenset(intake.excluded_counselor_ids)

    def match_and_store() -> StoredMatch:
        compiled = roster.current(roster_store)
        now = clock()
        result = suggest(intake.answers, compiled, exclude=exclude, evidence_minimum=evidence_minimum, now=now)
        chosen = [s.counselor_id for s in (*result.suggestions, *result.alternatives)]
        match = StoredMatch(
            result=result, roster_version=roster.version, matched_at=now, counselor_names=roster.names(chosen)
        )
        intakes.save_match(
            Rematched(
                intake=intake,
                match=match,
                at=now,
                move=move(new_status, allowed),
                history=HistoryEntry(at=now, kind=HistoryKind.MATCHED, actor=actor.username, status=new_status),
                audit=Audit(actor, "rematched", now, intake_id=intake.intake_id),
                summary=QueueSummary.of(intake.model_copy(update={"match": match})),
            )
        )
        return match

    return while_roster_changes(match_and_store, before_retry=lambda: roster.refresh(roster_store))


class FitsNow(NamedTuple):
    """Everyone who fits an intake on the current roster, and the roster's current names and open slots of
    the counselors the intake names."""

    at: datetime
    found: Fits
    names: dict[str, str]
    open_slots: dict[str, int]


def named_counselors(intake: Intake) -> set[str]:
    """Every counselor the intake names: suggested, assigned, in its history, moved on from."""
    named = suggested_ids(intake) | set(intake.excluded_counselor_ids)
    named |= {h.counselor_id for h in intake.history if h.counselor_id}
    if intake.assigned_counselor_id:
        named.add(intake.assigned_counselor_id)
    return named


def fits_now(
    intake: Intake,
    roster_store: RosterStore,
    roster: RosterCache,
    clock: Clock,
    limit: int,
    evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM,
) -> FitsNow:
    """Everyone who fits the intake now (at most `limit`), scored as matching scores them, leaving out the
    counselors the client moved on from. Reads only what changed on the roster since the warm copy: a
    stored match keeps the open slots of when it ran, this says what they are now. Stores nothing."""
    roster.refresh(roster_store)
    now = clock()
    found = fits(
        intake.answers, roster.current(roster_store), limit,
        exclude=frozenset(intake.excluded_counselor_ids), evidence_minimum=evidence_minimum, now=now,
    )  # fmt: skip
    named = named_counselors(intake)
    return FitsNow(
        at=now,
        found=found,
        names=roster.names(named | {s.counselor_id for s in found.fits}),
        open_slots=roster.open_slots(named),
    )


def record_session(
    intakes: IntakeStore,
    roster_store: RosterStore,
    intake_id: str,
    actor: Actor,
    clock: Clock,
    *,
    schedule: tuple[int, ...],
    link_days: int,
    events: IntakeEvents | None = None,
) -> SessionOutcome:
    """Staff mark a session with the assigned counselor as held. After the sessions in `schedule` the client
    is sent a check-in link (valid for `link_days`), unless the day schedule already sent that check-in.
    Returns the sessions held and the check-in, if one."""
    intake = intakes.get_intake(intake_id)
    if intake.status is not IntakeStatus.ASSIGNED or intake.assigned_counselor_id is None:
        raise TransitionNotAllowed("Sessions can be recorded only for an intake assigned to a counselor.")
    held = intake.sessions_held + 1
    now = clock()
    invite: CheckIn | None = None
    email: OutboxEmail | None = None
    if held in schedule and check_in_due(intake.check_ins_with_current_counselor(), schedule.index(held) + 1):
        counselor = roster_store.public_profile(intake.assigned_counselor_id)
        invite, email = new_check_in(intake, counselor.name, now, link_days, after_session=held)
    intakes.record_session(
        SessionHeld(
            intake=intake,
            at=now,
            sessions_held=held,
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.SESSION_HELD,
                actor=actor.username,
                status=intake.status,
                counselor_id=intake.assigned_counselor_id,
                note=f"Session {held}",
            ),
            audit=Audit(actor, "session_held", now, intake_id=intake.intake_id),
            invite=invite,
            email=email,
        )
    )
    if email is not None:
        _announce_email(events, intake_id)
    return SessionOutcome(held, invite)


def review_bond(intakes: IntakeStore, intake_id: str, note: str, actor: Actor, clock: Clock) -> Outcome:
    """Staff have followed up on a bond at risk: the intake leaves the "needs attention" list."""
    intake = intakes.get_intake(intake_id)
    if not intake.bond_at_risk or intake.status is not IntakeStatus.ASSIGNED:
        raise TransitionNotAllowed("This intake has no check-in waiting for review.")
    now = clock()
    intakes.decide(
        Decided(
            intake=intake,
            at=now,
            move=move(IntakeStatus.ASSIGNED, frozenset({IntakeStatus.ASSIGNED})),
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.BOND_REVIEWED,
                actor=actor.username,
                status=intake.status,
                counselor_id=intake.assigned_counselor_id,
                note=note.strip(),
            ),
            audit=Audit(actor, "reviewed_bond", now, intake_id=intake.intake_id),
            bond_reviewed=True,
        )
    )
    return Outcome(intake_id, IntakeStatus.ASSIGNED)
