"""Staff review API (Cognito, "staff" group): the queue, one intake, assign, decide, re-run matching; after
the match: sessions held, reviewing a bond at risk, and the match-quality report."""

from functools import cache
from typing import Annotated, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.metrics import MetricUnit

from shared import snapstart
from shared.adapters.events import EventBridgeIntakeEvents
from shared.api.app import lambda_handler, new_resolver
from shared.api.auth import STAFF_GROUP, actor_in_group
from shared.api.errors import responses
from shared.api.models import (
    DEFAULT_PAGE_SIZE,
    MAX_FITS,
    MAX_PAGE_SIZE,
    ActionResult,
    AssignRequest,
    BondReview,
    BookingView,
    CheckInForStaff,
    Cursor,
    DecisionRequest,
    FitsView,
    IntakeDetail,
    MatchView,
    PathCounselorId,
    PathIntakeId,
    QueueItem,
    QueuePage,
    SessionRecorded,
    SuggestionView,
)
from shared.api.waitlist_models import CounselorWaitlist, CounselorWaitlistItem
from shared.clock import utc_now
from shared.config import ReviewSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.records import Actor, Intake, IntakeStatus, QueueStage, StoredMatch
from shared.matching.result import Suggestion
from shared.services import booking, review, waitlist
from shared.services.report import QualityReport, practice_report
from shared.services.roster_cache import RosterCache

settings = ReviewSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver()
roster = RosterCache()
booking_options = booking.BookingOptions(
    policy=settings.booking_policy, rules=settings.booking_rules, status_link_days=settings.status_link_days
)

_STAFF_ERRORS = (401, 403, 503)


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@cache
def events() -> EventBridgeIntakeEvents:
    return EventBridgeIntakeEvents(settings.event_bus_name)


def staff() -> Actor:
    return actor_in_group(app, STAFF_GROUP)


def _match_view(match: StoredMatch) -> MatchView:
    result = match.result

    def named(suggestions: list[Suggestion]) -> list[SuggestionView]:
        return [SuggestionView.of(s, match.counselor_names.get(s.counselor_id, s.counselor_id)) for s in suggestions]

    return MatchView(
        suggestions=named(result.suggestions),
        alternatives=named(result.alternatives),
        relaxed=result.relaxed,
        no_match=result.no_match,
        urgent=result.urgent,
        eligible=result.eligible,
        roster_size=result.roster_size,
        matched_at=match.matched_at,
        asked_for=match.asked_for,
    )


def _fits_view(now: review.FitsNow) -> FitsView:
    found = now.found
    return FitsView(
        counted_at=now.at,
        eligible=found.result.eligible,
        meeting_every_must_have=found.meeting_every_must_have,
        roster_size=found.result.roster_size,
        items=[SuggestionView.of(s, now.names.get(s.counselor_id, s.counselor_id)) for s in found.fits],
        open_slots=now.open_slots,
    )


def _detail(intake: Intake, now: review.FitsNow | None = None) -> IntakeDetail:
    names = dict(intake.match.counselor_names) if intake.match else {}
    return IntakeDetail(
        reference=intake.intake_id,
        status=intake.status,
        urgent=intake.urgent,
        locale=intake.answers.locale,
        created_at=intake.created_at,
        updated_at=intake.updated_at,
        assigned_counselor_id=intake.assigned_counselor_id,
        assigned_at=intake.assigned_at,
        answers=intake.answers,
        match=_match_view(intake.match) if intake.match else None,
        history=intake.history,
        sessions_held=intake.sessions_held,
        bond_at_risk=intake.bond_at_risk,
        check_ins=[CheckInForStaff(**c.model_dump(exclude={"token_hash"})) for c in intake.check_ins],
        excluded_counselor_ids=intake.excluded_counselor_ids,
        shortlist_released_at=intake.shortlist_released_at,
        shortlist_releasable=review.shortlist_releasable(intake, settings.booking_policy),
        booking=BookingView.of(intake.intake_id, intake.booking) if intake.booking else None,
        counselor_names=names | now.names if now else names,
        unrated=intake.answers.unrated(),
        fits=_fits_view(now) if now else None,
    )


