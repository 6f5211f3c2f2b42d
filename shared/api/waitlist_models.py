"""Request and response bodies of the waitlist routes (allow-lists, like shared/api/models.py): identifiers
and times only, never answers, names or contact details."""

from datetime import datetime

from pydantic import Field

from shared.api.models import In, Out, PathCounselorId


class WaitlistJoin(In):
    counselor_id: PathCounselorId | None = Field(
        default=None,
        description="One counselor of the client's shortlist to wait for; null waits for the first good fit "
        "(any counselor on the shortlist, best first).",
    )


class WaitlistPlace(Out):
    reference: str
    counselor_ids: list[str] = Field(description="Who the client waits for, in the order they are offered.")
    any_fit: bool
    joined_at: datetime


class WaitlistLeft(Out):
    reference: str
    left: bool = True


class WaitlistClaimed(Out):
    reference: str
    counselor_id: str = Field(description="The counselor the client is now matched with.")
    stage: str = Field(description="matched")


class CounselorWaitlistItem(Out):
    reference: str
    joined_at: datetime
    any_fit: bool = Field(description="Waits for the first good fit rather than this counselor alone.")
    held_until: datetime | None = Field(description="When a place is held for this client, until when.")
    held_for_this_counselor: bool


class CounselorWaitlist(Out):
    counselor_id: str
    items: list[CounselorWaitlistItem] = Field(description="First in line first.")
