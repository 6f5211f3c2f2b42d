"""Use cases of the waitlist that moves (docs/booking.md, "The waitlist"): a client joins or leaves it from
their status link; a scheduled sweep offers freed slots with a hold, and ends holds not claimed in time;
the client claims a held place; staff see each counselor's line. The rules are in shared/domain/waitlist.py.
"""

from contextlib import suppress
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from aws_lambda_powertools import Logger

from shared.domain.availability import BookingRules
from shared.domain.errors import AlreadyDecided, InvalidRequest, SlotTaken, TransitionNotAllowed
from shared.domain.intake import IntakeAnswers
from shared.domain.records import ASSIGNABLE_STATUSES, Actor, HistoryEntry, HistoryKind, Intake, IntakeStatus
from shared.domain.report_counters import first_match
from shared.domain.shortlist import BookingPolicy, shortlist_counselor_ids, shortlist_open
from shared.domain.waitlist import (
    HoldChanged,
    NoOfferToClaim,
    NotWaiting,
    WaitlistEntry,
    counselor_for,
    first_in_line,
    room_to_offer,
)
from shared.services.changes import Audit, EmailKind, StatusLink, client_email, move
from shared.services.counselors import roster_next_opening
from shared.services.links import check_status_link, new_token
from shared.services.ports import Clock, RosterEntry, SlotsFull
from shared.services.review import fit_of
from shared.services.roster_lock import while_roster_changes
from shared.services.waitlist_changes import HoldClaimed, HoldEnded, HoldOffered, Joined, WaitlistStore

CLIENT = Actor(user_id="client", username="client", groups=frozenset())
"""The client, acting from their own status link (the audit trail names no one else)."""

logger = Logger(child=True)
_ATTEMPTS = 3  # an entry that changes under a use case is read again this often


def _open_intake(store: WaitlistStore, intake_id: str, token: str, now: datetime, policy: BookingPolicy) -> Intake:
    intake = store.get_intake(intake_id)
    check_status_link(intake.status_links, token, now)
    if not shortlist_open(intake, policy):
        raise TransitionNotAllowed("The waitlist is open to you once your shortlist is, and until you are matched.")
    return intake


def join(
    store: WaitlistStore,
    intake_id: str,
    token: str,
    counselor_id: str | None,
    clock: Clock,
    policy: BookingPolicy,
) -> WaitlistEntry:
    """Waits for one counselor of the shortlist, or (None) for the first good fit: any of them, best first."""
    now = clock()
    intake = _open_intake(store, intake_id, token, now, policy)
    shortlist = shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids) if intake.match else []
    if counselor_id is not None and counselor_id not in shortlist:
        raise InvalidRequest("Choose a counselor from your shortlist.", ("body", "counselor_id"))
    if not shortlist:
        raise InvalidRequest("Your shortlist has no counselor to wait for.", ("body", "counselor_id"))
    entry = WaitlistEntry(
        intake_id=intake_id,
        joined_at=now,
        counselor_ids=(counselor_id,) if counselor_id is not None else tuple(shortlist),
        any_fit=counselor_id is None,
    )
    store.join_waitlist(Joined(entry))
    return entry


def leave(store: WaitlistStore, intake_id: str, token: str, clock: Clock) -> None:
    """Leaves the waitlist; a place held for the client goes back to the counselor."""
    intake = store.get_intake(intake_id)
    check_status_link(intake.status_links, token, clock())
    for _ in range(_ATTEMPTS):
        entry = store.waitlist_entry(intake_id)
        if entry is None:
            raise NotWaiting()
        try:
            _end(store, entry)
            return
        except HoldChanged:  # an offer landed meanwhile: leave with it
            continue
    raise NotWaiting()


def _end(store: WaitlistStore, entry: WaitlistEntry) -> None:
    try:
        while_roster_changes(lambda: store.end_waitlist_entry(HoldEnded(entry, give_back_slot=entry.held)))
    except SlotsFull:  # the counselor already has the most open slots a profile may have
        store.end_waitlist_entry(HoldEnded(entry, give_back_slot=False))


class SweepRun(NamedTuple):
    offered: list[str]  # intake ids emailed an offer
    expired: int
    dropped: int  # entries of intakes no longer open (matched, closed or erased meanwhile)