@app.get("/review/intakes", tags=["staff"], responses=responses(400, *_STAFF_ERRORS))
def queue(
    actor: Annotated[Actor, Depends(staff)],
    stage: Annotated[QueueStage, Query()] = QueueStage.OPEN,
    status: Annotated[IntakeStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> QueuePage:
    """Intakes waiting for a decision (or another stage): urgent first, then oldest."""
    page = review.queue(store(), stage, status, limit, cursor)
    return QueuePage(
        items=[
            QueueItem(
                reference=e.intake_id,
                status=e.status,
                urgent=e.urgent,
                created_at=e.created_at,
                updated_at=e.updated_at,
                **e.summary.model_dump(),
            )
            for e in page.items
        ],
        next=page.cursor,
    )


@app.get("/review/intakes/<intake_id>", tags=["staff"], responses=responses(404, *_STAFF_ERRORS))
def intake(
    intake_id: Annotated[PathIntakeId, Path()],
    actor: Annotated[Actor, Depends(staff)],
    fits: Annotated[Literal["all"] | None, Query()] = None,
) -> IntakeDetail:
    """One intake: the client's answers beside the suggestions, scores, breakdowns and reasons. With
    `fits=all`, also everyone who fits on the roster as it is now (same breakdown), the open slots now of the
    counselors the intake names, and their current names: two reads more (the roster's changes)."""
    opened = review.open_intake(store(), intake_id, actor, utc_now)
    if fits is None:
        return _detail(opened)
    now = review.fits_now(opened, store(), roster, utc_now, MAX_FITS, settings.bond_evidence_minimum)
    return _detail(opened, now)


@app.post(
    "/review/intakes/<intake_id>/assignment",
    tags=["staff"],
    responses=responses(400, 404, 409, 413, 415, *_STAFF_ERRORS),
)
def assign(
    intake_id: Annotated[PathIntakeId, Path()], body: AssignRequest, actor: Annotated[Actor, Depends(staff)]
) -> ActionResult:
    """Assign a counselor: a suggested one, or another with a reason. 409 if the slot or intake was just taken."""
    outcome = review.assign(
        store(), intake_id, body.counselor_id, body.reason, actor, utc_now,
        events=events(), status_link_days=settings.status_link_days, check_in_days=settings.check_in_days,
    )  # fmt: skip
    metrics.add_metric(name="Assignments", unit=MetricUnit.Count, value=1)
    logger.info("assigned", extra={"intake_id": intake_id, "counselor_id": body.counselor_id})
    return ActionResult(reference=outcome.reference, status=outcome.status)


@app.post(
    "/review/intakes/<intake_id>/decision", tags=["staff"], responses=responses(404, 409, 413, 415, *_STAFF_ERRORS)
)
def decide(
    intake_id: Annotated[PathIntakeId, Path()], body: DecisionRequest, actor: Annotated[Actor, Depends(staff)]
) -> ActionResult:
    """Waitlist, refer out or decline, with a note for the team."""
    outcome = review.decide(
        store(), intake_id, body.decision, body.note, actor, utc_now,
        events=events(), status_link_days=settings.status_link_days,
    )  # fmt: skip
    logger.info("decided", extra={"intake_id": intake_id, "decision": body.decision})
    return ActionResult(reference=outcome.reference, status=outcome.status)


@app.post(
    "/review/intakes/<intake_id>/rematch", tags=["staff"], responses=responses(404, 409, 413, 415, *_STAFF_ERRORS)
)
def rematch(intake_id: Annotated[PathIntakeId, Path()], actor: Annotated[Actor, Depends(staff)]) -> MatchView:
    """Run matching again on the current roster."""
    match = review.rematch(store(), store(), roster, intake_id, actor, utc_now, settings.bond_evidence_minimum)
    if match.result.no_match is not None:
        metrics.add_metric(name="NoMatch", unit=MetricUnit.Count, value=1)
    return _match_view(match)


@app.post(
    "/review/intakes/<intake_id>/shortlist-release",
    tags=["staff"],
    responses=responses(404, 409, *_STAFF_ERRORS),
)
def release_shortlist(
    intake_id: Annotated[PathIntakeId, Path()], actor: Annotated[Actor, Depends(staff)]
) -> ActionResult:
    """Release the shortlist to the client (policy staff-approved): once, for a non-urgent intake still open
    to a first match. The client is emailed a link to their status page, where they see it and can book."""
    outcome = review.release_shortlist(
        store(), intake_id, actor, utc_now,
        policy=settings.booking_policy, events=events(), status_link_days=settings.status_link_days,
    )  # fmt: skip
    metrics.add_metric(name="ShortlistsReleased", unit=MetricUnit.Count, value=1)
    logger.info("shortlist released", extra={"intake_id": intake_id})
    return ActionResult(reference=outcome.reference, status=outcome.status)


@app.post("/review/intakes/<intake_id>/sessions", tags=["staff"], responses=responses(404, 409, *_STAFF_ERRORS))
def session_held(
    intake_id: Annotated[PathIntakeId, Path()], actor: Annotated[Actor, Depends(staff)]
) -> SessionRecorded:
    """Record that a session with the assigned counselor was held. After the sessions the practice chose
    (CheckInAfterSessions, default the first and third) the client is emailed a check-in."""
    outcome = review.record_session(
        store(), store(), intake_id, actor, utc_now,
        schedule=settings.check_in_schedule, link_days=settings.check_in_link_days, events=events(),
    )  # fmt: skip
    logger.info("session recorded", extra={"intake_id": intake_id, "sessions_held": outcome.sessions_held})
    return SessionRecorded(
        reference=intake_id, sessions_held=outcome.sessions_held, check_in_sent=outcome.check_in is not None
    )


@app.post(
    "/review/intakes/<intake_id>/bond-review",
    tags=["staff"],
    responses=responses(404, 409, 413, 415, *_STAFF_ERRORS),
)
def bond_reviewed(
    intake_id: Annotated[PathIntakeId, Path()], body: BondReview, actor: Annotated[Actor, Depends(staff)]
) -> ActionResult:
    """Mark an at-risk check-in as followed up: the intake leaves the "needs attention" list."""
    outcome = review.review_bond(store(), intake_id, body.note, actor, utc_now)
    logger.info("bond reviewed", extra={"intake_id": intake_id})
    return ActionResult(reference=outcome.reference, status=outcome.status)


@app.delete("/review/intakes/<intake_id>/booking", tags=["staff"], responses=responses(404, 409, *_STAFF_ERRORS))
def cancel_booking(intake_id: Annotated[PathIntakeId, Path()], actor: Annotated[Actor, Depends(staff)]) -> ActionResult:
    """Override the client's booking: cancel it (the client is emailed, the counselor's time and slot are freed)
    and the intake goes back to the open queue, where every staff tool applies (assign someone else, decide,
    re-run matching)."""
    booking.cancel(store(), intake_id, token=None, actor=actor, options=booking_options, clock=utc_now, events=events())
    logger.info("booking cancelled", extra={"intake_id": intake_id, "by": "staff"})
    return ActionResult(reference=intake_id, status=IntakeStatus.NEEDS_REMATCH)


@app.get("/review/counselors/<counselor_id>/waitlist", tags=["staff"], responses=responses(404, *_STAFF_ERRORS))
def counselor_waitlist(
    counselor_id: Annotated[PathCounselorId, Path()], actor: Annotated[Actor, Depends(staff)]
) -> CounselorWaitlist:
    """Who waits for this counselor (alone, or as one of their good fits), first in line first."""
    entries = waitlist.counselor_waitlist(store(), counselor_id)
    return CounselorWaitlist(
        counselor_id=counselor_id,
        items=[
            CounselorWaitlistItem(
                reference=e.intake_id,
                joined_at=e.joined_at,
                any_fit=e.any_fit,
                held_until=e.hold_until,
                held_for_this_counselor=e.hold_counselor_id == counselor_id,
            )
            for e in entries
        ],
    )


@app.get("/review/report", tags=["staff"], responses=responses(*_STAFF_ERRORS))
def report(actor: Annotated[Actor, Depends(staff)]) -> QualityReport:
    """Match quality for the practice: bond by match score and by factor, rematch rate, time to assignment,
    no-match reasons. Aggregates only; nothing resting on fewer clients than the minimum is shown."""
    return practice_report(store(), settings.bond_evidence_minimum)


handler = lambda_handler(app, logger, metrics, required_group=STAFF_GROUP)
snapstart.register(app, clients=("dynamodb", "events"))
