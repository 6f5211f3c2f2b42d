"""The table: calls to DynamoDB, the write requests a transaction is made of, and the translation of
DynamoDB's errors (a throttled or failing store becomes StoreUnavailable; a refused condition becomes
Cancelled, with the reason for each request, for the store that made it to say what was refused)."""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.adapters import aws
from shared.domain.errors import StoreUnavailable

_UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
        "TransactionInProgressException",
    }
)
_UNAVAILABLE_REASONS = frozenset({"ThrottlingError", "TransactionConflict"})

CONDITION_FAILED = "ConditionalCheckFailed"


_BATCH_ROUNDS = 5


class Cancelled(Exception):
    """A condition refused the write: `reasons` has one code per request of the transaction, in order."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    def refused(self, index: int) -> bool:
        """Whether the request at `index` was the one refused (negative counts from the end)."""
        return -len(self.reasons) <= index < len(self.reasons) and self.reasons[index] == CONDITION_FAILED


class Table:
    """One DynamoDB table, and the client that reaches it (created on first use, so importing a handler
    costs no client and tests can inject one)."""

    def __init__(self, name: str, client: Any | None = None) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("dynamodb")
        return self._client

    def call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "TransactionCanceledException":
                reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
                if any(r in _UNAVAILABLE_CODES or r in _UNAVAILABLE_REASONS for r in reasons):
                    raise StoreUnavailable() from error
                raise Cancelled(reasons) from error
            if code == "ConditionalCheckFailedException":
                raise Cancelled([CONDITION_FAILED]) from error
            if code in _UNAVAILABLE_CODES:
                raise StoreUnavailable() from error
            raise
        except BotoCoreError as error:  # timeouts, connection failures
            raise StoreUnavailable() from error

    def transact(self, items: Sequence[Mapping[str, Any]]) -> None:
        self.call("transact_write_items", TransactItems=list(items))

    def put(self, item: Mapping[str, Any], condition: str | None = None, **kwargs: Any) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.name, "Item": dict(item), **kwargs}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def update(self, key: Mapping[str, Any], expression: str, **kwargs: Any) -> dict[str, Any]:
        return {"Update": {"TableName": self.name, "Key": dict(key), "UpdateExpression": expression, **kwargs}}

    def check(self, key: Mapping[str, Any], condition: str, **kwargs: Any) -> dict[str, Any]:
        return {
            "ConditionCheck": {"TableName": self.name, "Key": dict(key), "ConditionExpression": condition, **kwargs}
        }

    def delete(self, key: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {"Delete": {"TableName": self.name, "Key": dict(key), **kwargs}}

    def get(self, key: Mapping[str, Any], **kwargs: Any) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.call("get_item", TableName=self.name, Key=dict(key), **kwargs).get("Item")
        return found

    def batch_get(self, keys: Sequence[Mapping[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
        """The items found of up to 100 keys, in no order, read again for any DynamoDB left unprocessed (a
        bounded number of times: then the store counts as unavailable)."""
        if not keys:
            return []
        request: dict[str, Any] = {self.name: {"Keys": [dict(k) for k in keys], **kwargs}}
        found: list[dict[str, Any]] = []
        for _ in range(_BATCH_ROUNDS):
            reply = self.call("batch_get_item", RequestItems=request)
            found.extend(reply.get("Responses", {}).get(self.name, []))
            request = reply.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise StoreUnavailable()

    def query_all(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a query finds, page after page."""
        start: dict[str, Any] | None = None
        while True:
            page = self.call("query", TableName=self.name, **kwargs, **({"ExclusiveStartKey": start} if start else {}))
            yield from page.get("Items", [])
            start = page.get("LastEvaluatedKey")
            if not start:
                return
