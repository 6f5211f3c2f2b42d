"""Emails the practice's intake address when an intake arrives (EventBridge IntakeReceived)."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.adapters.email import SesMailer
from shared.api.app import quiet_library_loggers
from shared.config import NotifierSettings
from shared.services.notifications import IntakeReceived, new_intake_email

settings = NotifierSettings.from_environment()
quiet_library_loggers()
logger = Logger()
tracer = Tracer()


@cache
def mailer() -> SesMailer:
    return SesMailer(settings.sender_email)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    received = IntakeReceived.model_validate(event["detail"])
    email = new_intake_email(received, settings.practice_name, settings.console_url)
    message_id = mailer().send(settings.intake_notification_email, email.subject, email.text)
    logger.info("practice notified", extra={"intake_id": received.intake_id, "urgent": received.urgent})
    return {"message_id": message_id}
