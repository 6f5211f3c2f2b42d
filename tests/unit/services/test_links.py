"""Private links: tokens stored as hashes, compared in constant time, a wrong token like an unknown reference."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.domain.errors import IntakeNotFound, LinkExpired
from shared.i18n import Locale
from shared.services import links

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every call to hmac.compare_digest the links module makes (the real comparison still runs)."""
    seen: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # the module the links module compares with
    return seen


def test_a_new_token_is_32_random_bytes_and_only_its_sha256_is_kept() -> None:
    # When two tokens are made
    (token, stored), (other, _) = links.new_token(), links.new_token()
    # Then each is 32 bytes in URL-safe base64, they differ, and the stored value is the token's SHA-256
    assert len(token) == 43
    assert token != other
    assert stored == hashlib.sha256(token.encode()).hexdigest() == links.token_hash(token)
    assert token not in stored


def test_matches_accepts_the_right_token_only_and_compares_in_constant_time(
    comparisons: list[tuple[Any, Any]],
) -> None:
    token, stored = links.new_token()
    assert links.matches(stored, token) is True
    assert links.matches(stored, token + "x") is False
    assert links.matches(stored, stored) is False  # the hash itself is not a token
    assert comparisons == [
        (stored, stored),
        (stored, links.token_hash(token + "x")),
        (stored, links.token_hash(stored)),
    ]


def test_a_current_status_link_opens_and_every_stored_link_is_compared(comparisons: list[tuple[Any, Any]]) -> None:
    # Given an intake with three status links, the right one first
    token, right = links.new_token()
    stored = {right: NOW + timedelta(days=1), links.new_token()[1]: NOW - timedelta(days=9), "0" * 64: NOW}
    # When the right token is checked, Then it passes, and all three entries were compared in constant time
    links.check_status_link(stored, token, NOW)
    assert [a for a, _ in comparisons] == list(stored)
    assert {b for _, b in comparisons} == {links.token_hash(token)}


def test_a_wrong_token_looks_like_an_unknown_reference(comparisons: list[tuple[Any, Any]]) -> None:
    _, right = links.new_token()
    with pytest.raises(IntakeNotFound):
        links.check_status_link({right: NOW + timedelta(days=1)}, "not-the-token", NOW)
    with pytest.raises(IntakeNotFound):
        links.check_status_link({}, "not-the-token", NOW)
    assert len(comparisons) == 1


def test_a_status_link_expires_at_its_expiry_time_and_not_before() -> None:
    token, right = links.new_token()
    expires = NOW + timedelta(days=1)
    links.check_status_link({right: expires}, token, expires - timedelta(microseconds=1))
    with pytest.raises(LinkExpired):
        links.check_status_link({right: expires}, token, expires)
    with pytest.raises(LinkExpired):
        links.check_status_link({right: expires}, token, expires + timedelta(days=1))


def test_the_right_link_among_expired_ones_still_opens() -> None:
    # Given an old, expired link and a newer current one
    old_token, old = links.new_token()
    token, current = links.new_token()
    stored = {old: NOW - timedelta(days=1), current: NOW + timedelta(days=1)}
    # Then the current token opens, and the old one is reported expired (not unknown)
    links.check_status_link(stored, token, NOW)
    with pytest.raises(LinkExpired):
        links.check_status_link(stored, old_token, NOW)


def test_a_link_carries_the_clients_language_outside_the_fragment_and_english_carries_none() -> None:
    assert links.status_link("in-r", "tok", "https://site/", locale=Locale.ES) == "https://site/status?lang=es#in-r.tok"
    assert links.status_link("in-r", "tok", "https://site/", links.SOMEONE_ELSE, Locale.ES) == (
        "https://site/status?lang=es#in-r.tok.someone-else"
    )
    assert (
        links.check_in_link("in-r", 2, "tok", "https://site/", Locale.ES) == "https://site/checkin?lang=es#in-r.2.tok"
    )
    assert links.status_link("in-r", "tok", "https://site/", locale=Locale.EN) == "https://site/status#in-r.tok"
    assert links.check_in_link("in-r", 2, "tok") == "checkin#in-r.2.tok"
