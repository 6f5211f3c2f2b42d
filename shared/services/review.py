"""Use cases for practice staff: the queue, one intake, assign, decide, re-run matching."""

from aws_lambda_powertools import Logger

from shared.domain.errors import InvalidRequest, TransitionNotAllowed
from shared.domain.records import (
    ASSIGNABLE_STATUSES,
    DECISION_STATUS,
    Actor,
    Decision,
    Intake,
    IntakeStatus,
    StoredMatch,
    can_transition,
    statuses_that_can_become,
)
from shared.matching.engine import suggest
from shared.services.ports import Clock, IntakeStore, Page, QueueEntry, RosterChanged, RosterStore
from shared.services.roster_cache import RosterCache

logger = Logger(child=True)

OVERRIDE_REASON_MIN = 10
_MATCH_ATTEMPTS = 3


def queue(
    intakes: IntakeStore, stage: str, status: IntakeStatus | None, limit: int, cursor: str | None
) -> Page[QueueEntry]:
    """Urgent intakes first, then the oldest."""
    return intakes.list_queue(stage, status, limit, cursor)


def open_intake(intakes: IntakeStore, intake_id: str, actor: Actor, clock: Clock) -> Intake:
    """The intake with its answers, suggestions and history. The read is audited."""
    return intakes.record_view(intakes.get_intake(intake_id), actor, clock())


def suggested_ids(intake: Intake) -> set[str]:
    if intake.match is None:
        return set()
    result = intake.match.result
    return {s.counselor_id for s in (*result.suggestions, *result.alternatives)}


def assign(intakes: IntakeStore, intake_id: str, counselor_id: str, reason: str, actor: Actor, clock: Clock) -> None:
    """Gives the intake to a counselor: a suggested one, or any other with a reason of at least 10 characters."""
    intake = intakes.get_intake(intake_id)
    if intake.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(f"An intake that is {intake.status.value.replace('_', ' ')} cannot be assigned.")
    if counselor_id not in suggested_ids(intake) and len(reason.strip()) < OVERRIDE_REASON_MIN:
        raise InvalidRequest(
            "Say why you chose a counselor who was not suggested (at least 10 characters).", ("body", "reason")
        )
    intakes.assign(intake, counselor_id, actor, clock(), reason.strip())


def decide(intakes: IntakeStore, intake_id: str, decision: Decision, note: str, actor: Actor, clock: Clock) -> None:
    """Waitlist, refer out or decline, with a note for the team."""
    intake = intakes.get_intake(intake_id)
    status = DECISION_STATUS[decision]
    if not can_transition(intake.status, status):
        raise TransitionNotAllowed(
            f"An intake that is {intake.status.value.replace('_', ' ')} cannot be {status.value.replace('_', ' ')}."
        )
    intakes.decide(intake, status, statuses_that_can_become(status), actor, clock(), note.strip())


def rematch(
    intakes: IntakeStore, roster_store: RosterStore, roster: RosterCache, intake_id: str, actor: Actor, clock: Clock
) -> StoredMatch:
    """Runs matching again on the current roster (after the roster changed, or a failed match)."""
    intake = intakes.get_intake(intake_id)
    if intake.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(f"An intake that is {intake.status.value.replace('_', ' ')} is not being matched.")
    new_status = IntakeStatus.IN_REVIEW if intake.status is not IntakeStatus.WAITLISTED else IntakeStatus.WAITLISTED
    allowed = frozenset({intake.status})
    for _ in range(_MATCH_ATTEMPTS):
        compiled = roster.current(roster_store)
        result = suggest(intake.answers, compiled)
        chosen = [s.counselor_id for s in (*result.suggestions, *result.alternatives)]
        match = StoredMatch(
            result=result, roster_version=roster.version, matched_at=clock(), counselor_names=roster.names(chosen)
        )
        try:
            intakes.save_match(intake, match, new_status, allowed, actor, clock())
            return match
        except RosterChanged:
            roster.refresh(roster_store)
    raise TransitionNotAllowed("The roster is changing right now; try re-running matching in a moment.")
