"""Use cases for the client's check-in link: see the check-in, send it once."""

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain.bond import CheckIn, CheckInAnswers, assess
from shared.domain.errors import CheckInAlreadySent, IntakeNotFound, LinkExpired
from shared.domain.records import IntakeStatus
from shared.services.links import matches, token_hash
from shared.services.ports import CheckInRecord, Clock, IntakeEvents, IntakeStore

logger = Logger(child=True)


class CheckInState(StrEnum):
    OPEN = "open"
    SENT = "sent"
    EXPIRED = "expired"


class CheckInView(NamedTuple):
    number: int
    state: CheckInState
    counselor_name: str
    expires_at: datetime


def _verified(check_in: CheckIn, token: str) -> CheckIn:
    if not matches(check_in.token_hash, token):
        raise IntakeNotFound()
    return check_in


def view_check_in(intakes: IntakeStore, intake_id: str, number: int, token: str, clock: Clock) -> CheckInView:
    """Whether the check-in can still be sent. A sent or expired one is a state to show, not an error."""
    try:
        check_in = _verified(intakes.get_check_in(intake_id, number), token)
    except IntakeNotFound:
        token_hash(token)  # the same work either way
        raise
    if check_in.submitted_at is not None:
        state = CheckInState.SENT
    elif clock() >= check_in.expires_at:
        state = CheckInState.EXPIRED
    else:
        state = CheckInState.OPEN
    return CheckInView(number, state, check_in.counselor_name, check_in.expires_at)


def submit_check_in(
    intakes: IntakeStore,
    intake_id: str,
    number: int,
    token: str,
    answers: CheckInAnswers,
    clock: Clock,
    events: IntakeEvents | None = None,
) -> bool:
    """Stores the answers (once). A low or falling bond puts the intake in the staff queue as "bond at
    risk" and tells the practice. Returns whether the bond is at risk (for metrics, never for the client)."""
    intake = intakes.get_intake(intake_id)
    found = {c.number: c for c in intake.check_ins}
    if number not in found:
        token_hash(token)
        raise IntakeNotFound()
    check_in = _verified(found[number], token)
    if check_in.submitted_at is not None:
        raise CheckInAlreadySent()
    now = clock()
    if now >= check_in.expires_at:
        raise LinkExpired()
    previous = next(
        (c.answers for c in reversed(intake.check_ins) if c.number < number and c.answers is not None), None
    )
    risk = assess(answers, previous)
    still_with_them = intake.status is IntakeStatus.ASSIGNED and intake.assigned_counselor_id == check_in.counselor_id
    record = CheckInRecord(
        check_in=check_in,
        answers=answers,
        risk=risk.reasons,
        flag_intake=still_with_them,
        fit=intake.assigned_fit if still_with_them else None,
    )
    intakes.save_check_in(intake, record, now)
    if risk.at_risk and still_with_them and events is not None:
        try:
            events.bond_at_risk(intake_id)
        except Exception:  # the intake is in the "needs attention" queue either way
            logger.exception("could not announce a bond at risk", extra={"intake_id": intake_id})
    return risk.at_risk
