"""Announces what happened to an intake on the practice's EventBridge bus. Each event names the intake
(and, for a new one, whether it is urgent or unmatched); none carries answers, names, contact details or
link tokens. The notifier subscribes to all of them; the practice can add its own rules."""

import json
from typing import Any

from shared.adapters import aws

SOURCE = "counseling.intake"
INTAKE_RECEIVED = "IntakeReceived"
CLIENT_EMAIL_QUEUED = "ClientEmailQueued"
REMATCH_REQUESTED = "RematchRequested"
BOND_AT_RISK = "BondAtRisk"
DETAIL_TYPES = (INTAKE_RECEIVED, CLIENT_EMAIL_QUEUED, REMATCH_REQUESTED, BOND_AT_RISK)


class EventBridgeIntakeEvents:
    def __init__(self, bus_name: str, client: Any | None = None) -> None:
        self.bus_name = bus_name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("events")
        return self._client

    def _publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        response = self.client.put_events(
            Entries=[
                {
                    "Source": SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail),
                    "EventBusName": self.bus_name,
                }
            ]
        )
        if response.get("FailedEntryCount"):
            raise RuntimeError("EventBridge did not accept the event")

    def intake_received(self, intake_id: str, urgent: bool, no_match: bool) -> None:
        self._publish(INTAKE_RECEIVED, {"intake_id": intake_id, "urgent": urgent, "no_match": no_match})

    def client_email_queued(self, intake_id: str) -> None:
        self._publish(CLIENT_EMAIL_QUEUED, {"intake_id": intake_id})

    def rematch_requested(self, intake_id: str) -> None:
        self._publish(REMATCH_REQUESTED, {"intake_id": intake_id})

    def bond_at_risk(self, intake_id: str) -> None:
        self._publish(BOND_AT_RISK, {"intake_id": intake_id})
