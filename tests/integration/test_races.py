"""Every read-then-write path under a race, through the real handlers on moto.

Each test forces the order that broke (see races.py) and asserts exact counts. Each fails when the
condition that protects the path is removed from the data layer (docs/security.md lists which).
"""

import threading
from typing import Any

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
    stored_counselor,
    sweep_outbox,
)
from tests.integration.races import WRITES, Interleaving, run_together, separate_environments

CLIENT = "racing.client@example.org"
GOOD = {"trust": 9, "understood": 9, "respected": 10, "agenda": 9, "overall": 9, "identity": 9}


def band_clients(aws: LocalStack) -> int:
    """Clients counted in the report's score bands, over every band and shard."""
    stats = partition_items(aws, "STATS")
    return sum(int(i.get("n", {"N": "0"})["N"]) for i in stats if i["SK"]["S"].startswith("BAND#"))


def matched(api: Api, counselor: CounselorProfile) -> dict[str, Any]:
    return matched_submission(api, counselor, CLIENT)


def check_in_links(api: Api, reference: str) -> dict[int, str]:
    """Each check-in number sent to the client, with its token."""
    deliver_events(api)
    links: dict[int, str] = {}
    for email in sent_emails(CLIENT):
        for part in email.body.split("checkin#")[1:]:
            linked, number, token = part.split()[0].split(".")
            if linked == reference:
                links[int(number)] = token
    return links


# ---------------------------------------------------------------- check-ins


def test_two_check_ins_from_one_client_saved_at_once_count_the_client_once(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client with two open check-ins (after sessions 1 and 3), and nobody else rated
    counselor = new_counselor(api, name="Racing Counselor", open_slots=3)
    reference = matched(api, counselor)["reference"]
    for _ in range(3):
        assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").status == 200
    links = check_in_links(api, reference)
    assert sorted(links) == [1, 2]
    first, second = separate_environments(api, "ClientApiFunction", 2)

    # When both are saved at once: each has read the client's earlier answers before either writes
    race = Interleaving()
    both_read = threading.Barrier(2)
    race.hold("one", "TransactWriteItems", both_read)
    race.hold("two", "TransactWriteItems", both_read)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "one": lambda: first.post(
                    f"/checkins/{reference}/1", {**GOOD, "identity": 9}, headers={"X-Check-In-Token": links[1]}
                ),
                "two": lambda: second.post(
                    f"/checkins/{reference}/2", {**GOOD, "identity": 5}, headers={"X-Check-In-Token": links[2]}
                ),
            }
        )

    # Then both answers are kept, and the client counts once: in the rating and in the report
    assert [replies["one"].status, replies["two"].status] == [201, 201], replies["one"].json
    item = stored_counselor(aws, counselor.counselor_id)
    assert int(item["ev_n"]["N"]) == 1
    assert int(item["ev_sum"]["N"]) in (9, 5)  # one of the two answers, not both
    assert band_clients(aws) == 1
    detail = api.get(f"/review/intakes/{reference}", as_="staff").json
    assert sorted(c["number"] for c in detail["check_ins"] if c["answers"]) == [1, 2]


# ---------------------------------------------------------------- erasure


def test_erasing_an_intake_while_staff_assign_it_leaves_nothing_and_emails_nobody(
    api: Api, aws: LocalStack, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an intake, and a counselor's open slots
    reference = submit(api, contact={"name": "Racing Client", "email": CLIENT}).json["reference"]
    deliver_events(api)  # the confirmation goes out before anything races
    confirmations = len(sent_emails(CLIENT))
    counselor = roster[0]
    slots = int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"])

    # When the erasure reads the intake's items, then the assignment writes, then the erasure writes
    race = Interleaving()
    erasure_read = race.reaching("erase", WRITES)  # it has read all it reads before writing
    assigned = race.after("assign", "TransactWriteItems")
    race.hold("assign", "TransactWriteItems", erasure_read)
    race.hold("erase", WRITES, assigned)
    (staff,) = separate_environments(api, "ReviewApiFunction", 1)
    (admin,) = separate_environments(api, "AdminApiFunction", 1)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "assign": lambda: staff.post(
                    f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff"
                ),
                "erase": lambda: admin.request("DELETE", f"/admin/intakes/{reference}", as_="admin"),
            }
        )

    # Then the intake is gone whole, the slot is back, and the client is never told of a match
    assert replies["erase"].status == 200, replies["erase"].json
    assert replies["assign"].status in (200, 404, 409)
    assert partition_items(aws, f"INTAKE#{reference}") == []
    assert partition_items(aws, f"OUTBOX#{reference}") == []
    assert int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"]) == slots
    deliver_events(api)
    sweep_outbox(api)
    assert len(sent_emails(CLIENT)) == confirmations
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 404


