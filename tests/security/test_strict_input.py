"""Strict input at the edge: bodies nested past any form are refused before parsing, numbers and yes/no
answers are JSON numbers and booleans, text is one Unicode form without invisible characters, and a
rejection's log line names only the model's own fields."""

import json
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from infra import template
from infra.template import ROOT
from shared.api.errors import nested_deeper_than
from shared.api.models import (
    AssignRequest,
    BondReview,
    BookingRequest,
    CounselorInvitation,
    CounselorStatusChange,
    CounselorUpdate,
    DecisionRequest,
    OwnProfileUpdate,
    RematchRequest,
    RescheduleRequest,
)
from shared.api.waitlist_models import WaitlistJoin
from shared.domain.bond import CheckInAnswers
from shared.domain.counselor import CounselorDetails, CounselorProfile
from shared.domain.intake import IntakeAnswers
from tests.factories import intake_body
from tests.integration.conftest import submit
from tests.integration.harness import Api

REQUEST_BODIES: list[type[BaseModel]] = [
    IntakeAnswers,
    CheckInAnswers,
    RematchRequest,
    AssignRequest,
    DecisionRequest,
    BondReview,
    CounselorDetails,
    CounselorUpdate,
    OwnProfileUpdate,
    CounselorStatusChange,
    OwnProfileUpdate,
    CounselorInvitation,
    BookingRequest,
    RescheduleRequest,
    WaitlistJoin,
]
PLACEHOLDERS = {"{intake_id}": "in-aaaaaaaaaaaaaaaaaaaa", "{counselor_id}": "c-unknown01", "{number}": "1"}
WRITE_ROUTES = [r for r in template.routes() if r.method in {"POST", "PUT", "PATCH"}]


