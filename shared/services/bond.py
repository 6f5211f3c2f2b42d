"""Use cases for check-ins: create one (after a session, or by the day schedule), and the client's check-in
link: see the check-in, send it once."""

from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain import report_counters
from shared.domain.bond import CheckIn, CheckInAnswers, assess, check_in_due, rating_change
from shared.domain.errors import AlreadyDecided, CheckInAlreadySent, CounselorNotFound, IntakeNotFound, LinkExpired
from shared.domain.records import HistoryEntry, HistoryKind, Intake, IntakeStatus
from shared.services.changes import CheckInSaved, EmailKind, OutboxEmail, StatusLink, client_email, move
from shared.services.links import matches, new_token, token_hash
from shared.services.ports import CheckInSchedule, Clock, DueCheckIn, IntakeEvents, IntakeStore
from shared.services.roster_lock import while_roster_changes

logger = Logger(child=True)


class CheckInState(StrEnum):
    OPEN = "open"
    SENT = "sent"
    EXPIRED = "expired"


class CheckInSent(NamedTuple):
    at_risk: bool  # for metrics, never for the client
    support_email_sent: bool  # the client was emailed a fresh status link to ask for someone else


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
    status_link_days: int = 180,
) -> CheckInSent:
    """Stores the answers (once). A low or falling bond puts the intake in the staff queue as "bond at
    risk", tells the practice, and queues an email to the client in the same write: that we heard it, and a
    fresh status link where they can ask for someone else (a check-in link cannot: docs/security.md). The
    client's page is told whether that email was sent, never the reasons.

    The answers are kept even when the intake moves on while they are being saved (the client asked for
    someone else in another tab, say): the intake is read again and they are saved as about a counselor the
    client has left."""
    for attempt in range(3):
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
        answered = [c for c in intake.check_ins if c.counselor_id == check_in.counselor_id and c.answers is not None]
        previous = next((c.answers for c in reversed(answered) if c.number < number), None)
        # The client's figures so far (for the report and the rating) are from the check-ins they answered
        # last, whatever their numbers: these answers take their place.
        by_answer = sorted(answered, key=lambda c: c.submitted_at or c.invited_at)
        counted = [c for c in by_answer if c.counted is not None]
        ratings = [c.answers.identity for c in by_answer if c.answers and c.answers.identity is not None]
        risk = assess(answers, previous)
        still_with_them = (
            intake.status is IntakeStatus.ASSIGNED and intake.assigned_counselor_id == check_in.counselor_id
        )
        replaces = counted[-1] if counted else None
        rated_before = ratings[-1] if ratings else None
        # Only while the client is with the counselor does a check-in count in the report and flag the intake.
        counted_in = report_counters.counted_in(intake.assigned_fit if still_with_them else None)
        flagged = still_with_them and risk.at_risk
        link, email = support_email(intake, now, status_link_days) if flagged else (None, None)
        change = CheckInSaved(
            intake=intake,
            at=now,
            check_in=check_in,
            answers=answers,
            risk=risk.reasons,
            counted=counted_in,
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.CHECK_IN,
                actor=None,
                status=intake.status,
                counselor_id=check_in.counselor_id,
                note="Bond at risk: " + ", ".join(r.value.replace("_", " ") for r in risk.reasons)
                if risk.reasons
                else "",
            ),
            flag=move(IntakeStatus.ASSIGNED, frozenset({IntakeStatus.ASSIGNED}), bond_at_risk=True)
            if flagged
            else None,
            counters=report_counters.check_in_answered(counted_in, answers, replaces),
            rating=rating_change(answers.identity, rated_before),
            answered_before=len(answered),
            link=link,
            email=email,
        )
        try:
            while_roster_changes(partial(intakes.save_check_in, change))
            break
        except AlreadyDecided:  # the intake changed since it was read (another of the client's check-ins, say)
            if attempt == 2:
                raise
    if flagged and events is not None:
        try:  # the notifier tells the practice and sends the client's email
            events.bond_at_risk(intake_id)
        except Exception:  # the intake is in the "needs attention" queue either way; the outbox sweep sends
            logger.exception("could not announce a bond at risk", extra={"intake_id": intake_id})
    return CheckInSent(risk.at_risk, support_email_sent=flagged)


