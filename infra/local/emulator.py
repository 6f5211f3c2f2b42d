"""Makes the AWS emulator keep DynamoDB's promises under concurrency.

moto applies a TransactWriteItems by copying the tables first and restoring the copy if a condition
fails. With two requests at once, that restore silently undoes the other request's committed write
(seen here: two assignments for a last slot, one 409, yet the slot count back at 1). DynamoDB itself
never does that. Serializing the emulator's DynamoDB calls restores the real guarantee; real DynamoDB
needs no such help.
"""

import functools
import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler

_lock = threading.RLock()
_applied = False


def serialize_dynamodb() -> None:
    global _applied
    if _applied:
        return
    original = DynamoHandler.call_action

    @functools.wraps(original)
    def call_action(self: Any) -> Any:
        with _lock:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _applied = True
