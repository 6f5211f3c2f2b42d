"""Use cases for check-ins: create one (after a session, or by the day schedule), and the client's check-in
link: see the check-in, send it once."""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain.bond import CheckIn, CheckInAnswers, assess, check_in_due
from shared.domain.errors import AlreadyDecided, CheckInAlreadySent, CounselorNotFound, IntakeNotFound, LinkExpired
from shared.domain.records import Intake, IntakeStatus
from shared.services.links import matches, new_token, token_hash
from shared.services.ports import (
    CheckInRecord,
    CheckInSchedule,
    Clock,
    DueCheckIn,
    EmailKind,
    IntakeEvents,
    IntakeStore,
    OutboxEmail,
)

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
    risk" and tells the practice. Returns whether the bond is at risk (for metrics, never for the client).

    The answers are kept even when the intake moves on while they are being saved (the client asked for
    someone else in another tab, say): the intake is read again and they are saved as about a counselor the
    client has left."""
    for attempt in range(2):
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
        # the trend is with the same counselor: a new counselor starts a new one
        earlier = [
            c.answers
            for c in intake.check_ins
            if c.number < number and c.answers is not None and c.counselor_id == check_in.counselor_id
        ]
        previous = earlier[-1] if earlier else None
        ratings = [a.identity for a in earlier if a.identity is not None]
        risk = assess(answers, previous)
        still_with_them = (
            intake.status is IntakeStatus.ASSIGNED and intake.assigned_counselor_id == check_in.counselor_id
        )
        record = CheckInRecord(
            check_in=check_in,
            answers=answers,
            risk=risk.reasons,
            flag_intake=still_with_them,
            fit=intake.assigned_fit if still_with_them else None,
            replaces=previous,
            rated_before=ratings[-1] if ratings else None,
        )
        try:
            intakes.save_check_in(intake, record, now)
            break
        except AlreadyDecided:  # the intake changed since it was read
            if attempt:
                raise
    if risk.at_risk and still_with_them and events is not None:
        try:
            events.bond_at_risk(intake_id)
        except Exception:  # the intake is in the "needs attention" queue either way
            logger.exception("could not announce a bond at risk", extra={"intake_id": intake_id})
    return risk.at_risk


def new_check_in(
    intake: Intake, counselor_name: str, now: datetime, link_days: int, after_days: int | None = None
) -> tuple[CheckIn, OutboxEmail]:
    """The next check-in with the intake's counselor, and the email that carries its link."""
    token, token_hash = new_token()
    invite = CheckIn(
        number=len(intake.check_ins) + 1,
        after_session=intake.sessions_held,
        after_days=after_days,
        counselor_id=intake.assigned_counselor_id or "",
        counselor_name=counselor_name,
        invited_at=now,
        expires_at=now + timedelta(days=link_days),
        token_hash=token_hash,
    )
    return invite, OutboxEmail(EmailKind.CHECK_IN, intake.answers.contact.email, token, check_in=invite.number)


class ScheduleRun(NamedTuple):
    seen: int  # scheduled check-ins that were due
    sent: list[str]  # the intakes a check-in went out to
    dropped: int  # scheduled check-ins no longer wanted: sessions sent them, or the intake moved on


def send_due_check_ins(schedule: CheckInSchedule, clock: Clock, link_days: int, limit: int) -> ScheduleRun:
    """Sends the scheduled check-ins whose day has come, unless held sessions already sent them or the client
    is no longer with the counselor they were scheduled with. Each is handled once: a run that overlaps
    another, or a session marked at the same moment, leaves it to whichever wrote first."""
    now = clock()
    sent: list[str] = []
    dropped = 0
    due_now = schedule.due_check_ins(now, limit)
    for due in due_now:
        try:
            intake = schedule.get_intake(due.intake_id)
        except IntakeNotFound:  # erased meanwhile: its schedule went with it
            continue
        if not _still_due(intake, due):
            schedule.drop_scheduled_check_in(due)
            dropped += 1
            continue
        try:
            counselor = schedule.public_profile(intake.assigned_counselor_id or "")
        except CounselorNotFound:
            schedule.drop_scheduled_check_in(due)
            dropped += 1
            continue
        invite, email = new_check_in(intake, counselor.name, now, link_days, after_days=due.check_in.days)
        if schedule.send_scheduled_check_in(intake, due, invite, email):
            sent.append(due.intake_id)
    return ScheduleRun(len(due_now), sent, dropped)


def _still_due(intake: Intake, due: DueCheckIn) -> bool:
    return (
        intake.status is IntakeStatus.ASSIGNED
        and intake.assigned_at is not None
        and due.check_in.due_at == intake.assigned_at + timedelta(days=due.check_in.days)  # not an earlier one's
        and check_in_due(intake.check_ins_with_current_counselor(), due.check_in.place)
    )
