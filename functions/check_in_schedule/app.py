"""Sends the check-ins that are due by days after the match (the CheckInAfterDays parameter), for clients
whose sessions were not marked as held in time. Runs on a schedule; each check-in's email is announced to
the notifier like any other client email."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.adapters.events import EventBridgeIntakeEvents
from shared.clock import utc_now
from shared.config import CheckInScheduleSettings
from shared.dal.dynamodb import DynamoRepository
from shared.observability import quiet_library_loggers, traced
from shared.services.bond import send_due_check_ins

settings = CheckInScheduleSettings.from_environment()
quiet_library_loggers()
logger = Logger()
metrics = Metrics()
BATCH = 25
MAX_BATCHES = 20  # a run handles up to 500; the rest wait for the next run


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
    sent = dropped = failed = 0
    for _ in range(MAX_BATCHES):
        run = send_due_check_ins(store(), utc_now, settings.check_in_link_days, BATCH)
        for intake_id in run.sent:
            try:
                events().client_email_queued(intake_id)
            except Exception:  # the email waits in the outbox; the notifier's sweep sends it
                logger.exception("could not announce a queued email", extra={"intake_id": intake_id})
        sent += len(run.sent)
        dropped += run.dropped
        failed += run.failed
        if run.seen < BATCH or not (run.sent or run.dropped):  # all done, or the rest wait for the next run
            break
    if sent:
        metrics.add_metric(name="ScheduledCheckIns", unit=MetricUnit.Count, value=sent)
    if failed:
        metrics.add_metric(name="ScheduledCheckInFailures", unit=MetricUnit.Count, value=failed)
    logger.info("check-in schedule run", extra={"sent": sent, "dropped": dropped, "failed": failed})
    return {"sent": sent, "dropped": dropped, "failed": failed}
