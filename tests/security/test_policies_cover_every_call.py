"""Every AWS call a function makes is one its role in template.yaml allows.

moto does not check IAM, so a policy that is too narrow would only show on AWS, as an AccessDenied on some
path. Here each call the real handlers make through one walk of the product (intake to erasure) is held
against the function's policy statements: the action, the table or index, and the partition keys the
`dynamodb:LeadingKeys` condition allows (and the attributes, where `dynamodb:Attributes` limits them).
"""

import fnmatch
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import botocore.session
import pytest

from infra import template
from infra.local.provision import LocalStack
from shared.domain.counselor import ADMIN_ONLY_FIELDS, CounselorProfile
from shared.domain.shortlist import BookingPolicy
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import (
    Api,
    InProcessFunction,
    api_with,
    counselor_sign_in,
    deliver_events,
    run_check_in_schedule,
    sent_emails,
    sweep_outbox,
)

FUNCTIONS = template.resources("AWS::Serverless::Function")
_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


class Need(NamedTuple):
    """What one call needs from the function's role."""

    action: str
    resource: str  # a logical name: Table, Table/index/<name>, IdempotencyTable, IntakeEventBus, ses
    leading_key: str | None = None
    attributes: frozenset[str] | None = None  # the projection, when the call asks for specific attributes


class Recorder:
    def __init__(self, stack: LocalStack) -> None:
        self.tables = {stack.table_name: "Table", stack.idempotency_table_name: "IdempotencyTable"}
        self.current: list[str] = []
        self.needs: dict[str, set[Need]] = {}

    def before_call(self, model: Any, params: Any, **_: Any) -> None:
        if not self.current:
            return  # the test's own calls (seeding, reading emails), not a function's
        service = model.service_model.service_name
        for need in self._needs(service, model.name, params):
            self.needs.setdefault(self.current[-1], set()).add(need)

    def _needs(self, service: str, operation: str, params: dict[str, Any]) -> Iterator[Need]:
        if service == "events":
            yield Need("events:PutEvents", "IntakeEventBus")
        elif service in ("ses", "sesv2"):
            yield Need(f"ses:{operation}", "ses")  # SendEmail, or SendRawEmail for an invitation
        elif service == "cognito-idp":
            yield Need(f"cognito-idp:{operation}", "UserPool")
        elif service == "dynamodb" and operation == "BatchGetItem":
            for table_name, request in params["RequestItems"].items():
                for key in request["Keys"]:
                    yield self._table_need(operation, {"TableName": table_name, "Key": key, **request})
        elif service == "dynamodb" and operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                ((kind, body),) = entry.items()
                yield self._table_need(_TRANSACT_ACTIONS[kind], body)
        elif service == "dynamodb":
            yield self._table_need(operation, params)

    def _table_need(self, operation: str, params: dict[str, Any]) -> Need:
        table = self.tables[params["TableName"]]
        key = params.get("Key") or params.get("Item")
        leading = None
        if key is not None:
            leading = key["PK"]["S"] if table == "Table" else key["id"]["S"]
        elif operation == "Query":  # of the table or an index: the partition's value (the index's key)
            leading = params["ExpressionAttributeValues"].get(":pk", {}).get("S")
        attributes = None
        if "ProjectionExpression" in params:
            names = params.get("ExpressionAttributeNames", {})
            fields = (f.strip() for f in params["ProjectionExpression"].split(","))
            attributes = frozenset(names.get(f, f) for f in fields)
        resource = f"{table}/index/{params['IndexName']}" if "IndexName" in params else table
        return Need(f"dynamodb:{operation}", resource, leading, attributes)


def _resource_names(resource: Any) -> set[str]:
    resources = resource if isinstance(resource, list) else [resource]
    names = set()
    for r in resources:
        if isinstance(r, dict) and "Fn::GetAtt" in r:
            names.add(r["Fn::GetAtt"][0])
        elif isinstance(r, dict) and "Fn::Sub" in r:
            text = r["Fn::Sub"]
            found = re.fullmatch(r"\$\{(\w+)\.Arn\}/index/(\w+)", text)
            if found:
                names.add(f"{found[1]}/index/{found[2]}")
            elif ":ses:" in text:
                names.add("ses")
    return names


