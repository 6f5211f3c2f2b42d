"""Request and response bodies. Responses are allow-lists: each names exactly the fields it carries."""

from datetime import datetime
from functools import cache
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shared.domain.availability import MeetingKind, TimeZoneName
from shared.domain.bond import ITEM_TEXT, CheckInAnswers, CheckInItem, RiskReason
from shared.domain.booking import Booking
from shared.domain.cost import CostEstimate
from shared.domain.counselor import (
    ADMIN_ONLY_FIELDS,
    CounselorDetails,
    CounselorOwnDetails,
    CounselorProfile,
    CounselorPublicProfile,
)
from shared.domain.intake import Email, IntakeAnswers
from shared.domain.labels import LABELS, label
from shared.domain.records import BookedInQueue, Decision, HistoryEntry, IntakeStatus
from shared.domain.rematch import AskedChanges, Change
from shared.domain.shortlist import Wish
from shared.domain.text import NFC, MultiLine
from shared.domain.vocabulary import ConversationFormat
from shared.i18n import Domain, Locale, translations
from shared.matching.result import ExplainedReason, NoMatch, Suggestion
from shared.matching.weights import FactorName
from shared.services.counselors import StatusChange

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25

IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{16,128}$")]
Cursor = Annotated[str, StringConstraints(max_length=1024, pattern=r"^[A-Za-z0-9_\-]+$")]
PathIntakeId = Annotated[str, StringConstraints(pattern=r"^in-[a-z2-7]{20}$")]
PathCounselorId = Annotated[str, StringConstraints(pattern=r"^c-[a-z0-9]{6,32}$")]
StatusToken = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{20,100}$")]
CheckInToken = StatusToken
CheckInNumber = Annotated[int, Field(ge=1, le=99)]
LANG = "The page's language ('es', 'es-MX'...): an unknown or missing code reads as English, never an error."


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


# ---------------------------------------------------------------- public


class SubmitResponse(Out):
    reference: str
    status_token: str = Field(description="Secret: proves the holder may see this intake's status.")
    status_link: str = Field(description="Relative link to the status page; the token is in the fragment.")
    urgent: bool


class BookingView(Out):
    """A booked first conversation, as the client and staff see it. Times are UTC; `time_zone` is the
    client's, in which emails give the time."""

    reference: str = Field(description="The intake's reference.")
    counselor_id: str
    counselor_name: str
    kind: MeetingKind
    format: ConversationFormat
    start: datetime
    end: datetime
    minutes: int
    time_zone: str

    @staticmethod
    def of(reference: str, booking: Booking) -> "BookingView":
        return BookingView(
            reference=reference,
            counselor_id=booking.counselor_id,
            counselor_name=booking.counselor_name,
            kind=booking.kind,
            format=booking.format,
            start=booking.start,
            end=booking.end,
            minutes=booking.minutes,
            time_zone=booking.time_zone,
        )


class BookingRequest(In):
    counselor_id: PathCounselorId = Field(description="A counselor on the client's shortlist.")
    kind: MeetingKind
    start: AwareDatetime = Field(description="One of the counselor's openings for this kind (UTC ISO-8601).")
    time_zone: TimeZoneName = Field(description="The client's IANA time zone, e.g. America/Denver.")


class RescheduleRequest(In):
    start: AwareDatetime = Field(description="Another of the same counselor's openings for the same kind.")
    time_zone: TimeZoneName


class BookingCancelledView(Out):
    reference: str
    cancelled: bool


class StatusResponse(Out):
    reference: str
    stage: str = Field(
        description="received, being_reviewed, matched, waitlisted, referred, closed, or finding_someone_else "
        "(after the client asked for a different counselor)."
    )
    updated_at: datetime
    counselor: CounselorPublicProfile | None = Field(description="The counselor, once matched.")
    can_request_rematch: bool = Field(description="Whether the client can ask for a different counselor now.")
    booking: BookingView | None = Field(default=None, description="The first conversation the client booked.")
    urgent: bool = Field(
        default=False, description="The client said they might be in danger: the page shows crisis resources."
    )


class OfferView(Out):
    kind: MeetingKind
    minutes: int
    format: str = Field(description="telehealth, phone or in_person.")


