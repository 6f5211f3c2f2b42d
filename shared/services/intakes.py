"""Use cases for prospective clients: submit an intake, check where it stands."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain.counselor import CounselorPublicProfile
from shared.domain.errors import IntakeNotFound, StoreUnavailable
from shared.domain.ids import new_intake_id
from shared.domain.intake import IntakeAnswers
from shared.domain.records import HistoryEntry, HistoryKind, Intake, IntakeStatus, StoredMatch
from shared.matching.engine import suggest
from shared.services.ports import Clock, IntakeEvents, IntakeStore, RosterChanged, RosterStore
from shared.services.roster_cache import RosterCache

logger = Logger(child=True)

_MATCH_ATTEMPTS = 3


class Submitted(NamedTuple):
    intake_id: str
    status_token: str
    status: IntakeStatus
    urgent: bool


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submit_intake(
    answers: IntakeAnswers,
    *,
    intakes: IntakeStore,
    roster_store: RosterStore,
    roster: RosterCache,
    events: IntakeEvents,
    clock: Clock,
    retention_days: int,
    idempotency_record: str | None = None,
) -> Submitted:
    """Stores the intake with suggestions from the current roster, then announces it.

    Once this returns, the intake is stored: if matching cannot finish (it fails, or the roster keeps
    changing), the intake is stored anyway, marked for re-matching, and staff see it in the queue.
    """
    now = clock()
    intake_id = new_intake_id()
    token = secrets.token_urlsafe(32)
    expires_at = int((now + timedelta(days=retention_days)).timestamp())
    base = Intake(
        intake_id=intake_id,
        answers=answers,
        status=IntakeStatus.NEW,
        urgent=answers.urgent,
        created_at=now,
        updated_at=now,
        status_token_hash=_token_hash(token),
        idempotency_record=idempotency_record,
        history=[HistoryEntry(at=now, kind=HistoryKind.SUBMITTED, actor=None, status=IntakeStatus.NEW)],
    )
    stored: Intake | None = None
    for _ in range(_MATCH_ATTEMPTS):
        try:
            match = _match(answers, roster_store, roster, now)
        except StoreUnavailable:
            raise
        except Exception:  # the engine must never lose an intake; the type is logged, never the content
            logger.exception("matching failed; storing the intake for re-matching", extra={"intake_id": intake_id})
            break
        candidate = base.model_copy(update={"match": match})
        try:
            intakes.create_intake(candidate, expires_at, roster_version=match.roster_version)
            stored = candidate
            break
        except RosterChanged:
            roster.refresh(roster_store)
    if stored is None:
        stored = base.model_copy(update={"status": IntakeStatus.NEEDS_REMATCH})
        intakes.create_intake(stored, expires_at, roster_version=None)

    no_match = stored.match is None or stored.match.result.no_match is not None
    try:
        events.intake_received(intake_id, stored.urgent, no_match)
    except Exception:  # the intake is stored and in the staff queue; the email is a convenience
        logger.exception("could not announce the new intake", extra={"intake_id": intake_id})
    return Submitted(intake_id=intake_id, status_token=token, status=stored.status, urgent=stored.urgent)


def _match(answers: IntakeAnswers, roster_store: RosterStore, roster: RosterCache, now: datetime) -> StoredMatch:
    compiled = roster.current(roster_store)
    result = suggest(answers, compiled)
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


_CLIENT_STAGE = {
    IntakeStatus.NEW: ClientStage.RECEIVED,
    IntakeStatus.NEEDS_REMATCH: ClientStage.RECEIVED,
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


def intake_status(intake_id: str, token: str, *, intakes: IntakeStore, roster_store: RosterStore) -> ClientStatus:
    """Where the intake stands. A wrong token looks exactly like an unknown reference."""
    try:
        view = intakes.get_status(intake_id)
    except IntakeNotFound:
        _token_hash(token)  # same work either way, so timing does not tell the two apart
        raise
    if not hmac.compare_digest(view.status_token_hash, _token_hash(token)):
        raise IntakeNotFound()
    counselor = None
    if view.status is IntakeStatus.ASSIGNED and view.assigned_counselor_id:
        counselor = roster_store.public_profile(view.assigned_counselor_id)
    return ClientStatus(stage=_CLIENT_STAGE[view.status], updated_at=view.updated_at, counselor=counselor)