def allows(statement: dict[str, Any], need: Need) -> bool:
    if need.action not in statement["Action"] or need.resource not in _resource_names(statement["Resource"]):
        return False
    condition = statement.get("Condition", {}).get("ForAllValues:StringLike", {})
    patterns = condition.get("dynamodb:LeadingKeys")
    if patterns is not None and (
        need.leading_key is None or not any(fnmatch.fnmatchcase(need.leading_key, p) for p in patterns)
    ):
        return False
    allowed_attributes = condition.get("dynamodb:Attributes")
    return allowed_attributes is None or (need.attributes is not None and need.attributes <= set(allowed_attributes))


def statements(function: str) -> list[dict[str, Any]]:
    return [
        s for p in FUNCTIONS[function]["Properties"].get("Policies", []) if isinstance(p, dict) for s in p["Statement"]
    ]


@pytest.fixture
def recorder(aws: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    log = Recorder(aws)
    original_client = botocore.session.Session.create_client
    original_invoke = InProcessFunction.invoke

    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original_client(self, *args, **kwargs)
        client.meta.events.register("before-parameter-build", log.before_call)
        return client

    def invoke(self: InProcessFunction, event: Any) -> Any:
        log.current.append(self.name)
        try:
            return original_invoke(self, event)
        finally:
            log.current.pop()

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    monkeypatch.setattr(InProcessFunction, "invoke", invoke)
    return log


def walk_the_product(api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function, every kind of write: intake, review, assignment, sessions, a scheduled and a session
    check-in, a bond at risk and its review, a rematch, the report, roster edits, emails and erasure, and
    the roster snapshot that the API functions' cold loads read."""
    email = "policies@example.org"
    # the roster snapshot, so the API functions' cold loads read it (and its writer's calls are checked too)
    snapshot = api.functions["RosterSnapshotFunction"].invoke({"source": "aws.events", "detail": {}})
    assert snapshot["written"]
    submitted = submit(api, contact={"name": "Sam Rivera", "email": email}).json
    reference = submitted["reference"]
    assert api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": submitted["status_token"]}).status == 200
    assert api.get("/counselors").status == 200
    assert api.get(f"/counselors/{roster[0].counselor_id}").status == 200
    assert api.get("/review/intakes", as_="staff").status == 200
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 200
    assert api.post(f"/review/intakes/{reference}/rematch", as_="staff").status == 200
    assigned = api.post(
        f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff"
    )
    assert assigned.status == 200, assigned.json
    schedule = api.functions["CheckInScheduleFunction"].module
    later = datetime.now(UTC) + timedelta(days=15)
    monkeypatch.setattr(schedule, "utc_now", lambda: later)
    assert run_check_in_schedule(api)["sent"] == 1
    assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").status == 200
    assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").status == 200
    assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").json["check_in_sent"] is True
    deliver_events(api)
    links = [e.body.split("checkin#", 1)[1].split()[0].split(".") for e in sent_emails(email) if "checkin#" in e.body]
    assert len(links) == 2
    low = {"trust": 3, "understood": 5, "respected": 6, "agenda": 5, "overall": 4, "identity": 8}
    for ref, number, token in links:
        assert api.get(f"/checkins/{ref}/{number}", headers={"X-Check-In-Token": token}).status == 200
        assert api.post(f"/checkins/{ref}/{number}", low, headers={"X-Check-In-Token": token}).status == 201
    assert api.post(f"/review/intakes/{reference}/bond-review", {"note": "Called"}, as_="staff").status == 200
    asked = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "Someone else"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert asked.status == 202
    assert (
        api.post(f"/review/intakes/{reference}/decision", {"decision": "waitlist", "note": "Full"}, as_="staff").status
        == 200
    )
    assert api.get("/review/report", as_="staff").status == 200
    profile = api.get(f"/admin/counselors/{roster[1].counselor_id}", as_="admin").json
    changed = {k: v for k, v in profile.items() if k not in ("counselor_id",)} | {"open_slots": 4}
    assert api.request("PUT", f"/admin/counselors/{roster[1].counselor_id}", changed, as_="admin").status == 200
    assert api.get("/admin/counselors", as_="admin").status == 200
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert api.get(f"/admin/audit?day={today}", as_="admin").status == 200
    deliver_events(api)
    notifier = api.functions["NotifierFunction"].module
    monkeypatch.setattr(notifier, "utc_now", lambda: datetime.now(UTC) + timedelta(minutes=5))
    sweep_outbox(api)
    walk_the_waitlist(api, monkeypatch)
    walk_a_counselors_own_page(api, roster[2])
    unsent = submit(api, contact={"name": "Sam Rivera", "email": "never.sent@example.org"}).json["reference"]
    assert api.request("DELETE", f"/admin/intakes/{unsent}", as_="admin").status == 200  # its email still waits
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200


def walk_a_counselors_own_page(api: Api, counselor: CounselorProfile) -> None:
    """An admin's invitation, the counselor's profile, change, first conversations and ratings, the history."""
    token = counselor_sign_in(api, counselor)
    own = api.get("/counselor/profile", as_=token).json["profile"]
    mine = {k: v for k, v in own.items() if k not in ADMIN_ONLY_FIELDS | {"counselor_id"}} | {"bio": "Changed."}
    assert api.request("PUT", "/counselor/profile", mine, as_=token).status == 200
    assert api.get("/counselor/meetings", as_=token).status == 200
    assert api.get("/counselor/ratings", as_=token).status == 200
    assert api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_="admin").status == 200


def walk_the_waitlist(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining and leaving, the sweep (with a next opening worked out afresh), a claim, and the staff view."""
    client = api.functions["ClientApiFunction"].module
    monkeypatch.setattr(
        client, "settings", client.settings.model_copy(update={"booking_policy": BookingPolicy.CLIENT_FIRST})
    )
    schedule = {
        "time_zone": "America/Denver",
        "windows": [{"day": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
        "offers": [{"kind": "first_session", "minutes": 50, "format": "telehealth"}],
    }
    body = counselor_body(name="Waitlist Counselor", open_slots=1, concerns_primary=["anxiety"], schedule=schedule)
    counselor_id = api.post("/admin/counselors", body, as_="admin").json["counselor_id"]
    waiting, leaving = (submit(api, contact={"email": f"{n}@example.org"}).json for n in ("waiting", "leaving"))
    for one in (waiting, leaving):
        joined = api.post(
            f"/intakes/{one['reference']}/waitlist",
            {"counselor_id": counselor_id},
            headers={"X-Status-Token": one["status_token"]},
        )
        assert joined.status == 201, joined.json
    shown = api.get(f"/intakes/{waiting['reference']}/shortlist", headers={"X-Status-Token": waiting["status_token"]})
    assert shown.status == 200 and shown.json["waitlist"]["counselor_ids"] == [counselor_id]
    sweep = api.functions["WaitlistSweepFunction"]
    monkeypatch.setattr(
        sweep.module, "utc_now", lambda: datetime.now(UTC) + timedelta(days=30)
    )  # the stored one passed
    assert sweep.invoke({"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})["offered"] == 1
    assert api.get(f"/review/counselors/{counselor_id}/waitlist", as_="staff").status == 200
    claim = f"/intakes/{waiting['reference']}/waitlist-offer/claim"
    assert api.post(claim, headers={"X-Status-Token": waiting["status_token"]}).status == 200
    left = api.request(
        "DELETE", f"/intakes/{leaving['reference']}/waitlist", headers={"X-Status-Token": leaving["status_token"]}
    )
    assert left.status == 200


def test_every_call_a_function_makes_is_allowed_by_its_role(
    recorder: Recorder, api: Api, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:  # the recorder first: it must see every client the functions create
    walk_the_product(api, roster, monkeypatch)
    assert set(recorder.needs) >= set(FUNCTIONS) - {"PagesFunction"}  # the walk reached every function
    denied = {
        function: sorted(str(n) for n in needs if not any(allows(s, n) for s in statements(function)))
        for function, needs in recorder.needs.items()
    }
    assert {f: d for f, d in denied.items() if d} == {}


def test_the_checker_denies_what_a_role_does_not_allow() -> None:
    erase = next(s for s in statements("AdminApiFunction") if s["Sid"] == "EraseIntakesOnRequest")
    assert allows(erase, Need("dynamodb:DeleteItem", "Table", "INTAKE#in-x"))
    assert not allows(erase, Need("dynamodb:DeleteItem", "Table", "COUNSELOR#c-x"))
    assert not allows(erase, Need("dynamodb:PutItem", "Table", "INTAKE#in-x"))
    assert not allows(erase, Need("dynamodb:DeleteItem", "Table/index/Queue", "INTAKE#in-x"))
    profiles = next(s for s in statements("NotifierFunction") if s["Sid"] == "ReadCounselorsPublicProfilesOnly")
    assert allows(profiles, Need("dynamodb:GetItem", "Table", "COUNSELOR#c-x", frozenset({"pp", "active"})))
    assert not allows(profiles, Need("dynamodb:GetItem", "Table", "COUNSELOR#c-x", frozenset({"profile"})))
    assert not allows(profiles, Need("dynamodb:GetItem", "Table", "COUNSELOR#c-x"))  # every attribute
    own = next(
        s for s in statements("CounselorApiFunction") if s["Sid"] == "ReadThoseBookingsAndTheirIntakesStatusOnly"
    )
    assert allows(own, Need("dynamodb:BatchGetItem", "Table", "INTAKE#in-x", frozenset({"status", "booking"})))
    assert not allows(own, Need("dynamodb:BatchGetItem", "Table", "INTAKE#in-x", frozenset({"status", "answers"})))
    assert not allows(own, Need("dynamodb:BatchGetItem", "Table", "INTAKE#in-x"))  # every attribute
    assert not any(
        allows(s, Need("dynamodb:GetItem", "Table", "INTAKE#in-x")) for s in statements("CounselorApiFunction")
    )


def test_every_call_of_the_booking_paths_is_allowed_by_its_role(recorder: Recorder, aws: LocalStack) -> None:
    from tests.integration.bookings import (
        book,
        bookable_counselor,
        cancel,
        first_openings,
        opening_after,
        reschedule,
        submitted,
    )

    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api)
    client = submitted(api, email="policies.booking@example.org")
    reference, token = client["reference"], client["status_token"]
    first, second = first_openings(counselor)[:2]
    assert book(api, client, counselor.counselor_id, first).status == 201
    assert api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token}).status == 200
    assert api.get("/review/intakes?stage=assigned", as_="staff").status == 200
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 200
    assert reschedule(api, client, opening_after(counselor, second + timedelta(hours=2))).status == 200
    assert cancel(api, client).status == 200
    assert book(api, client, counselor.counselor_id, first).status == 201
    assert api.request("DELETE", f"/review/intakes/{reference}/booking", as_="staff").status == 200
    assert book(api, client, counselor.counselor_id, first).status == 201
    own = counselor_sign_in(api, counselor)  # the counselor's own list reads the booking and its intake
    assert [m["intake_id"] for m in api.get("/counselor/meetings", as_=own).json["items"]] == [reference]
    deliver_events(api)  # booked, moved, cancelled ... each with its invitation (SES raw email)
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200  # frees its cells
    walked = {"ClientApiFunction", "ReviewApiFunction", "NotifierFunction", "AdminApiFunction", "PublicApiFunction"}
    assert set(recorder.needs) >= walked | {"CounselorApiFunction"}
    assert Need("ses:SendRawEmail", "ses") in recorder.needs["NotifierFunction"]
    assert any(n.action == "dynamodb:BatchGetItem" for n in recorder.needs["CounselorApiFunction"])
    denied = {
        function: sorted(str(n) for n in needs if not any(allows(s, n) for s in statements(function)))
        for function, needs in recorder.needs.items()
    }
    assert {f: d for f, d in denied.items() if d} == {}
