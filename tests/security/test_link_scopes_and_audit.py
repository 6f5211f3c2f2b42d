"""Each private link opens only what it was made for, and every staff decision leaves an audit entry."""

from datetime import UTC, datetime

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.integration.bookings import book, bookable_counselor, cancel, first_openings, reschedule
from tests.integration.bookings import submitted as submitted_client
from tests.integration.conftest import submit
from tests.integration.harness import Api, api_with, stored_items
from tests.security.test_faults_on_every_write import LOW, at_risk, invited
from tests.security.test_records import audit_since


def test_a_check_in_token_neither_reads_the_status_nor_asks_for_someone_else(
    api: Api, roster: list[CounselorProfile]
) -> None:
    # Given a client with a status link and a check-in link
    intake = invited(api, roster[0])
    reference, check_in = intake["reference"], {"X-Status-Token": intake["check_in_token"]}
    # When the check-in token is used as a status token, Then it opens nothing (as an unknown reference)
    reply = api.get(f"/intakes/{reference}/status", headers=check_in)
    assert reply.status == 404
    assert reply.json == api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": "x" * 43}).json
    asked = api.post(f"/intakes/{reference}/rematch-request", {"what_to_change": "style"}, headers=check_in)
    assert asked.status == 404
    # And nothing changed: the status token still shows the client assigned, with a rematch still possible
    status = api.get(f"/intakes/{reference}/status", headers={"X-Status-Token": intake["status_token"]}).json
    assert (status["stage"], status["can_request_rematch"]) == ("matched", True)
    # And the status token does not answer the check-in
    by_status = api.post(f"/checkins/{reference}/1", LOW, headers={"X-Check-In-Token": intake["status_token"]})
    assert by_status.status == 404


def test_every_kind_of_staff_decision_is_audited_with_who_made_it(api: Api, roster: list[CounselorProfile]) -> None:
    first_day = datetime.now(UTC).date()
    # Given an assigned client whose check-in put the bond at risk (assignment, a session)
    intake = at_risk(api, roster[0])
    reference = intake["reference"]
    # When staff review the bond, rematch, decide, and an admin updates a counselor
    assert api.post(f"/review/intakes/{reference}/bond-review", {"note": "Called"}, as_="staff").status == 200
    other = submit(api).json["reference"]
    assert api.post(f"/review/intakes/{other}/rematch", as_="staff").status == 200
    decided = api.post(f"/review/intakes/{other}/decision", {"decision": "waitlist", "note": "Full"}, as_="staff")
    assert decided.status == 200
    profile = api.get(f"/admin/counselors/{roster[1].counselor_id}", as_="admin").json
    changed = {k: v for k, v in profile.items() if k != "counselor_id"} | {"open_slots": 4}
    assert api.request("PUT", f"/admin/counselors/{roster[1].counselor_id}", changed, as_="admin").status == 200
    # Then each step is in the audit trail, with who did it
    entries = audit_since(api, first_day)
    done = [(e["action"], e["actor"], e["intake_id"] or e["counselor_id"]) for e in entries]
    staff, admin = "staff@practice.example", "admin@practice.example"
    for expected in [
        ("assigned", staff, reference),
        ("session_held", staff, reference),
        ("reviewed_bond", staff, reference),
        ("rematched", staff, other),
        ("decided_waitlisted", staff, other),
        ("updated_counselor", admin, roster[1].counselor_id),
    ]:
        assert expected in done, expected


def test_a_status_token_books_moves_and_cancels_only_its_own_intake(aws: LocalStack) -> None:
    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api, open_slots=3)
    mine = submitted_client(api, email="mine@example.org")
    theirs = submitted_client(api, email="theirs@example.org")
    start = first_openings(counselor)[0]
    crossed = {**theirs, "status_token": mine["status_token"]}
    before = stored_items(aws)
    # my token on their intake: as an unknown reference, and nothing changes
    assert book(api, crossed, counselor.counselor_id, start).status == 404
    assert stored_items(aws) == before
    assert book(api, theirs, counselor.counselor_id, start).status == 201
    before = stored_items(aws)
    assert reschedule(api, crossed, start).status == 404
    assert cancel(api, crossed).status == 404
    # staff credentials are not a status token
    assert api.request("DELETE", f"/intakes/{theirs['reference']}/booking", as_="staff").status == 422
    assert stored_items(aws) == before
    # and the client's booking is audited with the client as the actor
    entries = audit_since(api, datetime.now(UTC).date())
    assert ("booked", "client", theirs["reference"]) in [(e["action"], e["actor"], e["intake_id"]) for e in entries]
