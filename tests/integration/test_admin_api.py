"""The admin function: create, read, update and deactivate counselors; capacity and accepting."""

from typing import Any

import pytest

from infra.local.provision import LocalStack
from tests.factories import counselor_body
from tests.integration.harness import Api, stored_items


def create(api: Api, **changes: Any) -> dict[str, Any]:
    reply = api.post("/admin/counselors", counselor_body(**changes), as_="admin")
    assert reply.status == 201, reply.json
    return reply.json


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/counselors"),
        ("POST", "/admin/counselors"),
        ("GET", "/admin/counselors/c-abcdefg"),
        ("PUT", "/admin/counselors/c-abcdefg"),
        ("PATCH", "/admin/counselors/c-abcdefg"),
    ],
)
def test_admin_routes_need_the_admin_group(api: Api, method: str, path: str) -> None:
    assert api.request(method, path).status == 401
    assert api.request(method, path, {"version": 1}, as_="staff").status == 403
    assert api.request(method, path, {"version": 1}, as_="outsider").status == 403


def test_an_admin_creates_a_counselor_with_a_new_id_and_version_1(api: Api) -> None:
    created = create(api, name="Ana Lima", bio="Hello.")
    assert created["counselor_id"].startswith("c-")
    assert created["version"] == 1
    fetched = api.get(f"/admin/counselors/{created['counselor_id']}", as_="admin")
    assert fetched.status == 200
    assert fetched.json == created


def test_a_new_counselor_cannot_choose_their_id_or_version(api: Api) -> None:
    reply = api.post("/admin/counselors", {**counselor_body(), "counselor_id": "c-mine0001", "version": 7}, as_="admin")
    assert reply.status == 422
    assert {tuple(d["loc"]) for d in reply.json["detail"]} == {("body", "counselor_id"), ("body", "version")}


def test_the_roster_lists_every_counselor_with_capacity(api: Api) -> None:
    first = create(api, name="Ana Lima", open_slots=4)
    second = create(api, name="Ben Ode", active=False)
    items = api.get("/admin/counselors", as_="admin").json["items"]
    listed = {i["counselor_id"]: i for i in items}
    assert listed[first["counselor_id"]] == {
        "counselor_id": first["counselor_id"],
        "name": "Ana Lima",
        "active": True,
        "accepting_new_clients": True,
        "open_slots": 4,
    }
    assert listed[second["counselor_id"]]["active"] is False


def test_an_update_with_the_current_version_replaces_the_profile(api: Api) -> None:
    created = create(api, name="Ana Lima")
    body = {**counselor_body(name="Ana Lima-Santos", bio="Updated."), "version": created["version"]}
    reply = api.request("PUT", f"/admin/counselors/{created['counselor_id']}", body, as_="admin")
    assert reply.status == 200
    assert reply.json["name"] == "Ana Lima-Santos"
    assert reply.json["version"] == 2


def test_a_stale_update_is_refused_and_changes_nothing(api: Api, aws: LocalStack) -> None:
    created = create(api, name="Ana Lima")
    path = f"/admin/counselors/{created['counselor_id']}"
    first = api.request("PUT", path, {**counselor_body(name="First Edit"), "version": 1}, as_="admin")
    assert first.status == 200
    before = stored_items(aws)
    second = api.request("PUT", path, {**counselor_body(name="Second Edit"), "version": 1}, as_="admin")
    assert second.status == 409
    assert stored_items(aws) == before
    assert second.json["code"] == "stale_version"
    assert api.get(path, as_="admin").json["name"] == "First Edit"


def test_capacity_accepting_and_active_change_with_a_patch(api: Api, aws: LocalStack) -> None:
    created = create(api, open_slots=2)
    path = f"/admin/counselors/{created['counselor_id']}"
    reply = api.request("PATCH", path, {"version": 1, "open_slots": 5, "accepting_new_clients": False}, as_="admin")
    assert reply.status == 200
    assert (reply.json["open_slots"], reply.json["accepting_new_clients"], reply.json["version"]) == (5, False, 2)
    before = stored_items(aws)
    stale = api.request("PATCH", path, {"version": 1, "active": False}, as_="admin")
    assert stale.status == 409
    assert stored_items(aws) == before
    assert api.request("PATCH", path, {"version": 2, "active": False}, as_="admin").json["active"] is False


def test_bad_counselor_data_gets_field_level_errors(api: Api) -> None:
    reply = api.post("/admin/counselors", counselor_body(open_slots=-1, languages=["xx"]), as_="admin")
    assert reply.status == 422
    assert {tuple(d["loc"]) for d in reply.json["detail"]} == {("body", "open_slots"), ("body", "languages", 0)}
    created = create(api)
    patch = api.request(
        "PATCH", f"/admin/counselors/{created['counselor_id']}", {"version": 1, "salary": 1}, as_="admin"
    )
    assert patch.status == 422


def test_an_unknown_counselor_is_404(api: Api) -> None:
    assert api.get("/admin/counselors/c-nobody1", as_="admin").status == 404
    body = {**counselor_body(), "version": 1}
    assert api.request("PUT", "/admin/counselors/c-nobody1", body, as_="admin").status == 404
    assert api.request("PATCH", "/admin/counselors/c-nobody1", {"version": 1}, as_="admin").status == 404
