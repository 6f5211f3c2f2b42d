"""Emails the practice's intake address when an intake arrives (EventBridge IntakeReceived)."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.adapters.email import SesMailer
from shared.config import NotifierSettings
from shared.observability import quiet_library_loggers, traced
from shared.services.notifications import IntakeReceived, new_intake_email

settings = NotifierSettings.from_environment()
quiet_library_loggers()
logger = Logger()


@cache
def mailer() -> SesMailer:
    return SesMailer(settings.sender_email)


@logger.inject_lambda_context(log_event=False)
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    received = IntakeReceived.model_validate(event["detail"])
    email = new_intake_email(received, settings.practice_name, settings.console_url)
    message_id = mailer().send(settings.intake_notification_email, email.subject, email.text)
    logger.info("practice notified", extra={"intake_id": received.intake_id, "urgent": received.urgent})
    return {"message_id": message_id}
