"""The staff function: queue, intake with suggestions, assign, decide, re-run matching."""

import threading

import pytest

from infra.local.provision import LocalStack
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from shared.domain.records import IntakeStatus
from tests.integration.conftest import submit
from tests.integration.harness import Api, InProcessFunction, stored_items


def audit_entries(aws: LocalStack) -> list[dict]:
    items = aws.client("dynamodb").scan(TableName=aws.table_name)["Items"]  # test inspection only
    return [i for i in items if i["PK"]["S"].startswith("AUDIT#")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/review/intakes"),
        ("GET", "/review/intakes/in-aaaaaaaaaaaaaaaaaaaa"),
        ("POST", "/review/intakes/in-aaaaaaaaaaaaaaaaaaaa/assignment"),
        ("POST", "/review/intakes/in-aaaaaaaaaaaaaaaaaaaa/decision"),
        ("POST", "/review/intakes/in-aaaaaaaaaaaaaaaaaaaa/rematch"),
    ],
)
def test_staff_routes_need_a_token_and_the_staff_group(api: Api, method: str, path: str) -> None:
    assert api.request(method, path).status == 401
    assert api.request(method, path, as_="not-a-valid-token").status == 401
    assert api.request(method, path, {"counselor_id": "c-abcdef", "decision": "waitlist"}, as_="outsider").status == 403


def test_the_queue_lists_urgent_intakes_first_then_the_oldest(api: Api, roster: list) -> None:
    older = submit(api).json["reference"]
    newer = submit(api).json["reference"]
    urgent = submit(api, safety="yes").json["reference"]
    reply = api.get("/review/intakes", as_="staff")
    assert reply.status == 200
    assert [i["reference"] for i in reply.json["items"]] == [urgent, older, newer]
    first = reply.json["items"][0]
    assert first["urgent"] is True
    assert first["name"] == "Sam Rivera"
    assert first["primary_concern"] == "anxiety"


def test_the_queue_filters_by_status_and_pages(api: Api, roster: list) -> None:
    references = [submit(api).json["reference"] for _ in range(3)]
    api.get(f"/review/intakes/{references[0]}", as_="staff")  # opening it moves it to in review
    in_review = api.get("/review/intakes?status=in_review", as_="staff").json["items"]
    assert [i["reference"] for i in in_review] == [references[0]]
    page = api.get("/review/intakes?limit=2", as_="staff").json
    rest = api.get(f"/review/intakes?limit=2&cursor={page['next']}", as_="staff").json
    assert [i["reference"] for i in page["items"] + rest["items"]] == references
    assert api.get("/review/intakes?stage=assigned", as_="staff").json["items"] == []
    assert api.get("/review/intakes?cursor=bm9wZQ", as_="staff").status == 400


