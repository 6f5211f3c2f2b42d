"""The waitlist that moves: ends the holds not claimed in time (their slots go back) and offers freed slots
to the clients who joined the waitlist first. Runs on a schedule; each offer's email is announced to the
notifier like any other client email."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.adapters.events import EventBridgeIntakeEvents
from shared.clock import utc_now
from shared.config import WaitlistSweepSettings
from shared.dal.dynamodb import DynamoRepository
from shared.observability import quiet_library_loggers, traced
from shared.services.waitlist import sweep

settings = WaitlistSweepSettings.from_environment()
quiet_library_loggers()
logger = Logger()
metrics = Metrics()


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@cache
def events() -> EventBridgeIntakeEvents:
    return EventBridgeIntakeEvents(settings.event_bus_name)


@logger.inject_lambda_context(log_event=False)
@traced
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    run = sweep(store(), utc_now, settings.waitlist_hold_hours, settings.status_link_days, settings.booking_rules)
    for intake_id in run.offered:
        try:
            events().client_email_queued(intake_id)
        except Exception:  # the email waits in the outbox; the notifier's sweep sends it
            logger.exception("could not announce a queued email", extra={"intake_id": intake_id})
    if run.offered:
        metrics.add_metric(name="WaitlistOffers", unit=MetricUnit.Count, value=len(run.offered))
    if run.expired:
        metrics.add_metric(name="WaitlistHoldsExpired", unit=MetricUnit.Count, value=run.expired)
    logger.info(
        "waitlist sweep run", extra={"offered": len(run.offered), "expired": run.expired, "dropped": run.dropped}
    )
    return {"offered": len(run.offered), "expired": run.expired, "dropped": run.dropped}
