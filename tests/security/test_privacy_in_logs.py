"""No client data in logs, metrics or error responses: intakes full of sentinel strings go through every
route, and not one sentinel may appear in anything written to stdout, stderr or the logging system."""

import json
import re
import uuid
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from shared.domain.shortlist import BookingPolicy
from tests.factories import counselor_body, deep_merge, intake_body
from tests.integration.harness import Api, Reply, api_with, expect
from tests.integration.test_notifier import deliver_events, sent_emails

SENTINELS = {
    "name": "Zelda Sentinelname",
    "preferred_name": "Zed Sentinelpref",
    "email": "sentinel.mail@example.org",
    "phone": "+1 415 555 0142",
    "postal_code": "94117",
    "details": "SENTINEL-DETAILS panic attacks at work",
    "self_description": "SENTINEL-CULTURE Oaxacan",
    "past": "SENTINEL-PAST counseling was rushed",
    "matters": "SENTINEL-MATTERS being listened to",
    "note": "SENTINEL-NOTE called her mother",
    "not_working": "SENTINEL-CHECKIN my counselor interrupts",
    "what_to_change": "SENTINEL-REMATCH someone who shares my faith",
    "bond_note": "SENTINEL-BOND talked it through",
}


def found_at(sentinel: str, written: str) -> int:
    """Where the sentinel is in what was written, or -1. A number (the ZIP) counts only on its own, not as the
    digits of another number: a log record's timings ("relativeCreated": 594117.89) hold any five digits."""
    pattern = re.escape(sentinel)
    if sentinel.isdigit():
        pattern = rf"(?<![0-9.]){pattern}(?![0-9])"
    match = re.search(pattern, written)
    return match.start() if match else -1


def sentinel_intake(**changes: Any) -> dict[str, Any]:
    return deep_merge(sentinel_base(), changes)


def sentinel_base() -> dict[str, Any]:
    return intake_body(
        contact={
            "name": SENTINELS["name"],
            "preferred_name": SENTINELS["preferred_name"],
            "email": SENTINELS["email"],
            "phone": SENTINELS["phone"],
            "preferred_contact": "text",
        },
        format={"format": "either", "postal_code": SENTINELS["postal_code"]},
        concerns={"concerns": ["anxiety", "grief"], "primary": "anxiety", "details": SENTINELS["details"]},
        culture={
            "backgrounds": ["hispanic_latino"],
            "self_description": SENTINELS["self_description"],
            "counselor_preference": "shares",
            "importance": "important",
        },
        faith={"tradition": "catholic", "role": "integrate", "importance": "important"},
        identity={"lgbtq": "yes", "wants_affirming": True, "importance": "important"},
        reflections={"past_counseling": SENTINELS["past"], "what_matters_most": SENTINELS["matters"]},
        safety="yes",
    )


