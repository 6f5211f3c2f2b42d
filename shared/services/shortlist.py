"""The client's shortlist as their status page shows it: the 2-3 counselors from their match, each with the
public profile, how their wishes are met, what was relaxed, the estimated cost and the first openings.

Bounded reads whatever the roster size: the intake (one query), then for each shortlisted counselor (at
most SHORTLIST_SIZE) their profile (one read) and their booked time over the horizon (one query), and the
client's waitlist entry (one read). The roster itself is never read: the match already names the counselors.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from shared.domain.availability import (
    CELL,
    MAX_CELLS,
    MAX_OPENINGS,
    BookingRules,
    Busy,
    MeetingKind,
    Schedule,
    load_zone,
    openings,
    spread_over_days,
)
from shared.domain.booking import Booking
from shared.domain.cost import CostEstimate, estimate_cost
from shared.domain.counselor import CounselorProfile, CounselorPublicProfile
from shared.domain.errors import CounselorNotFound, IntakeNotFound, InvalidRequest
from shared.domain.records import Intake
from shared.domain.shortlist import (
    BookingPolicy,
    ShortlistEntry,
    build_shortlist,
    shortlist_counselor_ids,
    shortlist_open,
)
from shared.domain.waitlist import WaitlistEntry
from shared.i18n import SOURCE_LOCALE, Domain, Locale, format_day, translations
from shared.services.links import check_status_link, token_hash
from shared.services.ports import Clock

OPENINGS_PER_KIND = 6
OPENINGS_PER_DAY = 2  # of the counselor's days: the six first openings then span at least three days
FIT_VERSUS_WAIT_DAYS = 7
"""The best fit's first opening this many days (or more) after another good fit's is worth saying."""


class ShortlistReads(Protocol):
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]: ...
    def waitlist_entry(self, intake_id: str) -> WaitlistEntry | None: ...


class Offered(NamedTuple):
    kind: MeetingKind
    minutes: int
    format: str


class ShortlistedCounselor(NamedTuple):
    counselor: CounselorPublicProfile
    entry: ShortlistEntry
    offers: list[Offered]
    openings: dict[MeetingKind, list[datetime]]
    next_opening: datetime | None


class Reschedule(NamedTuple):
    """With a booking: the times it can move to (the same counselor and kind; its own time left free)."""

    counselor_id: str
    kind: MeetingKind
    openings: list[datetime]


class WaitlistState(NamedTuple):
    """The client's place on the waitlist, as their status page shows it: who they wait for and since when,
    or the place held for them (the counselor's public name, until when)."""

    counselor_ids: tuple[str, ...]
    any_fit: bool
    joined_at: datetime
    held_counselor_id: str | None
    held_counselor_name: str | None
    held_until: datetime | None


class ClientShortlist(NamedTuple):
    open: bool
    entries: list[ShortlistedCounselor]
    fit_versus_wait: str | None
    reschedule: Reschedule | None = None
    waitlist: WaitlistState | None = None
    locale: Locale = Locale.EN  # the intake's language: the one its stored reasons are written in


CLOSED = ClientShortlist(open=False, entries=[], fit_versus_wait=None)
RESCHEDULE_OPENINGS = 12


def shortlist_ready(intake: Intake, policy: BookingPolicy) -> bool:
    """The shortlist is open to the client and has someone on it (a match without suggestions has nobody)."""
    return (
        shortlist_open(intake, policy)
        and intake.match is not None
        and bool(shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids))
    )


def client_zone(name: str | None) -> str:
    """The client's IANA zone (the page sends the browser's), for the dates in the fit-versus-wait sentence."""
    if name is None:
        return "UTC"
    try:
        load_zone(name)
    except ValueError:
        raise InvalidRequest("Not a known IANA time zone.", ("query", "time_zone")) from None
    return name


def _bookable(profile: CounselorProfile) -> bool:
    """Only times a booking can take: a counselor who is full or not accepting offers none."""
    return profile.active and profile.accepting_new_clients and profile.open_slots > 0


