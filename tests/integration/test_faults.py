"""When DynamoDB throttles or fails, callers get 503 with Retry-After, and nothing is half-written or lost."""

import uuid
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError

from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from shared.domain.records import IntakeStatus
from tests.integration.conftest import submit
from tests.integration.harness import Api


class Faults:
    def __init__(self) -> None:
        self.failing: set[str] = set()
        self.code = "ProvisionedThroughputExceededException"


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    state = Faults()
    original = botocore.client.BaseClient._make_api_call

    def make_api_call(self: Any, operation: str, params: Any) -> Any:
        if operation in state.failing:
            raise ClientError({"Error": {"Code": state.code, "Message": "injected"}}, operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    return state


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "InternalServerError", "ThrottlingException"]
)
def test_a_failed_submission_is_503_and_a_retry_with_the_same_key_stores_it_once(
    api: Api, roster: list, repository: DynamoRepository, faults: Faults, code: str
) -> None:
    key = uuid.uuid4().hex
    faults.failing, faults.code = {"TransactWriteItems"}, code
    failed = submit(api, key=key)
    assert failed.status == 503
    assert failed.header("Retry-After") == "2"
    assert repository.list_queue("open", None, 10, None).items == []
    faults.failing = set()
    retried = submit(api, key=key)
    assert retried.status == 201
    assert [e.intake_id for e in repository.list_queue("open", None, 10, None).items] == [retried.json["reference"]]


def test_a_failed_assignment_is_503_and_changes_nothing(
    api: Api, roster: list[CounselorProfile], repository: DynamoRepository, faults: Faults
) -> None:
    reference = submit(api).json["reference"]
    counselor = roster[0]
    faults.failing = {"TransactWriteItems"}
    reply = api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": counselor.counselor_id}, as_="staff")
    assert reply.status == 503
    faults.failing = set()
    assert repository.get_intake(reference).status is IntakeStatus.NEW
    assert repository.get_counselor(counselor.counselor_id).open_slots == counselor.open_slots


def test_an_intake_survives_when_the_event_bus_is_down(
    api: Api, roster: list, repository: DynamoRepository, faults: Faults
) -> None:
    faults.failing = {"PutEvents"}
    reply = submit(api)
    assert reply.status == 201
    assert repository.get_intake(reply.json["reference"]).status is IntakeStatus.NEW


def test_an_intake_survives_when_matching_fails(
    api: Api, roster: list, repository: DynamoRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("engine bug")

    monkeypatch.setattr("shared.services.intakes.suggest", broken)
    reply = submit(api)
    assert reply.status == 201
    intake = repository.get_intake(reply.json["reference"])
    assert intake.status is IntakeStatus.NEEDS_REMATCH
    assert intake.match is None
    queue = api.get("/review/intakes?status=needs_rematch", as_="staff").json["items"]
    assert [i["reference"] for i in queue] == [reply.json["reference"]]
