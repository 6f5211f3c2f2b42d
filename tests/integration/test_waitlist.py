"""The waitlist that moves (docs/booking.md, "The waitlist"), through the real handlers on moto: joining and
leaving, the sweep's held offers, claims, holds that run out, and what staff see."""

import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.domain.shortlist import BookingPolicy
from tests.integration.harness import (
    Api,
    deliver_events,
    expect,
    new_counselor,
    partition_items,
    sent_emails,
    status_link,
    stored_counselor,
    submit,
)
from tests.integration.races import WRITES, Interleaving, run_together, separate_environments

SCHEDULE = {
    "time_zone": "America/Chicago",
    "windows": [
        {"day": d, "start": "08:00", "end": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ],
    "offers": [{"kind": "consult_call", "minutes": 20, "format": "telehealth"}],
}
SCHEDULED_EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}


@pytest.fixture
def client_first(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    module = api.functions["ClientApiFunction"].module
    monkeypatch.setattr(
        module, "settings", module.settings.model_copy(update={"booking_policy": BookingPolicy.CLIENT_FIRST})
    )


def open_slots(aws: LocalStack, counselor_id: str) -> int:
    return int(stored_counselor(aws, counselor_id)["open_slots"]["N"])


def run_sweep(api: Api, at: datetime | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> Any:
    if at is not None and monkeypatch is not None:
        monkeypatch.setattr(api.functions["WaitlistSweepFunction"].module, "utc_now", lambda: at)
    return api.functions["WaitlistSweepFunction"].invoke(SCHEDULED_EVENT)


def set_slots(api: Api, counselor_id: str, slots: int) -> None:
    version = expect(200, api.get(f"/admin/counselors/{counselor_id}", as_="admin")).json["version"]
    path = f"/admin/counselors/{counselor_id}"
    expect(200, api.request("PATCH", path, {"version": version, "open_slots": slots}, as_="admin"))


class Client:
    def __init__(self, api: Api, email: str) -> None:
        submitted = expect(201, submit(api, contact={"name": "Sam Rivera", "email": email})).json
        self.reference: str = submitted["reference"]
        self.headers = {"X-Status-Token": submitted["status_token"]}
        self.email = email

    def join(self, api: Api, counselor_id: str | None = None) -> Any:
        return api.post(f"/intakes/{self.reference}/waitlist", {"counselor_id": counselor_id}, headers=self.headers)

    def leave(self, api: Api) -> Any:
        return api.request("DELETE", f"/intakes/{self.reference}/waitlist", headers=self.headers)

    def claim(self, api: Api, headers: dict[str, str] | None = None) -> Any:
        return api.post(f"/intakes/{self.reference}/waitlist-offer/claim", headers=headers or self.headers)


def full_counselor(api: Api) -> str:
    """A counselor who fits the default intake, with openings, whose one slot is then taken by another
    client: the clients who submit after this see them on their shortlist, with no place free."""
    counselor = new_counselor(api, name="Full Counselor", open_slots=1, concerns_primary=["anxiety"], schedule=SCHEDULE)
    return counselor.counselor_id


def waitlist_of(api: Api, counselor_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = expect(200, api.get(f"/review/counselors/{counselor_id}/waitlist", as_="staff")).json[
        "items"
    ]
    return items


def test_a_freed_slot_is_held_for_the_first_client_waiting_who_claims_it_once(
    api: Api, aws: LocalStack, client_first: None
) -> None:
    # Given a counselor on two clients' shortlists, whose slot is then taken
    counselor_id = full_counselor(api)
    first, second = Client(api, "first@example.org"), Client(api, "second@example.org")
    other = Client(api, "other@example.org")
    expect(200, api.post(f"/review/intakes/{other.reference}/assignment", {"counselor_id": counselor_id}, as_="staff"))
    assert open_slots(aws, counselor_id) == 0
    # And both clients wait: the first for that counselor, the second for the first good fit
    joined = expect(201, first.join(api, counselor_id)).json
    assert (joined["counselor_ids"], joined["any_fit"]) == ([counselor_id], False)
    assert expect(201, second.join(api)).json["any_fit"] is True
    # When the sweep runs with no place free, nobody is offered anything
    assert run_sweep(api)["offered"] == 0
    # And when the practice raises the counselor's capacity by one and the sweep runs
    set_slots(api, counselor_id, 1)
    assert run_sweep(api)["offered"] == 1
    # Then the slot is held for the first client (taken from the counselor, so it is offered to no one else)
    assert open_slots(aws, counselor_id) == 0
    line = waitlist_of(api, counselor_id)
    assert [(i["reference"], i["held_for_this_counselor"]) for i in line] == [
        (first.reference, True),
        (second.reference, False),
    ]
    assert line[0]["held_until"] is not None
    # And the first client is emailed a link to claim it, carrying nothing they wrote
    deliver_events(api)
    (email,) = [e for e in sent_emails(first.email) if "held for you" in e.subject]
    assert status_link(email.body)[0] == first.reference
    assert "anxiety" not in email.body.lower() and "Sam Rivera" not in email.body
    assert not [e for e in sent_emails(second.email) if "held for you" in e.subject]
    # When the first client claims it from the link in that email
    _, token = status_link(email.body)
    claimed = expect(200, first.claim(api, {"X-Status-Token": token})).json
    assert claimed == {"reference": first.reference, "counselor_id": counselor_id, "stage": "matched"}
    # Then they are matched with the counselor, using the held slot (no second one taken), and have left the line
    detail = expect(200, api.get(f"/review/intakes/{first.reference}", as_="staff")).json
    assert (detail["status"], detail["assigned_counselor_id"]) == ("assigned", counselor_id)
    assert [h["actor"] for h in detail["history"] if h["kind"] == "assigned"] == ["client"]
    assert open_slots(aws, counselor_id) == 0
    assert [i["reference"] for i in waitlist_of(api, counselor_id)] == [second.reference]
    # And a second claim is refused, changing nothing
    again = first.claim(api)
    assert (again.status, again.json["code"]) == (409, "no_offer")


def test_an_unclaimed_hold_returns_the_slot_and_passes_to_the_next_client(
    api: Api, aws: LocalStack, client_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two clients waiting for a full counselor, and a place held for the first
    counselor_id = full_counselor(api)
    first, second = Client(api, "first@example.org"), Client(api, "second@example.org")
    other = Client(api, "other@example.org")
    expect(200, api.post(f"/review/intakes/{other.reference}/assignment", {"counselor_id": counselor_id}, as_="staff"))
    expect(201, first.join(api, counselor_id))
    expect(201, second.join(api, counselor_id))
    set_slots(api, counselor_id, 1)
    now = datetime.now(UTC)
    assert run_sweep(api, now, monkeypatch)["offered"] == 1
    hours = int(aws.function_environment("WaitlistSweepFunction")["WAITLIST_HOLD_HOURS"])
    # When a sweep runs just before the hold ends, the hold stands
    assert run_sweep(api, now + timedelta(hours=hours, minutes=-1), monkeypatch) == {
        "offered": 0,
        "expired": 0,
        "dropped": 0,
    }
    # And when one runs once it has ended
    run = run_sweep(api, now + timedelta(hours=hours, minutes=1), monkeypatch)
    # Then the first client's hold ends (they leave the line) and the slot passes to the second client
    assert (run["expired"], run["offered"]) == (1, 1)
    line = waitlist_of(api, counselor_id)
    assert [(i["reference"], i["held_for_this_counselor"]) for i in line] == [(second.reference, True)]
    assert open_slots(aws, counselor_id) == 0
    # And the first client can no longer claim it
    late = first.claim(api)
    assert (late.status, late.json["code"]) == (409, "no_offer")


def test_leaving_with_a_place_held_gives_the_slot_back(api: Api, aws: LocalStack, client_first: None) -> None:
    counselor_id = full_counselor(api)
    waiting, other = Client(api, "waiting@example.org"), Client(api, "other@example.org")
    expect(200, api.post(f"/review/intakes/{other.reference}/assignment", {"counselor_id": counselor_id}, as_="staff"))
    expect(201, waiting.join(api, counselor_id))
    set_slots(api, counselor_id, 1)
    assert run_sweep(api)["offered"] == 1
    assert open_slots(aws, counselor_id) == 0
    # When the client leaves the waitlist
    assert expect(200, waiting.leave(api)).json == {"reference": waiting.reference, "left": True}
    # Then the held slot is the counselor's again, and the client is no longer waiting
    assert open_slots(aws, counselor_id) == 1
    assert waitlist_of(api, counselor_id) == []
    assert waiting.leave(api).status == 409


def test_joining_is_refused_when_it_should_be_and_changes_nothing(
    api: Api, aws: LocalStack, client_first: None
) -> None:
    counselor_id = full_counselor(api)
    stranger = new_counselor(api, name="Not A Fit", licensed_in=["US-NY"]).counselor_id
    client = Client(api, "client@example.org")
    # a counselor not on the shortlist
    not_listed = client.join(api, stranger)
    assert not_listed.status == 400
    assert [tuple(d["loc"]) for d in not_listed.json["detail"]] == [("body", "counselor_id")]
    # a wrong status token
    assert api.post(f"/intakes/{client.reference}/waitlist", {}, headers={"X-Status-Token": "x" * 43}).status == 404
    # twice
    expect(201, client.join(api, counselor_id))
    assert client.join(api).json["code"] == "already_waiting"
    # an urgent intake: a person reaches that client first
    urgent = expect(201, submit(api, safety="yes")).json
    refused = api.post(
        f"/intakes/{urgent['reference']}/waitlist", {}, headers={"X-Status-Token": urgent["status_token"]}
    )
    assert refused.status == 409
    assert partition_items(aws, "WAITLIST") and len(partition_items(aws, "WAITLIST")) == 1


def test_under_the_staff_first_policy_clients_cannot_join(api: Api) -> None:
    counselor_id = full_counselor(api)
    client = Client(api, "client@example.org")
    assert client.join(api, counselor_id).status == 409


def test_a_place_claimed_ten_times_at_once_is_claimed_once(
    api: Api, aws: LocalStack, client_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a place held for a client
    counselor_id = full_counselor(api)
    waiting, other = Client(api, "waiting@example.org"), Client(api, "other@example.org")
    expect(200, api.post(f"/review/intakes/{other.reference}/assignment", {"counselor_id": counselor_id}, as_="staff"))
    expect(201, waiting.join(api, counselor_id))
    set_slots(api, counselor_id, 1)
    assert run_sweep(api)["offered"] == 1
    # When ten claims of it, each in its own warm environment, all read before any writes
    racers = separate_environments(api, "ClientApiFunction", 10)
    for racer in racers:
        module = racer.functions["ClientApiFunction"].module
        monkeypatch.setattr(
            module, "settings", module.settings.model_copy(update={"booking_policy": BookingPolicy.CLIENT_FIRST})
        )
    race = Interleaving()
    all_read = threading.Barrier(10)
    for i in range(10):
        race.hold(f"claim{i}", WRITES, all_read)
    with race.installed(monkeypatch):
        replies = run_together({f"claim{i}": partial(waiting.claim, racer) for i, racer in enumerate(racers)})
    # Then exactly one claim wins; the others are told there is no place to claim
    statuses = sorted(reply.status for reply in replies.values())
    assert statuses == [200] + [409] * 9
    # And the client is assigned once, with the one held slot
    detail = expect(200, api.get(f"/review/intakes/{waiting.reference}", as_="staff")).json
    assert [h["kind"] for h in detail["history"]].count("assigned") == 1
    assert open_slots(aws, counselor_id) == 0
    assert waitlist_of(api, counselor_id) == []


def test_two_sweeps_at_once_never_hold_one_freed_slot_for_two_clients(
    api: Api, aws: LocalStack, client_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two clients waiting for a counselor who then has one slot free
    counselor_id = full_counselor(api)
    first, second, other = (Client(api, f"{n}@example.org") for n in ("first", "second", "other"))
    expect(200, api.post(f"/review/intakes/{other.reference}/assignment", {"counselor_id": counselor_id}, as_="staff"))
    expect(201, first.join(api, counselor_id))
    expect(201, second.join(api, counselor_id))
    set_slots(api, counselor_id, 1)
    # When two sweeps run at once, both reading the line and the roster before either writes
    one = api.functions["WaitlistSweepFunction"]
    (other_env,) = separate_environments(api, "WaitlistSweepFunction", 1)
    two = other_env.functions["WaitlistSweepFunction"]
    race = Interleaving()
    both_read = threading.Barrier(2)
    race.hold("one", "TransactWriteItems", both_read)
    race.hold("two", "TransactWriteItems", both_read)
    with race.installed(monkeypatch):
        runs = run_together({"one": lambda: one.invoke(SCHEDULED_EVENT), "two": lambda: two.invoke(SCHEDULED_EVENT)})
    # Then one place is held, for one client, and the counselor's slot is taken once
    assert runs["one"]["offered"] + runs["two"]["offered"] == 1
    held = [i for i in waitlist_of(api, counselor_id) if i["held_for_this_counselor"]]
    assert len(held) == 1
    assert open_slots(aws, counselor_id) == 0


def test_staff_see_a_counselors_waitlist_and_clients_cannot(api: Api, client_first: None) -> None:
    counselor_id = full_counselor(api)
    client = Client(api, "client@example.org")
    expect(201, client.join(api, counselor_id))
    assert [i["reference"] for i in waitlist_of(api, counselor_id)] == [client.reference]
    assert api.get(f"/review/counselors/{counselor_id}/waitlist").status == 401
    assert api.get("/review/counselors/c-unknown01/waitlist", as_="staff").status == 404
