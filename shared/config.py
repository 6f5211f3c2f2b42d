"""Each function's configuration, read from its environment once at cold start.

The names match template.yaml's `Environment.Variables`; a missing or malformed variable fails the cold
start with the variable's name, instead of failing a request later.
"""

import os
from collections.abc import Mapping
from typing import Self

from pydantic import BaseModel, ConfigDict, Field


class _FromEnvironment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        return cls.model_validate({name.lower(): value for name, value in source.items()})


class PublicSettings(_FromEnvironment):
    table_name: str
    idempotency_table_name: str
    event_bus_name: str
    intake_retention_days: int = Field(default=180, ge=7, le=3650)
    allowed_web_origin: str = ""


class ReviewSettings(_FromEnvironment):
    table_name: str


class AdminSettings(_FromEnvironment):
    table_name: str
    idempotency_table_name: str


class NotifierSettings(_FromEnvironment):
    practice_name: str
    sender_email: str
    intake_notification_email: str
    console_url: str


class PagesSettings(_FromEnvironment):
    practice_name: str
    user_pool_id: str
    user_pool_client_id: str
    cognito_endpoint: str