def support_email(intake: Intake, now: datetime, status_link_days: int) -> tuple[StatusLink, OutboxEmail]:
    """After a check-in that puts the bond at risk: a fresh status link, and the email that carries it."""
    token, link_hash = new_token()
    link = StatusLink(link_hash, now + timedelta(days=status_link_days))
    return link, client_email(EmailKind.CHECK_IN_SUPPORT, intake.answers, token)


def new_check_in(
    intake: Intake,
    counselor_name: str,
    now: datetime,
    link_days: int,
    after_days: int | None = None,
    *,
    after_session: int | None = None,
) -> tuple[CheckIn, OutboxEmail]:
    """The next check-in with the intake's counselor, and the email that carries its link. `after_session`:
    the sessions held when it is sent, where a session being recorded now sends it (the intake read before
    that session counts one fewer); otherwise the intake's own count."""
    token, token_hash = new_token()
    invite = CheckIn(
        number=len(intake.check_ins) + 1,
        after_session=intake.sessions_held if after_session is None else after_session,
        after_days=after_days,
        counselor_id=intake.assigned_counselor_id or "",
        counselor_name=counselor_name,
        invited_at=now,
        expires_at=now + timedelta(days=link_days),
        token_hash=token_hash,
    )
    return invite, client_email(EmailKind.CHECK_IN, intake.answers, token, check_in=invite.number)


class ScheduleRun(NamedTuple):
    seen: int  # scheduled check-ins that were due
    sent: list[str]  # the intakes a check-in went out to
    dropped: int  # scheduled check-ins no longer wanted: sessions sent them, or the intake moved on
    failed: int = 0  # could not be handled this time (the store was unavailable, say): tried again next run


def send_due_check_ins(schedule: CheckInSchedule, clock: Clock, link_days: int, limit: int) -> ScheduleRun:
    """Sends the scheduled check-ins whose day has come, unless held sessions already sent them or the client
    is no longer with the counselor they were scheduled with. Each is handled once: a run that overlaps
    another, or a session marked at the same moment, leaves it to whichever wrote first."""
    now = clock()
    sent: list[str] = []
    dropped = 0
    failed = 0
    due_now = schedule.due_check_ins(now, limit)
    for due in due_now:
        try:
            outcome = _send_one(schedule, due, now, link_days)
        except Exception as error:  # one entry must not hold up the rest: it is tried again at the next run
            logger.warning(
                "scheduled check-in failed", extra={"intake_id": due.intake_id, "error_type": type(error).__name__}
            )
            failed += 1
            continue
        if outcome is True:
            sent.append(due.intake_id)
        elif outcome is False:
            dropped += 1
    return ScheduleRun(len(due_now), sent, dropped, failed)


def _send_one(schedule: CheckInSchedule, due: DueCheckIn, now: datetime, link_days: int) -> bool | None:
    """True: sent; False: no longer wanted, dropped; None: left alone (erased, or someone else was first)."""
    try:
        intake = schedule.get_intake(due.intake_id)
    except IntakeNotFound:  # erased meanwhile: its schedule went with it
        return None
    if not _still_due(intake, due):
        schedule.drop_scheduled_check_in(due)
        return False
    try:
        counselor = schedule.public_profile(intake.assigned_counselor_id or "")
    except CounselorNotFound:
        schedule.drop_scheduled_check_in(due)
        return False
    invite, email = new_check_in(intake, counselor.name, now, link_days, after_days=due.check_in.days)
    return True if schedule.send_scheduled_check_in(intake, due, invite, email) else None


def _still_due(intake: Intake, due: DueCheckIn) -> bool:
    return (
        intake.status is IntakeStatus.ASSIGNED
        and intake.assigned_at is not None
        and due.check_in.due_at == intake.assigned_at + timedelta(days=due.check_in.days)  # not an earlier one's
        and check_in_due(intake.check_ins_with_current_counselor(), due.check_in.place)
    )