class OpeningsView(Out):
    """Start instants in UTC, earliest first, at most six of each kind (none when not offered)."""

    consult_call: list[datetime]
    first_session: list[datetime]


class ShortlistEntryView(Out):
    counselor: CounselorPublicProfile
    alternative: bool = Field(description="Found by relaxing must-haves the client set.")
    wishes: list[Wish] = Field(description="Each of the client's wishes, marked met, partly met or not met.")
    reasons: list[str]
    relaxed: str | None = Field(description="For an alternative: what was relaxed, in plain words.")
    cost: CostEstimate | None
    offers: list[OfferView] = Field(description="The kinds of first conversation this counselor offers.")
    openings: OpeningsView
    next_opening: datetime | None = Field(description="The first opening of any kind; null when none is open.")


class RescheduleView(Out):
    counselor_id: str
    kind: MeetingKind
    openings: list[datetime] = Field(description="Times the booking can move to (UTC), earliest first.")


class WaitlistStateView(Out):
    """The client's own place on the waitlist: identifiers, times and the held counselor's public name only."""

    counselor_ids: list[str] = Field(description="Who the client waits for, in the order they are offered.")
    any_fit: bool = Field(description="Waits for the first good fit rather than one counselor.")
    joined_at: datetime
    held_counselor_id: str | None = Field(description="When a place is held for the client: with whom.")
    held_counselor_name: str | None = Field(description="The held counselor's public name.")
    held_until: datetime | None = Field(description="When a place is held: until when (UTC) it can be claimed.")


class ShortlistResponse(Out):
    reference: str
    open: bool = Field(
        description="Whether the client may choose from the shortlist now. False (with no entries) under the "
        "staff-first policy, for an urgent intake, before staff release it, and once booked or assigned."
    )
    entries: list[ShortlistEntryView] = Field(max_length=3)
    fit_versus_wait: str | None = Field(
        description="When the best fit's first opening is much later than another good fit's, said plainly."
    )
    reschedule: RescheduleView | None = Field(
        default=None, description="Once booked (the shortlist is then closed): the times the booking can move to."
    )
    waitlist: WaitlistStateView | None = Field(
        default=None, description="While the shortlist is open: the client's place on the waitlist, if any."
    )


TimeZoneQuery = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$")]


class RematchRequest(AskedChanges):
    """What to change, as choices that count in the next match, and in the client's words for staff. At least
    one of the two."""

    what_to_change: Annotated[str, StringConstraints(max_length=1000), NFC, MultiLine] = Field(
        default="",
        validate_default=True,
        description="What the client would like to be different. Shown to the practice's staff only.",
    )

    @field_validator("what_to_change")
    @classmethod
    def _something_to_change(cls, words: str, info: ValidationInfo) -> str:
        if not words and not info.data.get("changes"):
            raise ValueError("choose what to change, or tell us in a few words")
        return words

    def asked(self) -> AskedChanges:
        return AskedChanges.model_validate(self.model_dump(exclude={"what_to_change"}))


class RematchAccepted(Out):
    reference: str
    stage: str = Field(description="finding_someone_else: the team is choosing someone new.")


class CheckInQuestion(Out):
    item: CheckInItem
    text: str


def check_in_questions(locale: Locale = Locale.EN) -> list[CheckInQuestion]:
    """The check-in's questions, in the client's language."""
    return [CheckInQuestion(item=item, text=label(item, locale)) for item in ITEM_TEXT]


class CheckInPage(Out):
    reference: str
    number: int
    state: str = Field(description="open (can be sent), sent (already sent, once is enough) or expired.")
    counselor_name: str
    expires_at: datetime
    questions: list[CheckInQuestion] = Field(description="Each rated 0-10; identity may be left out (null).")


class CheckInReceived(Out):
    reference: str
    number: int
    received: bool
    support_email_sent: bool = Field(
        default=False,
        description="The client was emailed a fresh status link where they can ask for someone else (after a "
        "check-in that puts the bond at risk; the check-in link itself cannot).",
    )


class DirectoryPage(Out):
    items: list[CounselorPublicProfile]
    next: str | None = Field(description="Pass as `cursor` for the next page.")