def everything_written(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> str:
    """Every line the functions wrote (stdout, stderr) and every log record with all its fields. The emulator
    (moto and its web server) runs in this process only for the test; Lambda has neither."""
    captured = capfd.readouterr()
    records = [r for r in caplog.records if not r.name.startswith(("moto", "werkzeug"))]
    return (
        captured.out + captured.err + "\n".join(r.getMessage() + json.dumps(r.__dict__, default=str) for r in records)
    )


def walk_the_waitlist(api: Api, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """A sentinel client (not urgent: the waitlist is self-service) joins, is offered a place, claims it,
    and tries both again. Returns the error bodies."""
    client = api.functions["ClientApiFunction"].module
    monkeypatch.setattr(
        client, "settings", client.settings.model_copy(update={"booking_policy": BookingPolicy.CLIENT_FIRST})
    )
    schedule = {
        "time_zone": "America/Los_Angeles",
        "windows": [{"day": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
        "offers": [{"kind": "consult_call", "minutes": 20, "format": "phone"}],
    }
    fit = counselor_body(
        name="Waitlist Fit", open_slots=1, formats=["telehealth", "in_person"], concerns_primary=["anxiety", "grief"],
        cultural_experience=["hispanic_latino"], faith_integration=["catholic"], lgbtq_affirming=True,
        schedule=schedule,
    )  # fmt: skip
    counselor_id = expect(201, api.post("/admin/counselors", fit, as_="admin")).json["counselor_id"]
    waiting = expect(
        201, api.post("/intakes", sentinel_intake(safety="no"), headers={"Idempotency-Key": uuid.uuid4().hex})
    ).json
    own = {"X-Status-Token": waiting["status_token"]}
    path = f"/intakes/{waiting['reference']}"
    errors = [expect(409, api.post(f"{path}/waitlist-offer/claim", headers=own)).body]  # nothing held yet
    expect(201, api.post(f"{path}/waitlist", {}, headers=own))
    errors.append(expect(409, api.post(f"{path}/waitlist", {}, headers=own)).body)
    swept = api.functions["WaitlistSweepFunction"].invoke({"source": "aws.events", "detail-type": "Scheduled Event"})
    assert swept["offered"] == 1
    expect(200, api.get(f"/review/counselors/{counselor_id}/waitlist", as_="staff"))
    # the status page reads the held place from the shortlist response
    held = expect(200, api.get(f"{path}/shortlist", headers=own)).json["waitlist"]
    assert held["held_counselor_id"] == counselor_id and held["held_until"]
    expect(200, api.post(f"{path}/waitlist-offer/claim", headers=own))
    errors.append(expect(409, api.post(f"{path}/waitlist-offer/claim", headers=own)).body)
    errors.append(expect(409, api.request("DELETE", f"{path}/waitlist", headers=own)).body)
    return errors


def test_no_sentinel_reaches_logs_metrics_errors_or_emails(
    api: Api,
    aws: LocalStack,
    roster: list[CounselorProfile],
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level("DEBUG")
    errors: list[bytes] = []
    key = uuid.uuid4().hex
    submitted = expect(201, api.post("/intakes", sentinel_intake(), headers={"Idempotency-Key": key})).json
    expect(201, api.post("/intakes", sentinel_intake(), headers={"Idempotency-Key": key}))  # a retry
    errors.append(api.post("/intakes", sentinel_intake(), headers={"Idempotency-Key": key, "X-Extra": "1"}).body)
    different = sentinel_intake(concerns={"concerns": ["grief"], "primary": "grief", "details": SENTINELS["details"]})
    errors.append(expect(409, api.post("/intakes", different, headers={"Idempotency-Key": key})).body)
    invalid = sentinel_intake(client={"jurisdiction": SENTINELS["name"]})
    errors.append(expect(422, api.post("/intakes", invalid, headers={"Idempotency-Key": uuid.uuid4().hex})).body)
    reference, token = submitted["reference"], submitted["status_token"]
    expect(200, api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token}))
    wrong = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": "wrong-token-" * 3})
    errors.append(expect(404, wrong).body)
    expect(200, api.get("/review/intakes", as_="staff"))
    expect(200, api.get(f"/review/intakes/{reference}", as_="staff"))
    expect(200, api.post(f"/review/intakes/{reference}/rematch", as_="staff"))
    other = expect(201, api.post("/intakes", sentinel_intake(), headers={"Idempotency-Key": uuid.uuid4().hex}))
    other_reference = other.json["reference"]
    waitlist = {"decision": "waitlist", "note": SENTINELS["note"]}
    expect(200, api.post(f"/review/intakes/{other_reference}/decision", waitlist, as_="staff"))
    decline = {"decision": "decline", "note": SENTINELS["note"]}
    errors.append(api.post(f"/review/intakes/{other_reference}/decision", decline, as_="staff").body)
    assignment = {"counselor_id": roster[0].counselor_id, "reason": SENTINELS["note"]}
    expect(200, api.post(f"/review/intakes/{reference}/assignment", assignment, as_="staff"))
    expect(200, api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token}))
    # after the match: a session, a check-in (low, with free text), a second try, a bad one, a review, a rematch
    assert expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff")).json["check_in_sent"] is True
    deliver_events(api, aws)
    link = next(e.body for e in sent_emails() if "checkin#" in e.body)
    check_in_token = link.split("checkin#", 1)[1].split()[0].split(".")[2]
    answers = {"trust": 3, "understood": 5, "respected": 4, "agenda": 5, "overall": 4, "identity": 2,
               "not_working": SENTINELS["not_working"]}  # fmt: skip
    headers = {"X-Check-In-Token": check_in_token}
    expect(422, api.post(f"/checkins/{reference}/1", {**answers, "trust": 11}, headers=headers))  # not stored
    expect(201, api.post(f"/checkins/{reference}/1", answers, headers=headers))
    errors.append(expect(409, api.post(f"/checkins/{reference}/1", answers, headers=headers)).body)
    errors.append(api.post(f"/checkins/{reference}/1", {**answers, "trust": 11}, headers=headers).body)
    expect(200, api.get(f"/review/intakes/{reference}", as_="staff"))
    expect(200, api.post(f"/review/intakes/{reference}/bond-review", {"note": SENTINELS["bond_note"]}, as_="staff"))
    wish = {"what_to_change": SENTINELS["what_to_change"]}
    expect(202, api.post(f"/intakes/{reference}/rematch-request", wish, headers={"X-Status-Token": token}))
    errors.append(
        expect(409, api.post(f"/intakes/{reference}/rematch-request", wish, headers={"X-Status-Token": token})).body
    )
    expect(200, api.get("/review/report", as_="staff"))
    expect(200, api.get("/admin/audit?day=2026-11-26", as_="admin"))
    expect(200, api.request("DELETE", f"/admin/intakes/{other_reference}", as_="admin"))
    # the shortlist, under the policies that show it: shown right after submitting, and released by staff
    for policy in ("client-first", "staff-approved"):
        with_policy = api_with(aws, BookingPolicy=policy)
        answers = sentinel_intake(safety="no")
        chosen = expect(201, with_policy.post("/intakes", answers, headers={"Idempotency-Key": uuid.uuid4().hex})).json
        if policy == "staff-approved":
            expect(200, with_policy.post(f"/review/intakes/{chosen['reference']}/shortlist-release", as_="staff"))
            errors.append(
                expect(
                    409, with_policy.post(f"/review/intakes/{chosen['reference']}/shortlist-release", as_="staff")
                ).body
            )
        path = f"/intakes/{chosen['reference']}/shortlist"
        shown = expect(200, with_policy.get(path, headers={"X-Status-Token": chosen["status_token"]}))
        assert shown.json["open"] is True and shown.json["entries"]
        errors.append(shown.body)  # a response, searched like the errors
        errors.append(expect(404, with_policy.get(path, headers={"X-Status-Token": "wrong-token-" * 3})).body)
    errors += walk_the_waitlist(api, monkeypatch)
    deliver_events(api, aws)

    written = everything_written(capfd, caplog)
    assert "IntakesSubmitted" in written  # the metrics and logs really were captured
    assert "intake stored" in written
    assert "check-in stored" in written and "rematch requested" in written
    assert "shortlist shown" in written and "shortlist released" in written
    assert len(sent_emails()) >= 6  # practice and client emails were all searched
    assert any(".someone-else" in e.body for e in sent_emails())  # the low check-in's support email among them
    for label, sentinel in SENTINELS.items():
        where = found_at(sentinel, written)
        assert where < 0, f"{label} appeared in logs or metrics: ...{written[max(0, where - 1500) : where + 300]}"
        for body in errors:
            assert sentinel.encode() not in body, f"{label} appeared in an error response"
        for email in sent_emails():
            assert sentinel not in email.subject + email.body, f"{label} appeared in an email"


def test_no_sentinel_reaches_logs_errors_emails_or_invitations_on_the_booking_paths(
    aws: LocalStack,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from datetime import timedelta

    from tests.integration.bookings import book, bookable_counselor, cancel, first_openings, opening_after, reschedule
    from tests.integration.harness import raw_emails

    caplog.set_level("DEBUG")
    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api, name="Sentinel Free Counselor", open_slots=3)
    body = sentinel_intake(safety="no")  # an urgent intake is never offered self-service
    client = expect(201, api.post("/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex})).json
    reference, token = client["reference"], client["status_token"]
    first, second = first_openings(counselor)[:2]
    errors: list[bytes] = []
    errors.append(book(api, client, counselor.counselor_id, first, time_zone=SENTINELS["name"]).body)  # 422
    errors.append(book(api, client, counselor.counselor_id, first - timedelta(days=5)).body)  # 400
    errors.append(book(api, client, counselor.counselor_id, first + timedelta(minutes=5)).body)  # 409 + openings
    expect(201, book(api, client, counselor.counselor_id, first))
    errors.append(book(api, client, counselor.counselor_id, second).body)  # a second booking
    expect(200, api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": token}))
    expect(200, api.get("/review/intakes?stage=assigned", as_="staff"))
    expect(200, api.get(f"/review/intakes/{reference}", as_="staff"))
    expect(200, reschedule(api, client, opening_after(counselor, second + timedelta(hours=2))))
    expect(200, cancel(api, client))
    errors.append(cancel(api, client).body)  # nothing left to cancel
    expect(201, book(api, client, counselor.counselor_id, first))
    expect(200, api.request("DELETE", f"/review/intakes/{reference}/booking", as_="staff"))
    expect(201, book(api, client, counselor.counselor_id, first))
    deliver_events(api, aws)
    expect(200, api.request("DELETE", f"/admin/intakes/{reference}", as_="admin"))

    written = everything_written(capfd, caplog)
    assert "booked" in written and "rescheduled" in written and "booking cancelled" in written
    invitations = raw_emails(SENTINELS["email"])
    assert len(invitations) == 6  # booked, moved, cancelled, booked, cancelled by staff, booked
    for label, sentinel in SENTINELS.items():
        assert found_at(sentinel, written) < 0, f"{label} appeared in logs or metrics"
        for error in errors:
            assert sentinel.encode() not in error, f"{label} appeared in an error response"
        for message in invitations:
            for part in message.walk():
                if part.get_content_maintype() == "multipart":
                    continue
                content = part.get_payload(decode=True).decode()
                if label == "email" and part.get_content_type() != "text/plain":  # the invitation's attendee
                    content = "\n".join(line for line in content.splitlines() if not line.startswith("ATTENDEE"))
                assert sentinel not in content and sentinel not in str(message["Subject"]), label


def test_no_sentinel_reaches_logs_errors_or_responses_on_a_counselors_own_routes(
    aws: LocalStack,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.integration.bookings import book, bookable_counselor, first_openings
    from tests.integration.harness import counselor_sign_in

    caplog.set_level("DEBUG")
    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api, name="Own Page Counselor", open_slots=3)
    invited_as = "sentinel.counselor.7f3a@practice.example"
    token = counselor_sign_in(api, counselor, email=invited_as)
    client = expect(
        201, api.post("/intakes", sentinel_intake(safety="no"), headers={"Idempotency-Key": uuid.uuid4().hex})
    ).json
    expect(201, book(api, client, counselor.counselor_id, first_openings(counselor)[0]))
    responses = [expect(200, api.get("/counselor/meetings", as_=token)).body]
    assert client["reference"].encode() in responses[0]  # the booking is there, and nothing of the client's
    responses.append(expect(200, api.get("/counselor/ratings", as_=token)).body)
    own = expect(200, api.get("/counselor/profile", as_=token)).json["profile"]
    mine = {k: v for k, v in own.items() if k not in ("counselor_id", "credentials", "licensed_in",
                                                       "license_numbers", "active", "max_open_slots")}  # fmt: skip

    def put(body: dict[str, object]) -> Reply:
        return api.request("PUT", "/counselor/profile", body, as_=token)

    invite_again = f"/admin/counselors/{counselor.counselor_id}/sign-in"
    errors = [
        expect(422, put({**mine, "license_numbers": [SENTINELS["note"]]})).body,  # an admin-only field
        expect(422, put({**mine, "bio": SENTINELS["details"] + "\x00"})).body,  # a control character
        expect(409, api.post(invite_again, {"email": invited_as}, as_="admin")).body,
    ]
    expect(200, api.request("PUT", "/counselor/profile", {**mine, "bio": SENTINELS["details"]}, as_=token))
    history = expect(200, api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_="admin"))
    assert SENTINELS["details"] not in history.body.decode()  # which fields changed, never their values

    written = everything_written(capfd, caplog)
    assert "counselor invited" in written and "counselor updated own profile" in written
    for label, sentinel in {**SENTINELS, "counselor's email": invited_as}.items():
        assert found_at(sentinel, written) < 0, f"{label} appeared in logs or metrics"
        for body in errors + responses:
            assert sentinel.encode() not in body, f"{label} appeared in a response"


def test_a_number_sentinel_is_found_on_its_own_and_not_inside_another_number() -> None:
    zip_code = SENTINELS["postal_code"]
    for leaked in (f'"postal_code": "{zip_code}"', f"ZIP {zip_code}.", f"area={zip_code}"):
        assert found_at(zip_code, leaked) >= 0, leaked
    for innocent in (f'"relativeCreated": 5{zip_code}.89', f'"created": 1796180161.{zip_code}', f"{zip_code}3"):
        assert found_at(zip_code, innocent) < 0, innocent
    assert found_at(SENTINELS["name"], f"hello {SENTINELS['name']}") == 6
