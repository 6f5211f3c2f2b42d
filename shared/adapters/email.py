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

    def send_with_calendar(self, to: str, subject: str, text: str, calendar: bytes, method: str) -> str:
        """The text, with the invitation as a text/calendar part (which mail clients show as an invitation)
        and as an invite.ics attachment (for those that want a file): SES raw email, since SendEmail takes
        no attachments."""
        from email.message import EmailMessage  # only booking emails need MIME

        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.sender
        message["To"] = to
        message.set_content(text)
        # as bytes (base64): the invitation's CRLF line ends (RFC 5545) arrive as built
        message.add_alternative(
            calendar, maintype="text", subtype="calendar", params={"method": method, "charset": "utf-8"}
        )
        message.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
        response = self.client.send_raw_email(
            Source=self.sender, Destinations=[to], RawMessage={"Data": message.as_bytes()}
        )
        return str(response["MessageId"])