class Choice(Out):
    value: str
    label: str


class Vocabulary(Out):
    """Every list the intake form offers, with labels, so the pages and the API cannot drift apart."""

    lists: dict[str, list[Choice]]


@cache
def vocabulary(locale: Locale = Locale.EN) -> Vocabulary:
    """Every list in `locale` (built once per language while the function is warm; the model is frozen)."""
    words = translations(locale, Domain.LABELS)
    return Vocabulary(
        lists={
            enum.__name__: [Choice(value=value, label=words.gettext(text)) for value, text in labels.items()]
            for enum, labels in LABELS.items()
        }
    )


# ---------------------------------------------------------------- staff


class QueueItem(Out):
    reference: str
    status: IntakeStatus
    urgent: bool
    created_at: datetime
    updated_at: datetime
    name: str
    primary_concern: str
    service_type: str
    jurisdiction: str
    format: str
    no_match: str | None
    booking: BookedInQueue | None = Field(default=None, description="The first conversation the client booked.")


class QueuePage(Out):
    items: list[QueueItem]
    next: str | None


class SuggestionView(Suggestion):
    name: str = Field(description="The counselor's name when matching ran.")
    explained: list[ExplainedReason] = Field(
        description="The staff reasons, each with its factor and whether it is met: unmet must-haves first, "
        "then unmet factors the client rated important, then the rest."
    )

    @staticmethod
    def of(suggestion: Suggestion, name: str) -> "SuggestionView":
        return SuggestionView(**suggestion.model_dump(), name=name, explained=suggestion.ordered_reasons())


class MatchView(Out):
    suggestions: list[SuggestionView]
    alternatives: list[SuggestionView]
    relaxed: list[FactorName]
    no_match: NoMatch | None
    urgent: bool
    eligible: int
    roster_size: int
    matched_at: datetime
    asked_for: list[Change] = Field(
        description="When the client asked for someone else: what they chose to change, must-haves in this run."
    )


MAX_FITS = 100
"""The most counselors "everyone who fits" lists (the count of all who fit is given beside them)."""


class FitsView(Out):
    """Everyone who fits the intake on the roster as it is now, for staff who look past the suggestions."""

    counted_at: datetime
    eligible: int = Field(description="Counselors who pass every hard constraint now.")
    meeting_every_must_have: int = Field(description="Of those, how many meet every must-have.")
    roster_size: int = Field(description="Active counselors now.")
    items: list[SuggestionView] = Field(
        max_length=MAX_FITS,
        description="Those who meet every must-have first, then the others, each ranked as the suggestions are, "
        "with the same breakdown and reasons (at most MAX_FITS).",
    )
    open_slots: dict[str, int] = Field(
        description="Open slots now of every counselor the intake names (suggestions, the assigned counselor)."
    )


class CheckInForStaff(Out):
    number: int
    after_session: int = Field(description="Sessions marked as held when it was sent.")
    after_days: int | None = Field(description="Set when the day schedule sent it: days after the match.")
    counselor_id: str
    counselor_name: str
    invited_at: datetime
    expires_at: datetime
    submitted_at: datetime | None
    answers: CheckInAnswers | None = Field(description="With the client's free text: for staff only.")
    risk: list[RiskReason]


class IntakeDetail(Out):
    reference: str
    status: IntakeStatus
    urgent: bool
    created_at: datetime
    updated_at: datetime
    assigned_counselor_id: str | None
    assigned_at: datetime | None
    answers: IntakeAnswers
    match: MatchView | None
    history: list[HistoryEntry]
    sessions_held: int
    bond_at_risk: bool = Field(description="A check-in was low or dropped, and staff have not reviewed it yet.")
    check_ins: list[CheckInForStaff]
    excluded_counselor_ids: list[str] = Field(description="Counselors the client moved on from.")
    shortlist_released_at: datetime | None = Field(
        default=None, description="When staff released the shortlist to the client (policy staff-approved)."
    )
    shortlist_releasable: bool = Field(
        default=False, description="Whether staff can release the shortlist now (POST .../shortlist-release)."
    )
    booking: BookingView | None = Field(default=None, description="The first conversation the client booked.")
    counselor_names: dict[str, str] = Field(
        default_factory=dict,
        description="The name of every counselor the intake names (suggestions, the assigned counselor, history, "
        "those the client moved on from): from the current roster with `fits=all`, otherwise as at matching.",
    )
    unrated: list[str] = Field(
        default_factory=list,
        description="The answer sections whose importance the client left at the form's default (`format` for "
        "availability): matching used the default, and the reasons say so.",
    )
    fits: FitsView | None = Field(default=None, description="With `fits=all`: everyone who fits now.")


