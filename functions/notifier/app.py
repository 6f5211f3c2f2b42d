"""Sends every email: to the practice when an intake arrives, a client asks for someone else, or a check-in
says a bond may be at risk; to clients, whatever waits in the outbox (after a rematch request or a bond at
risk too: what happens meanwhile, a word of support). Driven by the EventBridge events the
other functions publish, and by a schedule that retries emails that could not be sent."""

from datetime import timedelta
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.adapters.email import SesMailer
from shared.adapters.events import BOND_AT_RISK, CLIENT_EMAIL_QUEUED, INTAKE_RECEIVED, REMATCH_REQUESTED
from shared.clock import utc_now
from shared.config import NotifierSettings
from shared.dal.dynamodb import DynamoRepository
from shared.observability import quiet_library_loggers, traced
from shared.services.notifications import (
    MAX_ATTEMPTS,
    ClientEmailSettings,
    IntakeEvent,
    IntakeReceived,
    bond_at_risk_email,
    deliver,
    email_not_delivered_email,
    new_intake_email,
    rematch_requested_email,
    retry_delay,
)
from shared.services.ports import PendingEmail

settings = NotifierSettings.from_environment()
quiet_library_loggers()
logger = Logger()
metrics = Metrics()
client_emails = ClientEmailSettings(
    settings.practice_name,
    settings.site_url,
    settings.status_link_days,
    settings.check_in_link_days,
    settings.sender_email,
)
SWEEP_AFTER = timedelta(minutes=2)  # younger emails are still being sent by the event that queued them
SWEEP_BATCH = 25


@cache
def mailer() -> SesMailer:
    return SesMailer(settings.sender_email)


@cache
def outbox() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


def _send_client_emails(pending: list[PendingEmail]) -> int:
    """Sends what waits in the outbox. A failure is not raised: the email stays in the outbox and the
    sweep retries it, so retrying the event could only repeat the practice's email. An email given up
    after its last try is reported to the practice (reference only)."""
    delivery = deliver(pending, outbox(), mailer(), client_emails, utc_now())
    if delivery.failed:
        metrics.add_metric(name="EmailSendFailures", unit=MetricUnit.Count, value=delivery.failed)
    if delivery.given_up:
        metrics.add_metric(name="EmailsGivenUp", unit=MetricUnit.Count, value=len(delivery.given_up))
    for entry in delivery.given_up:
        try:  # the practice first: if that fails too, both are tried again, hours later
            _to_practice(*email_not_delivered_email(entry.intake_id, settings.practice_name, settings.console_url))
        except Exception as error:
            logger.warning(
                "practice not told of an email given up; tried again later",
                extra={"intake_id": entry.intake_id, "error_type": type(error).__name__},
            )
            outbox().email_failed(entry, utc_now() + retry_delay(MAX_ATTEMPTS))
            continue
        outbox().email_sent(entry)  # out of the outbox: its address and link are kept no longer
    return delivery.failed + len(delivery.given_up)


def _not_backing_off(pending: list[PendingEmail]) -> list[PendingEmail]:
    """An event about an intake sends its new emails; one that failed before waits for its retry time."""
    now = utc_now()
    return [p for p in pending if p.retry_at is None or p.retry_at <= now]


def _to_practice(subject: str, text: str, *_: object) -> None:  # never an invitation: reference only
    mailer().send(settings.intake_notification_email, subject, text)


@logger.inject_lambda_context(log_event=False)
@traced
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    kind = event.get("detail-type")
    if kind == "Scheduled Event":  # the retry sweep
        due = outbox().due_emails(utc_now() - SWEEP_AFTER, SWEEP_BATCH)
        failed = _send_client_emails(due)
        logger.info("outbox swept", extra={"due": len(due), "failed": failed})
        return {"swept": len(due), "failed": failed}
    if kind == INTAKE_RECEIVED:
        received = IntakeReceived.model_validate(event["detail"])
        email = new_intake_email(received, settings.practice_name, settings.console_url)
        _to_practice(email.subject, email.text)
        logger.info("practice notified", extra={"intake_id": received.intake_id, "urgent": received.urgent})
        _send_client_emails(_not_backing_off(outbox().pending_emails(received.intake_id)))
        return {"intake_id": received.intake_id}
    detail = IntakeEvent.model_validate(event["detail"])
    if kind == CLIENT_EMAIL_QUEUED:
        _send_client_emails(_not_backing_off(outbox().pending_emails(detail.intake_id)))
    elif kind == REMATCH_REQUESTED:
        _to_practice(*rematch_requested_email(detail.intake_id, settings.practice_name, settings.console_url))
        logger.info("practice told of a rematch request", extra={"intake_id": detail.intake_id})
        _send_client_emails(_not_backing_off(outbox().pending_emails(detail.intake_id)))  # what happens meanwhile
    elif kind == BOND_AT_RISK:
        _to_practice(*bond_at_risk_email(detail.intake_id, settings.practice_name, settings.console_url))
        logger.info("practice told of a bond at risk", extra={"intake_id": detail.intake_id})
        _send_client_emails(_not_backing_off(outbox().pending_emails(detail.intake_id)))  # the word of support
    else:
        raise ValueError("unknown event type")
    return {"intake_id": detail.intake_id}