def _openings_of(
    profile: CounselorProfile, schedule: Schedule, store: ShortlistReads, now: datetime, rules: BookingRules
) -> dict[MeetingKind, list[datetime]]:
    # a meeting that starts at the horizon runs on past it: its cells must be read too
    busy = store.busy(profile.counselor_id, now, now + timedelta(days=rules.horizon_days) + CELL * MAX_CELLS)
    return {
        offer.kind: spread_over_days(
            openings(schedule, offer.kind, busy, now, rules, limit=MAX_OPENINGS),
            schedule.time_zone,
            OPENINGS_PER_DAY,
            OPENINGS_PER_KIND,
        )
        for offer in schedule.offers
    }


def client_shortlist(
    intake_id: str,
    token: str,
    *,
    store: ShortlistReads,
    clock: Clock,
    policy: BookingPolicy,
    rules: BookingRules,
    time_zone: str = "UTC",
    locale: Locale | None = None,
) -> ClientShortlist:
    """The shortlist behind a private status link. A wrong token looks exactly like an unknown reference.
    Closed (no entries) under staff-first, for an urgent intake, before staff release it, and once the
    intake is no longer open to a first match (booked, assigned, closed).

    The words written now (cost, wishes, what was relaxed, fit versus wait) are in `locale`, the page's
    language, or else the intake's; the reasons are stored in the intake's, which `locale` on the answer names."""
    try:
        intake = store.get_intake(intake_id)
    except IntakeNotFound:
        token_hash(token)  # the same work either way, so timing does not tell the two apart
        raise
    now = clock()
    check_status_link(intake.status_links, token, now)
    stored = intake.answers.locale
    words = locale or stored
    if intake.booking is not None:  # booked: the shortlist is closed; the booking can still move
        return CLOSED._replace(reschedule=_reschedule(intake.booking, store, now, rules), locale=stored)
    if not shortlist_ready(intake, policy) or intake.match is None:
        return CLOSED._replace(locale=stored)
    profiles: dict[str, CounselorProfile] = {}
    for counselor_id in shortlist_counselor_ids(intake.match, intake.excluded_counselor_ids):
        try:
            profiles[counselor_id] = store.get_counselor(counselor_id)
        except CounselorNotFound:  # left the practice since the match: not offered
            continue
    costs: dict[str, CostEstimate] = {
        cid: estimate_cost(intake.answers.payment, profile, words) for cid, profile in profiles.items()
    }
    shortlist = build_shortlist(intake.match, costs, intake.answers, words)
    entries: list[ShortlistedCounselor] = []
    for entry in shortlist.entries:
        profile = profiles.get(entry.counselor_id)
        if profile is None or not profile.active or entry.counselor_id in intake.excluded_counselor_ids:
            continue
        schedule = profile.schedule
        found: dict[MeetingKind, list[datetime]] = {kind: [] for kind in MeetingKind}
        if schedule is not None and _bookable(profile):
            found.update(_openings_of(profile, schedule, store, now, rules))
        firsts = [times[0] for times in found.values() if times]
        entries.append(
            ShortlistedCounselor(
                counselor=CounselorPublicProfile.from_profile(profile),
                entry=entry,
                offers=[Offered(o.kind, o.minutes, o.format.value) for o in schedule.offers] if schedule else [],
                openings=found,
                next_opening=min(firsts, default=None),
            )
        )
    sentence = fit_versus_wait(
        [Standing(e.counselor.name, e.entry.alternative, e.next_opening) for e in entries],
        now,
        time_zone,
        rules.horizon_days,
        words,
    )
    entry_on_line = store.waitlist_entry(intake_id) if entries else None
    return ClientShortlist(
        open=bool(entries),
        entries=entries,
        fit_versus_wait=sentence,
        waitlist=_waitlist_state(entry_on_line, profiles) if entry_on_line else None,
        locale=stored,
    )