def sweep(store: WaitlistStore, clock: Clock, hold_hours: int, status_link_days: int, rules: BookingRules) -> SweepRun:
    """Ends the holds whose time is up (their slots go back), then offers every slot that can be offered to
    the clients who joined first and wait for that counselor. Reads the line and the roster once each, and
    the schedule and booked time of a counselor with a free slot whose stored next opening has passed."""
    now = clock()
    line = first_in_line(store.waitlist())
    expired = 0
    waiting: list[WaitlistEntry] = []
    for entry in line:
        if entry.hold_expired(now):
            try:
                _end(store, entry)
                expired += 1
            except HoldChanged:  # claimed or left meanwhile
                pass
        elif not entry.held:
            waiting.append(entry)
    if not waiting:
        return SweepRun([], expired, 0)
    wanted = {cid for entry in waiting for cid in entry.counselor_ids}
    free = [
        e
        for e in store.roster_changes(0).entries
        if e.counselor_id in wanted and e.active and e.accepting_new_clients and e.open_slots > 0
    ]
    room = room_to_offer(
        [
            (e.counselor_id, e.active, e.accepting_new_clients, e.open_slots, _opening(store, e, now, rules))
            for e in free
        ],
        now,
    )
    offered: list[str] = []
    dropped = 0
    for entry in waiting:
        counselor_id = counselor_for(entry, room)
        if counselor_id is None:
            continue
        token, link_hash = new_token()
        offer = HoldOffered(
            entry=entry,
            counselor_id=counselor_id,
            at=now,
            hold_until=now + timedelta(hours=hold_hours),
            link=StatusLink(link_hash, now + timedelta(days=status_link_days)),
            email=client_email(
                EmailKind.WAITLIST_OFFER, _client_answers(store, entry), token, counselor_id=counselor_id
            ),
        )
        try:
            while_roster_changes(partial(store.offer_hold, offer))
        except SlotTaken:  # taken by an assignment or a booking meanwhile
            room[counselor_id] = 0
            continue
        except HoldChanged:  # the client left meanwhile
            continue
        except AlreadyDecided:  # the intake was matched, closed or erased: it no longer waits
            _drop(store, entry)
            dropped += 1
            continue
        room[counselor_id] -= 1
        offered.append(entry.intake_id)
        logger.info("waitlist hold offered", extra={"intake_id": entry.intake_id, "counselor_id": counselor_id})
    return SweepRun(offered, expired, dropped)


def _opening(store: WaitlistStore, entry: RosterEntry, now: datetime, rules: BookingRules) -> datetime | None:
    """The counselor's next opening: the roster's, or worked out afresh when time has moved past it."""
    if entry.next_opening is not None and entry.next_opening > now:
        return entry.next_opening
    profile = store.get_counselor(entry.counselor_id)
    return roster_next_opening(store, entry.counselor_id, profile.schedule, now, rules)


def _client_answers(store: WaitlistStore, entry: WaitlistEntry) -> IntakeAnswers:
    """The waiting client's answers, for their address and language."""
    return store.get_intake(entry.intake_id).answers


def _drop(store: WaitlistStore, entry: WaitlistEntry) -> None:
    with suppress(HoldChanged):  # left meanwhile
        store.end_waitlist_entry(HoldEnded(entry, give_back_slot=False))


def claim(store: WaitlistStore, intake_id: str, token: str, clock: Clock) -> str:
    """The client takes the place held for them: the intake is assigned to that counselor with the slot the
    hold took, as an assignment by the client (history, audit and the report count it as one). Returns the
    counselor's id. A second claim, or one after the hold ended, is refused (NoOfferToClaim)."""
    now = clock()
    intake = store.get_intake(intake_id)
    check_status_link(intake.status_links, token, now)
    entry = store.waitlist_entry(intake_id)
    if entry is None or entry.hold_counselor_id is None or not entry.hold_claimable(now):
        raise NoOfferToClaim()
    if intake.status not in ASSIGNABLE_STATUSES:
        raise AlreadyDecided()
    counselor_id = entry.hold_counselor_id
    store.claim_hold(
        HoldClaimed(
            intake=intake,
            counselor_id=counselor_id,
            at=now,
            move=move(IntakeStatus.ASSIGNED, ASSIGNABLE_STATUSES),
            history=HistoryEntry(
                at=now,
                kind=HistoryKind.ASSIGNED,
                actor=CLIENT.username,
                status=IntakeStatus.ASSIGNED,
                counselor_id=counselor_id,
                note="Claimed the place held for them on the waitlist.",
            ),
            audit=Audit(CLIENT, "assigned_by_client", now, intake_id=intake_id, counselor_id=counselor_id),
            fit=fit_of(intake, counselor_id),
            counters=()
            if intake.was_assigned_before()
            else (first_match((now - intake.created_at).total_seconds() / 3600),),
        )
    )
    return counselor_id


def counselor_waitlist(store: WaitlistStore, counselor_id: str) -> list[WaitlistEntry]:
    """Who waits for this counselor, first in line first (staff). CounselorNotFound for an unknown id."""
    store.get_counselor(counselor_id)
    return [e for e in first_in_line(store.waitlist()) if counselor_id in e.counselor_ids]
