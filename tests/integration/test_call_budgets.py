"""How many AWS calls each route makes, counted with botocore's before-call hook on every client.

Counts are deterministic, so they are tests; timings are benchmarks (make bench).
"""

from collections import Counter
from typing import Any

import botocore.session
import pytest

from shared.domain.counselor import CounselorProfile
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api


class CallLog:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def hook(self, model: Any, **_: Any) -> None:
        self.calls.append(f"{model.service_model.service_name}.{model.name}")

    def during(self, action: Any) -> Counter[str]:
        start = len(self.calls)
        action()
        return Counter(self.calls[start:])


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> CallLog:
    log = CallLog()
    original = botocore.session.Session.create_client

    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call", log.hook)
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    return log


def total(counter: Counter[str]) -> int:
    return sum(counter.values())


def test_public_routes_stay_within_their_call_budgets(calls: CallLog, api: Api, roster: list[CounselorProfile]) -> None:
    submit(api)  # cold: the first submission also loads the roster
    submitted: dict[str, Any] = {}
    warm_submit = calls.during(lambda: submitted.update(submit(api).json))
    # idempotency record (put, then complete), one transaction, one event
    assert warm_submit == Counter(
        {"dynamodb.PutItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1, "dynamodb.UpdateItem": 1}
    )
    status = calls.during(
        lambda: api.get(
            f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]}
        )
    )
    assert status == Counter({"dynamodb.GetItem": 1})
    assert total(calls.during(lambda: api.get("/counselors"))) == 1
    assert total(calls.during(lambda: api.get(f"/counselors/{roster[0].counselor_id}"))) == 1
    assert total(calls.during(lambda: api.get("/vocabulary"))) == 0


def test_staff_routes_stay_within_their_call_budgets(calls: CallLog, api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    assert total(calls.during(lambda: api.get("/review/intakes", as_="staff"))) == 1
    # one query for the intake, its match and history; one write for the audit entry and first-open status
    assert total(calls.during(lambda: api.get(f"/review/intakes/{reference}", as_="staff"))) == 2
    assign = calls.during(
        lambda: api.post(
            f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff"
        )
    )
    assert assign["dynamodb.TransactWriteItems"] == 1  # the assignment is exactly one transaction
    assert total(assign) <= 3
    other = submit(api).json["reference"]
    decide = calls.during(lambda: api.post(f"/review/intakes/{other}/decision", {"decision": "waitlist"}, as_="staff"))
    assert decide == Counter({"dynamodb.Query": 1, "dynamodb.TransactWriteItems": 1})


def test_admin_routes_stay_within_their_call_budgets(calls: CallLog, api: Api) -> None:
    created: dict[str, Any] = {}
    create = calls.during(lambda: created.update(api.post("/admin/counselors", counselor_body(), as_="admin").json))
    assert create == Counter({"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    assert total(calls.during(lambda: api.get("/admin/counselors", as_="admin"))) == 1
    assert total(calls.during(lambda: api.get(f"/admin/counselors/{created['counselor_id']}", as_="admin"))) == 1
    patch = calls.during(
        lambda: api.request(
            "PATCH", f"/admin/counselors/{created['counselor_id']}", {"version": 1, "open_slots": 9}, as_="admin"
        )
    )
    assert patch["dynamodb.TransactWriteItems"] == 1
    assert total(patch) == 3
