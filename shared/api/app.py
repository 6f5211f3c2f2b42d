"""What every API function shares: a validating resolver with the error handlers, security headers on
every response, the size and content-type guard, and the observability wrapper."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.api.errors import register_error_handlers, rejected_before_routing
from shared.observability import quiet_library_loggers, traced

MAX_BODY_BYTES = 64 * 1024
"""The largest intake (every list and text at its cap) is well under 32 KB; API Gateway itself allows 10 MB."""
MAX_JSON_DEPTH = 16
"""The deepest request body nests 4 levels (an intake's availability slot); Python's JSON parser recurses per
level and gives up (RecursionError) somewhere past a few thousand."""

quiet_library_loggers()

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _security_headers(app: APIGatewayRestResolver, next_middleware: Callable[..., Response[Any]]) -> Response[Any]:
    response = next_middleware(app)
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def new_resolver(allowed_origin: str = "") -> APIGatewayRestResolver:
    cors = CORSConfig(
        allow_origin=allowed_origin,
        allow_headers=["Idempotency-Key", "X-Status-Token", "X-Check-In-Token"],
        max_age=600,
    )
    app = APIGatewayRestResolver(enable_validation=True, cors=cors if allowed_origin else None)
    register_error_handlers(app)
    app.use(middlewares=[_security_headers])
    return app


def lambda_handler(
    app: APIGatewayRestResolver, logger: Logger, metrics: Metrics, required_group: str | None = None
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The function's entry point: correlation id in every log line, a trace, metrics flushed; callers
    outside `required_group` refused and bodies checked for size and type before anything parses them.
    No event, body or response is ever logged."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
    @traced
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        rejected = rejected_before_routing(event, MAX_BODY_BYTES, required_group, MAX_JSON_DEPTH)
        if rejected is not None:
            return rejected
        return app.resolve(event, context)

    return handler
