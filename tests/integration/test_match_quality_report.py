"""After the match: the match-quality report, through the real handlers and moto."""

from typing import Any

from shared.domain.counselor import CounselorProfile
from tests.integration.conftest import submit
from tests.integration.harness import (
    CLIENT,
    Api,
    expect,
    hold_session,
    latest_check_in,
    matched_client,
    new_counselor,
    rated_by,
    send_check_in,
)


def test_the_report_shows_nothing_that_rests_on_fewer_clients_than_the_minimum(api: Api) -> None:
    counselor = new_counselor(api, name="Report Counselor", open_slots=20)
    rated_by(api, counselor, 4, identity=9)
    report = api.get("/review/report", as_="staff").json
    assert report["minimum"] == 5
    bands = report["by_score_band"]
    assert [b for b in bands if b["check_ins"] is None] != []  # four check-ins are somewhere: hidden
    assert all(b["check_ins"] in (0, None) and b["overall"] is None and b["pillars"] is None for b in bands)
    assert all(cell["check_ins"] in (0, None) for f in report["by_factor"] for cell in
               (f["fully_met"], f["partly_met"], f["not_met"]))  # fmt: skip
    assert report["assignments"] is None  # 4: hidden
    assert report["rematch_rate"] is None

    rated_by(api, counselor, 1, identity=9)
    report = api.get("/review/report", as_="staff").json
    (band,) = [b for b in report["by_score_band"] if b["check_ins"]]
    assert band["check_ins"] == 5
    assert band["overall"] == 9.0
    assert band["pillars"] == 9.2  # trust 9, understood 9, respected 10, agenda 9
    assert report["assignments"] == 5
    assert report["rematch_requests"] == 0
    assert report["rematch_rate"] == 0.0
    assert report["median_time_to_assignment"] == "Under 1 day"
    assert sum(r["count"] or 0 for r in report["time_to_assignment"]) == 5


def test_one_client_counts_once_however_many_check_ins_they_send(api: Api, repository: Any) -> None:
    counselor = new_counselor(api, name="Once Counselor", open_slots=20)
    rated_by(api, counselor, 4, identity=9)
    reference = matched_client(api, counselor)
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), identity=10, overall=10).status == 201
    for _ in range(2):
        hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), identity=4, overall=6).status == 201  # replaces the 10s

    (entry,) = [e for e in repository.roster_changes(0).entries if e.counselor_id == counselor.counselor_id]
    assert entry.understanding == (5, 4 * 9 + 4)  # five clients, each with their latest rating
    report = api.get("/review/report", as_="staff").json
    (band,) = [b for b in report["by_score_band"] if b["check_ins"]]
    assert band["check_ins"] == 5  # six check-ins, five clients
    assert band["overall"] == round((4 * 9 + 6) / 5, 1)


def counters(repository: Any) -> dict[str, dict[str, int]]:
    return {c.name: c.values for c in repository.report_counters()}


def test_check_ins_answered_out_of_order_still_count_the_client_once(
    api: Api, roster: list[CounselorProfile], repository: Any
) -> None:
    reference = matched_client(api, roster[0])
    hold_session(api, reference)
    first = latest_check_in(api)
    hold_session(api, reference)
    hold_session(api, reference)
    second = latest_check_in(api)
    assert send_check_in(api, second, identity=9, overall=9).status == 201  # the later one, answered first
    assert send_check_in(api, first, identity=5, overall=5).status == 201  # then the earlier one
    (entry,) = [e for e in repository.roster_changes(0).entries if e.counselor_id == roster[0].counselor_id]
    assert entry.understanding == (1, 5)  # one client, their last answer
    bands = {k: v for k, v in counters(repository).items() if k.startswith("BAND#") and v.get("n")}
    assert [(v["n"], v["overall"]) for v in bands.values()] == [(1, 5)]


def test_a_client_whose_match_changes_is_moved_not_counted_twice(
    api: Api, roster: list[CounselorProfile], repository: Any
) -> None:
    submitted = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json
    reference, counselor = submitted["reference"], roster[0]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff")
    )
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), overall=9).status == 201
    (scored,) = [k for k, v in counters(repository).items() if k.startswith("BAND#") and v.get("n")]
    asked = api.post(
        f"/intakes/{reference}/rematch-request",
        {"what_to_change": "A different time of day"},
        headers={"X-Status-Token": submitted["status_token"]},
    )
    assert asked.status == 202
    again = {"counselor_id": counselor.counselor_id, "reason": "The client agreed to try again after a call"}
    assert api.post(f"/review/intakes/{reference}/assignment", again, as_="staff").status == 200  # not suggested
    hold_session(api, reference)
    assert send_check_in(api, latest_check_in(api), overall=3).status == 201
    after = counters(repository)
    assert (after[scored]["n"], after[scored]["overall"]) == (0, 0)  # taken out of the band it was added to
    assert (after["BAND#none"]["n"], after["BAND#none"]["overall"]) == (1, 3)
    assert all(v.get("n", 0) in (0, 1) for k, v in after.items() if k.startswith("FACTOR#"))


def test_the_report_counts_no_match_reasons_and_suggested_bands(api: Api, roster: list[CounselorProfile]) -> None:
    for _ in range(5):
        expect(201, submit(api, client={"jurisdiction": "US-TX"}))  # nobody is licensed in Texas
    report = api.get("/review/report", as_="staff").json
    counts = {r["key"]: r["count"] for r in report["no_match"]}
    assert counts["not_licensed"] == 5
    assert counts["no_open_capacity"] == 0
    for _ in range(5):
        reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
        detail = api.get(f"/review/intakes/{reference}", as_="staff").json
        best = detail["match"]["suggestions"][0]
        assigned = {"counselor_id": best["counselor_id"]}
        expect(200, api.post(f"/review/intakes/{reference}/assignment", assigned, as_="staff"))
        version = expect(200, api.get(f"/admin/counselors/{best['counselor_id']}", as_="admin")).json["version"]
        refill = {"version": version, "open_slots": 5}
        expect(200, api.request("PATCH", f"/admin/counselors/{best['counselor_id']}", refill, as_="admin"))
        hold_session(api, reference)
        expect(201, send_check_in(api, latest_check_in(api)))
    report = api.get("/review/report", as_="staff").json
    shown = [b for b in report["by_score_band"] if b["check_ins"]]
    assert sum(b["check_ins"] for b in shown) == 5
    factors = {f["factor"]: f for f in report["by_factor"]}
    assert factors["language"]["fully_met"]["check_ins"] == 5
    assert factors["language"]["fully_met"]["overall"] == 9.0
