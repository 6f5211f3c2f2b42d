"""Counselor API (Cognito, "counselor" group): a counselor's own profile, weekly windows and capacity, their
upcoming first conversations and their own rating figures. The counselor is the one the verified token's
account is linked to: no route takes a counselor id."""

from functools import cache
from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Depends

from shared import snapstart
from shared.api.app import lambda_handler, new_resolver
from shared.api.auth import COUNSELOR_GROUP, actor_in_group
from shared.api.errors import responses
from shared.api.models import OwnMeeting, OwnMeetings, OwnProfile, OwnProfileUpdate, OwnRatings
from shared.clock import utc_now
from shared.config import CounselorSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorOwnDetails
from shared.domain.records import Actor
from shared.services import counselor_self

settings = CounselorSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver()

_COUNSELOR_ERRORS = (401, 403, 503)


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


def counselor() -> Actor:
    return actor_in_group(app, COUNSELOR_GROUP)


@app.get("/counselor/profile", tags=["counselor"], responses=responses(*_COUNSELOR_ERRORS))
def own_profile(actor: Annotated[Actor, Depends(counselor)]) -> OwnProfile:
    """Your whole profile, with its version for the next update and the fields only an admin can change."""
    return OwnProfile(profile=counselor_self.own_profile(store(), actor))


@app.put("/counselor/profile", tags=["counselor"], responses=responses(400, 409, 413, 415, *_COUNSELOR_ERRORS))
def update_own_profile(body: OwnProfileUpdate, actor: Annotated[Actor, Depends(counselor)]) -> OwnProfile:
    """Replace your own fields (the admin-only ones stay). 409 if the profile changed since `version`."""
    details = CounselorOwnDetails.model_validate(body.model_dump(exclude={"version"}))
    profile = counselor_self.update_own_profile(store(), actor, details, body.version, utc_now, settings.booking_rules)
    logger.info("counselor updated own profile", extra={"counselor_id": profile.counselor_id})
    return OwnProfile(profile=profile)


@app.get("/counselor/meetings", tags=["counselor"], responses=responses(*_COUNSELOR_ERRORS))
def own_meetings(actor: Annotated[Actor, Depends(counselor)]) -> OwnMeetings:
    """Your first conversations booked from now to the end of the booking horizon, soonest first."""
    meetings = counselor_self.own_meetings(store(), actor, utc_now, settings.booking_rules)
    return OwnMeetings(
        items=[
            OwnMeeting(
                intake_id=m.intake_id,
                kind=m.booking.kind,
                format=m.booking.format,
                start=m.booking.start,
                end=m.booking.end,
                minutes=m.booking.minutes,
            )
            for m in meetings
        ]
    )


@app.get("/counselor/ratings", tags=["counselor"], responses=responses(*_COUNSELOR_ERRORS))
def own_ratings(actor: Annotated[Actor, Depends(counselor)]) -> OwnRatings:
    """How clients rate your understanding of their values, culture and faith, from the privacy minimum on."""
    ratings = counselor_self.own_ratings(store(), actor, settings.bond_evidence_minimum)
    return OwnRatings(minimum=ratings.minimum, clients=ratings.clients, understanding=ratings.mean)


handler = lambda_handler(app, logger, metrics, required_group=COUNSELOR_GROUP)
snapstart.register(app, clients=("dynamodb",))
