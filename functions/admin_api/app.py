"""Counselor admin API (Cognito, "admin" group): create, update, deactivate; capacity and accepting."""

from functools import cache
from typing import Annotated

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from shared.api.app import lambda_handler, new_resolver
from shared.api.auth import ADMIN_GROUP, actor_in_group
from shared.api.errors import error_responses
from shared.api.models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CounselorListItem,
    CounselorPage,
    CounselorUpdate,
    Cursor,
    PathCounselorId,
)
from shared.clock import utc_now
from shared.config import AdminSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorDetails, CounselorProfile
from shared.domain.records import Actor
from shared.matching.profile import MatchProfile
from shared.services import counselors
from shared.services.counselors import StatusChange

settings = AdminSettings.from_environment()
logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = new_resolver()

_ADMIN_ERRORS = (401, 403, 503)


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


def admin() -> Actor:
    return actor_in_group(app, ADMIN_GROUP)


@app.get("/admin/counselors", tags=["admin"], responses=error_responses(400, *_ADMIN_ERRORS))
def list_counselors(
    actor: Annotated[Actor, Depends(admin)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> CounselorPage:
    """The whole roster, active or not."""
    page = counselors.list_counselors(store(), limit, cursor)
    items = []
    for entry in page.items:
        profile = MatchProfile.from_compact(entry.compact_profile, entry.open_slots)
        items.append(
            CounselorListItem(
                counselor_id=entry.counselor_id,
                name=entry.name,
                active=profile.active,
                accepting_new_clients=profile.accepting,
                open_slots=entry.open_slots,
            )
        )
    return CounselorPage(items=items, next=page.cursor)


@app.post("/admin/counselors", status_code=201, tags=["admin"], responses=error_responses(*_ADMIN_ERRORS))
def create_counselor(details: CounselorDetails, actor: Annotated[Actor, Depends(admin)]) -> CounselorProfile:
    """Add a counselor to the roster."""
    profile = counselors.create_counselor(store(), details, actor, utc_now)
    logger.info("counselor created", extra={"counselor_id": profile.counselor_id})
    return profile


@app.get("/admin/counselors/<counselor_id>", tags=["admin"], responses=error_responses(404, *_ADMIN_ERRORS))
def get_counselor(
    counselor_id: Annotated[PathCounselorId, Path()], actor: Annotated[Actor, Depends(admin)]
) -> CounselorProfile:
    """A counselor's full profile, with its version for the next update."""
    return counselors.get_counselor(store(), counselor_id)


@app.put("/admin/counselors/<counselor_id>", tags=["admin"], responses=error_responses(404, 409, *_ADMIN_ERRORS))
def update_counselor(
    counselor_id: Annotated[PathCounselorId, Path()], body: CounselorUpdate, actor: Annotated[Actor, Depends(admin)]
) -> CounselorProfile:
    """Replace a profile. 409 if it changed since `version` was loaded."""
    details = CounselorDetails.model_validate(body.model_dump(exclude={"version"}))
    profile = counselors.update_counselor(store(), counselor_id, details, body.version, actor, utc_now)
    logger.info("counselor updated", extra={"counselor_id": counselor_id})
    return profile


@app.patch("/admin/counselors/<counselor_id>", tags=["admin"], responses=error_responses(404, 409, *_ADMIN_ERRORS))
def change_status(
    counselor_id: Annotated[PathCounselorId, Path()], body: StatusChange, actor: Annotated[Actor, Depends(admin)]
) -> CounselorProfile:
    """Change capacity, accepting new clients, or active. 409 if it changed since `version` was loaded."""
    profile = counselors.change_status(store(), counselor_id, body, actor, utc_now)
    logger.info("counselor status changed", extra={"counselor_id": counselor_id})
    return profile


handler = lambda_handler(app, logger, tracer, metrics, required_group=ADMIN_GROUP)