def test_erasing_an_assigned_intake_gives_the_counselor_their_slot_back(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    counselor = roster[0]
    slots = int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"])
    reference = matched(api, counselor)["reference"]
    assert int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"]) == slots - 1
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200
    assert int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"]) == slots


def test_after_erasure_one_audit_entry_names_the_intake_and_none_names_its_counselor(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    # Given an intake read, assigned, with a session, then erased
    counselor = roster[0]
    reference = matched(api, counselor)["reference"]
    assert api.get(f"/review/intakes/{reference}", as_="staff").status == 200
    assert api.post(f"/review/intakes/{reference}/sessions", as_="staff").status == 200
    assert api.request("DELETE", f"/admin/intakes/{reference}", as_="admin").status == 200
    # Then who did what and when is still there, but only the erasure itself names the intake
    audit = [
        i for i in aws.client("dynamodb").scan(TableName=aws.table_name)["Items"] if i["PK"]["S"].startswith("AUDIT#")
    ]
    naming = [i for i in audit if reference in str(i)]
    assert [i["action"]["S"] for i in naming] == ["erased_intake"]
    actions = sorted(i["action"]["S"] for i in audit)
    assert {"assigned", "viewed_intake", "session_held", "erased_intake"} <= set(actions)
    about_the_client = [i for i in audit if i["action"]["S"] in ("assigned", "viewed_intake", "session_held")]
    assert all("counselor_id" not in i for i in about_the_client)


# ---------------------------------------------------------------- assignment and the match it rests on


def test_an_assignment_rests_on_the_match_as_it_is_when_written_not_as_it_was_read(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an intake matched against a counselor who then adds the client's primary concern
    counselor = new_counselor(api, name="Changing Counselor", open_slots=3, concerns_primary=[])
    reference = submit(api).json["reference"]
    profile = api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin").json
    edit = {**{k: v for k, v in profile.items() if k != "counselor_id"}, "concerns_primary": ["anxiety"]}
    assert api.request("PUT", f"/admin/counselors/{counselor.counselor_id}", edit, as_="admin").status == 200

    # When staff assign from the match they read while a colleague re-runs matching
    race = Interleaving()
    rematched = race.after("rerun", "TransactWriteItems")
    race.hold("assign", "TransactWriteItems", rematched)
    one, other = separate_environments(api, "ReviewApiFunction", 2)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "assign": lambda: one.post(
                    f"/review/intakes/{reference}/assignment",
                    {"counselor_id": counselor.counselor_id},
                    as_="staff",
                ),
                "rerun": lambda: other.post(f"/review/intakes/{reference}/rematch", as_="staff"),
            }
        )

    # Then the assignment records the fit of the match that is stored now
    assert replies["rerun"].status == 200
    assert replies["assign"].status == 200, replies["assign"].json
    current = {s["counselor_id"]: s["score"] for s in replies["rerun"].json["suggestions"]}
    (head,) = [i for i in partition_items(aws, f"INTAKE#{reference}") if i["SK"]["S"] == "INTAKE"]
    assert '"score":' + str(current[counselor.counselor_id]) in head["assigned_fit"]["S"].replace(" ", "")


# ---------------------------------------------------------------- slots given back


def test_a_slot_given_back_never_takes_a_counselor_over_the_most_they_can_hold(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    # Given a matched client whose counselor an admin has since set to the most open slots allowed
    counselor = new_counselor(api, name="Full Counselor", open_slots=1)
    submitted = matched(api, counselor)
    profile = api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin").json
    most = {"version": profile["version"], "open_slots": 200}
    assert api.request("PATCH", f"/admin/counselors/{counselor.counselor_id}", most, as_="admin").status == 200
    # When the client asks for someone else
    asked = api.post(
        f"/intakes/{submitted['reference']}/rematch-request",
        {"what_to_change": "Another time of day"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert asked.status == 202
    # Then the counselor stays within the limit and can still be read and edited
    assert int(stored_counselor(aws, counselor.counselor_id)["open_slots"]["N"]) == 200
    assert api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin").status == 200
