"""Client links API: what a client can do with the private links the practice emails them: see their
shortlist, book, move or cancel a first conversation, send a check-in after a session, and ask for a
different counselor. Split from the public intake function because it changes stored intakes and
counselors, which the intake function may not."""

from functools import cache
from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.metrics import MetricUnit

from shared import snapstart
from shared.adapters.events import EventBridgeIntakeEvents
from shared.api.app import lambda_handler, new_resolver
from shared.api.errors import responses
from shared.api.models import (
    LANG,
    BookingCancelledView,
    BookingRequest,
    BookingView,
    CheckInNumber,
    CheckInPage,
    CheckInReceived,
    CheckInToken,
    OfferView,
    OpeningsView,
    PathIntakeId,
    RematchAccepted,
    RematchRequest,
    RescheduleRequest,
    RescheduleView,
    ShortlistEntryView,
    ShortlistResponse,
    StatusToken,
    TimeZoneQuery,
    WaitlistStateView,
    check_in_questions,
)
from shared.api.waitlist_models import WaitlistClaimed, WaitlistJoin, WaitlistLeft, WaitlistPlace
from shared.clock import utc_now
from shared.config import ClientSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.availability import MeetingKind
from shared.domain.bond import CheckInAnswers
from shared.i18n import locale_of
from shared.services import bond, booking, intakes, shortlist, waitlist
from shared.services.roster_cache import RosterCache

settings = ClientSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver(settings.allowed_web_origin)
roster = RosterCache()
booking_options = booking.BookingOptions(
    policy=settings.booking_policy,
    rules=settings.booking_rules,
    status_link_days=settings.status_link_days,
    check_in_days=settings.check_in_days,
)


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@cache
def events() -> EventBridgeIntakeEvents:
    return EventBridgeIntakeEvents(settings.event_bus_name)


@app.get("/checkins/<intake_id>/<number>", tags=["client"], responses=responses(404, 503))
def check_in(
    intake_id: Annotated[PathIntakeId, Path()],
    number: Annotated[CheckInNumber, Path()],
    token: Annotated[CheckInToken, Header(alias="X-Check-In-Token")],
    lang: Annotated[str | None, Query(description=LANG)] = None,
) -> CheckInPage:
    """A check-in, with its questions. Sent or expired ones say so (they are states, not errors)."""
    view = bond.view_check_in(store(), intake_id, number, token, utc_now)
    return CheckInPage(
        reference=intake_id,
        number=number,
        state=view.state.value,
        counselor_name=view.counselor_name,
        expires_at=view.expires_at,
        questions=check_in_questions(locale_of(lang)),
    )


@app.post(
    "/checkins/<intake_id>/<number>",
    status_code=201,
    tags=["client"],
    responses=responses(404, 409, 410, 413, 415, 503, success=201),
)
def send_check_in(
    intake_id: Annotated[PathIntakeId, Path()],
    number: Annotated[CheckInNumber, Path()],
    token: Annotated[CheckInToken, Header(alias="X-Check-In-Token")],
    answers: CheckInAnswers,
) -> CheckInReceived:
    """Send a check-in: once (409 the second time), before its link expires (410 after)."""
    sent = bond.submit_check_in(
        store(), intake_id, number, token, answers, utc_now, events(), status_link_days=settings.status_link_days
    )
    metrics.add_metric(name="CheckIns", unit=MetricUnit.Count, value=1)
    if sent.at_risk:
        metrics.add_metric(name="BondAtRisk", unit=MetricUnit.Count, value=1)
    logger.info("check-in stored", extra={"intake_id": intake_id, "check_in": number})
    return CheckInReceived(
        reference=intake_id, number=number, received=True, support_email_sent=sent.support_email_sent
    )


@app.post(
    "/intakes/<intake_id>/rematch-request",
    status_code=202,
    tags=["client"],
    responses=responses(400, 404, 409, 410, 413, 415, 503, success=202),
)
def request_rematch(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: RematchRequest,
) -> RematchAccepted:
    """Ask for a different counselor (once matched; 409 before). What the client chooses to change counts as a
    must-have in the new matching run (400 at `body.changes` for a change their answers give nothing to work
    from); their words are for staff. The team sees the request in the queue."""
    outcome = intakes.request_rematch(
        intake_id,
        status_token,
        body.what_to_change,
        asked=body.asked(),
        intakes=store(),
        roster_store=store(),
        roster=roster,
        events=events(),
        clock=utc_now,
        evidence_minimum=settings.bond_evidence_minimum,
        status_link_days=settings.status_link_days,
    )
    metrics.add_metric(name="RematchRequests", unit=MetricUnit.Count, value=1)
    logger.info("rematch requested", extra={"intake_id": intake_id})
    return RematchAccepted(reference=intake_id, stage=outcome.stage)


@app.post(
    "/intakes/<intake_id>/booking",
    status_code=201,
    tags=["client"],
    responses=responses(400, 404, 409, 410, 413, 415, 503, success=201, booking=True),
)
def book(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: BookingRequest,
) -> BookingView:
    """Book a first conversation with a counselor on the client's shortlist, at one of their openings.
    409 with fresh openings when the time was just taken or is no longer offered."""
    booked = booking.book(
        store(), intake_id, status_token, body.counselor_id, body.kind, body.start, body.time_zone,
        options=booking_options, clock=utc_now, events=events(),
    )  # fmt: skip
    metrics.add_metric(name="Bookings", unit=MetricUnit.Count, value=1)
    logger.info("booked", extra={"intake_id": intake_id, "counselor_id": body.counselor_id, "kind": body.kind})
    return BookingView.of(intake_id, booked)


