"""How many AWS calls each route makes, counted with botocore's before-call hook on every client.

Counts are deterministic, so they are tests; timings are benchmarks (make bench).
"""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import botocore.session
import pytest

from infra.local.provision import LocalStack
from infra.template import ROOT
from shared.domain.counselor import CounselorProfile
from shared.domain.shortlist import BookingPolicy
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api, api_with, expect


class CallLog:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.roster_items: list[int] = []  # items returned by each query of the Roster index

    def parameters(self, model: Any, params: Any, context: Any, **_: Any) -> None:
        context["roster_read"] = model.name == "Query" and params.get("IndexName") == "Roster"

    def hook(self, model: Any, **_: Any) -> None:
        self.calls.append(f"{model.service_model.service_name}.{model.name}")

    def returned(self, parsed: Any, context: Any, **_: Any) -> None:
        if context.get("roster_read"):
            self.roster_items.append(len(parsed.get("Items", [])))

    def during(self, action: Any) -> Counter[str]:
        start = len(self.calls)
        action()
        return Counter(self.calls[start:])


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[CallLog]:
    log = CallLog()
    original = botocore.session.Session.create_client

    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-parameter-build", log.parameters)
        client.meta.events.register("before-call", log.hook)
        client.meta.events.register("after-call", log.returned)
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    yield log
    assert not [c for c in log.calls if c.endswith(".Scan")], "no request path may scan"


def total(counter: Counter[str]) -> int:
    return sum(counter.values())


def test_public_routes_stay_within_their_call_budgets(calls: CallLog, api: Api, roster: list[CounselorProfile]) -> None:
    expect(201, submit(api))  # cold: the first submission also loads the roster
    submitted: dict[str, Any] = {}
    warm_submit = calls.during(lambda: submitted.update(expect(201, submit(api)).json))
    # idempotency record (put, then complete), one transaction, one event
    assert warm_submit == Counter(
        {"dynamodb.PutItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1, "dynamodb.UpdateItem": 1}
    )
    status = calls.during(
        lambda: expect(
            200,
            api.get(f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]}),
        )
    )
    assert status == Counter({"dynamodb.GetItem": 1})
    assert total(calls.during(lambda: expect(200, api.get("/counselors")))) == 1
    assert total(calls.during(lambda: expect(200, api.get(f"/counselors/{roster[0].counselor_id}")))) == 1
    assert total(calls.during(lambda: expect(200, api.get("/vocabulary")))) == 0