def _waitlist_state(entry: WaitlistEntry, profiles: dict[str, CounselorProfile]) -> WaitlistState:
    held = profiles.get(entry.hold_counselor_id) if entry.hold_counselor_id else None
    return WaitlistState(
        counselor_ids=entry.counselor_ids,
        any_fit=entry.any_fit,
        joined_at=entry.joined_at,
        held_counselor_id=entry.hold_counselor_id,
        held_counselor_name=held.name if held else None,
        held_until=entry.hold_until,
    )


def _reschedule(booking: Booking, store: ShortlistReads, now: datetime, rules: BookingRules) -> Reschedule:
    """The booked counselor's openings of the booked kind, the client's own booked cells counted free (a new
    time may overlap the old one: the reschedule frees it in the same transaction)."""
    try:
        profile = store.get_counselor(booking.counselor_id)
    except CounselorNotFound:
        return Reschedule(booking.counselor_id, booking.kind, [])
    if profile.schedule is None:
        return Reschedule(booking.counselor_id, booking.kind, [])
    own = set(booking.cells())
    busy = store.busy(booking.counselor_id, now, now + timedelta(days=rules.horizon_days) + CELL * MAX_CELLS)
    free = [b for b in busy if b.start not in own]
    found = openings(profile.schedule, booking.kind, free, now, rules, limit=RESCHEDULE_OPENINGS)
    return Reschedule(booking.counselor_id, booking.kind, [t for t in found if t != booking.start])


class Standing(NamedTuple):
    """A shortlisted counselor as the fit-versus-wait sentence sees them, best fit first."""

    name: str
    alternative: bool  # found by relaxing must-haves
    next_opening: datetime | None


def _wait(delta: timedelta, locale: Locale) -> str:
    t = translations(locale, Domain.REASONS)
    days = delta.days
    if days < 14:
        return t.ngettext("in {n} day", "in {n} days", days).format(n=days)
    weeks = round(days / 7)
    return t.ngettext("in {n} week", "in {n} weeks", weeks).format(n=weeks)


def _day(instant: datetime, zone: str, locale: Locale) -> str:
    local = instant.astimezone(load_zone(zone))
    if locale is SOURCE_LOCALE:
        return f"{local:%A}, {local:%B} {local.day}"
    return format_day(local, locale)  # 'martes, 8 de diciembre de 2026'


def fit_versus_wait(
    standings: Sequence[Standing], now: datetime, zone: str, horizon_days: int, locale: Locale = Locale.EN
) -> str | None:
    """Says plainly when the best fit's first opening is much later (FIT_VERSUS_WAIT_DAYS or more) than another
    good fit's, or when the best fit has none within the horizon and another good fit has one.

    "Another good fit" is one of the same standing as the best: a counselor who meets every must-have when
    the best does (an alternative misses one, so it is not offered as the quicker equal), or, when nobody
    meets them all, another of the closest fits. None when there is nothing worth saying."""
    if len(standings) < 2:
        return None
    best, others = standings[0], standings[1:]
    sooner = sorted(
        (s for s in others if s.alternative == best.alternative and s.next_opening is not None),
        key=lambda s: s.next_opening or now,
    )
    if not sooner or sooner[0].next_opening is None:
        return None
    other, at = sooner[0], sooner[0].next_opening
    t = translations(locale, Domain.REASONS)
    if best.next_opening is None:
        return t.ngettext(
            "The best fit ({best}) has no opening in the next {days} day; another good fit, {other}, can meet "
            "on {day}.",
            "The best fit ({best}) has no opening in the next {days} days; another good fit, {other}, can meet "
            "on {day}.",
            horizon_days,
        ).format(best=best.name, days=horizon_days, other=other.name, day=_day(at, zone, locale))
    if best.next_opening - at < timedelta(days=FIT_VERSUS_WAIT_DAYS):
        return None
    return t.gettext(
        "The best fit's first opening is {wait} ({best}); another good fit, {other}, can meet on {day}."
    ).format(wait=_wait(best.next_opening - now, locale), best=best.name, other=other.name, day=_day(at, zone, locale))
