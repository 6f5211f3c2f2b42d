"""Sends email through SES. Callers pass finished text: this module never sees client answers."""

from typing import Any

from shared.adapters import aws


class SesMailer:
    def __init__(self, sender: str, client: Any | None = None) -> None:
        self.sender = sender
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("ses")
        return self._client

    def send(self, to: str, subject: str, text: str) -> str:
        response = self.client.send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )
        return str(response["MessageId"])
