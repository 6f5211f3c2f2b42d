"""The public function: submit an intake, check its status, browse the directory."""

import json
import uuid

from infra.local.provision import LocalStack
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from shared.domain.records import IntakeStatus
from tests.factories import counselor_body, intake_body
from tests.integration.conftest import submit
from tests.integration.harness import Api, stored_items


def test_a_submitted_intake_is_stored_with_suggestions_and_a_private_status_link(
    api: Api, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    # When a client submits a valid intake
    reply = submit(api)
    # Then it is accepted with a reference and a private status link
    assert reply.status == 201
    body = reply.json
    assert set(body) == {"reference", "status_token", "status_link", "urgent"}
    assert body["status_link"] == f"status#{body['reference']}.{body['status_token']}"
    # And it is stored with suggestions from the roster, best first
    intake = repository.get_intake(body["reference"])
    assert intake.status is IntakeStatus.NEW
    assert intake.match is not None
    assert intake.match.result.suggestions[0].counselor_id == roster[0].counselor_id
    assert intake.match.counselor_names[roster[0].counselor_id] == "Maya Okafor"


def test_a_new_intake_is_announced_on_the_event_bus_without_client_details(
    api: Api, aws: LocalStack, roster: list
) -> None:
    reply = submit(api, contact={"name": "Sentinel Person", "email": "sentinel@example.org"}, safety="yes")
    messages = aws.client("sqs").receive_message(QueueUrl=aws.notifier_queue_url, MaxNumberOfMessages=10)["Messages"]
    (event,) = [json.loads(m["Body"]) for m in messages]
    assert event["source"] == "counseling.intake"
    assert event["detail-type"] == "IntakeReceived"
    assert event["detail"] == {"intake_id": reply.json["reference"], "urgent": True, "no_match": False}


def test_the_same_idempotency_key_gives_one_intake_and_the_same_response(
    api: Api, roster: list, repository: DynamoRepository
) -> None:
    key = uuid.uuid4().hex
    first = submit(api, key=key)
    again = submit(api, key=key)
    assert first.status == again.status == 201
    assert first.json == again.json
    queue = repository.list_queue("open", None, 100, None)
    assert [e.intake_id for e in queue.items] == [first.json["reference"]]


def test_reusing_an_idempotency_key_for_different_answers_is_refused(api: Api, aws: LocalStack, roster: list) -> None:
    key = uuid.uuid4().hex
    assert submit(api, key=key).status == 201
    before = stored_items(aws)
    reply = submit(api, key=key, concerns={"concerns": ["grief"], "primary": "grief"})
    assert reply.status == 409
    assert stored_items(aws) == before  # no second intake, the first and its record as they were
    assert reply.json["code"] == "idempotency_key_reused"


def test_a_submission_without_an_idempotency_key_is_rejected(api: Api) -> None:
    reply = api.post("/intakes", intake_body())
    assert reply.status == 422
    assert reply.json["detail"] == [
        {"loc": ["header", "idempotency-key"], "msg": "This is required.", "type": "missing"}
    ]


def test_invalid_answers_get_field_level_messages_that_never_repeat_the_input(api: Api) -> None:
    sentinel = "Sentinel-Zebra-4417"
    body = intake_body(
        contact={"name": sentinel * 10, "email": sentinel},
        client={"jurisdiction": sentinel},
        format={"format": "in_person"},
    )
    reply = submit(api, body)
    assert reply.status == 422
    assert sentinel not in reply.body.decode()
    locations = [tuple(d["loc"]) for d in reply.json["detail"]]
    assert ("body", "contact", "name") in locations
    assert ("body", "contact", "email") in locations
    assert ("body", "client", "jurisdiction") in locations
    assert ("body", "format", "postal_code") in locations
    assert all(d["msg"] for d in reply.json["detail"])


def test_fields_the_client_may_not_set_are_rejected(api: Api) -> None:
    body = intake_body(status="assigned", score=100, assigned_counselor="c-demo0001")
    reply = submit(api, body)
    assert reply.status == 422
    assert {tuple(d["loc"]) for d in reply.json["detail"]} == {
        ("body", "status"),
        ("body", "score"),
        ("body", "assigned_counselor"),
    }


def test_oversized_and_non_json_bodies_are_refused_before_parsing(api: Api) -> None:
    huge = api.post(
        "/intakes",
        raw=b"{" + b" " * 70_000 + b"}",
        headers={"Content-Type": "application/json", "Idempotency-Key": "k" * 20},
    )
    assert huge.status == 413
    form = api.post(
        "/intakes",
        raw=b"name=x",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": "k" * 20},
    )
    assert form.status == 415
    broken = api.post(
        "/intakes", raw=b"{not json", headers={"Content-Type": "application/json", "Idempotency-Key": "k" * 20}
    )
    assert broken.status == 422


def test_the_status_link_shows_where_the_intake_stands(api: Api, roster: list) -> None:
    submitted = submit(api).json
    reply = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert reply.status == 200
    assert reply.json == {
        "reference": submitted["reference"],
        "stage": "received",
        "updated_at": reply.json["updated_at"],
        "counselor": None,
        "can_request_rematch": False,
        "booking": None,  # contract 2 of issue 13: the booked first conversation, once there is one
        "urgent": False,  # the page shows crisis resources for an urgent intake
    }


def test_an_urgent_intakes_status_says_so_for_the_crisis_resources(api: Api, roster: list) -> None:
    submitted = submit(api, safety="yes").json
    reply = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert reply.status == 200 and reply.json["urgent"] is True


def test_a_wrong_status_token_looks_like_an_unknown_reference(api: Api, roster: list) -> None:
    submitted = submit(api).json
    wrong = api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": "x" * 43})
    unknown = api.get(f"/intakes/in-{'a' * 20}/status", headers={"X-Status-Token": submitted["status_token"]})
    assert wrong.status == unknown.status == 404
    assert wrong.json == unknown.json


def test_an_urgent_intake_is_flagged_and_first_in_the_queue(
    api: Api, roster: list, repository: DynamoRepository
) -> None:
    calm = submit(api).json
    urgent = submit(api, safety="yes").json
    assert urgent["urgent"] is True
    queue = repository.list_queue("open", None, 10, None).items
    assert [e.intake_id for e in queue] == [urgent["reference"], calm["reference"]]


def test_an_intake_nobody_can_serve_is_still_stored_with_the_reason(
    api: Api, roster: list, repository: DynamoRepository
) -> None:
    reply = submit(api, client={"jurisdiction": "US-TX"})
    assert reply.status == 201
    intake = repository.get_intake(reply.json["reference"])
    assert intake.match is not None
    assert intake.match.result.no_match is not None
    assert intake.match.result.no_match.reason == "not_licensed"


def test_the_directory_shows_only_public_fields(api: Api) -> None:
    private = {
        "name": "Jordan Lee",
        "credentials": ["LPC"],
        "licensed_in": ["US-CA"],
        "open_slots": 4,
        "formats": ["telehealth"],
        "languages": ["en"],
        "service_types": ["individual_adult"],
        "age_bands": ["adult"],
        "fee_per_session": 150,
        "sliding_scale_min": 60,
        "license_numbers": ["LPC-SECRET-1"],
        "faith_integration": ["muslim"],
        "show_faith_integration": False,
        "cultural_identity": {"value": ["mena"], "visibility": "matching_only"},
        "gender": {"value": "man", "visibility": "matching_only"},
    }
    assert api.post("/admin/counselors", private, as_="admin").status == 201
    reply = api.get("/counselors")
    assert reply.status == 200
    (listed,) = reply.json["items"]
    text = reply.body.decode()
    for secret in ("LPC-SECRET-1", "open_slots", "sliding_scale_min", "muslim", "mena", "license_numbers", "version"):
        assert secret not in text
    assert listed["gender"] is None
    assert listed["cultural_identity"] == []


def test_the_directory_pages_with_a_cursor_and_rejects_a_forged_one(api: Api, roster: list) -> None:
    first = api.get("/counselors?limit=2")
    assert len(first.json["items"]) == 2
    assert first.json["next"]
    second = api.get(f"/counselors?limit=2&cursor={first.json['next']}")
    assert len(second.json["items"]) == 1
    forged = api.get("/counselors?cursor=eyJQSyI6IklOVEFLRSN4In0")
    assert forged.status == 400
    assert api.get("/counselors?limit=1000").status == 422


def test_an_inactive_or_unknown_counselor_has_no_public_profile(api: Api, roster: list) -> None:
    known = roster[0]
    assert api.get(f"/counselors/{known.counselor_id}").status == 200
    change = {"version": known.version, "active": False}
    assert api.request("PATCH", f"/admin/counselors/{known.counselor_id}", change, as_="admin").status == 200
    assert api.get(f"/counselors/{known.counselor_id}").status == 404
    assert api.get("/counselors/c-unknown1").status == 404
    assert known.counselor_id not in api.get("/counselors").body.decode()


def test_the_vocabulary_lists_every_choice_with_a_label(api: Api) -> None:
    reply = api.get("/vocabulary")
    assert reply.status == 200
    lists = reply.json["lists"]
    assert {"value": "faith_spirituality", "label": "Faith and spirituality"} in lists["Value"]
    assert len(lists["Jurisdiction"]) == 62


def test_the_vocabulary_speaks_the_pages_language_and_english_to_an_unknown_one(api: Api) -> None:
    english = api.get("/vocabulary")
    spanish = api.get("/vocabulary?lang=es-MX")
    assert spanish.status == 200
    assert spanish.header("Cache-Control") == english.header("Cache-Control") == "public, max-age=300"
    lists = spanish.json["lists"]
    assert {"value": "faith_spirituality", "label": "Fe y espiritualidad"} in lists["Value"]
    assert {"value": "US-NM", "label": "Nuevo México"} in lists["Jurisdiction"]
    assert {k: [c["value"] for c in v] for k, v in lists.items()} == {
        k: [c["value"] for c in v] for k, v in english.json["lists"].items()
    }  # the same shape, only the words differ
    for unknown in ("xx", "", "fr-FR", "%00", "e" * 300):
        reply = api.get(f"/vocabulary?lang={unknown}")
        assert (reply.status, reply.json) == (200, english.json), unknown


def test_unknown_routes_and_methods_get_api_gateways_answer(api: Api) -> None:
    assert api.get("/nowhere/at/all").status == 403
    assert api.request("DELETE", "/intakes").status == 403


def test_a_value_is_named_in_its_own_words_when_a_counselor_also_offers_family_counseling(api: Api) -> None:
    # Given a counselor who offers family counseling and works from the value "family": the service type and
    # the value are both the string "family", and the roster is loaded from stored compact texts
    body = counselor_body(service_types=["family"], values_centered=["family"], age_bands=["adult"])
    assert api.post("/admin/counselors", body, as_="admin").status == 201
    # When a family client who named the value "family" submits an intake
    reply = submit(
        api,
        client={"service_type": "family", "age": 34, "jurisdiction": "US-CA"},
        values={"values": ["family"], "importance": "important"},
    )
    assert reply.status == 201
    match = api.get(f"/review/intakes/{reply.json['reference']}", as_="staff").json["match"]
    # Then the reasons name the value, not the service type
    (suggestion,) = match["suggestions"]
    assert "Works from values you named: family" in suggestion["client_reasons"]
    assert "Works from family - client rated values important" in suggestion["reasons"]
    assert not [r for r in suggestion["reasons"] + suggestion["client_reasons"] if "counseling" in r.lower()]
