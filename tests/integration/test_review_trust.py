"""What staff read about an intake can be trusted: reasons marked met or not met, ratings the client never
gave never claimed, everyone who fits on request, the open slots and names as they are now, and a
check-in said to follow the session that sent it."""

from typing import Any

from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from tests.factories import a_counselor
from tests.integration.conftest import submit
from tests.integration.harness import Api, expect


def detail(api: Api, reference: str, query: str = "") -> dict[str, Any]:
    return expect(200, api.get(f"/review/intakes/{reference}{query}", as_="staff")).json


def add_counselor(api: Api, counselor_id: str, **changes: Any) -> CounselorProfile:
    body = a_counselor(counselor_id, **changes).model_dump(mode="json", exclude={"counselor_id", "version"})
    return CounselorProfile.model_validate(expect(201, api.post("/admin/counselors", body, as_="admin")).json)


def test_each_reason_says_whether_its_factor_is_met_and_unmet_must_haves_come_first(
    api: Api, roster: list[CounselorProfile]
) -> None:
    # Given a client who must have Monday evenings, which no counselor on the roster offers
    reference = submit(
        api,
        format={"format": "telehealth", "availability": [{"day": "mon", "part": "evening"}],
                "availability_importance": "must_have"},
    ).json["reference"]  # fmt: skip
    # When staff open the intake
    match = detail(api, reference)["match"]
    # Then each suggestion (an alternative: nobody meets the must-have) marks every reason, from the engine's test
    (shown, *_) = match["suggestions"] or match["alternatives"]
    explained = shown["explained"]
    assert sorted(r["text"] for r in explained) == sorted(shown["reasons"])
    first = explained[0]
    assert first["factor"] == "availability" and first["must_have"] is True and first["fit"] == "not_met"
    assert first["text"] == "No time slots in common - client rated availability a must-have"
    by_factor = {f["factor"]: f for f in shown["breakdown"]}
    assert by_factor["availability"]["met"] is False
    assert by_factor["language"]["met"] is True
    assert {r["factor"]: r["fit"] for r in explained}["language"] == "met"
    # and what is met comes after what is not
    fits = [r["fit"] for r in explained]
    assert fits.index("met") > fits.index("not_met")


def test_a_reason_never_claims_a_rating_the_client_did_not_give(api: Api, roster: list[CounselorProfile]) -> None:
    # Given a client who rated their language but left cost at the form's default ("important")
    reference = submit(api).json["reference"]
    shown = detail(api, reference)
    reasons = shown["match"]["suggestions"][0]["reasons"]
    # Then, after the intake was stored and read back, the reasons tell the two apart
    assert "Offers sessions in English - client rated language a must-have" in reasons
    assert any(r.endswith("- cost important by default (the client did not rate it)") for r in reasons), reasons
    assert not any("client rated cost" in r for r in reasons)
    assert "payment" in shown["unrated"] and "languages" not in shown["unrated"]


def test_everyone_who_fits_is_listed_on_request_with_the_same_breakdown(
    api: Api, roster: list[CounselorProfile]
) -> None:
    # Given five counselors who could see the client, and one who is not active
    for i in range(2):
        add_counselor(api, f"c-extra{i}", name=f"Extra Counselor {i}")
    add_counselor(api, "c-inactive", name="Away Counselor", active=False)
    reference = submit(api).json["reference"]
    # When staff open the intake, they see three suggestions, as matching stored them
    plain = detail(api, reference)
    assert len(plain["match"]["suggestions"]) == 3
    assert plain["fits"] is None
    assert plain["match"]["roster_size"] == 5  # the active roster: the inactive counselor is not counted
    # and with fits=all, everyone who fits, ranked the same way, each with the same kind of breakdown
    shown = detail(api, reference, "?fits=all")
    fits = shown["fits"]
    assert fits["eligible"] == 5 and fits["roster_size"] == 5
    assert len(fits["items"]) == 5
    assert [s["counselor_id"] for s in fits["items"][:3]] == [s["counselor_id"] for s in plain["match"]["suggestions"]]
    assert all(s["breakdown"] and s["explained"] and s["name"] for s in fits["items"])
    assert "c-inactive" not in {s["counselor_id"] for s in fits["items"]}


def test_the_open_slots_and_names_are_the_ones_now_not_those_when_matching_ran(
    api: Api, roster: list[CounselorProfile], repository: DynamoRepository
) -> None:
    # Given an intake matched while Maya Okafor had two open slots
    reference = submit(api).json["reference"]
    chosen = roster[0]
    stored = detail(api, reference)["match"]["suggestions"]
    assert {s["counselor_id"]: s["open_slots"] for s in stored}[chosen.counselor_id] == 2
    # When staff assign her, which takes one of them
    expect(200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": chosen.counselor_id}, as_="staff"))
    shown = detail(api, reference, "?fits=all")
    # Then the page can say one is left, and name her rather than give her id
    assert (
        shown["fits"]["open_slots"][chosen.counselor_id]
        == 1
        == repository.get_counselor(chosen.counselor_id).open_slots
    )
    assert shown["counselor_names"][chosen.counselor_id] == "Maya Okafor"
    assert shown["assigned_counselor_id"] == chosen.counselor_id
    # and a suggested counselor who then stops taking clients, or leaves, has no open slot to offer now
    other = next(s["counselor_id"] for s in stored if s["counselor_id"] != chosen.counselor_id)
    path = f"/admin/counselors/{other}"
    version = api.get(path, as_="admin").json["version"]
    expect(200, api.request("PATCH", path, {"version": version, "accepting_new_clients": False}, as_="admin"))
    assert detail(api, reference, "?fits=all")["fits"]["open_slots"][other] == 0
    version = api.get(path, as_="admin").json["version"]
    expect(200, api.request("PATCH", path, {"version": version, "active": False}, as_="admin"))
    assert other not in detail(api, reference, "?fits=all")["fits"]["open_slots"]


def test_a_check_in_sent_after_the_first_session_says_so(api: Api, roster: list[CounselorProfile]) -> None:
    reference = submit(api).json["reference"]
    expect(
        200, api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": roster[0].counselor_id}, as_="staff")
    )
    recorded = expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff")).json
    assert recorded["sessions_held"] == 1 and recorded["check_in_sent"] is True
    (check_in,) = detail(api, reference)["check_ins"]
    assert check_in["after_session"] == 1


def test_a_counselor_without_enough_ratings_is_not_judged_on_them(api: Api, roster: list[CounselorProfile]) -> None:
    # Given a client for whom values count, so clients' ratings of understanding are a factor, and no ratings yet
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    shown = detail(api, reference)["match"]["suggestions"][0]
    # Then that factor is neither met nor unmet: there is no evidence yet
    (rating,) = [r for r in shown["explained"] if r["factor"] == "client_rated_understanding"]
    assert rating["fit"] == "not_judged"
    assert {f["factor"]: f["judged"] for f in shown["breakdown"]}["client_rated_understanding"] is False