def test_staff_routes_stay_within_their_call_budgets(calls: CallLog, api: Api, roster: list[CounselorProfile]) -> None:
    reference = expect(201, submit(api)).json["reference"]
    assert total(calls.during(lambda: expect(200, api.get("/review/intakes", as_="staff")))) == 1
    # one query for the intake, its match and history; one write for the audit entry and first-open status
    assert total(calls.during(lambda: expect(200, api.get(f"/review/intakes/{reference}", as_="staff")))) == 2
    assign = calls.during(
        lambda: expect(
            200,
            api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff"),
        )
    )
    assert assign["dynamodb.TransactWriteItems"] == 1  # the assignment is exactly one transaction
    # the intake, the roster version, the transaction (with the "you're matched" email in the outbox), and
    # the event that has the notifier send that email now
    assert assign == Counter(
        {"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    other = expect(201, submit(api)).json["reference"]
    decide = calls.during(
        lambda: expect(200, api.post(f"/review/intakes/{other}/decision", {"decision": "waitlist"}, as_="staff"))
    )
    # one transaction (with the client's email), and the event that has the notifier send it now
    assert decide == Counter({"dynamodb.Query": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1})


def test_everyone_who_fits_takes_two_reads_more_whatever_the_roster_size(
    calls: CallLog, api: Api, roster: list[CounselorProfile]
) -> None:
    reference = expect(201, submit(api)).json["reference"]
    expect(200, api.get(f"/review/intakes/{reference}?fits=all", as_="staff"))  # cold: loads the whole roster once

    def everyone() -> Counter[str]:
        calls.roster_items.clear()
        return calls.during(lambda: expect(200, api.get(f"/review/intakes/{reference}?fits=all", as_="staff")))

    # the intake (one query) and its audited read (one write), as without fits; then the roster's version
    # and the counselors changed since the warm copy: none
    assert everyone() == Counter({"dynamodb.Query": 2, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    assert calls.roster_items == [0]
    for i in range(20):  # a bigger roster, and one counselor changed since the last read
        expect(201, api.post("/admin/counselors", counselor_body(name=f"Counselor {i}"), as_="admin"))
    everyone()
    assert calls.roster_items == [20]  # only what changed is read
    assert everyone() == Counter({"dynamodb.Query": 2, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})


def test_admin_routes_stay_within_their_call_budgets(calls: CallLog, api: Api) -> None:
    created: dict[str, Any] = {}
    create = calls.during(
        lambda: created.update(expect(201, api.post("/admin/counselors", counselor_body(), as_="admin")).json)
    )
    assert create == Counter({"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    assert total(calls.during(lambda: api.get("/admin/counselors", as_="admin"))) == 1
    assert total(calls.during(lambda: api.get(f"/admin/counselors/{created['counselor_id']}", as_="admin"))) == 1
    patch = calls.during(
        lambda: expect(
            200,
            api.request(
                "PATCH", f"/admin/counselors/{created['counselor_id']}", {"version": 1, "open_slots": 9}, as_="admin"
            ),
        )
    )
    assert patch["dynamodb.TransactWriteItems"] == 1
    assert total(patch) == 3


def test_a_counselor_with_a_schedule_takes_one_query_more_to_save_its_next_opening(calls: CallLog, api: Api) -> None:
    schedule = {
        "time_zone": "America/Chicago",
        "windows": [{"day": "tue", "start": "13:00", "end": "17:00"}],
        "offers": [{"kind": "first_session", "minutes": 50, "format": "telehealth"}],
    }
    created: dict[str, Any] = {}
    # a new counselor has no booked time to read
    create = calls.during(
        lambda: created.update(
            expect(201, api.post("/admin/counselors", counselor_body(schedule=schedule), as_="admin")).json
        )
    )
    assert create == Counter({"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    path = f"/admin/counselors/{created['counselor_id']}"
    # a change reads the counselor's booked time over the horizon: one query, beside the budget above
    patch = calls.during(lambda: expect(200, api.request("PATCH", path, {"version": 1, "open_slots": 9}, as_="admin")))
    assert patch == Counter({"dynamodb.GetItem": 2, "dynamodb.Query": 1, "dynamodb.TransactWriteItems": 1})


def test_a_submission_past_its_addresss_confirmation_limit_takes_one_more_call(
    calls: CallLog, api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    limit = int(aws.function_environment("PublicApiFunction")["CONFIRMATIONS_PER_ADDRESS_PER_DAY"])
    for _ in range(limit):
        submit(api, contact={"email": "limited@example.org"})
    past = calls.during(lambda: submit(api, contact={"email": "limited@example.org"}))
    # the transaction with the email is refused by the address's counter; the intake is written without it
    assert past["dynamodb.TransactWriteItems"] == 2
    assert total(past) == 5


def test_a_warm_function_rereads_only_the_counselors_that_changed(
    calls: CallLog, api: Api, roster: list[CounselorProfile]
) -> None:
    # each submission names its own address: past ConfirmationsPerAddressPerDay one would take one more call
    addresses = (f"budget{i}@example.org" for i in range(10))

    def submit_one() -> Any:
        return submit(api, contact={"email": next(addresses)})

    calls.during(submit_one)  # cold: loads the whole roster once
    assert calls.roster_items and sum(calls.roster_items) == len(roster)
    calls.roster_items.clear()
    submit_one()
    assert calls.roster_items == []  # warm and current: not one roster item read
    reference = expect(201, submit_one()).json["reference"]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    )
    after_change = calls.during(lambda: expect(201, submit_one()))
    # the stored roster version no longer matches, so the write is refused, the one changed counselor is
    # read, the intake is matched again and stored
    assert calls.roster_items == [1]
    assert after_change["dynamodb.TransactWriteItems"] == 2
    assert after_change["dynamodb.Query"] == 1
    calls.roster_items.clear()
    submit_one()
    assert calls.roster_items == []


def test_a_cold_function_reads_the_roster_snapshot_and_only_the_counselors_changed_since(
    calls: CallLog, api: Api, roster: list[CounselorProfile]
) -> None:
    from tests.integration.races import separate_environments

    # each submission names its own address: past ConfirmationsPerAddressPerDay one would take one more call
    addresses = (f"cold{i}@example.org" for i in range(10))

    def submit_one(through: Api) -> Any:
        return submit(through, contact={"email": next(addresses)})

    api.functions["RosterSnapshotFunction"].invoke({"source": "aws.events", "detail": {}})
    expect(201, submit_one(api))
    warm = calls.during(lambda: expect(201, submit_one(api)))
    (cold_api,) = separate_environments(api, "PublicApiFunction", 1)
    calls.roster_items.clear()
    cold = calls.during(lambda: expect(201, submit_one(cold_api)))
    # the version and the snapshot in one read, as new as each other: nothing changed since, so no query of
    # the Roster index at all, whatever the roster's size
    assert cold - warm == Counter({"dynamodb.BatchGetItem": 1})
    assert calls.roster_items == []
    set_slots = {"version": 1, "open_slots": 1}
    expect(200, api.request("PATCH", f"/admin/counselors/{roster[1].counselor_id}", set_slots, as_="admin"))
    (cold_api,) = separate_environments(api, "PublicApiFunction", 1)
    calls.roster_items.clear()
    assert calls.during(lambda: expect(201, submit_one(cold_api))) - warm == Counter(
        {"dynamodb.BatchGetItem": 1, "dynamodb.Query": 1}
    )
    assert calls.roster_items == [1]  # the one counselor changed since the snapshot


def test_every_route_is_served_without_a_scan(calls: CallLog, api: Api, roster: list[CounselorProfile]) -> None:
    first = expect(201, submit(api)).json
    second = expect(201, submit(api)).json
    expect(200, api.get(f"/intakes/{first['reference']}/status", headers={"X-Status-Token": first["status_token"]}))
    expect(200, api.get("/counselors"))
    expect(200, api.get(f"/counselors/{roster[0].counselor_id}"))
    expect(200, api.get("/review/intakes", as_="staff"))
    expect(200, api.get(f"/review/intakes/{first['reference']}", as_="staff"))
    expect(200, api.post(f"/review/intakes/{first['reference']}/rematch", as_="staff"))
    assignment = {"counselor_id": roster[0].counselor_id}
    expect(200, api.post(f"/review/intakes/{first['reference']}/assignment", assignment, as_="staff"))
    expect(200, api.post(f"/review/intakes/{second['reference']}/decision", {"decision": "waitlist"}, as_="staff"))
    expect(200, api.get("/admin/counselors", as_="admin"))
    expect(200, api.get("/admin/audit?day=2026-11-26", as_="admin"))
    expect(200, api.request("DELETE", f"/admin/intakes/{second['reference']}", as_="admin"))
    assert len(calls.calls) > 20  # the log really saw the routes' calls; the fixture asserts none was a Scan


def test_no_code_on_a_request_path_can_scan() -> None:
    """The DAL names each operation as a string for its one call site, so a Scan would show in the source."""
    sources = [*(ROOT / "shared").rglob("*.py"), *(ROOT / "functions").rglob("*.py")]
    assert len(sources) > 20
    offending = [
        str(path.relative_to(ROOT))
        for path in sources
        if re.search(r"""["']scan["']|\.scan\(|"Scan\b""", path.read_text())
    ]
    assert offending == []


def test_after_the_match_routes_stay_within_their_call_budgets(
    calls: CallLog, api: Api, roster: list[CounselorProfile]
) -> None:
    from tests.integration.harness import deliver_events, sent_emails

    submitted = expect(201, submit(api, contact={"name": "Sam Rivera", "email": "budget@example.org"})).json
    reference = submitted["reference"]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    )
    # a session that sends a check-in: the intake, the counselor's public name, one transaction, one event
    session = calls.during(lambda: expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff")))
    assert session == Counter(
        {"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    # the notifier, for one queued email: the intake's outbox, the email, and clearing it
    # the notifier, for the three events so far (new intake, matched, check-in): per event, the intake's
    # outbox, each email, and clearing it; the matched email also reads the counselor's public profile
    delivered = calls.during(lambda: deliver_events(api))
    aws_calls = Counter({k: v for k, v in delivered.items() if not k.startswith("sqs.")})  # sqs: the test's EventBridge
    assert aws_calls == Counter(
        {"dynamodb.Query": 3, "ses.SendEmail": 4, "dynamodb.DeleteItem": 3, "dynamodb.GetItem": 1}
    )
    (invitation,) = [e for e in sent_emails("budget@example.org") if "checkin#" in e.body]
    headers = {"X-Check-In-Token": invitation.body.split("checkin#", 1)[1].split()[0].split(".")[2]}
    assert calls.during(lambda: expect(200, api.get(f"/checkins/{reference}/1", headers=headers))) == Counter(
        {"dynamodb.GetItem": 1}
    )
    answers = {"trust": 9, "understood": 9, "respected": 9, "agenda": 9, "overall": 9, "identity": 9}
    # the intake with its check-ins, the roster version (the rating moves it on), one transaction
    sent = calls.during(lambda: expect(201, api.post(f"/checkins/{reference}/1", answers, headers=headers)))
    assert sent == Counter({"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    assert calls.during(lambda: expect(200, api.get("/review/report", as_="staff"))) == Counter({"dynamodb.Query": 1})
    rematch = calls.during(
        lambda: expect(
            202,
            api.post(
                f"/intakes/{reference}/rematch-request",
                {"what_to_change": "Someone else"},
                headers={"X-Status-Token": submitted["status_token"]},
            ),
        )
    )
    # the intake, the roster (a cold copy in this function: the version with the snapshot, in one read, none
    # written here, then the whole roster), one transaction (status, the returned slot, the roster version,
    # the new match, history, the report), one event
    assert rematch == Counter(
        {"dynamodb.Query": 2, "dynamodb.BatchGetItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )


def test_a_low_check_in_costs_only_the_support_emails_share(
    calls: CallLog, api: Api, roster: list[CounselorProfile]
) -> None:
    from tests.integration.harness import deliver_events, sent_emails

    submitted = expect(201, submit(api, contact={"name": "Sam Rivera", "email": "low@example.org"})).json
    reference = submitted["reference"]
    assignment = {"counselor_id": roster[0].counselor_id}
    expect(200, api.post(f"/review/intakes/{reference}/assignment", assignment, as_="staff"))
    expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff"))
    deliver_events(api)
    (invitation,) = [e for e in sent_emails("low@example.org") if "checkin#" in e.body]
    headers = {"X-Check-In-Token": invitation.body.split("checkin#", 1)[1].split()[0].split(".")[2]}
    answers = {"trust": 3, "understood": 9, "respected": 9, "agenda": 9, "overall": 5, "identity": 9}
    # as a good check-in (the intake, the roster version, one transaction), and the bond-at-risk event it
    # always published: the support email is one more item of the same transaction, its status link one more
    # attribute of the intake's update
    sent = calls.during(lambda: expect(201, api.post(f"/checkins/{reference}/1", answers, headers=headers)))
    assert sent == Counter(
        {"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    # the notifier, for that event: the practice's email as before; then the intake's outbox, the client's
    # email and clearing it
    delivered = calls.during(lambda: deliver_events(api))
    aws_calls = Counter({k: v for k, v in delivered.items() if not k.startswith("sqs.")})
    assert aws_calls == Counter({"ses.SendEmail": 2, "dynamodb.Query": 1, "dynamodb.DeleteItem": 1})


def test_booking_routes_stay_within_their_call_budgets(calls: CallLog, aws: LocalStack) -> None:
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
    client = submitted(api)
    first, second = first_openings(counselor)[:2]
    # the intake, the counselor (schedule and name), the roster version, the counselor's booked time (one
    # query), exactly one transaction (intake, slot with next opening, roster version, booking, cells,
    # history, audit, email, counters), and the event that sends the email now
    booking = calls.during(lambda: expect(201, book(api, client, counselor.counselor_id, first)))
    assert booking["dynamodb.TransactWriteItems"] == 1
    assert booking == Counter(
        {"dynamodb.Query": 2, "dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    # the status of a booked intake: the intake item, its booking, the counselor's public profile
    status = calls.during(
        lambda: expect(
            200, api.get(f"/intakes/{client['reference']}/status", headers={"X-Status-Token": client["status_token"]})
        )
    )
    assert status == Counter({"dynamodb.GetItem": 3})
    later = opening_after(counselor, second + timedelta(hours=3))
    moved = calls.during(lambda: expect(200, reschedule(api, client, later)))
    assert moved == Counter(
        {"dynamodb.Query": 2, "dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    cancelled = calls.during(lambda: expect(200, cancel(api, client)))
    assert cancelled == Counter(
        {"dynamodb.Query": 2, "dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )


def test_the_shortlist_with_openings_takes_the_same_calls_whatever_the_roster_size(
    calls: CallLog, aws: LocalStack
) -> None:
    from tests.factories import weekday_schedule

    client_first = api_with(aws, BookingPolicy="client-first")

    def add_counselors(count: int) -> None:
        for _ in range(count):
            body = counselor_body(schedule=weekday_schedule())
            expect(201, client_first.post("/admin/counselors", body, as_="admin"))

    def shortlist_calls() -> Counter[str]:
        submitted = expect(201, submit(client_first)).json
        headers = {"X-Status-Token": submitted["status_token"]}
        path = f"/intakes/{submitted['reference']}/shortlist"
        counted = calls.during(lambda: expect(200, client_first.get(path, headers=headers)))
        assert len(expect(200, client_first.get(path, headers=headers)).json["entries"]) == 3
        return counted

    add_counselors(3)
    small = shortlist_calls()
    add_counselors(27)
    large = shortlist_calls()
    # the intake (one query), then per shortlisted counselor their profile and their booked time, and the
    # client's waitlist entry (one read): never the roster
    assert small == large == Counter({"dynamodb.Query": 4, "dynamodb.GetItem": 4})


def test_waitlist_routes_and_the_sweep_stay_within_their_call_budgets(
    calls: CallLog, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api.functions["ClientApiFunction"].module
    monkeypatch.setattr(
        client, "settings", client.settings.model_copy(update={"booking_policy": BookingPolicy.CLIENT_FIRST})
    )
    schedule = {
        "time_zone": "America/Chicago",
        "windows": [{"day": d, "start": "08:00", "end": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
        "offers": [{"kind": "consult_call", "minutes": 20, "format": "telehealth"}],
    }
    body = counselor_body(open_slots=1, concerns_primary=["anxiety"], schedule=schedule)
    counselor_id = expect(201, api.post("/admin/counselors", body, as_="admin")).json["counselor_id"]
    waiting = [expect(201, submit(api)).json for _ in range(2)]
    path = [f"/intakes/{w['reference']}" for w in waiting]
    own = [{"X-Status-Token": w["status_token"]} for w in waiting]
    # joining: the intake (with its status links), then one transaction
    join = calls.during(lambda: expect(201, api.post(f"{path[0]}/waitlist", {}, headers=own[0])))
    assert join == Counter({"dynamodb.Query": 1, "dynamodb.TransactWriteItems": 1})
    expect(201, api.post(f"{path[1]}/waitlist", {}, headers=own[1]))
    # staff: the counselor (a clear 404), then the whole line in one query
    line = calls.during(lambda: expect(200, api.get(f"/review/counselors/{counselor_id}/waitlist", as_="staff")))
    assert line == Counter({"dynamodb.GetItem": 1, "dynamodb.Query": 1})
    # the sweep: the line, the roster, then per offer the client's address, the roster version, one
    # transaction and the event; whatever the size of the roster or the line
    sweep = calls.during(lambda: api.functions["WaitlistSweepFunction"].invoke({"source": "aws.events"}))
    assert sweep == Counter(
        {"dynamodb.Query": 3, "dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, "events.PutEvents": 1}
    )
    # claiming: the intake, the entry, one transaction (no slot taken: the hold has it)
    claim = calls.during(lambda: expect(200, api.post(f"{path[0]}/waitlist-offer/claim", headers=own[0])))
    assert claim == Counter({"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
    # leaving without a hold: the intake, the entry, one transaction
    leave = calls.during(lambda: expect(200, api.request("DELETE", f"{path[1]}/waitlist", headers=own[1])))
    assert leave == Counter({"dynamodb.Query": 1, "dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1})
