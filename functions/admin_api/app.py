"""Counselor admin API (Cognito, "admin" group): create, update, deactivate; capacity and accepting."""

from datetime import date
from functools import cache
from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from shared import snapstart
from shared.adapters.sign_ins import CognitoSignIns
from shared.api.app import lambda_handler, new_resolver
from shared.api.auth import ADMIN_GROUP, actor_in_group
from shared.api.errors import responses
from shared.api.models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    AuditItem,
    AuditPage,
    CounselorChangeItem,
    CounselorChangePage,
    CounselorInvitation,
    CounselorListItem,
    CounselorPage,
    CounselorStatusChange,
    CounselorUpdate,
    Cursor,
    Erased,
    Invited,
    PathCounselorId,
    PathIntakeId,
)
from shared.clock import utc_now
from shared.config import AdminSettings
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorDetails, CounselorProfile
from shared.domain.records import Actor
from shared.services import counselor_self, counselors, records

settings = AdminSettings.from_environment()
logger = Logger()
metrics = Metrics()
app = new_resolver()

_ADMIN_ERRORS = (401, 403, 503)


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name, idempotency_table_name=settings.idempotency_table_name)


@cache
def sign_ins() -> CognitoSignIns:
    return CognitoSignIns(settings.user_pool_id)


def admin() -> Actor:
    return actor_in_group(app, ADMIN_GROUP)


@app.get("/admin/counselors", tags=["admin"], responses=responses(400, *_ADMIN_ERRORS))
def list_counselors(
    actor: Annotated[Actor, Depends(admin)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> CounselorPage:
    """The whole roster, active or not."""
    page = counselors.list_counselors(store(), limit, cursor)
    items = [
        CounselorListItem(
            counselor_id=entry.counselor_id,
            name=entry.name,
            active=entry.active,
            accepting_new_clients=entry.accepting_new_clients,
            open_slots=entry.open_slots,
        )
        for entry in page.items
    ]
    return CounselorPage(items=items, next=page.cursor)


@app.post(
    "/admin/counselors",
    status_code=201,
    tags=["admin"],
    responses=responses(400, 413, 415, *_ADMIN_ERRORS, success=201),
)
def create_counselor(details: CounselorDetails, actor: Annotated[Actor, Depends(admin)]) -> CounselorProfile:
    """Add a counselor to the roster."""
    profile = counselors.create_counselor(store(), details, actor, utc_now, settings.booking_rules)
    logger.info("counselor created", extra={"counselor_id": profile.counselor_id})
    return profile


@app.get("/admin/counselors/<counselor_id>", tags=["admin"], responses=responses(404, *_ADMIN_ERRORS))
def get_counselor(
    counselor_id: Annotated[PathCounselorId, Path()], actor: Annotated[Actor, Depends(admin)]
) -> CounselorProfile:
    """A counselor's full profile, with its version for the next update."""
    return counselors.get_counselor(store(), counselor_id)


@app.put(
    "/admin/counselors/<counselor_id>", tags=["admin"], responses=responses(400, 404, 409, 413, 415, *_ADMIN_ERRORS)
)
def update_counselor(
    counselor_id: Annotated[PathCounselorId, Path()], body: CounselorUpdate, actor: Annotated[Actor, Depends(admin)]
) -> CounselorProfile:
    """Replace a profile. 409 if it changed since `version` was loaded."""
    details = CounselorDetails.model_validate(body.model_dump(exclude={"version"}))
    profile = counselors.update_counselor(
        store(), counselor_id, details, body.version, actor, utc_now, settings.booking_rules
    )
    logger.info("counselor updated", extra={"counselor_id": counselor_id})
    return profile


@app.patch(
    "/admin/counselors/<counselor_id>", tags=["admin"], responses=responses(400, 404, 409, 413, 415, *_ADMIN_ERRORS)
)
def change_status(
    counselor_id: Annotated[PathCounselorId, Path()],
    body: CounselorStatusChange,
    actor: Annotated[Actor, Depends(admin)],
) -> CounselorProfile:
    """Change capacity, accepting new clients, or active. 409 if it changed since `version` was loaded."""
    profile = counselors.change_status(store(), counselor_id, body, actor, utc_now, settings.booking_rules)
    logger.info("counselor status changed", extra={"counselor_id": counselor_id})
    return profile


@app.post(
    "/admin/counselors/<counselor_id>/sign-in",
    status_code=201,
    tags=["admin"],
    responses=responses(400, 404, 409, 413, 415, *_ADMIN_ERRORS, success=201),
)
def invite_counselor(
    counselor_id: Annotated[PathCounselorId, Path()],
    body: CounselorInvitation,
    actor: Annotated[Actor, Depends(admin)],
) -> Invited:
    """Give the counselor a sign-in of their own: Cognito emails a temporary password, and the account can
    change only this counselor's profile. 409 if the counselor has one, or the address is taken."""
    counselor_self.invite_counselor(store(), sign_ins(), counselor_id, str(body.email), actor, utc_now)
    logger.info("counselor invited", extra={"counselor_id": counselor_id})
    return Invited(counselor_id=counselor_id, invited=True)


@app.get("/admin/counselors/<counselor_id>/changes", tags=["admin"], responses=responses(400, 404, *_ADMIN_ERRORS))
def counselor_changes(
    counselor_id: Annotated[PathCounselorId, Path()],
    actor: Annotated[Actor, Depends(admin)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> CounselorChangePage:
    """Who changed which fields of the counselor's profile, and when, newest first (never the values)."""
    page = counselor_self.counselor_changes(store(), counselor_id, limit, cursor)
    return CounselorChangePage(
        items=[
            CounselorChangeItem(
                at=c.at,
                actor=c.actor,
                by="counselor" if c.by_counselor else "admin",
                created=c.created,
                fields=list(c.fields),
            )
            for c in page.items
        ],
        next=page.cursor,
    )


@app.delete("/admin/intakes/<intake_id>", tags=["admin"], responses=responses(404, *_ADMIN_ERRORS))
def erase_intake(intake_id: Annotated[PathIntakeId, Path()], actor: Annotated[Actor, Depends(admin)]) -> Erased:
    """Erase an intake and everything derived from it (on the client's request). An audit entry remains."""
    records.erase_intake(store(), intake_id, actor, utc_now, settings.booking_rules)
    logger.info("intake erased", extra={"intake_id": intake_id})
    return Erased(reference=intake_id, erased=True)


@app.get("/admin/audit", tags=["admin"], responses=responses(400, *_ADMIN_ERRORS))
def audit(
    actor: Annotated[Actor, Depends(admin)],
    day: Annotated[date, Query(description="UTC day, YYYY-MM-DD.")],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> AuditPage:
    """Who read or decided what, on one day: staff reads of intakes, decisions, roster changes, erasures."""
    page = records.audit_log(store(), day, limit, cursor)
    return AuditPage(
        items=[
            AuditItem(at=e.at, actor=e.actor, action=e.action, intake_id=e.intake_id, counselor_id=e.counselor_id)
            for e in page.items
        ],
        next=page.cursor,
    )


handler = lambda_handler(app, logger, metrics, required_group=ADMIN_GROUP)
snapstart.register(app, clients=("dynamodb", "cognito-idp"))
