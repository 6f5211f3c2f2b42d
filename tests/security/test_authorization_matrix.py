"""Every route in template.yaml, called as anonymous, an account in no group, staff, admin, both, and a
counselor's own sign-in (linked to a profile, as an admin's invitation links it).

The matrix is generated from the template, so a new route is covered the day it is added.
"""

import re

import pytest

from infra import template
from shared.clock import utc_now
from shared.dal.dynamodb import DynamoRepository
from shared.domain.records import Actor
from shared.services import changes
from tests.integration.harness import Api, ClaimsByToken, new_counselor

IDENTITIES = {
    "anonymous": None,
    "outsider": {"sub": "u-out", "email": "out@example.org", "cognito:groups": ""},
    "staff": {"sub": "u-staff", "email": "staff@practice.example", "cognito:groups": "staff"},
    "admin": {"sub": "u-admin", "email": "admin@practice.example", "cognito:groups": "admin"},
    "staff_and_admin": {"sub": "u-both", "email": "both@practice.example", "cognito:groups": "staff,admin"},
    "counselor": {"sub": "u-counselor", "email": "counselor@practice.example", "cognito:groups": "counselor"},
}
GROUP_OF_PREFIX = {"/admin": "admin", "/review": "staff", "/counselor/": "counselor"}
SAMPLE_PARAMETERS = {
    "intake_id": "in-aaaaaaaaaaaaaaaaaaaa",
    "counselor_id": "c-unknown01",
    "number": "1",
    "page": "directory",
    "asset": "app.css",
}


def allowed(route: template.Route, identity: str) -> bool:
    if route.authorizer is None:
        return True
    groups = (IDENTITIES[identity] or {}).get("cognito:groups", "")
    (needed,) = [group for prefix, group in GROUP_OF_PREFIX.items() if route.path.startswith(prefix)]
    return needed in groups.split(",")


ROUTES = [r for r in template.routes() if r.method != "OPTIONS"]


def test_every_staff_admin_and_counselor_route_sits_behind_the_authorizer() -> None:
    for route in ROUTES:
        protected = route.path.startswith(tuple(GROUP_OF_PREFIX))
        assert (route.authorizer is not None) == protected, route


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_each_route_admits_exactly_who_it_should(api: Api, route: template.Route, identity: str) -> None:
    ClaimsByToken.tokens = {name: claims for name, claims in IDENTITIES.items() if claims}
    if identity == "counselor":  # their sign-in reaches their own profile
        counselor = new_counselor(api, name="Matrix Counselor")
        DynamoRepository(api.stack.table_name).link_account(
            counselor.counselor_id,
            "u-counselor",
            changes.Audit(
                Actor(user_id="u-admin", username="admin", groups=frozenset({"admin"})), "invited", utc_now()
            ),
        )
    path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PARAMETERS[m.group(1)], route.path)
    reply = api.request(
        route.method,
        path,
        {} if route.method in ("POST", "PUT", "PATCH") else None,
        as_=identity if IDENTITIES[identity] else None,
    )
    if allowed(route, identity):
        assert reply.status not in (401, 403), (identity, reply.status, reply.body[:200])
    else:
        assert reply.status == (401 if IDENTITIES[identity] is None else 403), (identity, reply.status)
        assert b"in-aaaa" not in reply.body  # a refusal says nothing about the resource


@pytest.fixture(autouse=True)
def _restore_tokens() -> object:
    saved = dict(ClaimsByToken.tokens)
    yield
    ClaimsByToken.tokens = saved


def test_the_booking_routes_are_in_the_matrix() -> None:
    served = {(r.method, r.path, r.authorizer is not None) for r in ROUTES}
    for method in ("POST", "PUT", "DELETE"):  # the client's, with the status token: no authorizer
        assert (method, "/intakes/{intake_id}/booking", False) in served
    assert ("DELETE", "/review/intakes/{intake_id}/booking", True) in served  # the staff override
