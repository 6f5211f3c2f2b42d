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
    matched_submission,
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
    assert reply.json == {"reference": reference, "stage": "finding_someone_else"}
    assert api.get(f"/admin/counselors/{first.counselor_id}", as_="admin").json["open_slots"] == slots_before

    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": submitted["status_token"]}).json
    assert status["stage"] == "finding_someone_else"
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
    (listed,) = [i for i in api.get("/review/intakes", as_="staff").json["items"] if i["reference"] == reference]
    assert listed["no_match"] == "no_other_counselor"  # the open queue says so too
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
    assert status.status == 200 and status.json["stage"] == "finding_someone_else"


MORNINGS = [{"day": d, "part": "morning"} for d in ("mon", "tue", "wed")]
EVENINGS = [{"day": d, "part": "evening"} for d in ("mon", "tue", "wed")]


def _ask(api: Api, submitted: dict[str, Any], body: dict[str, Any]) -> Any:
    reference, token = submitted["reference"], submitted["status_token"]
    return api.post(f"/intakes/{reference}/rematch-request", body, headers={"X-Status-Token": token})


def test_what_the_client_chooses_to_change_counts_in_the_new_match_and_stays_with_the_intake(
    api: Api, aws: LocalStack
) -> None:
    """The case the wish was free text for: a client asks for evening times and their insurance, and the new
    top suggestion again shares no time and is out of network. Chosen as changes, they are must-haves."""
    insurance = {"method": "insurance", "insurance_carrier": "aetna", "importance": "nice_to_have"}
    first = new_counselor(api, name="First Match", availability=MORNINGS, insurance_panels=["aetna"])
    # the best fit on everything the client first said: mornings, out of network, specialises in anxiety
    near = new_counselor(api, name="Near Miss", availability=MORNINGS, concerns_primary=["anxiety"])
    fits = new_counselor(api, name="Evening Fit", availability=EVENINGS, insurance_panels=["aetna"])
    submitted = matched_submission(
        api, first, payment=insurance, format={"format": "telehealth", "availability": MORNINGS}
    )
    reference = submitted["reference"]

    # on what the client first said, the evening fit was not the top suggestion
    before = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert before["match"]["suggestions"][0]["counselor_id"] != fits.counselor_id

    reply = _ask(api, submitted, {"changes": ["times", "cost"], "times": EVENINGS, "what_to_change": "Evenings now"})
    assert reply.status == 202, reply.json

    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    match = detail["match"]
    assert match["asked_for"] == ["times", "cost"]
    top = match["suggestions"][0]
    assert top["counselor_id"] == fits.counselor_id
    assert near.counselor_id not in [s["counselor_id"] for s in match["suggestions"]]  # misses both must-haves
    by_factor = {f["factor"]: f for f in top["breakdown"]}
    assert by_factor["availability"]["importance"] == "must_have" and by_factor["availability"]["must_have_met"]
    assert by_factor["payment"]["importance"] == "must_have" and by_factor["payment"]["must_have_met"]
    # the intake keeps the changed answers (a staff rematch later counts them too) and the history says so
    answers = detail["answers"]
    assert answers["format"]["availability"] == EVENINGS and answers["format"]["availability_importance"] == "must_have"
    assert answers["payment"]["importance"] == "must_have"
    # stored as the client gave them: what they never rated is still unrated, what they asked for is theirs
    assert "values" in detail["unrated"] and "format" not in detail["unrated"]
    entry = next(h for h in detail["history"] if h["kind"] == "rematch_requested")
    assert entry["asked_for"] == ["times", "cost"] and entry["note"] == "Evenings now"
    again = expect(200, api.post(f"/review/intakes/{reference}/rematch", {}, as_="staff")).json
    assert again["suggestions"][0]["counselor_id"] == fits.counselor_id


def test_a_change_the_answers_give_nothing_to_work_from_is_refused_and_nothing_changes(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    submitted = matched_submission(api, roster[0])  # no faith tradition and no background named
    before = stored_items(aws)
    for body, at in (
        ({"changes": ["faith"]}, ["body", "tradition"]),  # which one: the answers name none
        ({"changes": ["culture"]}, ["body", "backgrounds"]),
        ({"tradition": "catholic", "what_to_change": "x"}, ["body", "tradition"]),  # given, not chosen
        ({"changes": ["times"]}, ["body", "times"]),  # other times, but none given
        ({"times": EVENINGS, "what_to_change": "x"}, ["body", "times"]),  # times given, not chosen
        ({"changes": ["gender"]}, ["body", "genders"]),
        ({"changes": ["style"]}, ["body", "structure"]),
        ({}, ["body", "what_to_change"]),  # nothing at all
    ):
        reply = _ask(api, submitted, body)
        assert reply.status in (400, 422), (body, reply.status)
        assert [d["loc"] for d in reply.json["detail"]] == [at], (body, reply.json)
        assert stored_items(aws) == before, body  # still matched, same answers, no history, no email


def test_a_shared_faith_and_another_gender_change_the_preferences_they_are_about(api: Api, aws: LocalStack) -> None:
    first = new_counselor(api, name="First Match")
    integrates = new_counselor(
        api,
        name="Faith Fit",
        faith_integration=["muslim"],
        gender={"value": "woman", "visibility": "public"},
        directness="direct",
    )
    submitted = matched_submission(api, first)  # the tradition is named only now, with the choice
    asked = {
        "changes": ["faith", "gender", "style"],
        "tradition": "muslim",
        "genders": ["woman"],
        "directness": "direct",
    }
    reply = _ask(api, submitted, asked)
    assert reply.status == 202, reply.json
    detail = api.get(f"/review/intakes/{submitted['reference']}", as_="staff").json
    answers = detail["answers"]
    assert answers["faith"] == {"tradition": "muslim", "role": "integrate", "importance": "must_have"}
    assert answers["counselor_gender"] == {"preferred": ["woman"], "importance": "must_have"}
    assert answers["style"]["directness"] == "direct" and answers["style"]["importance"] == "must_have"
    assert detail["match"]["suggestions"][0]["counselor_id"] == integrates.counselor_id