def test_an_intake_shows_answers_beside_scored_explained_suggestions(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    reply = api.get(f"/review/intakes/{reference}", as_="staff")
    assert reply.status == 200
    detail = reply.json
    assert detail["status"] == "in_review"
    assert detail["answers"]["contact"]["name"] == "Sam Rivera"
    best = detail["match"]["suggestions"][0]
    assert best["counselor_id"] == roster[0].counselor_id
    assert best["name"] == "Maya Okafor"
    assert 0 <= best["score"] <= 100
    assert {f["factor"] for f in best["breakdown"]} >= {"primary_concern", "language", "values"}
    assert "Specializes in anxiety, the client's main concern" in best["reasons"]
    assert [h["kind"] for h in detail["history"]] == ["submitted", "opened"]
    (audit,) = [a for a in audit_entries(aws) if a["action"]["S"] == "viewed_intake"]
    assert audit["actor"]["S"] == "staff@practice.example"
    assert audit["intake_id"]["S"] == reference


def test_an_unknown_intake_is_404(api: Api) -> None:
    assert api.get("/review/intakes/in-aaaaaaaaaaaaaaaaaaaa", as_="staff").status == 404
    assert api.get("/review/intakes/not-an-id", as_="staff").status == 422


def test_assigning_a_suggested_counselor_takes_a_slot_in_one_transaction(
    api: Api, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    reference = submit(api).json["reference"]
    chosen = roster[0]
    version_before = repository.roster_changes(0).version
    reply = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": chosen.counselor_id}, as_="staff")
    assert reply.status == 200
    assert reply.json == {"reference": reference, "status": "assigned"}
    intake = repository.get_intake(reference)
    assert intake.status is IntakeStatus.ASSIGNED
    assert intake.assigned_counselor_id == chosen.counselor_id
    assert intake.history[-1].kind == "assigned"
    counselor = repository.get_counselor(chosen.counselor_id)
    assert counselor.open_slots == chosen.open_slots - 1
    assert counselor.version == chosen.version + 1
    assert repository.roster_changes(0).version == version_before + 1
    status = api.get("/review/intakes?stage=assigned", as_="staff").json["items"]
    assert [i["reference"] for i in status] == [reference]


def test_an_intake_can_be_assigned_only_once(api: Api, aws: LocalStack, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    assert (
        api.post(
            f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff"
        ).status
        == 200
    )
    before = stored_items(aws)
    again = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[1].counselor_id}, as_="staff")
    assert again.status == 409
    assert stored_items(aws) == before  # the intake, both counselors' slots, history and outbox as they were


def test_choosing_a_counselor_who_was_not_suggested_needs_a_reason(
    api: Api, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    outside = api.post(
        "/admin/counselors",
        {
            **roster[0].model_dump(mode="json", exclude={"counselor_id", "version"}),
            "name": "Late Addition",
            "licensed_in": ["US-NY"],
        },
        as_="admin",
    ).json
    reference = submit(api).json["reference"]
    no_reason = api.post(
        f"/review/intakes/{reference}/assignment", {"counselor_id": outside["counselor_id"]}, as_="staff"
    )
    assert no_reason.status == 400
    assert no_reason.json["detail"][0]["loc"] == ["body", "reason"]
    with_reason = api.post(
        f"/review/intakes/{reference}/assignment",
        {"counselor_id": outside["counselor_id"], "reason": "Client asked for her by name after a referral."},
        as_="staff",
    )
    assert with_reason.status == 200
    assert repository.get_intake(reference).history[-1].note == "Client asked for her by name after a referral."


def test_a_counselor_without_an_open_slot_cannot_be_assigned_and_nothing_changes(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    full = roster[1]  # one slot
    first = submit(api).json["reference"]
    second = submit(api).json["reference"]
    assert (
        api.post(f"/review/intakes/{first}/assignment", {"counselor_id": full.counselor_id}, as_="staff").status == 200
    )
    before = stored_items(aws)
    reply = api.post(f"/review/intakes/{second}/assignment", {"counselor_id": full.counselor_id}, as_="staff")
    assert reply.status == 409
    assert reply.json["code"] == "slot_taken"
    assert stored_items(aws) == before
    assert repository.get_intake(second).status is IntakeStatus.NEW
    assert repository.get_counselor(full.counselor_id).open_slots == 0


def test_two_staff_assigning_the_last_slot_at_once_one_wins(
    aws: LocalStack, api: Api, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    # Given two intakes and a counselor with one open slot, and two warm review functions
    last_slot = roster[2]
    references = [submit(api).json["reference"] for _ in range(2)]
    environments = [InProcessFunction(aws, "ReviewApiFunction") for _ in range(2)]
    apis = []
    for environment in environments:
        other = Api.__new__(Api)
        other.stack, other.functions = aws, {**api.functions, "ReviewApiFunction": environment}
        other.gateway = type(api.gateway)(api.gateway.routes, other.functions, api.gateway.verifier)
        apis.append(other)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def assign(which: int) -> None:
        barrier.wait()
        reply = apis[which].post(
            f"/review/intakes/{references[which]}/assignment", {"counselor_id": last_slot.counselor_id}, as_="staff"
        )
        statuses.append(reply.status)

    threads = [threading.Thread(target=assign, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one wins, the other gets 409, and the slot count never goes below zero
    assert sorted(statuses) == [200, 409]
    assert repository.get_counselor(last_slot.counselor_id).open_slots == 0
    assigned = [r for r in references if repository.get_intake(r).status is IntakeStatus.ASSIGNED]
    assert len(assigned) == 1


@pytest.mark.parametrize(
    ("decision", "status"), [("waitlist", "waitlisted"), ("refer_out", "referred_out"), ("decline", "declined")]
)
def test_staff_can_waitlist_refer_out_or_decline_with_a_note(
    api: Api, roster: list, repository: DynamoRepository, decision: str, status: str
) -> None:
    reference = submit(api).json["reference"]
    reply = api.post(
        f"/review/intakes/{reference}/decision", {"decision": decision, "note": "Called the client."}, as_="staff"
    )
    assert reply.status == 200
    assert reply.json["status"] == status
    intake = repository.get_intake(reference)
    assert intake.status == status
    assert intake.history[-1].note == "Called the client."


def test_a_closed_intake_cannot_be_decided_again_but_a_waitlisted_one_can_be_assigned(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    declined = submit(api).json["reference"]
    assert api.post(f"/review/intakes/{declined}/decision", {"decision": "decline"}, as_="staff").status == 200
    before = stored_items(aws)
    assert api.post(f"/review/intakes/{declined}/decision", {"decision": "waitlist"}, as_="staff").status == 409
    assert (
        api.post(f"/review/intakes/{declined}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff").status
        == 409
    )
    assert stored_items(aws) == before
    waiting = submit(api).json["reference"]
    assert api.post(f"/review/intakes/{waiting}/decision", {"decision": "waitlist"}, as_="staff").status == 200
    assert (
        api.post(f"/review/intakes/{waiting}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff").status
        == 200
    )


def test_a_decision_body_is_validated(api: Api, roster: list) -> None:
    reference = submit(api).json["reference"]
    assert api.post(f"/review/intakes/{reference}/decision", {"decision": "approve"}, as_="staff").status == 422
    long_note = {"decision": "waitlist", "note": "x" * 2001}
    assert api.post(f"/review/intakes/{reference}/decision", long_note, as_="staff").status == 422


def test_rematching_uses_the_roster_as_it_is_now(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api, client={"jurisdiction": "US-OR"}).json["reference"]
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["match"]["no_match"]["reason"] == "not_licensed"
    (listed,) = [i for i in api.get("/review/intakes", as_="staff").json["items"] if i["reference"] == reference]
    assert listed["no_match"] == "not_licensed"
    counselor = roster[1]
    oregon = {**counselor.model_dump(mode="json", exclude={"counselor_id"}), "licensed_in": ["US-CA", "US-OR"]}
    assert api.request("PUT", f"/admin/counselors/{counselor.counselor_id}", oregon, as_="admin").status == 200
    reply = api.post(f"/review/intakes/{reference}/rematch", as_="staff")
    assert reply.status == 200
    assert [s["counselor_id"] for s in reply.json["suggestions"]] == [counselor.counselor_id]
    assert api.get(f"/review/intakes/{reference}", as_="staff").json["match"]["no_match"] is None
    # and the queue says what the latest run found, not what the first one did
    (listed,) = [i for i in api.get("/review/intakes", as_="staff").json["items"] if i["reference"] == reference]
    assert listed["no_match"] is None
