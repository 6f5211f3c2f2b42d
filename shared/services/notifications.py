"""The "new intake" email to the practice. It says only that an intake arrived, its reference, whether it
is urgent or unmatched, and where to review it: never a name, contact detail or answer."""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from shared.domain.records import IntakeId


class IntakeReceived(BaseModel):
    """The EventBridge event's detail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intake_id: IntakeId
    urgent: bool
    no_match: bool


@dataclass(frozen=True)
class Email:
    subject: str
    text: str


def new_intake_email(event: IntakeReceived, practice_name: str, console_url: str) -> Email:
    flag = "URGENT - " if event.urgent else ""
    subject = f"{flag}New intake {event.intake_id} - {practice_name}"
    lines = [
        f"A new intake arrived for {practice_name}.",
        "",
        f"Reference: {event.intake_id}",
        f"Urgent (safety answer): {'YES - review now and follow your crisis protocol' if event.urgent else 'no'}",
        f"Suggestions found: {'no - the console says why' if event.no_match else 'yes'}",
        "",
        f"Review it in the console: {console_url}#{event.intake_id}",
        "",
        "This email never contains client details; sign in to the console to see them.",
    ]
    return Email(subject=subject, text="\n".join(lines))