@app.put(
    "/intakes/<intake_id>/booking",
    tags=["client"],
    responses=responses(400, 404, 409, 410, 413, 415, 503, booking=True),
)
def reschedule(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: RescheduleRequest,
) -> BookingView:
    """Move the booked first conversation to another opening of the same counselor and kind."""
    moved = booking.reschedule(
        store(), intake_id, status_token, body.start, body.time_zone,
        options=booking_options, clock=utc_now, events=events(),
    )  # fmt: skip
    metrics.add_metric(name="Reschedules", unit=MetricUnit.Count, value=1)
    logger.info("rescheduled", extra={"intake_id": intake_id})
    return BookingView.of(intake_id, moved)


@app.delete("/intakes/<intake_id>/booking", tags=["client"], responses=responses(404, 409, 410, 503))
def cancel_booking(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> BookingCancelledView:
    """Cancel the booked first conversation: the counselor's time and slot are freed, and the client may
    book again from their shortlist."""
    booking.cancel(
        store(), intake_id, token=status_token, actor=booking.CLIENT,
        options=booking_options, clock=utc_now, events=events(),
    )  # fmt: skip
    metrics.add_metric(name="BookingsCancelled", unit=MetricUnit.Count, value=1)
    logger.info("booking cancelled", extra={"intake_id": intake_id, "by": "client"})
    return BookingCancelledView(reference=intake_id, cancelled=True)


@app.get("/intakes/<intake_id>/shortlist", tags=["client"], responses=responses(400, 404, 410, 503))
def client_shortlist(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    time_zone: Annotated[TimeZoneQuery | None, Query(description="The client's IANA zone, for dates in words.")] = None,
    lang: Annotated[str | None, Query(description=LANG)] = None,
) -> ShortlistResponse:
    """The client's shortlist: 2-3 counselors with their public profile, how each meets the client's wishes,
    what was relaxed, the estimated cost and the first openings. Closed (open=false, no entries) unless the
    practice's policy and the intake allow it; never for an urgent intake."""
    found = shortlist.client_shortlist(
        intake_id, status_token, store=store(), clock=utc_now, policy=settings.booking_policy,
        rules=settings.booking_rules, time_zone=shortlist.client_zone(time_zone),
        locale=locale_of(lang) if lang is not None else None,
    )  # fmt: skip
    logger.info("shortlist shown", extra={"intake_id": intake_id, "open": found.open, "entries": len(found.entries)})
    return ShortlistResponse(
        reference=intake_id,
        open=found.open,
        entries=[
            ShortlistEntryView(
                counselor=e.counselor,
                alternative=e.entry.alternative,
                wishes=e.entry.wishes,
                reasons=e.entry.reasons,
                relaxed=e.entry.relaxed,
                cost=e.entry.cost,
                offers=[OfferView(kind=o.kind, minutes=o.minutes, format=o.format) for o in e.offers],
                openings=OpeningsView(
                    consult_call=e.openings.get(MeetingKind.CONSULT_CALL, []),
                    first_session=e.openings.get(MeetingKind.FIRST_SESSION, []),
                ),
                next_opening=e.next_opening,
            )
            for e in found.entries
        ],
        fit_versus_wait=found.fit_versus_wait,
        reschedule=RescheduleView(**found.reschedule._asdict()) if found.reschedule else None,
        waitlist=WaitlistStateView(**found.waitlist._asdict()) if found.waitlist else None,
        locale=found.locale,
    )


@app.post(
    "/intakes/<intake_id>/waitlist",
    status_code=201,
    tags=["client"],
    responses=responses(400, 404, 409, 410, 413, 415, 503, success=201),
)
def join_waitlist(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
    body: WaitlistJoin,
) -> WaitlistPlace:
    """Wait for one counselor of the shortlist, or for the first good fit. When a place frees up, the client
    is emailed an offer held for them (409 when already waiting, or the shortlist is not open to them)."""
    entry = waitlist.join(store(), intake_id, status_token, body.counselor_id, utc_now, settings.booking_policy)
    metrics.add_metric(name="WaitlistJoined", unit=MetricUnit.Count, value=1)
    logger.info("joined the waitlist", extra={"intake_id": intake_id, "any_fit": entry.any_fit})
    return WaitlistPlace(
        reference=intake_id, counselor_ids=list(entry.counselor_ids), any_fit=entry.any_fit, joined_at=entry.joined_at
    )


@app.delete("/intakes/<intake_id>/waitlist", tags=["client"], responses=responses(404, 409, 410, 503))
def leave_waitlist(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> WaitlistLeft:
    """Leave the waitlist; a place held for the client goes back to the counselor."""
    waitlist.leave(store(), intake_id, status_token, utc_now)
    logger.info("left the waitlist", extra={"intake_id": intake_id})
    return WaitlistLeft(reference=intake_id)


@app.post("/intakes/<intake_id>/waitlist-offer/claim", tags=["client"], responses=responses(404, 409, 410, 503))
def claim_waitlist_offer(
    intake_id: Annotated[PathIntakeId, Path()],
    status_token: Annotated[StatusToken, Header(alias="X-Status-Token")],
) -> WaitlistClaimed:
    """Take the place held for the client: they are matched with that counselor. 409 when no place is held
    for them now (claimed already, or the hold ended and the place passed on)."""
    counselor_id = waitlist.claim(store(), intake_id, status_token, utc_now)
    metrics.add_metric(name="WaitlistClaims", unit=MetricUnit.Count, value=1)
    logger.info("waitlist offer claimed", extra={"intake_id": intake_id, "counselor_id": counselor_id})
    return WaitlistClaimed(reference=intake_id, counselor_id=counselor_id, stage="matched")


handler = lambda_handler(app, logger, metrics)
snapstart.register(app, clients=("dynamodb", "events"))