def concrete(path: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        path = path.replace(placeholder, value)
    return path


def caller(path: str) -> str | None:
    for prefix, name in (("/admin", "admin"), ("/review", "staff"), ("/counselor/", "counselor")):
        if path.startswith(prefix):
            return name
    return None


# ---------------------------------------------------------------- nesting


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_json_nested_20000_deep_is_a_clear_422_on_every_write_route(api: Api, route: template.Route) -> None:
    lists = "[" * 20_000 + "]" * 20_000
    objects = '{"a":' * 10_000 + "1" + "}" * 10_000
    for raw in (lists, objects):
        assert len(raw) < 64 * 1024  # under the body cap: the parser would see it
        reply = api.request(
            route.method,
            concrete(route.path),
            raw=raw.encode(),
            as_=caller(route.path),
            headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
        )
        assert reply.status == 422, (route.method, route.path, reply.status)
        assert reply.json["code"] == "validation_error"
        assert [d["type"] for d in reply.json["detail"]] == ["json_too_deep"]


def test_brackets_inside_text_do_not_count_as_nesting(api: Api) -> None:
    details = "[[{{ " * 300 + ' \\" ]]' + " {[" * 100
    reply = submit(api, intake_body(concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": details}))
    assert reply.status == 201, reply.json
    assert not nested_deeper_than(json.dumps({"a": [[{"b": details}]]}), 4)
    assert nested_deeper_than(json.dumps({"a": [[{"b": [details]}]]}), 4)


# ---------------------------------------------------------------- every field of every body


def body_models_in_the_openapi_document() -> set[str]:
    document = json.loads((ROOT / "docs" / "openapi.json").read_text())
    found = set()
    for operations in document["paths"].values():
        for operation in operations.values():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                found.add(schema["$ref"].rsplit("/", 1)[-1])
    return found


def test_the_sweeps_below_cover_every_request_body() -> None:
    assert body_models_in_the_openapi_document() <= {m.__name__ for m in REQUEST_BODIES}


def _parts(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in get_args(annotation):
        yield from _parts(arg)


def leaves(model: type[BaseModel], path: tuple[str, ...] = ()) -> Iterator[tuple[str, TypeAdapter[Any], set[str]]]:
    """Every field of the model and of the models inside it, with a validator for that field alone and the
    JSON types it declares."""
    for name, field in model.model_fields.items():
        here = (*path, name)
        annotation: Any = field.annotation
        for part in _parts(annotation):
            if isinstance(part, type) and issubclass(part, BaseModel):
                yield from leaves(part, here)
            elif get_origin(part) is list:
                (item,) = get_args(part)
                adapter = TypeAdapter(item)
                yield ".".join((*here, "[]")), adapter, _types(adapter.json_schema())
        declared: Any = Annotated[annotation, *field.metadata] if field.metadata else annotation
        adapter = TypeAdapter(declared)
        yield ".".join(here), adapter, _types(adapter.json_schema())


def _types(schema: dict[str, Any]) -> set[str]:
    found = {schema["type"]} if isinstance(schema.get("type"), str) else set()
    for option in schema.get("anyOf", []):
        found |= _types(option)
    return found


def all_leaves() -> list[tuple[str, TypeAdapter[Any], set[str]]]:
    return [
        (f"{model.__name__}.{path}", adapter, types)
        for model in REQUEST_BODIES
        for path, adapter, types in leaves(model)
    ]


LEAVES = all_leaves()


def refused(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return True
    return False


def test_no_integer_field_takes_a_boolean_or_a_numeric_string() -> None:
    integers = [(path, adapter) for path, adapter, types in LEAVES if "integer" in types]
    assert len(integers) >= 12  # age, fees, slots, radius, version, the six check-in scores...
    lax = [
        (path, value) for path, adapter in integers for value in (True, False, "34", "1") if not refused(adapter, value)
    ]
    assert not lax


def test_no_yes_no_field_takes_a_number_or_a_string() -> None:
    booleans = [(path, adapter) for path, adapter, types in LEAVES if "boolean" in types]
    assert len(booleans) >= 12  # consents, sliding scale, affirming, active, accepting...
    lax = [
        (path, value)
        for path, adapter in booleans
        for value in (1, 0, 1.0, "true", "false")
        if not refused(adapter, value)
    ]
    assert not lax


INVISIBLE = {
    "NUL": "a\x00b",
    "right-to-left override": "Sam\u202eareviR",
    "left-to-right isolate": "Sam\u2066Rivera",
    "zero-width space": "Sam\u200bRivera",
    "byte-order mark": "\ufeffSam",
    "escape": "Sam\x1b[31m",
    "line separator": "Sam\u2028Rivera",
}


def test_no_text_field_takes_control_or_invisible_formatting_characters() -> None:
    texts = [(path, adapter) for path, adapter, types in LEAVES if "string" in types]
    assert len(texts) >= 20
    lax = [(path, name) for path, adapter in texts for name, value in INVISIBLE.items() if not refused(adapter, value)]
    assert not lax


def test_free_text_keeps_newlines_and_tabs_and_names_keep_joiners() -> None:
    answers = IntakeAnswers.model_validate(
        intake_body(
            contact={"name": "Mehr\u200cnaz Karimi"},  # a zero-width non-joiner belongs in Persian names
            concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": "First line\r\n\tsecond line"},
        )
    )
    assert answers.contact.name == "Mehr\u200cnaz Karimi"
    assert answers.concerns.details == "First line\n\tsecond line"


# ---------------------------------------------------------------- through the real handlers


def test_a_boolean_or_a_numeric_string_where_the_api_says_integer_is_refused_at_that_field(api: Api) -> None:
    cases = [
        (intake_body(payment={"method": "self_pay", "max_fee_per_session": True}), ["payment", "max_fee_per_session"]),
        (intake_body(client={"age": "34"}), ["client", "age"]),
        (intake_body(consent={"store_my_answers": 1}), ["consent", "store_my_answers"]),
    ]
    for body, field in cases:
        reply = submit(api, body)
        assert reply.status == 422, field
        assert [d["loc"] for d in reply.json["detail"]] == [["body", *field]]


def test_an_admin_cannot_set_capacity_or_status_with_booleans_or_strings(
    api: Api, roster: list[CounselorProfile]
) -> None:
    counselor = roster[0]
    path = f"/admin/counselors/{counselor.counselor_id}"
    changes: list[tuple[dict[str, Any], str]] = [
        ({"open_slots": False}, "open_slots"),
        ({"open_slots": "3"}, "open_slots"),
        ({"active": 0}, "active"),
        ({"accepting_new_clients": "false"}, "accepting_new_clients"),
    ]
    for change, field in changes:
        reply = api.request("PATCH", path, {"version": counselor.version, **change}, as_="admin")
        assert reply.status == 422, change
        assert [d["loc"] for d in reply.json["detail"]] == [["body", field]]
    reply = api.request("PATCH", path, {"version": True, "open_slots": 3}, as_="admin")
    assert reply.status == 422
    assert api.get(path, as_="admin").json["open_slots"] == counselor.open_slots


def test_names_are_stored_in_one_unicode_form_and_invisible_characters_are_refused_at_the_field(
    api: Api, roster: list[CounselorProfile]
) -> None:
    decomposed = "Jose\u0301 Mun\u0303oz"
    assert submit(api, intake_body(contact={"name": decomposed})).status == 201
    names = [item["name"] for item in api.get("/review/intakes", as_="staff").json["items"]]
    assert names == [unicodedata.normalize("NFC", decomposed)] == ["José Muñoz"]

    spoofed = submit(api, intake_body(contact={"name": "Sam \u202eareviR"}))
    assert spoofed.status == 422
    assert [(d["loc"], d["type"]) for d in spoofed.json["detail"]] == [(["body", "contact", "name"], "value_error")]

    reference = submit(api).json["reference"]
    note = api.post(f"/review/intakes/{reference}/decision", {"decision": "waitlist", "note": "ok\x00"}, as_="staff")
    assert note.status == 422
    assert [d["loc"] for d in note.json["detail"]] == [["body", "note"]]


# ---------------------------------------------------------------- logs


def test_a_rejection_logs_counts_and_the_models_field_paths_never_a_key_the_client_chose(
    api: Api, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    chosen = "ClientChosenKey-4b1e"
    body = intake_body(**{chosen: 1}, contact={"name": "Sam Rivera", "email": "sam@example.org", chosen + "2": "x"})
    body["client"]["age"] = "34"
    reply = submit(api, body)
    assert reply.status == 422
    out, err = capfd.readouterr()
    assert chosen not in out + err + caplog.text
    assert not [r for r in caplog.records if chosen in repr(r.__dict__)]
    (rejected,) = [r.__dict__ for r in caplog.records if r.getMessage() == "request rejected"]
    assert rejected["invalid_count"] == 3
    assert rejected["unknown_fields"] == 2
    assert rejected["invalid_fields"] == ["body", "body.client.age", "body.contact"]
