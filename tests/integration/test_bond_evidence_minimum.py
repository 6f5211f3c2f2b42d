"""`BondEvidenceMinimum` at a value other than its default (5) reaches every function that uses it: matching at
submission, matching again on staff request, and the report."""

import re
from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.factories import counselor_body
from tests.integration.conftest import submit
from tests.integration.harness import Api, deliver_events, sent_emails

CLIENT = "rated.client@example.org"
ANSWERS = {"trust": 9, "understood": 9, "respected": 10, "agenda": 9, "overall": 9}


@pytest.fixture
def api_at_three(aws: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The functions deployed with BondEvidenceMinimum = 3."""
    original = LocalStack.function_environment

    def at_three(self: LocalStack, function: str) -> dict[str, str]:
        env = original(self, function)
        assert env["BOND_EVIDENCE_MINIMUM"] == "5"  # the template's default, replaced as a deployment would
        return {**env, "BOND_EVIDENCE_MINIMUM": "3"}

    monkeypatch.setattr(LocalStack, "function_environment", at_three)
    return Api(aws)


def rate(api: Api, counselor: CounselorProfile, times: int, identity: int) -> None:
    """`times` clients, each matched with the counselor, rate their understanding after the first session."""
    for _ in range(times):
        reference = submit(api, contact={"name": "Sam Rivera", "email": CLIENT}).json["reference"]
        assigned = api.post(
            f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff"
        )
        assert assigned.status == 200, assigned.json
        held = api.post(f"/review/intakes/{reference}/sessions", as_="staff")
        assert held.status == 200 and held.json["check_in_sent"] is True
        deliver_events(api)
        (link,) = re.findall(rf"checkin#({reference})\.(\d+)\.([A-Za-z0-9_\-]+)", sent_emails(CLIENT)[-1].body)
        reply = api.post(
            f"/checkins/{link[0]}/{link[1]}", {**ANSWERS, "identity": identity}, headers={"X-Check-In-Token": link[2]}
        )
        assert reply.status == 201, reply.json


def understanding(suggestion: dict[str, Any]) -> tuple[float, list[str]]:
    (factor,) = [f for f in suggestion["breakdown"] if f["factor"] == "client_rated_understanding"]
    return factor["level"], [r for r in suggestion["reasons"] if "understanding" in r]


def the_counselor_in(match: dict[str, Any], counselor: CounselorProfile) -> dict[str, Any]:
    (found,) = [s for s in match["suggestions"] + match["alternatives"] if s["counselor_id"] == counselor.counselor_id]
    return found


def test_ratings_count_from_the_deployed_minimum_at_submission_on_rematch_and_in_the_report(api_at_three: Api) -> None:
    api = api_at_three
    counselor = CounselorProfile.model_validate(
        api.post("/admin/counselors", counselor_body(name="Rated Counselor", open_slots=20), as_="admin").json
    )
    # Given two clients' ratings: below a minimum of 3, so they change nothing
    rate(api, counselor, 2, identity=10)
    values = {"values": ["family"], "importance": "important"}
    first = submit(api, values=values).json["reference"]
    before = api.get(f"/review/intakes/{first}", as_="staff").json["match"]
    assert understanding(the_counselor_in(before, counselor)) == (
        0.75,
        ["Not enough check-ins yet to show how clients rate their understanding"],
    )
    # When a third client rates them (3 of the default 5 would still be too few)
    rate(api, counselor, 1, identity=10)
    # Then a new submission's match counts the ratings
    counted = (
        1.0,
        ["Clients rate this counselor's understanding of their values, culture and faith 10.0 of 10 (n = 3)"],
    )
    second = submit(api, values=values).json["reference"]
    assert (
        understanding(the_counselor_in(api.get(f"/review/intakes/{second}", as_="staff").json["match"], counselor))
        == counted
    )
    # And so does matching again on staff request
    rematched = api.post(f"/review/intakes/{first}/rematch", as_="staff")
    assert rematched.status == 200
    assert (
        understanding(the_counselor_in(api.get(f"/review/intakes/{first}", as_="staff").json["match"], counselor))
        == counted
    )
    # And the report shows what rests on three clients
    report = api.get("/review/report", as_="staff").json
    assert report["minimum"] == 3
    assert report["assignments"] == 3
