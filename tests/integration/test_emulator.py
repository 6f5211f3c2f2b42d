"""The local emulator keeps DynamoDB's promise for retried transactions (infra/local/emulator.py, 3.).

botocore sends each TransactWriteItems with a ClientRequestToken and sends the same token when it retries.
DynamoDB answers a retry of a transaction that already succeeded with success and changes nothing; a
transaction the emulator applied twice would refuse its own retry (a check-in "already sent").
"""

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.local.provision import LocalStack
from shared.adapters import aws as clients


def _answer_once(table: str, key: str) -> list[dict[str, Any]]:
    """A write that may happen only once: it counts, and refuses when it was done before."""
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {"PK": {"S": key}, "SK": {"S": "ONCE"}},
                "UpdateExpression": "SET done_at = :now ADD writes :one",
                "ConditionExpression": "attribute_not_exists(done_at)",
                "ExpressionAttributeValues": {":now": {"S": "2026-12-02T00:00:00Z"}, ":one": {"N": "1"}},
            }
        }
    ]


def _writes(aws: LocalStack, key: str) -> int:
    found = aws.client("dynamodb").get_item(TableName=aws.table_name, Key={"PK": {"S": key}, "SK": {"S": "ONCE"}})
    return int(found["Item"]["writes"]["N"])


def test_a_retried_transaction_that_succeeded_succeeds_again_without_a_change(aws: LocalStack) -> None:
    client = clients.client("dynamodb")
    tokens: list[str] = []

    def retry_once_after_success(attempts: int, request_dict: dict[str, Any], **_: Any) -> float | None:
        # as if the first answer were lost on the way back (a read timeout): botocore sends the call again
        tokens.append(json.loads(request_dict["body"])["ClientRequestToken"])
        return 0 if attempts == 1 else None

    client.meta.events.register("needs-retry.dynamodb.TransactWriteItems", retry_once_after_success)
    client.transact_write_items(TransactItems=_answer_once(aws.table_name, "retried"))
    assert len(tokens) == 2 and tokens[0] == tokens[1]  # sent twice, with the one token botocore filled in
    assert _writes(aws, "retried") == 1


def test_the_same_token_with_other_items_is_refused_and_a_new_token_is_a_new_transaction(aws: LocalStack) -> None:
    client = aws.client("dynamodb")
    client.transact_write_items(TransactItems=_answer_once(aws.table_name, "a"), ClientRequestToken="token-1")
    client.transact_write_items(TransactItems=_answer_once(aws.table_name, "a"), ClientRequestToken="token-1")
    assert _writes(aws, "a") == 1
    with pytest.raises(ClientError) as other_items:
        client.transact_write_items(TransactItems=_answer_once(aws.table_name, "b"), ClientRequestToken="token-1")
    assert other_items.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    with pytest.raises(ClientError) as again:  # a new token: the write is refused by its condition
        client.transact_write_items(TransactItems=_answer_once(aws.table_name, "a"), ClientRequestToken="token-2")
    assert again.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _writes(aws, "a") == 1


def test_a_refused_transaction_is_not_remembered_as_done(aws: LocalStack) -> None:
    client = aws.client("dynamodb")
    client.transact_write_items(TransactItems=_answer_once(aws.table_name, "c"), ClientRequestToken="first")
    for _ in range(2):  # refused each time: a cancelled transaction is no success to repeat
        with pytest.raises(ClientError) as refused:
            client.transact_write_items(TransactItems=_answer_once(aws.table_name, "c"), ClientRequestToken="second")
        assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"


@pytest.fixture
def endpoint_left_by_a_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a local stack started earlier in this process leaves: AWS_ENDPOINT_URL at its emulator's server
    (here, one that answers nothing)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")


def test_the_in_memory_aws_answers_even_where_a_stack_pointed_the_process_at_its_server(
    endpoint_left_by_a_stack: None, aws: LocalStack
) -> None:
    client = clients.client("dynamodb")  # as the handlers make theirs
    assert aws.table_name in client.list_tables()["TableNames"]
