"""The waitlist's changes (what a use case decides, for the store to write as one transaction) and the port
its use cases take, kept together beside shared/services/changes.py and ports.py."""

from datetime import datetime
from typing import NamedTuple, Protocol

from shared.domain.availability import Busy
from shared.domain.counselor import CounselorProfile
from shared.domain.records import AssignedFit, HistoryEntry, Intake
from shared.domain.report_counters import CounterDelta
from shared.domain.waitlist import WaitlistEntry
from shared.services.changes import Audit, OutboxEmail, StatusLink, StatusMove
from shared.services.ports import RosterChanges


class Joined(NamedTuple):
    """A client joins the waitlist, while their intake is still open to a first match."""

    entry: WaitlistEntry


class HoldEnded(NamedTuple):
    """The entry leaves the waitlist: the client left, or their hold ran out. A held slot goes back."""

    entry: WaitlistEntry
    give_back_slot: bool


class HoldOffered(NamedTuple):
    """A freed slot offered to a waiting client: taken for them until `hold_until`, with a fresh status link
    in the email that tells them."""

    entry: WaitlistEntry
    counselor_id: str
    at: datetime
    hold_until: datetime
    link: StatusLink
    email: OutboxEmail


class HoldClaimed(NamedTuple):
    """The client takes the place held for them: an assignment by the client, with the held slot."""

    intake: Intake
    counselor_id: str
    at: datetime
    move: StatusMove
    history: HistoryEntry
    audit: Audit
    fit: AssignedFit | None
    counters: tuple[CounterDelta, ...]


class WaitlistStore(Protocol):
    def get_intake(self, intake_id: str) -> Intake: ...
    def get_counselor(self, counselor_id: str) -> CounselorProfile: ...
    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]: ...
    def roster_changes(self, since: int) -> RosterChanges: ...
    def waitlist(self) -> list[WaitlistEntry]: ...
    def waitlist_entry(self, intake_id: str) -> WaitlistEntry | None: ...
    def join_waitlist(self, joined: Joined) -> None: ...
    def end_waitlist_entry(self, ended: HoldEnded) -> None: ...
    def offer_hold(self, offer: HoldOffered) -> None: ...
    def claim_hold(self, claim: HoldClaimed) -> None: ...
