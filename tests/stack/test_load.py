"""Load and concurrency through the local stack over HTTP (reduced size here; `make load` runs the full one)."""

import os
import threading
import uuid
from typing import Any

import pytest

from infra.local.stack import RunningStack
from tests.factories import counselor_body, intake_body
from tests.stack.conftest import Http
from tests.stack.load import run_load

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def test_many_clients_at_once_every_acknowledged_intake_is_stored_exactly_once(stack: RunningStack) -> None:
    result = run_load(
        stack,
        submissions=int(os.environ.get("LOAD_SUBMISSIONS", "120")),
        clients=int(os.environ.get("LOAD_CLIENTS", "16")),
    )
    assert not [s for s in result.statuses if s >= 500], result.statuses
    assert result.statuses == {201: result.submissions}, result.statuses
    assert result.acknowledged == result.submissions
    assert result.stored == result.acknowledged
    assert result.duplicates == 0
    assert result.missing == 0


def in_parallel(count: int, action: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = action(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_many_staff_racing_for_the_last_slot_exactly_one_wins(http: Http, staff_token: str, admin_token: str) -> None:
    # Given the only counselor licensed in North Dakota, with one open slot, and 12 intakes from there
    created = http.request(
        "POST",
        "/admin/counselors",
        counselor_body(name="Last Slot", licensed_in=["US-ND"], open_slots=1),
        headers={"Authorization": admin_token},
    ).json
    references = [
        http.request(
            "POST",
            "/intakes",
            intake_body(client={"jurisdiction": "US-ND"}),
            headers={"Idempotency-Key": uuid.uuid4().hex},
        ).json["reference"]
        for _ in range(12)
    ]

    # When 12 staff assign them all to that counselor at the same moment
    def assign(i: int) -> int:
        return http.request(
            "POST",
            f"/review/intakes/{references[i]}/assignment",
            {"counselor_id": created["counselor_id"]},
            headers={"Authorization": staff_token},
        ).status

    statuses = in_parallel(len(references), assign)
    # Then exactly one wins, everyone else is told the slot was taken, and capacity never goes negative
    assert sorted(statuses) == [200] + [409] * (len(references) - 1)
    after = http.request(
        "GET", f"/admin/counselors/{created['counselor_id']}", headers={"Authorization": admin_token}
    ).json
    assert after["open_slots"] == 0
    assigned = [
        r
        for r in references
        if http.request("GET", f"/review/intakes/{r}", headers={"Authorization": staff_token}).json["status"]
        == "assigned"
    ]
    assert len(assigned) == 1


def test_concurrent_edits_of_one_counselor_one_wins_the_rest_are_told_it_changed(http: Http, admin_token: str) -> None:
    created = http.request(
        "POST", "/admin/counselors", counselor_body(name="Edited Often"), headers={"Authorization": admin_token}
    ).json

    def edit(i: int) -> int:
        body = {**counselor_body(name=f"Edit {i}"), "version": created["version"]}
        return http.request(
            "PUT", f"/admin/counselors/{created['counselor_id']}", body, headers={"Authorization": admin_token}
        ).status

    statuses = in_parallel(8, edit)
    assert sorted(statuses) == [200] + [409] * 7
    final = http.request(
        "GET", f"/admin/counselors/{created['counselor_id']}", headers={"Authorization": admin_token}
    ).json
    assert final["version"] == created["version"] + 1
