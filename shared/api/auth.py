"""Who is calling: the claims API Gateway's Cognito authorizer verified, turned into an Actor.

The authorizer has already checked the token's signature, issuer, audience and expiry, and put the claims
in requestContext.authorizer.claims, every value a string. Group membership is this code's job.
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from shared.domain.errors import Forbidden, Unauthenticated
from shared.domain.records import COUNSELOR_GROUP, Actor

STAFF_GROUP = "staff"
ADMIN_GROUP = "admin"
__all__ = ["ADMIN_GROUP", "COUNSELOR_GROUP", "STAFF_GROUP", "actor_from_claims", "actor_in_group", "parse_groups"]


def parse_groups(raw: object) -> frozenset[str]:
    """`cognito:groups` as API Gateway passes it: "a,b", "[a b]", or a list."""
    if isinstance(raw, list):
        return frozenset(str(g) for g in raw)
    if not isinstance(raw, str):
        return frozenset()
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        return frozenset(text[1:-1].split())
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def actor_in_group(app: APIGatewayRestResolver, group: str) -> Actor:
    context = app.current_event.request_context
    return actor_from_claims((context.authorizer.claims or {}) if context.authorizer else {}, group)


def actor_from_claims(claims: Mapping[str, Any], group: str) -> Actor:
    user_id = claims.get("sub")
    if not user_id:
        raise Unauthenticated()
    groups = parse_groups(claims.get("cognito:groups"))
    if group not in groups:
        raise Forbidden(f"This needs an account in the {group} group.")
    return Actor(
        user_id=user_id, username=str(claims.get("email") or claims.get("cognito:username") or user_id), groups=groups
    )
