"""Identifiers: random, unguessable, and safe to show (lowercase base32, no ambiguous characters)."""

import base64
import secrets


def _random_base32(characters: int) -> str:
    raw = secrets.token_bytes((characters * 5 + 7) // 8)
    return base64.b32encode(raw).decode().lower()[:characters]


def new_intake_id() -> str:
    """'in-' and 100 random bits; matches records.IntakeId."""
    return f"in-{_random_base32(20)}"


def new_counselor_id() -> str:
    """'c-' and 60 random bits; matches counselor.CounselorId."""
    return f"c-{_random_base32(12)}"
