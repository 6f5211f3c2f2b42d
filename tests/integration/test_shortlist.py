"""The client's shortlist through the real handlers: who may see it under each booking policy (never an
urgent intake), the staff's release, and what each entry carries (profile, marks, cost, openings)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.dal.dynamodb import DynamoRepository
from shared.dal.keys import cell_key
from shared.domain.availability import CELL, cells
from shared.domain.errors import ShortlistAlreadyReleased
from shared.domain.records import Actor, HistoryEntry, HistoryKind
from shared.services.changes import Audit, EmailKind, OutboxEmail, ShortlistReleased, StatusLink
from shared.services.links import new_token
from tests.factories import counselor_body, weekday_schedule
from tests.integration.harness import Api, api_with, deliver_events, expect, sent_emails, status_link, submit

NAMES = ["Maya Okafor", "Daniel Reyes", "Priya Raman"]


def scheduled_roster(api: Api, count: int = 3, **changes: Any) -> list[dict[str, Any]]:
    created = []
    for i in range(count):
        body = counselor_body(name=NAMES[i % 3], schedule=weekday_schedule(), fee_per_session=120 + 10 * i, **changes)
        created.append(expect(201, api.post("/admin/counselors", body, as_="admin")).json)
    return created


def shortlist_of(api: Api, submitted: dict[str, Any], **query: str) -> Any:
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return api.get(
        f"/intakes/{submitted['reference']}/shortlist{suffix}", headers={"X-Status-Token": submitted["status_token"]}
    )


@pytest.fixture
def client_first(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="client-first")


@pytest.fixture
def staff_approved(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="staff-approved")


def test_client_first_shows_the_shortlist_right_after_submitting(client_first: Api) -> None:
    # Given a practice with the client-first policy and three counselors with weekday openings
    roster = scheduled_roster(client_first)
    # When a client submits an intake
    submitted = expect(201, submit(client_first, contact={"name": "Sam Rivera", "email": "sam@example.org"})).json
    # Then the status page's shortlist is open at once
    body = expect(200, shortlist_of(client_first, submitted, time_zone="America/New_York")).json
    assert body["open"] is True and body["reference"] == submitted["reference"]
    assert {e["counselor"]["counselor_id"] for e in body["entries"]} == {c["counselor_id"] for c in roster}
    now = datetime.now(UTC)
    for entry in body["entries"]:
        assert set(entry) == {"counselor", "alternative", "wishes", "reasons", "relaxed", "cost", "offers",
                              "openings", "next_opening"}  # fmt: skip
        assert entry["cost"]["kind"] == "self_pay"
        assert "a session" in entry["cost"]["summary"]
        assert {(o["kind"], o["minutes"], o["format"]) for o in entry["offers"]} == {
            ("consult_call", 20, "phone"), ("first_session", 50, "telehealth")}  # fmt: skip
        for kind in ("consult_call", "first_session"):
            times = [datetime.fromisoformat(t) for t in entry["openings"][kind]]
            assert 1 <= len(times) <= 6 and times == sorted(times)
            assert all(t >= now + timedelta(hours=24) - timedelta(minutes=1) for t in times)  # the lead time
        firsts = [entry["openings"][k][0] for k in ("consult_call", "first_session")]
        assert entry["next_opening"] == min(firsts, key=datetime.fromisoformat)
        assert all(w["status"] in ("met", "partly_met", "not_met") for w in entry["wishes"])
        # only the public profile: no staff-only field of the counselor
        assert not {"open_slots", "sliding_scale_min", "schedule", "availability", "version"} & set(entry["counselor"])
    # and the email the client gets says the shortlist is ready, with a link to the status page and nothing more
    deliver_events(client_first)
    (email,) = sent_emails("sam@example.org")
    assert "shortlist" in email.subject.lower()
    assert status_link(email.body)[0] == submitted["reference"]
    assert not any(name in email.body for name in NAMES)
    assert "$" not in email.body


def test_an_urgent_intake_is_never_offered_the_shortlist_whatever_the_policy(client_first: Api) -> None:
    # Given the client-first policy and counselors with openings
    scheduled_roster(client_first)
    # When a client answers yes to the safety question
    submitted = expect(201, submit(client_first, safety="yes")).json
    # Then nothing points them to self-service: the shortlist is closed, and the email is the confirmation
    assert submitted["urgent"] is True
    assert expect(200, shortlist_of(client_first, submitted)).json == {
        "reference": submitted["reference"], "open": False, "entries": [], "fit_versus_wait": None,
        "reschedule": None, "waitlist": None, "locale": "en"}  # fmt: skip
    deliver_events(client_first)
    (email,) = sent_emails("sam@example.org")
    assert "shortlist" not in email.subject.lower()
    # and staff cannot release it either, under a policy that lets them
    staff_approved = api_with(client_first.stack, BookingPolicy="staff-approved")
    urgent = expect(201, submit(staff_approved, safety="yes")).json
    detail = expect(200, staff_approved.get(f"/review/intakes/{urgent['reference']}", as_="staff")).json
    assert detail["shortlist_releasable"] is False
    refused = expect(409, staff_approved.post(f"/review/intakes/{urgent['reference']}/shortlist-release", as_="staff"))
    assert "urgent" in refused.json["message"]
    assert expect(200, shortlist_of(staff_approved, urgent)).json["open"] is False


def test_staff_first_keeps_the_shortlist_with_staff(api: Api) -> None:
    scheduled_roster(api)
    submitted = expect(201, submit(api)).json
    assert expect(200, shortlist_of(api, submitted)).json["open"] is False
    refused = expect(409, api.post(f"/review/intakes/{submitted['reference']}/shortlist-release", as_="staff"))
    assert "staff-first" in refused.json["message"]


def test_staff_approved_staff_release_the_shortlist_once(staff_approved: Api, aws: LocalStack) -> None:
    # Given the staff-approved policy and a submitted intake
    scheduled_roster(staff_approved)
    submitted = expect(201, submit(staff_approved, contact={"name": "Sam Rivera", "email": "sam@example.org"})).json
    reference = submitted["reference"]
    # Then the client sees no shortlist until staff release it, and the confirmation says nothing of one
    assert expect(200, shortlist_of(staff_approved, submitted)).json["open"] is False
    detail = expect(200, staff_approved.get(f"/review/intakes/{reference}", as_="staff")).json
    assert detail["shortlist_releasable"] is True and detail["shortlist_released_at"] is None
    # When staff release it
    released = expect(200, staff_approved.post(f"/review/intakes/{reference}/shortlist-release", as_="staff")).json
    assert released == {"reference": reference, "status": "in_review"}
    # Then the client sees it, with the same link they had
    assert len(expect(200, shortlist_of(staff_approved, submitted)).json["entries"]) == 3
    # and the intake records it (history, audit) and no longer offers the action
    detail = expect(200, staff_approved.get(f"/review/intakes/{reference}", as_="staff")).json
    assert detail["shortlist_released_at"] is not None and detail["shortlist_releasable"] is False
    assert next(h for h in detail["history"] if h["kind"] == "shortlist_released")["actor"] == "staff@practice.example"
    audit = expect(200, staff_approved.get(f"/admin/audit?day={datetime.now(UTC):%Y-%m-%d}", as_="admin")).json
    assert [a["action"] for a in audit["items"] if a["intake_id"] == reference].count("released_shortlist") == 1
    # and the client is emailed a fresh link to the status page, which works
    deliver_events(staff_approved)
    shortlist_emails = [e for e in sent_emails("sam@example.org") if "shortlist" in e.subject.lower()]
    assert len(shortlist_emails) == 1
    link_reference, token = status_link(shortlist_emails[0].body)
    again = {"reference": link_reference, "status_token": token}
    assert expect(200, shortlist_of(staff_approved, again)).json["open"] is True
    # and a second release is refused
    expect(409, staff_approved.post(f"/review/intakes/{reference}/shortlist-release", as_="staff"))


def test_a_release_happens_once_even_when_two_staff_read_it_at_the_same_time(
    staff_approved: Api, repository: DynamoRepository
) -> None:
    # Given two staff members who read the same intake before either released it
    scheduled_roster(staff_approved)
    reference = expect(201, submit(staff_approved)).json["reference"]
    intake = repository.get_intake(reference)
    actor = Actor(user_id="u", username="staff@practice.example", groups=frozenset({"staff"}))

    def release() -> None:
        now = datetime.now(UTC)
        token, link_hash = new_token()
        repository.release_shortlist(
            ShortlistReleased(
                intake=intake, at=now, allowed_from=frozenset({intake.status}),
                history=HistoryEntry(
                    at=now, kind=HistoryKind.SHORTLIST_RELEASED, actor="staff", status=intake.status),
                audit=Audit(actor, "released_shortlist", now, intake_id=reference),
                link=StatusLink(link_hash, now + timedelta(days=1)),
                email=OutboxEmail(EmailKind.SHORTLIST, "sam@example.org", token),
            )
        )  # fmt: skip

    # When both release it, the second is refused by the stored condition, not by its own stale read
    release()
    with pytest.raises(ShortlistAlreadyReleased):
        release()
    stored = repository.get_intake(reference)
    assert [h.kind for h in stored.history].count(HistoryKind.SHORTLIST_RELEASED) == 1
    assert len(stored.status_links) == 2  # the submit link and the first release's


def test_a_booked_time_is_not_offered(client_first: Api, aws: LocalStack) -> None:
    # Given one counselor with openings, and a client-first intake
    (counselor,) = scheduled_roster(client_first, count=1)
    submitted = expect(201, submit(client_first)).json
    first = expect(200, shortlist_of(client_first, submitted)).json["entries"][0]["openings"]["first_session"]
    start = datetime.fromisoformat(first[0])
    # When the cells of that first opening are booked (as the booking transaction writes them)
    table = aws.client("dynamodb")
    for cell in cells(start, 50, 10):
        table.put_item(TableName=aws.table_name, Item=cell_key(counselor["counselor_id"], cell))
    # Then it is no longer offered, and the next one is at least the booking (with its buffer) later
    after = expect(200, shortlist_of(client_first, submitted)).json["entries"][0]["openings"]["first_session"]
    assert first[0] not in after
    assert datetime.fromisoformat(after[0]) >= start + 4 * CELL


def test_a_counselor_who_is_full_offers_no_times(client_first: Api) -> None:
    scheduled_roster(client_first, count=1, open_slots=0)
    submitted = expect(201, submit(client_first)).json
    body = expect(200, shortlist_of(client_first, submitted)).json
    # a full counselor is not suggested at all; with nobody else, there is nobody to show
    assert body["open"] is False and body["entries"] == []


def test_the_shortlist_needs_the_private_link(client_first: Api) -> None:
    scheduled_roster(client_first)
    submitted = expect(201, submit(client_first)).json
    wrong = {**submitted, "status_token": "x" * 43}
    assert expect(404, shortlist_of(client_first, wrong)).json["message"] == "No intake with that reference was found."
    unknown = {**submitted, "reference": "in-aaaaaaaaaaaaaaaaaaaa"}
    expect(404, shortlist_of(client_first, unknown))
    expect(422, client_first.get(f"/intakes/{submitted['reference']}/shortlist"))


def test_an_unknown_time_zone_is_refused_by_field(client_first: Api) -> None:
    scheduled_roster(client_first)
    submitted = expect(201, submit(client_first)).json
    reply = expect(400, shortlist_of(client_first, submitted, time_zone="Mars/Olympus_Mons"))
    assert reply.json["detail"][0]["loc"] == ["query", "time_zone"]


def test_the_route_says_when_the_best_fit_is_much_later_than_another_good_fit(client_first: Api) -> None:
    # Given the best fit (anxiety is their main focus) away for the next three weeks, and two others free
    today = datetime.now(UTC).date()
    away = weekday_schedule(dates_off=[(today + timedelta(days=d)).isoformat() for d in range(-1, 22)])
    best = counselor_body(name="Maya Okafor", concerns_primary=["anxiety"], schedule=away)
    expect(201, client_first.post("/admin/counselors", best, as_="admin"))
    scheduled_roster(client_first, count=2)
    submitted = expect(201, submit(client_first)).json
    # When the client opens their shortlist
    body = expect(200, shortlist_of(client_first, submitted, time_zone="America/Los_Angeles")).json
    # Then the best fit leads, and the page is told plainly that someone else can meet much sooner
    assert body["entries"][0]["counselor"]["name"] == "Maya Okafor"
    assert body["fit_versus_wait"].startswith(
        "The best fit's first opening is in 3 weeks (Maya Okafor); another good fit"
    )


def test_once_booked_the_shortlist_closes_and_offers_the_times_the_booking_can_move_to(client_first: Api) -> None:
    # Given a client-first client who booked a first session from their shortlist
    scheduled_roster(client_first)
    submitted = expect(201, submit(client_first)).json
    entry = expect(200, shortlist_of(client_first, submitted)).json["entries"][0]
    start = entry["openings"]["first_session"][0]
    headers = {"X-Status-Token": submitted["status_token"]}
    body = {"counselor_id": entry["counselor"]["counselor_id"], "kind": "first_session", "start": start,
            "time_zone": "America/New_York"}  # fmt: skip
    expect(201, client_first.post(f"/intakes/{submitted['reference']}/booking", body, headers=headers))
    # When they open their shortlist again
    after = expect(200, shortlist_of(client_first, submitted)).json
    # Then it is closed, and carries the same counselor's times for moving the booking (not the booked one)
    assert after["open"] is False and after["entries"] == []
    moves = after["reschedule"]
    assert moves["counselor_id"] == entry["counselor"]["counselor_id"] and moves["kind"] == "first_session"
    assert moves["openings"] and start not in moves["openings"]
    # and each of them is one the reschedule accepts
    moved = client_first.request(
        "PUT", f"/intakes/{submitted['reference']}/booking",
        {"start": moves["openings"][0], "time_zone": "America/New_York"}, headers=headers,
    )  # fmt: skip
    assert expect(200, moved).json["start"].startswith(moves["openings"][0][:16])
