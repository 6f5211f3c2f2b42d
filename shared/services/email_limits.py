"""How many confirmation emails one address may be sent a day: anyone can type a stranger's address into
the intake form, and each intake would have the practice email it. The limit is counted per address and
UTC day in the submission's own transaction; past it the intake is still stored, without an email.

The counter's key holds a SHA-256 of the normalised address, never the address: it tells a reader of the
table nothing unless they already have the address to hash (the intake itself, not the counter, holds it).
"""

import hashlib
from datetime import UTC, datetime, timedelta

from shared.services.changes import EmailQuota

DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
COUNTER_DAYS = 2  # a counter is removed by TTL two days after its UTC day began


def normalised_address(address: str) -> str:
    """One spelling per mailbox, for counting: case folded, and a `+tag` dropped from the local part (most
    providers deliver `name+anything@` to `name@`, so tags must not buy more emails)."""
    local, _, domain = address.strip().casefold().rpartition("@")
    return f"{local.split('+', 1)[0] or local}@{domain}"


def address_hash(address: str) -> str:
    return hashlib.sha256(normalised_address(address).encode()).hexdigest()


def confirmation_quota(address: str, now: datetime, limit: int) -> EmailQuota:
    """One more confirmation to `address` on `now`'s UTC day, allowed only while fewer than `limit` went."""
    day = now.astimezone(UTC).date()
    began = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return EmailQuota(
        address_hash=address_hash(address),
        day=day.isoformat(),
        limit=limit,
        expires_at=int((began + timedelta(days=COUNTER_DAYS)).timestamp()),
    )
