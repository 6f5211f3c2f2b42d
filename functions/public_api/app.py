"""Public intake API: submit an intake, check its status with the private link, browse the directory."""

from functools import cache, partial
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.metrics import MetricUnit

from shared import snapstart
from shared.adapters.events import EventBridgeIntakeEvents
from shared.api.app import lambda_handler, new_resolver
from shared.api.errors import responses
from shared.api.models import (
    DEFAULT_PAGE_SIZE,
    LANG,
    MAX_PAGE_SIZE,
    BookingView,
    Cursor,
    DirectoryPage,
    IdempotencyKey,
    PathCounselorId,
    PathIntakeId,
    StatusResponse,
    StatusToken,
    SubmitResponse,
    Vocabulary,
    vocabulary,
)
from shared.clock import utc_now
from shared.config import PublicSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorPublicProfile
from shared.domain.intake import IntakeAnswers
from shared.i18n import locale_of
from shared.services import counselors, intakes
from shared.services.links import status_link
from shared.services.roster_cache import RosterCache

if TYPE_CHECKING:
    from shared.adapters.idempotency import IdempotentSubmission

settings = PublicSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver(settings.allowed_web_origin)
roster = RosterCache()  # reused while the function is warm


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@cache
def submission() -> "IdempotentSubmission[intakes.Submitted]":
    # Only submissions need it, and powertools' idempotency layer imports boto3 with s3transfer (about
    # 90 ms): the status, directory and vocabulary routes start without it.
    from shared.adapters.idempotency import IdempotentSubmission

    use_case = partial(
        intakes.submit_intake,
        intakes=store(),
        roster_store=store(),
        roster=roster,
        events=EventBridgeIntakeEvents(settings.event_bus_name),
        clock=utc_now,
        retention_days=settings.intake_retention_days,
        status_link_days=settings.status_link_days,
        evidence_minimum=settings.bond_evidence_minimum,
        confirmations_per_address_per_day=settings.confirmations_per_address_per_day,
        policy=settings.booking_policy,
    )
    return IdempotentSubmission(
        settings.idempotency_table_name,
        settings.intake_retention_days * 86400,
        lambda answers, record: use_case(answers, idempotency_record=record),
        intakes.Submitted,
    )


@app.post("/intakes", status_code=201, tags=["public"], responses=responses(409, 413, 415, 503, success=201))
def submit_intake(
    answers: IntakeAnswers,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> SubmitResponse:
    """Submit an intake. Retrying with the same Idempotency-Key returns the first response."""
    submitted, first = submission()(answers, idempotency_key, app.lambda_context)
    if first:  # a retry stored nothing new
        metrics.add_metric(name="IntakesSubmitted", unit=MetricUnit.Count, value=1)
        if submitted.urgent:
            metrics.add_metric(name="UrgentIntakes", unit=MetricUnit.Count, value=1)
        logger.info("intake stored", extra={"intake_id": submitted.intake_id, "status": submitted.status})
    return SubmitResponse(
        reference=submitted.intake_id,
        status_token=submitted.status_token,
        status_link=status_link(submitted.intake_id, submitted.status_token, locale=answers.locale),
        urgent=submitted.urgent,
    )


@app.get("/intakes/<intake_id>/status", tags=["public"], responses=responses(404, 410, 503))
def intake_status(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> StatusResponse:
    """Where an intake stands. Needs the token from a private status link (410 once that link expired)."""
    status = intakes.intake_status(intake_id, status_token, intakes=store(), roster_store=store(), clock=utc_now)
    return StatusResponse(
        reference=intake_id,
        stage=status.stage,
        updated_at=status.updated_at,
        counselor=status.counselor,
        can_request_rematch=status.can_request_rematch,
        booking=BookingView.of(intake_id, status.booking) if status.booking else None,
        urgent=status.urgent,
        locale=status.locale,
    )


@app.get("/counselors", tags=["public"], responses=responses(400, 503))
def directory(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> DirectoryPage:
    """The team's public profiles."""
    page = counselors.directory(store(), limit, cursor)
    return DirectoryPage(items=page.items, next=page.cursor)


@app.get("/counselors/<counselor_id>", tags=["public"], responses=responses(404, 503))
def counselor_profile(counselor_id: Annotated[PathCounselorId, Path()]) -> CounselorPublicProfile:
    """One counselor's public profile."""
    return counselors.public_profile(store(), counselor_id)


@app.get("/vocabulary", tags=["public"], cache_control="public, max-age=300", responses=responses())
def lists(lang: Annotated[str | None, Query(description=LANG)] = None) -> Vocabulary:
    """Every choice the intake form offers, with its label in the page's language."""
    return vocabulary(locale_of(lang))


handler = lambda_handler(app, logger, metrics)
snapstart.register(app, clients=("dynamodb", "events"), imports=("shared.adapters.idempotency",))