class SessionRecorded(Out):
    reference: str
    sessions_held: int
    check_in_sent: bool = Field(description="Whether this session triggered a check-in email to the client.")


class BondReview(In):
    note: Annotated[str, StringConstraints(max_length=2000), NFC, MultiLine] = Field(
        default="", description="What was done, for the team (for example: talked with the client)."
    )


class AssignRequest(In):
    counselor_id: PathCounselorId
    reason: Annotated[str, StringConstraints(max_length=1000), NFC, MultiLine] = Field(
        default="", description="Required (10+ characters) when the counselor was not suggested."
    )


class DecisionRequest(In):
    decision: Decision
    note: Annotated[str, StringConstraints(max_length=2000), NFC, MultiLine] = ""


class ActionResult(Out):
    reference: str
    status: IntakeStatus


# ---------------------------------------------------------------- admin


class CounselorListItem(Out):
    counselor_id: str
    name: str
    active: bool
    accepting_new_clients: bool
    open_slots: int


class CounselorPage(Out):
    items: list[CounselorListItem]
    next: str | None


class CounselorUpdate(CounselorDetails):
    version: StrictInt = Field(ge=1, description="The version you loaded; a stale one gets 409.")


class CounselorStatusChange(StatusChange):
    """The everyday roster changes: capacity, accepting new clients, active."""

    # As strict as every other body: JSON numbers and booleans only (a lax `"open_slots": false` becomes 0).

    version: StrictInt = Field(ge=1, description="The version you loaded; a stale one gets 409.")
    open_slots: StrictInt | None = Field(default=None, ge=0, le=200)
    accepting_new_clients: StrictBool | None = None
    active: StrictBool | None = None


class CounselorInvitation(In):
    email: Email = Field(description="Where Cognito sends the counselor's temporary password.")


class Invited(Out):
    counselor_id: str
    invited: bool


class CounselorChangeItem(Out):
    at: datetime
    actor: str = Field(description="Who made the change (the sign-in's email).")
    by: str = Field(description="`counselor` for the counselor's own change, `admin` otherwise.")
    created: bool = Field(description="The profile's creation (it lists no fields).")
    fields: list[str] = Field(description="The profile fields it changed; never their values.")


class CounselorChangePage(Out):
    items: list[CounselorChangeItem]
    next: str | None


class OwnProfileUpdate(CounselorOwnDetails):
    """A counselor's own fields, and the version loaded. The admin-only fields have no place here: naming
    one is refused (422) with nothing changed."""

    version: StrictInt = Field(ge=1, description="The version you loaded; a stale one gets 409.")


class OwnProfile(Out):
    profile: CounselorProfile = Field(description="The counselor's whole profile, with its version.")
    admin_only: list[str] = Field(
        default=sorted(ADMIN_ONLY_FIELDS), description="Fields only the practice's admin can change."
    )


class OwnMeeting(Out):
    intake_id: str = Field(description="The client's reference, to look up with the practice.")
    kind: MeetingKind
    format: ConversationFormat
    start: datetime
    end: datetime
    minutes: int


class OwnMeetings(Out):
    items: list[OwnMeeting]


class OwnRatings(Out):
    minimum: int = Field(description="Nothing resting on fewer clients than this is shown.")
    clients: int | None = Field(description="Clients who rated your understanding; null from 1 to the minimum - 1.")
    understanding: float | None = Field(
        description="Their mean rating of your understanding (0-10); null below the minimum."
    )


class AuditItem(Out):
    at: datetime
    actor: str
    action: str
    intake_id: str | None
    counselor_id: str | None


class AuditPage(Out):
    items: list[AuditItem]
    next: str | None


class Erased(Out):
    reference: str
    erased: bool
