"""After the match: the client's own request for a different counselor, through the real handlers and moto."""

from typing import Any

from infra.local.provision import NOTIFICATION_EMAIL, LocalStack
from shared.domain.counselor import CounselorProfile
from tests.integration.conftest import submit
from tests.integration.harness import (
    CLIENT,
    Api,
    deliver_events,
    expect,
    new_counselor,
    sent_emails,
    status_link,
    stored_items,
)


def test_asking_for_someone_else_before_being_matched_is_refused_with_a_reason(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    submitted = expect(201, submit(api)).json
    before = stored_items(aws)
    reply = api.post(
        f"/intakes/{submitted['reference']}/rematch-request",
        {"what_to_change": "Someone more direct"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 409
    assert stored_items(aws) == before  # no history entry, no email queued
    assert "once you have been matched" in reply.json["message"]


def test_a_client_can_ask_for_a_different_counselor_and_the_previous_one_gets_the_slot_back(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference, first = submitted["reference"], roster[0]
    slots_before = api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"]
    expect(200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": first.counselor_id}, as_="staff"))
    assert api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"] == slots_before - 1

    wish = "Sentinel: someone who gives more practical homework"
    reply = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": wish},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 202
    assert reply.json == {"reference": reference, "stage": "received"}
    assert api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"] == slots_before

    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": submitted["status_token"]}).json
    assert status["stage"] == "received"
    assert status["counselor"] is None
    assert status["can_request_rematch"] is False
    assert reference in [i["reference"] for i in api.get("/review/intakes", as_="staff").json["items"]]
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert detail["excluded_counselor_ids"] == [first.counselor_id]
    offered = [s["counselor_id"] for s in detail["match"]["suggestions"] + detail["match"]["alternatives"]]
    assert offered and first.counselor_id not in offered
    requested = [h for h in detail["history"] if h["kind"] == "rematch_requested"]
    assert requested[0]["note"] == wish and requested[0]["counselor_id"] == first.counselor_id

    rerun = expect(200, api.post(f"/review/intakes/{reference}/rematch", as_="staff")).json
    assert first.counselor_id not in [s["counselor_id"] for s in rerun["suggestions"] + rerun["alternatives"]]
    again = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": first.counselor_id}, as_="staff")
    assert again.status == 400  # not without saying why
    deliver_events(api)
    (notice,) = [e for e in sent_emails(NOTIFICATION_EMAIL) if "different counselor" in e.subject]
    assert reference in notice.body
    assert wish not in notice.body

    before = stored_items(aws)
    repeat = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "again"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert repeat.status == 409  # not matched any more
    assert stored_items(aws) == before  # the exclusions, the slots and the history as they were


def test_when_only_previous_counselors_fit_the_result_says_so(api: Api, repository: Any) -> None:
    only = new_counselor(api, name="Only One", open_slots=3)
    submitted = expect(201, submit(api)).json
    reference = submitted["reference"]
    expect(200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": only.counselor_id}, as_="staff"))
    expect(
        202,
        api.post(
            f"/intakes/{reference}/rematch-request",
            {"what_to_change": "A different style"},
            headers={"X-Status-Token": submitted["status_token"]},
        ),
    )
    match = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]
    assert match["no_match"]["reason"] == "no_other_counselor"
    counted = {c.name: c.values for c in repository.report_counters()}
    assert counted["NOMATCH#no_other_counselor"] == {"n": 1}  # the report's no-match reasons include it


def test_asking_for_someone_else_emails_the_client_what_happens_meanwhile_never_their_words(
    api: Api, roster: list[CounselorProfile]
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference = submitted["reference"]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    )
    wish = "Sentinel: she never lets me finish a sentence"
    reply = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": wish},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert reply.status == 202
    deliver_events(api)
    (email,) = [e for e in sent_emails(CLIENT) if "someone else" in e.subject]
    assert "usually within two working days" in email.body
    assert wish not in email.body and "Sentinel" not in email.subject + email.body
    assert roster[0].name not in email.body  # the email can be read over a shoulder
    linked_reference, token = status_link(email.body)
    status = api.get(f"/intakes/{linked_reference}/status", headers={"X-Status-Token": token})
    assert status.status == 200 and status.json["stage"] == "received"
