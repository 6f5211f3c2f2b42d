"""The one source of "now" (services take it as a parameter so tests can fix it)."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
