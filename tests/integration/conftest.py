import itertools
from collections.abc import Iterator

import pytest
from moto import mock_aws

from infra.local.emulator import serialize_dynamodb
from infra.local.provision import LocalStack, provision
from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from tests.factories import a_counselor
from tests.integration.harness import Api
from tests.integration.harness import submit as submit  # the tests import it from here

_prefixes = itertools.count()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalStack]:
    """A fresh in-memory AWS with the tables, user pool and event bus template.yaml declares.

    Only in memory: a local stack started earlier in this process (the stack and browser suites) points
    AWS_ENDPOINT_URL at its emulator's server, and moto's in-memory mock does not take calls addressed to an
    endpoint. Those went to that server over HTTP instead, with its timeouts under load."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    serialize_dynamodb()
    with mock_aws():
        yield provision(prefix=f"t{next(_prefixes)}")


@pytest.fixture
def repository(aws: LocalStack) -> DynamoRepository:
    return DynamoRepository(aws.table_name)


@pytest.fixture
def api(aws: LocalStack) -> Api:
    return Api(aws)


@pytest.fixture
def roster(api: Api) -> list[CounselorProfile]:
    """Three counselors who fit the default intake, created through the admin API."""
    created = []
    for i, changes in enumerate(
        [
            {"name": "Maya Okafor", "concerns_primary": ["anxiety"], "open_slots": 2},
            {"name": "Daniel Reyes", "concerns_experienced": ["anxiety"], "open_slots": 1},
            {"name": "Priya Raman", "open_slots": 1},
        ]
    ):
        body = a_counselor(f"c-fixture{i}", **changes).model_dump(mode="json", exclude={"counselor_id", "version"})
        reply = api.post("/admin/counselors", body, as_="admin")
        assert reply.status == 201, reply.json
        created.append(CounselorProfile.model_validate(reply.json))
    return created
