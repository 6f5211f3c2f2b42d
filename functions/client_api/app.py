"""Client links API: what a client can do with the private links the practice emails them: send a check-in
after a session, and ask for a different counselor. Split from the public intake function because it
changes stored intakes and counselors, which the intake function may not."""

from functools import cache
from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.metrics import MetricUnit

from shared.adapters.events import EventBridgeIntakeEvents
from shared.api.app import lambda_handler, new_resolver
from shared.api.errors import responses
from shared.api.models import (
    CHECK_IN_QUESTIONS,
    CheckInNumber,
    CheckInPage,
    CheckInReceived,
    CheckInToken,
    PathIntakeId,
    RematchAccepted,
    RematchRequest,
    StatusToken,
)
from shared.api.waitlist_models import WaitlistClaimed, WaitlistJoin, WaitlistLeft, WaitlistPlace
from shared.clock import utc_now
from shared.config import ClientSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.bond import CheckInAnswers
from shared.services import bond, intakes, waitlist
from shared.services.roster_cache import RosterCache

settings = ClientSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver(settings.allowed_web_origin)
roster = RosterCache()


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@cache
def events() -> EventBridgeIntakeEvents:
    return EventBridgeIntakeEvents(settings.event_bus_name)


@app.get("/checkins/<intake_id>/<number>", tags=["client"], responses=responses(404, 503))
def check_in(
    intake_id: Annotated[PathIntakeId, Path()],
    number: Annotated[CheckInNumber, Path()],
    token: Annotated[CheckInToken, Header(alias="X-Check-In-Token")],
) -> CheckInPage:
    """A check-in, with its questions. Sent or expired ones say so (they are states, not errors)."""
    view = bond.view_check_in(store(), intake_id, number, token, utc_now)
    return CheckInPage(
        reference=intake_id,
        number=number,
        state=view.state.value,
        counselor_name=view.counselor_name,
        expires_at=view.expires_at,
        questions=CHECK_IN_QUESTIONS,
    )


@app.post(
    "/checkins/<intake_id>/<number>",
    status_code=201,
    tags=["client"],
    responses=responses(404, 409, 410, 413, 415, 503, success=201),
)
def send_check_in(
    intake_id: Annotated[PathIntakeId, Path()],
    number: Annotated[CheckInNumber, Path()],
    token: Annotated[CheckInToken, Header(alias="X-Check-In-Token")],
    answers: CheckInAnswers,
) -> CheckInReceived:
    """Send a check-in: once (409 the second time), before its link expires (410 after)."""
    at_risk = bond.submit_check_in(store(), intake_id, number, token, answers, utc_now, events())
    metrics.add_metric(name="CheckIns", unit=MetricUnit.Count, value=1)
    if at_risk:
        metrics.add_metric(name="BondAtRisk", unit=MetricUnit.Count, value=1)
    logger.info("check-in stored", extra={"intake_id": intake_id, "check_in": number})
    return CheckInReceived(reference=intake_id, number=number, received=True)


@app.post(
    "/intakes/<intake_id>/rematch-request",
    status_code=202,
    tags=["client"],
    responses=responses(404, 409, 410, 413, 415, 503, success=202),
)
def request_rematch(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: RematchRequest,
) -> RematchAccepted:
    """Ask for a different counselor (once matched; 409 before). The team sees the request in the queue."""
    outcome = intakes.request_rematch(
        intake_id,
        status_token,
        body.what_to_change,
        intakes=store(),
        roster_store=store(),
        roster=roster,
        events=events(),
        clock=utc_now,
        evidence_minimum=settings.bond_evidence_minimum,
    )
    metrics.add_metric(name="RematchRequests", unit=MetricUnit.Count, value=1)
    logger.info("rematch requested", extra={"intake_id": intake_id})
    return RematchAccepted(reference=intake_id, stage=outcome.stage)


@app.post(
    "/intakes/<intake_id>/waitlist",
    status_code=201,
    tags=["client"],
    responses=responses(400, 404, 409, 410, 413, 415, 503, success=201),
)
def join_waitlist(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: WaitlistJoin,
) -> WaitlistPlace:
    """Wait for one counselor of the shortlist, or for the first good fit. When a place frees up, the client
    is emailed an offer held for them (409 when already waiting, or the shortlist is not open to them)."""
    entry = waitlist.join(store(), intake_id, status_token, body.counselor_id, utc_now, settings.booking_policy)
    metrics.add_metric(name="WaitlistJoined", unit=MetricUnit.Count, value=1)
    logger.info("joined the waitlist", extra={"intake_id": intake_id, "any_fit": entry.any_fit})
    return WaitlistPlace(
        reference=intake_id, counselor_ids=list(entry.counselor_ids), any_fit=entry.any_fit, joined_at=entry.joined_at
    )


@app.delete("/intakes/<intake_id>/waitlist", tags=["client"], responses=responses(404, 409, 410, 503))
def leave_waitlist(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> WaitlistLeft:
    """Leave the waitlist; a place held for the client goes back to the counselor."""
    waitlist.leave(store(), intake_id, status_token, utc_now)
    logger.info("left the waitlist", extra={"intake_id": intake_id})
    return WaitlistLeft(reference=intake_id)


@app.post("/intakes/<intake_id>/waitlist-offer/claim", tags=["client"], responses=responses(404, 409, 410, 503))
def claim_waitlist_offer(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> WaitlistClaimed:
    """Take the place held for the client: they are matched with that counselor. 409 when no place is held
    for them now (claimed already, or the hold ended and the place passed on)."""
    counselor_id = waitlist.claim(store(), intake_id, status_token, utc_now)
    metrics.add_metric(name="WaitlistClaims", unit=MetricUnit.Count, value=1)
    logger.info("waitlist offer claimed", extra={"intake_id": intake_id, "counselor_id": counselor_id})
    return WaitlistClaimed(reference=intake_id, counselor_id=counselor_id, stage="matched")


handler = lambda_handler(app, logger, metrics)
