"""Announces new intakes on the practice's EventBridge bus. The event names the intake and says whether it
is urgent or unmatched; it never carries answers, names or contact details."""

import json
from typing import Any

from shared.adapters import aws

SOURCE = "counseling.intake"
INTAKE_RECEIVED = "IntakeReceived"


class EventBridgeIntakeEvents:
    def __init__(self, bus_name: str, client: Any | None = None) -> None:
        self.bus_name = bus_name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("events")
        return self._client

    def intake_received(self, intake_id: str, urgent: bool, no_match: bool) -> None:
        detail = {"intake_id": intake_id, "urgent": urgent, "no_match": no_match}
        response = self.client.put_events(
            Entries=[
                {
                    "Source": SOURCE,
                    "DetailType": INTAKE_RECEIVED,
                    "Detail": json.dumps(detail),
                    "EventBusName": self.bus_name,
                }
            ]
        )
        if response.get("FailedEntryCount"):
            raise RuntimeError("EventBridge did not accept the event")
