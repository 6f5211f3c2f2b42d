"""Makes the AWS emulator keep DynamoDB's promises under concurrency, and keep its speed as tables grow.

1. moto applies a TransactWriteItems by copying the tables first and restoring the copy if a condition
   fails. With two requests at once, that restore silently undoes the other request's committed write
   (seen here: two assignments for a last slot, one 409, yet the slot count back at 1). Serializing the
   emulator's DynamoDB calls restores the real guarantee.
2. That copy is of the whole table, for every transaction: with a few thousand intakes stored, each
   submission spent most of its time copying, and a load test timed out. Under the lock, remembering
   only the items the transaction touches and putting those back on failure is enough.

3. moto ignores TransactWriteItems' ClientRequestToken. botocore fills one in on every transaction and
   sends the same token when it retries (after a timeout, say), and DynamoDB answers a retry of a
   transaction that already succeeded with success, changing nothing. moto applied it again instead, so a
   retried write could be refused by its own first attempt ("already sent"). The token is honoured here for
   DynamoDB's ten minutes: the same token and items succeed without a change, the same token with other
   items is an IdempotentParameterMismatchException.

Real DynamoDB needs none of this: this module only ever runs in the local stack and the tests.
"""

import copy
import functools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

_lock = threading.RLock()
_applied = False
IDEMPOTENCY_SECONDS = 600  # how long DynamoDB remembers a transaction's ClientRequestToken
_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}  # (account, region, token) -> (items, when)


class _TablesAreNotCopied:
    """Stands in for the `copy` module inside moto's DynamoDB backend during a transaction."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


@contextmanager
def _no_table_copies() -> Iterator[None]:
    original = getattr(dynamodb_models, "copy")  # noqa: B009 - the module moto's backend imported
    setattr(dynamodb_models, "copy", _TablesAreNotCopied)  # noqa: B010
    try:
        yield
    finally:
        setattr(dynamodb_models, "copy", original)  # noqa: B010


def _key_of(backend: DynamoDBBackend, operation: str, spec: dict[str, Any]) -> dict[str, Any]:
    if operation != "Put":
        return dict(spec["Key"])
    table = backend.get_table(spec["TableName"])
    attributes = spec["Item"]
    key = {table.hash_key_attr: attributes[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attributes[table.range_key_attr]
    return key


def _transact_write_items(self: DynamoDBBackend, original: Any, transact_items: list[dict[str, Any]]) -> None:
    before: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    for item in transact_items:
        (operation, spec), *_ = item.items()
        if operation in ("Put", "Update", "Delete") and spec.get("TableName") in self.tables:
            key = _key_of(self, operation, spec)
            current = self.get_item(spec["TableName"], key)
            before.append((spec["TableName"], key, copy.deepcopy(current.to_json()["Attributes"]) if current else None))
    try:
        with _no_table_copies():
            original(self, transact_items)
    except Exception:
        for table_name, key, attributes in reversed(before):
            if attributes is None:
                if self.get_item(table_name, key) is not None:
                    self.delete_item(table_name, key)
            else:
                self.put_item(table_name, attributes)
        raise


class IdempotentParameterMismatch(DynamodbException):
    def __init__(self) -> None:
        super().__init__(
            ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
            "The ClientRequestToken was used before with different transaction items.",
        )


def _transact_once(self: Any, original: Any) -> Any:
    """DynamoDB's idempotent transactions (3. above), under the emulator's lock."""
    token = self.body.get("ClientRequestToken")
    if not token:
        return original(self)
    key = (self.current_account, self.region, token)
    items = json.dumps(self.body["TransactItems"], sort_keys=True, default=repr)  # binary values are bytes here
    now = time.monotonic()
    for old in [k for k, (_, at) in _tokens.items() if now - at > IDEMPOTENCY_SECONDS]:
        del _tokens[old]
    seen = _tokens.get(key)
    if seen is not None:
        if seen[0] != items:
            raise IdempotentParameterMismatch()
        return ActionResult({"ConsumedCapacity": [], "ItemCollectionMetrics": {}})  # what a success answers
    result = original(self)
    _tokens[key] = (items, now)  # only a transaction that succeeded: a refused one may be sent again
    return result


def serialize_dynamodb() -> None:
    global _applied
    if _applied:
        return
    call_action = DynamoHandler.call_action

    @functools.wraps(call_action)
    def serialized(self: Any) -> Any:
        with _lock:
            return call_action(self)

    DynamoHandler.call_action = serialized  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = functools.partialmethod(_transact_once, DynamoHandler.transact_write_items)  # type: ignore[assignment,method-assign]
    transact = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = functools.partialmethod(_transact_write_items, transact)  # type: ignore[assignment]
    _applied = True
