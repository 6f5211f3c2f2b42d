"""After the match: clients' ratings of understanding as evidence in matching, through the real handlers and
moto."""

from tests.integration.conftest import submit
from tests.integration.harness import (
    Api,
    new_counselor,
    rated_by,
)


def understanding_reasons(api: Api, counselor_id: str) -> list[str]:
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    match = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]
    (suggestion,) = [s for s in match["suggestions"] + match["alternatives"] if s["counselor_id"] == counselor_id]
    factor = [f for f in suggestion["breakdown"] if f["factor"] == "client_rated_understanding"]
    assert len(factor) == 1
    return [r for r in suggestion["reasons"] if "understanding" in r]


def test_client_ratings_count_in_matching_only_from_the_minimum(api: Api) -> None:
    rated = new_counselor(api, name="Rated Counselor", open_slots=20)
    rated_by(api, rated, 4, identity=10)
    assert understanding_reasons(api, rated.counselor_id) == [
        "Not enough check-ins yet to show how clients rate their understanding"
    ]
    rated_by(api, rated, 1, identity=10)
    assert understanding_reasons(api, rated.counselor_id) == [
        "Clients rate this counselor's understanding of their values, culture and faith 10.0 of 10 (n = 5)"
    ]


def test_ratings_move_a_counselor_up_the_list(api: Api) -> None:
    liked = new_counselor(api, name="Zed Liked", open_slots=20)
    other = new_counselor(api, name="Amy Other", open_slots=20)
    # Before any rating the two tie, and the tie goes to the lower id; ratings decide afterwards.
    rated_by(api, liked, 5, identity=10)
    rated_by(api, other, 5, identity=3)
    reference = submit(api, values={"values": ["family"], "importance": "important"}).json["reference"]
    suggestions = api.get(f"/review/intakes/{reference}", as_="staff").json["match"]["suggestions"]
    assert [s["counselor_id"] for s in suggestions][:2] == [liked.counselor_id, other.counselor_id]
    levels = [
        next(f["level"] for f in s["breakdown"] if f["factor"] == "client_rated_understanding") for s in suggestions
    ]
    assert levels[:2] == [1.0, 0.3]
    assert suggestions[0]["score"] > suggestions[1]["score"]


def test_an_admin_edit_keeps_a_counselors_ratings(api: Api) -> None:
    rated = new_counselor(api, name="Rated Counselor", open_slots=20)
    rated_by(api, rated, 5, identity=8)
    current = api.get(f"/admin/counselors/{rated.counselor_id}", as_="admin").json
    patched = api.request(
        "PATCH",
        f"/admin/counselors/{rated.counselor_id}",
        {"version": current["version"], "open_slots": 30},
        as_="admin",
    )
    assert patched.status == 200, patched.json
    assert understanding_reasons(api, rated.counselor_id) == [
        "Clients rate this counselor's understanding of their values, culture and faith 8.0 of 10 (n = 5)"
    ]
