"""A client's booked first conversation with a counselor, as stored beside their intake.

Pure: the booking use case (shared/services/booking.py) decides, the data layer writes it with the cells
it occupies (shared/domain/availability.py `cells`). It names the counselor and the time, never anything
the client wrote in their intake, so it may travel in the outbox to build the calendar invitation.
"""

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.domain.availability import MeetingKind, cells
from shared.domain.errors import ConflictError
from shared.domain.vocabulary import ConversationFormat


class Booking(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    booking_id: str = Field(pattern=r"^[a-f0-9]{16}$", description="Stable across reschedules: the invitation's UID.")
    counselor_id: str
    counselor_name: str
    kind: MeetingKind
    format: ConversationFormat
    start: AwareDatetime
    minutes: int = Field(ge=1, le=600)
    buffer_minutes: int = Field(default=0, ge=0, le=60)
    time_zone: str = Field(description="The client's IANA zone, in which emails give the time.")
    sequence: int = Field(default=0, ge=0, description="0 when booked; +1 on each reschedule and the cancellation.")
    booked_at: AwareDatetime

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def cells(self) -> tuple[datetime, ...]:
        """The 15-minute cells it occupies in the counselor's calendar, its buffer included."""
        return cells(self.start, self.minutes, self.buffer_minutes)


class TimeUnavailable(ConflictError):
    """The time asked for is taken, or no longer offered: the counselor's fresh openings come with it."""

    code = "time_unavailable"

    def __init__(self, openings: tuple[datetime, ...]) -> None:
        super().__init__(
            "This time is no longer available. Choose one of the counselor's current openings."
            if openings
            else "This time is no longer available, and this counselor has no other opening just now."
        )
        self.openings = openings


class AlreadyBooked(ConflictError):
    code = "already_booked"

    def __init__(self) -> None:
        super().__init__(
            "A first conversation is already booked on this request. Reschedule or cancel it from your status page."
        )


class NoBooking(ConflictError):
    code = "no_booking"

    def __init__(self) -> None:
        super().__init__("There is no booked first conversation on this request (it may have been cancelled).")
