"""The waitlist that moves: who waits for which counselors, the hold an offer puts on a freed slot, and the
rules that decide who is offered what. Pure: the service (shared/services/waitlist.py) reads and writes.

A client waits for one counselor of their shortlist, or for "the first good fit" (any counselor on it, best
first). When a counselor has a free slot and an opening, the waiting client who joined first and waits for
them is offered the slot with a hold: the slot is taken for them (so it is never offered to two clients),
and is theirs to claim until the hold ends. An unclaimed hold returns the slot and the client leaves the
waitlist (they can join again, at the back): the slot passes to the next client waiting.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from shared.domain.errors import ConflictError


class WaitlistEntry(NamedTuple):
    """One waiting client. Identifiers and times only: never answers, names or contact details."""

    intake_id: str
    joined_at: datetime
    counselor_ids: tuple[str, ...]  # the one chosen, or the shortlist, best first
    any_fit: bool
    hold_counselor_id: str | None = None
    hold_until: datetime | None = None

    @property
    def held(self) -> bool:
        return self.hold_counselor_id is not None

    def hold_expired(self, now: datetime) -> bool:
        return self.hold_until is not None and self.hold_until <= now

    def hold_claimable(self, now: datetime) -> bool:
        return self.hold_until is not None and now < self.hold_until


class AlreadyWaiting(ConflictError):
    code = "already_waiting"

    def __init__(self) -> None:
        super().__init__("You are already on the waitlist. Leave it first to wait for someone else.")


class NotWaiting(ConflictError):
    code = "not_waiting"

    def __init__(self) -> None:
        super().__init__("You are not on the waitlist.")


class NoOfferToClaim(ConflictError):
    code = "no_offer"

    def __init__(self) -> None:
        super().__init__(
            "There is no place held for you now: it was claimed already, or its hold ended and it passed to "
            "the next person waiting. You can join the waitlist again from your status page."
        )


class HoldChanged(Exception):
    """The entry changed since it was read (the client left, or a hold was offered or ended meanwhile)."""


def first_in_line(entries: Sequence[WaitlistEntry]) -> list[WaitlistEntry]:
    """Entries in the order they are served: who joined first, then by reference (a stable order)."""
    return sorted(entries, key=lambda e: (e.joined_at, e.intake_id))


def counselor_for(entry: WaitlistEntry, room: Mapping[str, int]) -> str | None:
    """The counselor this waiting client is offered now: the first they wait for with a free slot to offer."""
    if entry.held:
        return None
    return next((cid for cid in entry.counselor_ids if room.get(cid, 0) > 0), None)


def room_to_offer(counselors: Sequence[tuple[str, bool, bool, int, datetime | None]], now: datetime) -> dict[str, int]:
    """Counselor id -> slots that can be offered: active, accepting, with open slots and an opening still to
    come. From (id, active, accepting, open slots, next opening), as the roster carries them."""
    return {
        cid: slots
        for cid, active, accepting, slots, opening in counselors
        if active and accepting and slots > 0 and opening is not None and opening > now
    }
