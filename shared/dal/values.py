"""DynamoDB attribute values: encoding plain values into them and reading them back."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def b(value: bool) -> dict[str, bool]:
    return {"BOOL": value}


def text(item: Mapping[str, Any], name: str) -> str:
    return str(item[name]["S"])


def text_or_none(item: Mapping[str, Any], name: str) -> str | None:
    return text(item, name) if name in item else None


def number(item: Mapping[str, Any], name: str) -> int:
    return int(item[name]["N"])


def time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def epoch(value: datetime) -> int:
    return int(value.timestamp())


def from_epoch(value: Mapping[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(value["N"]), UTC)
