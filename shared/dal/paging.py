"""Cursor paging for every listing: a page of one Query, and an opaque cursor for the next one that only
an earlier page of the same listing can have produced."""

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any

from shared.dal.keys import page_key_attributes
from shared.dal.table import Table
from shared.dal.values import s
from shared.domain.errors import InvalidRequest
from shared.services.ports import Page

_MAX_CURSOR_VALUE = 300


def encode_cursor(last_key: Mapping[str, Any] | None) -> str | None:
    if not last_key:
        return None
    plain = {name: value["S"] for name, value in last_key.items()}
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, expected: Mapping[str, str], attributes: frozenset[str]) -> dict[str, Any] | None:
    """A cursor from an earlier page of the same listing (its partition `expected`, and exactly the key
    `attributes` of the listing's index, each a string); anything else is refused, never sent to DynamoDB."""
    if cursor is None:
        return None
    invalid = InvalidRequest("The page cursor is not valid; start again from the first page.", ("query", "cursor"))
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as error:
        raise invalid from error
    if (
        not isinstance(plain, dict)
        or set(plain) != attributes
        or not all(isinstance(v, str) and len(v) < _MAX_CURSOR_VALUE for v in plain.values())
    ):
        raise invalid
    for name, value in expected.items():
        if plain.get(name) != value:
            raise invalid
    return {name: s(value) for name, value in plain.items()}


def query_page[T](
    table: Table,
    partition: tuple[str, str],
    limit: int,
    cursor: str | None,
    item_of: Callable[[Mapping[str, Any]], T],
    **query: Any,
) -> Page[T]:
    """One page of the items in `partition` (attribute name, value), `limit` at most, after `cursor`."""
    name, value = partition
    values = {":pk": s(value), **query.pop("ExpressionAttributeValues", {})}
    request: dict[str, Any] = {
        "KeyConditionExpression": f"{name} = :pk",
        "ExpressionAttributeValues": values,
        "Limit": limit,
        **query,
    }
    start = decode_cursor(cursor, {name: value}, page_key_attributes(query.get("IndexName")))
    if start:
        request["ExclusiveStartKey"] = start
    page = table.call("query", TableName=table.name, **request)
    return Page(items=[item_of(i) for i in page.get("Items", [])], cursor=encode_cursor(page.get("LastEvaluatedKey")))
