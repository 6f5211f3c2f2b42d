"""Each function's configuration, read from its environment once at cold start.

The names match template.yaml's `Environment.Variables`; a missing or malformed variable fails the cold
start with the variable's name, instead of failing a request later.
"""

import os
from collections.abc import Mapping
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.domain.availability import BookingRules
from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM, parse_day_schedule, parse_schedule
from shared.domain.shortlist import BookingPolicy
from shared.services.email_limits import DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY


class _FromEnvironment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        return cls.model_validate({name.lower(): value for name, value in source.items()})


LinkDays = Annotated[int, Field(ge=1, le=3650)]
EvidenceMinimum = Annotated[int, Field(ge=3, le=1000)]  # fewer would let one client's rating show through


class _BookingSettings(_FromEnvironment):
    """The practice's booking parameters, shared by every function that shows openings or books them."""

    booking_policy: BookingPolicy = BookingPolicy.STAFF_FIRST
    booking_lead_hours: int = Field(default=24, ge=0, le=14 * 24)
    booking_horizon_days: int = Field(default=28, ge=1, le=90)
    booking_slot_minutes: int = Field(default=30, ge=15, le=30, multiple_of=15)
    waitlist_hold_hours: int = Field(default=48, ge=1, le=14 * 24)

    @property
    def booking_rules(self) -> BookingRules:
        return BookingRules.model_validate(
            {
                "lead_time_hours": self.booking_lead_hours,
                "horizon_days": self.booking_horizon_days,
                "slot_interval_minutes": self.booking_slot_minutes,
            }
        )


class PublicSettings(_BookingSettings):
    table_name: str
    idempotency_table_name: str
    event_bus_name: str
    intake_retention_days: int = Field(default=180, ge=7, le=3650)
    allowed_web_origin: str = ""
    status_link_days: LinkDays = 180
    bond_evidence_minimum: EvidenceMinimum = DEFAULT_EVIDENCE_MINIMUM
    confirmations_per_address_per_day: int = Field(default=DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY, ge=1, le=1000)


class ClientSettings(_BookingSettings):
    """The client-link function: check-ins, asking for a different counselor, booking a first conversation."""

    table_name: str
    event_bus_name: str
    allowed_web_origin: str = ""
    bond_evidence_minimum: EvidenceMinimum = DEFAULT_EVIDENCE_MINIMUM
    status_link_days: LinkDays = 180
    check_in_after_days: str = ""

    @property
    def check_in_days(self) -> tuple[int, ...]:
        return parse_day_schedule(self.check_in_after_days)

    @field_validator("check_in_after_days")
    @classmethod
    def _valid_days(cls, value: str) -> str:
        parse_day_schedule(value)
        return value


class ReviewSettings(_BookingSettings):
    table_name: str
    event_bus_name: str
    status_link_days: LinkDays = 180
    check_in_link_days: LinkDays = 14
    check_in_after_sessions: str = "1,3"
    check_in_after_days: str = ""
    bond_evidence_minimum: EvidenceMinimum = DEFAULT_EVIDENCE_MINIMUM

    @property
    def check_in_schedule(self) -> tuple[int, ...]:
        return parse_schedule(self.check_in_after_sessions)

    @property
    def check_in_days(self) -> tuple[int, ...]:
        return parse_day_schedule(self.check_in_after_days)

    @field_validator("check_in_after_sessions")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("check_in_after_days")
    @classmethod
    def _valid_days(cls, value: str) -> str:
        parse_day_schedule(value)
        return value


class AdminSettings(_BookingSettings):
    table_name: str
    idempotency_table_name: str
    user_pool_id: str


class CounselorSettings(_BookingSettings):
    table_name: str
    bond_evidence_minimum: EvidenceMinimum = DEFAULT_EVIDENCE_MINIMUM


class NotifierSettings(_FromEnvironment):
    practice_name: str
    sender_email: str
    intake_notification_email: str
    console_url: str
    site_url: str
    table_name: str
    status_link_days: LinkDays = 180
    check_in_link_days: LinkDays = 14


class WaitlistSweepSettings(_BookingSettings):
    """The schedule that offers freed slots to waiting clients, each with a hold of waitlist_hold_hours."""

    table_name: str
    event_bus_name: str
    status_link_days: LinkDays = 180


class RosterSnapshotSettings(_FromEnvironment):
    """The writer of the roster snapshot a cold function reads."""

    table_name: str


class CheckInScheduleSettings(_FromEnvironment):
    """The schedule that sends check-ins a number of days after the match, when no session was marked."""

    table_name: str
    event_bus_name: str
    check_in_link_days: LinkDays = 14
