"""Private links: unguessable tokens, stored only as hashes, each with an expiry; and the one place their
addresses are built (the pages read them back from the fragment, which never reaches a server log).

A token is 32 random bytes; the store keeps its SHA-256, so a copy of the table opens no link. Comparisons
take the same time whether or not a token is right, and a wrong token looks exactly like an unknown
reference."""

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime

from shared.domain.errors import IntakeNotFound, LinkExpired
from shared.i18n import DEFAULT_LOCALE, Locale


def new_token() -> tuple[str, str]:
    """(the token for the link, the hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def matches(expected_hash: str, token: str) -> bool:
    return hmac.compare_digest(expected_hash, token_hash(token))


def check_status_link(links: Mapping[str, datetime], token: str, now: datetime) -> None:
    """Passes for a current link to this intake; IntakeNotFound for a wrong one, LinkExpired for an old one."""
    given = token_hash(token)
    found: datetime | None = None
    for stored, expires_at in links.items():  # every entry is compared, so timing says nothing
        if hmac.compare_digest(stored, given):
            found = expires_at
    if found is None:
        raise IntakeNotFound()
    if now >= found:
        raise LinkExpired()


SOMEONE_ELSE = "someone-else"
"""The status page's "ask for someone else" form, as a place a status link can open at."""


def _in(locale: Locale) -> str:
    """The page's language, as the query a link carries (none for English): the language is no secret and
    may reach a server log; the token stays in the fragment, which never does."""
    return "" if locale is DEFAULT_LOCALE else f"?lang={locale.value}"


def status_link(
    reference: str, token: str, site_url: str = "", place: str | None = None, locale: Locale = DEFAULT_LOCALE
) -> str:
    """The client's private status page (relative to the site without `site_url`), in the client's language.
    With `place`, the page scrolls to that part of itself: the place follows the token as one more
    dot-separated part, since the fragment is the link's only private part and holds the token (tokens never
    contain a dot)."""
    return f"{site_url}status{_in(locale)}#{reference}.{token}" + (f".{place}" if place else "")


def check_in_link(reference: str, number: int, token: str, site_url: str = "", locale: Locale = DEFAULT_LOCALE) -> str:
    """One check-in's private page, in the client's language."""
    return f"{site_url}checkin{_in(locale)}#{reference}.{number}.{token}"


def directory_link(counselor_id: str, site_url: str = "", locale: Locale = DEFAULT_LOCALE) -> str:
    """A counselor's public profile in the directory, in the client's language."""
    return f"{site_url}directory{_in(locale)}#{counselor_id}"
