"""Errors to HTTP, in one place: every function's resolver registers these handlers.

Bodies are `{"message": ..., "code": ...}`; validation errors add `detail`, one entry per field, with the
field's location, the error type and a message that never repeats the submitted value. No stack trace,
exception text from a library, or request content ever reaches a response.
"""

import base64
import binascii
import re
from datetime import datetime
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from shared.api.auth import actor_from_claims
from shared.domain.booking import TimeUnavailable
from shared.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    GoneError,
    InvalidRequest,
    NotFoundError,
    StoreUnavailable,
    Unauthenticated,
)

logger = Logger(child=True)


class TimeUnavailableBody(BaseModel):
    """A 409 for a time that is taken or no longer offered: the counselor's fresh openings come with it."""

    message: str
    code: str
    detail: list["FieldError"] = Field(default_factory=list)
    openings: list[datetime] = Field(
        default_factory=list,
        description="When the time was taken or is no longer offered: the counselor's current openings (UTC).",
    )


class FieldError(BaseModel):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["body", "client", "age_band"].')
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every error response has this shape."""

    message: str
    code: str
    detail: list[FieldError] = Field(default_factory=list)


_DESCRIPTIONS = {
    400: "The request breaks a rule (see message and detail).",
    401: "A valid staff sign-in token is needed.",
    403: "The signed-in account is not in the group this needs.",
    404: "Not found.",
    409: "The current state does not allow this; reload and try again.",
    410: "The link has expired; the message says what to do instead.",
    413: "The request body is too large.",
    415: "The body must be JSON (Content-Type: application/json).",
    422: "Some fields are invalid (see detail).",
    500: "Unexpected error; nothing about the request is in the response.",
    503: "The data store is busy; nothing was saved. Retry after the Retry-After seconds.",
}


def responses(*error_codes: int, success: int = 200, booking: bool = False) -> dict[int, OpenAPIResponse]:
    """OpenAPI entries for a route: its success status (with the return type's schema) and every error
    status it can return (422 and 500 are added to every route). A `booking` route's 409 may carry the
    counselor's fresh openings."""
    documented: dict[int, OpenAPIResponse] = {success: {"description": "Success"}}
    for code in sorted({*error_codes, 422, 500}):
        model = TimeUnavailableBody if booking and code == 409 else ErrorBody
        documented[code] = {"description": _DESCRIPTIONS[code], "content": {"application/json": {"model": model}}}
    return documented


def error_response(status: int, message: str, code: str, detail: list[FieldError] | None = None,
                   headers: dict[str, str] | None = None) -> Response[str]:  # fmt: skip
    body = ErrorBody(message=message, code=code, detail=detail or [])
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


_PLAIN_MESSAGES = {
    "enum": "Choose one of the listed options.",
    "literal_error": "Choose one of the listed options.",
    "extra_forbidden": "This field is not part of the form.",
    "missing": "This is required.",
    "json_invalid": "The body is not valid JSON.",
}


def _safe_message(error: dict[str, Any]) -> str:
    """A message for the person filling the form; pydantic's own messages never include the input."""
    plain = _PLAIN_MESSAGES.get(str(error.get("type")))
    if plain:
        return plain
    return str(error.get("msg", "Invalid value")).removeprefix("Value error, ")


_LOGGED_PATHS = 20


def _model_path(error: FieldError) -> str:
    """Where the error is, as the model names it: an unknown field is reported at the object it was sent in."""
    loc = error.loc[:-1] if error.type == "extra_forbidden" else error.loc
    return ".".join(map(str, loc))


def register_error_handlers(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        detail = [
            FieldError(
                loc=[str(p) if not isinstance(p, int) else p for p in e["loc"]], msg=_safe_message(e), type=e["type"]
            )
            for e in error.errors()
        ]
        # Only the model's own field paths: the key of an unknown field is the client's choice (any text).
        logger.info(
            "request rejected",
            extra={
                "invalid_count": len(detail),
                "unknown_fields": sum(d.type == "extra_forbidden" for d in detail),
                "invalid_fields": sorted({_model_path(d) for d in detail})[:_LOGGED_PATHS],
            },
        )
        return error_response(422, "Some answers need attention.", "validation_error", detail)

    @app.exception_handler(InvalidRequest)
    def _bad(error: InvalidRequest) -> Response[str]:
        detail = [FieldError(loc=list(error.field), msg=error.message, type="invalid")] if error.field else []
        return error_response(400, error.message, "invalid_request", detail)

    @app.exception_handler(NotFoundError)
    def _missing(error: NotFoundError) -> Response[str]:
        return error_response(404, error.message, "not_found")

    @app.exception_handler(TimeUnavailable)
    def _time_unavailable(error: TimeUnavailable) -> Response[str]:
        body = TimeUnavailableBody(message=error.message, code=error.code, openings=list(error.openings))
        return Response(
            status_code=409,
            content_type=content_types.APPLICATION_JSON,
            body=body.model_dump_json(),
            headers={"Cache-Control": "no-store"},
        )

    @app.exception_handler(ConflictError)
    def _conflict(error: ConflictError) -> Response[str]:
        return error_response(409, error.message, error.code)

    @app.exception_handler(GoneError)
    def _gone(error: GoneError) -> Response[str]:
        return error_response(410, error.message, error.code)

    @app.exception_handler(Unauthenticated)
    def _unauthenticated(error: Unauthenticated) -> Response[str]:
        return error_response(401, error.message, "unauthenticated")

    @app.exception_handler(Forbidden)
    def _forbidden(error: Forbidden) -> Response[str]:
        return error_response(403, error.message, "forbidden")

    @app.exception_handler(StoreUnavailable)
    def _unavailable(error: StoreUnavailable) -> Response[str]:
        logger.warning("data store unavailable", extra={"cause": type(error.__cause__).__name__})
        return error_response(
            503, error.message, "unavailable", headers={"Retry-After": str(StoreUnavailable.retry_after_seconds)}
        )

    @app.exception_handler(ServiceError)
    def _routing(error: ServiceError) -> Response[str]:
        # powertools' own answers: no route for this path or method (404), and similar
        if error.status_code == HTTPStatus.NOT_FOUND:
            return error_response(404, "There is no such route.", "not_found")
        return error_response(error.status_code, "The request was refused.", "refused")

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:  # a domain error without a mapping is a bug
        logger.error("unmapped domain error", extra={"error_type": type(error).__name__})
        return error_response(500, "Something went wrong on our side.", "internal_error")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        # The type only: an exception's text can carry request content.
        logger.error("unexpected error", extra={"error_type": type(error).__name__})
        return error_response(500, "Something went wrong on our side.", "internal_error")


_JSON_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def nested_deeper_than(body: str, limit: int) -> bool:
    """Whether JSON text opens more than `limit` arrays or objects inside one another, found without parsing
    it (the parser recurses once per level: a 64 KB body can hold 30,000 levels)."""
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", _JSON_STRINGS.sub("", body)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def rejected_before_routing(
    event: dict[str, Any], max_body_bytes: int, required_group: str | None, max_depth: int
) -> dict[str, Any] | None:
    """A response for a caller outside the function's group, or a body that is too large, too deeply nested
    or not JSON, before anything parses the request (so nobody outside the group learns anything from
    validation)."""
    if required_group is not None:
        claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
        try:
            actor_from_claims(claims, required_group)
        except (Unauthenticated, Forbidden) as refused:
            status = HTTPStatus.UNAUTHORIZED if isinstance(refused, Unauthenticated) else HTTPStatus.FORBIDDEN
            return _proxy_response(status, refused.message, "unauthenticated" if status == 401 else "forbidden")
    body = event.get("body") or ""
    if not body:
        return None
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    text = body
    if event.get("isBase64Encoded"):
        try:
            text = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return _proxy_response(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "The body is not valid JSON.",
                "validation_error",
                [FieldError(loc=["body"], msg="The body is not valid JSON.", type="json_invalid")],
            )
    if len(body) > max_body_bytes:
        status, message, code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large.", "too_large"
    elif not headers.get("content-type", "").lower().startswith("application/json"):
        status, message, code = (
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON with Content-Type: application/json.",
            "unsupported_media_type",
        )
    elif nested_deeper_than(text, max_depth):
        return _proxy_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "The body is nested too deeply.",
            "validation_error",
            [FieldError(loc=["body"], msg="The body is nested too deeply.", type="json_too_deep")],
        )
    else:
        return None
    return _proxy_response(status, message, code)


def _proxy_response(
    status: HTTPStatus, message: str, code: str, detail: list[FieldError] | None = None
) -> dict[str, Any]:
    return {
        "statusCode": int(status),
        "headers": {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
        "body": ErrorBody(message=message, code=code, detail=detail or []).model_dump_json(),
        "isBase64Encoded": False,
    }
