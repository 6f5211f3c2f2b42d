"""Limits on abuse and clear answers to forged input, through the real handlers on moto: a cursor that is
not one of ours, a counselor who leaves while matched, and many intakes naming one email address."""

import base64
import hashlib
import json
import threading
from datetime import UTC, datetime
from functools import partial

import pytest

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.integration.conftest import submit
from tests.integration.harness import (
    Api,
    deliver_events,
    matched_submission,
    new_counselor,
    partition_items,
    sent_emails,
    sweep_outbox,
)
from tests.integration.races import Interleaving, run_together, separate_environments

# ---------------------------------------------------------------- a counselor who leaves


def test_a_client_whose_counselor_is_deactivated_still_has_their_status_page_and_can_ask_for_someone_else(
    api: Api, roster: list[CounselorProfile]
) -> None:
    counselor = new_counselor(api, name="Leaving Counselor", open_slots=2)
    submitted = matched_submission(api, counselor)
    profile = api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin").json
    off = {"version": profile["version"], "active": False}
    assert api.request("PATCH", f"/admin/counselors/{counselor.counselor_id}", off, as_="admin").status == 200
    headers = {"X-Status-Token": submitted["status_token"]}
    status = api.get(f"/intakes/{submitted['reference']}/status", headers=headers)
    assert status.status == 200, status.json
    assert status.json["stage"] == "matched"
    assert status.json["can_request_rematch"] is True
    asked = api.post(
        f"/intakes/{submitted['reference']}/rematch-request", {"what_to_change": "My counselor left"}, headers=headers
    )
    assert asked.status == 202, asked.json


# ---------------------------------------------------------------- cursors


@pytest.mark.parametrize(
    ("path", "as_"),
    [("/counselors", None), ("/admin/counselors", "admin"), ("/review/intakes", "staff"), ("/admin/audit", "admin")],
)
def test_a_cursor_missing_part_of_its_key_is_refused_with_a_clear_answer(
    api: Api, roster: list[CounselorProfile], path: str, as_: str | None
) -> None:
    # Given a real cursor of the listing (two of everything, one a page)
    for _ in range(2):
        submit(api)
    day = f"day={datetime.now(UTC).date().isoformat()}&" if "audit" in path else ""
    first = api.get(f"{path}?{day}limit=1", as_=as_)
    assert first.status == 200
    cursor = first.json["next"]
    assert cursor
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    # When any part of its key is missing, the listing says the cursor is not valid (never a 500)
    for missing in key:
        partial = {k: v for k, v in key.items() if k != missing}
        forged = base64.urlsafe_b64encode(json.dumps(partial).encode()).decode().rstrip("=")
        reply = api.get(f"{path}?{day}limit=1&cursor={forged}", as_=as_)
        assert reply.status == 400, (missing, reply.status)
        assert reply.json["detail"][0]["loc"] == ["query", "cursor"]


# ---------------------------------------------------------------- email bombing


def test_many_intakes_naming_one_address_are_all_stored_but_email_it_only_a_few_times(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    victim = "stranger@example.org"
    references = [submit(api, contact={"name": "Not The Owner", "email": victim}).json["reference"] for _ in range(12)]
    assert len(set(references)) == 12
    assert all(partition_items(aws, f"INTAKE#{r}") for r in references)  # every intake is kept
    deliver_events(api)
    sweep_outbox(api)
    limit = int(aws.function_environment("PublicApiFunction")["CONFIRMATIONS_PER_ADDRESS_PER_DAY"])
    assert 1 <= limit < 12
    assert len(sent_emails(victim)) == limit
    other = submit(api, contact={"name": "Someone Else", "email": "someone.else@example.org"}).json
    assert other["reference"]
    deliver_events(api)
    assert len(sent_emails("someone.else@example.org")) == 1  # one address's limit is not another's


def test_intakes_naming_one_address_submitted_at_once_queue_exactly_the_limit_of_confirmations(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given more intakes naming one address than it may be emailed today, each in its own environment
    victim = "Racing.Stranger+tag@Example.org"  # case and a +tag do not make it another mailbox
    limit = int(aws.function_environment("PublicApiFunction")["CONFIRMATIONS_PER_ADDRESS_PER_DAY"])
    count = limit + 4
    gateways = separate_environments(api, "PublicApiFunction", count)

    # When all of them reach their transaction together
    race = Interleaving()
    together = threading.Barrier(count)
    for i in range(count):
        race.hold(f"client{i}", "TransactWriteItems", together)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                f"client{i}": partial(submit, g, contact={"name": "Not The Owner", "email": victim})
                for i, g in enumerate(gateways)
            }
        )

    # Then every intake is stored and answered with its status link, and exactly `limit` confirmations wait
    assert sorted(r.status for r in replies.values()) == [201] * count
    references = [r.json["reference"] for r in replies.values()]
    assert all(r.json["status_link"] for r in replies.values())
    assert all(partition_items(aws, f"INTAKE#{r}") for r in references)
    queued = [i for r in references for i in partition_items(aws, f"OUTBOX#{r}") if i["kind"]["S"] == "confirmation"]
    assert len(queued) == limit
    # and the counter is keyed by a hash of the normalised address, holding no address
    today = datetime.now(UTC).date().isoformat()
    digest = hashlib.sha256(b"racing.stranger@example.org").hexdigest()
    (counter,) = partition_items(aws, f"CONFIRMATIONS#{digest}")
    assert counter["SK"]["S"] == today and int(counter["sent"]["N"]) == limit
    assert set(counter) == {"PK", "SK", "sent", "expires_at"}
    assert "example.org" not in json.dumps(counter).lower()
