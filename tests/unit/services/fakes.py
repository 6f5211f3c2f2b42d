"""In-memory fakes of the ports the use cases take (shared/services/ports.py), in the style of cosmicpython's
FakeRepository: each applies a change the way the DynamoDB store does, refusing it on the same conditions,
so a use case's rules read as a specification without moto. The moto tests (tests/integration) check that
the real store keeps the same promises."""

from collections import Counter as Tally
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from shared.domain.availability import Busy
from shared.domain.bond import CheckIn
from shared.domain.counselor import MOST_OPEN_SLOTS, CounselorProfile, CounselorPublicProfile
from shared.domain.errors import (
    AlreadyDecided,
    CheckInAlreadySent,
    CounselorNotFound,
    IntakeNotFound,
    ShortlistAlreadyReleased,
    SlotTaken,
    StaleVersion,
)
from shared.domain.records import Actor, Intake, IntakeStatus, QueueStage
from shared.domain.report_counters import CounterDelta
from shared.matching.profile import MatchProfile
from shared.services.changes import (
    Assignment,
    Audit,
    CheckInSaved,
    ClientRematch,
    Decided,
    Erasure,
    NewIntake,
    OutboxEmail,
    Rematched,
    SessionHeld,
    ShortlistReleased,
    StatusMove,
    ViewRecorded,
)
from shared.services.ports import (
    AuditEntry,
    Counter,
    EmailLimitReached,
    MatchChanged,
    Page,
    QueueEntry,
    RosterChanged,
    RosterChanges,
    RosterColdLoad,
    RosterEntry,
    SlotsFull,
    StatusView,
)

STAFF = Actor(user_id="u-staff", username="staff-one", groups=frozenset({"staff"}))
ADMIN = Actor(user_id="u-admin", username="admin-one", groups=frozenset({"staff", "admin"}))


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeEvents:
    def __init__(self) -> None:
        self.published: list[tuple[str, str]] = []

    def intake_received(self, intake_id: str, urgent: bool, no_match: bool) -> None:
        self.published.append(("intake_received", intake_id))

    def client_email_queued(self, intake_id: str) -> None:
        self.published.append(("client_email_queued", intake_id))

    def rematch_requested(self, intake_id: str) -> None:
        self.published.append(("rematch_requested", intake_id))

    def bond_at_risk(self, intake_id: str) -> None:
        self.published.append(("bond_at_risk", intake_id))


class FakeStore:
    """Intakes, the roster and the audit trail in dictionaries. `interference` runs before each
    roster-locked write: a test makes it change the roster, as another request would."""

    def __init__(self) -> None:
        self.intakes: dict[str, Intake] = {}
        self.queue_stage: dict[str, QueueStage] = {}
        self.counselors: dict[str, CounselorProfile] = {}
        self.changed_at: dict[str, int] = {}
        self.understanding: dict[str, tuple[int, int]] = {}
        self.next_openings: dict[str, datetime] = {}
        self.booked: dict[str, list[Busy]] = {}  # counselor id -> busy cells
        self.busy_reads = 0
        self.version = 0
        self.roster_snapshot: tuple[int, bytes] | None = None
        self.audit: list[Audit] = []
        self.outbox: list[tuple[str, OutboxEmail]] = []
        self.counters: dict[str, Tally[str]] = {}
        self.emails_counted: Tally[tuple[str, str]] = Tally()  # (address hash, day)
        self.interference: Callable[[], None] | None = None

    # ------------------------------------------------------------ helpers the tests use

    def add_counselor(self, profile: CounselorProfile) -> None:
        self.version += 1
        self.counselors[profile.counselor_id] = profile
        self.changed_at[profile.counselor_id] = self.version

    def another_roster_change(self) -> None:
        """What another request's roster change does: the version moves on."""
        self.version += 1

    # ------------------------------------------------------------ the roster lock

    def _unchanged(self, expected: int) -> None:
        if self.interference is not None:
            self.interference()
        if self.version != expected:
            raise RosterChanged()

    def _locked(self, expected: int) -> int:
        self._unchanged(expected)
        self.version += 1
        return self.version

    def _moved(self, intake: Intake, move: StatusMove, at: datetime, **changes: object) -> Intake:
        current = self._current(intake.intake_id)
        if current.status not in move.allowed_from:
            raise AlreadyDecided()
        self.queue_stage[intake.intake_id] = move.stage
        return current.model_copy(update={"status": move.status, "updated_at": at, **changes})

    def _current(self, intake_id: str) -> Intake:
        if intake_id not in self.intakes:
            raise IntakeNotFound()
        return self.intakes[intake_id]

    def _count(self, deltas: tuple[CounterDelta, ...]) -> None:
        for delta in deltas:
            self.counters.setdefault(delta.name, Tally()).update(delta.amounts)

    # ------------------------------------------------------------ IntakeStore

    def create_intake(self, new: NewIntake) -> None:
        if new.roster_version is not None:
            self._unchanged(new.roster_version)
        if new.email_quota is not None:
            counted = (new.email_quota.address_hash, new.email_quota.day)
            if self.emails_counted[counted] >= new.email_quota.limit:
                raise EmailLimitReached()
            self.emails_counted[counted] += 1
        self.intakes[new.intake.intake_id] = new.intake
        self.queue_stage[new.intake.intake_id] = new.stage
        if new.email is not None:
            self.outbox.append((new.intake.intake_id, new.email))
        self._count(new.counters)

    def get_intake(self, intake_id: str) -> Intake:
        return self._current(intake_id)

    def get_status(self, intake_id: str) -> StatusView:
        intake = self._current(intake_id)
        return StatusView(
            intake.status,
            intake.status_links,
            intake.assigned_counselor_id,
            intake.updated_at,
            urgent=intake.urgent,
            locale=intake.answers.locale,
        )

    def list_queue(
        self, stage: QueueStage, status: IntakeStatus | None, limit: int, cursor: str | None
    ) -> Page[QueueEntry]:
        raise NotImplementedError  # listings are the store's paging: tested against moto

    def record_view(self, view: ViewRecorded) -> None:
        if view.move is not None and view.history is not None:
            moved = self._moved(view.intake, view.move, view.audit.at)
            self.intakes[moved.intake_id] = moved.model_copy(update={"history": [*moved.history, view.history]})
        self.audit.append(view.audit)

    def assign(self, change: Assignment) -> None:
        counselor = self.counselors.get(change.counselor_id)
        current = self._current(change.intake.intake_id)
        if current.status not in change.move.allowed_from:
            raise AlreadyDecided()
        if counselor is None or not (counselor.active and counselor.accepting_new_clients and counselor.open_slots):
            raise SlotTaken()
        if current.match != change.intake.match:  # a colleague re-ran matching since the read
            raise MatchChanged()
        version = self._locked(self.version)
        self.counselors[counselor.counselor_id] = counselor.model_copy(update={"open_slots": counselor.open_slots - 1})
        self.changed_at[counselor.counselor_id] = version
        links = {**current.status_links, **({change.link.token_hash: change.link.expires_at} if change.link else {})}
        moved = self._moved(
            current, change.move, change.at,
            assigned_counselor_id=change.counselor_id, assigned_at=change.at, assigned_fit=change.fit,
            sessions_held=0, status_links=links, history=[*current.history, change.history],
        )  # fmt: skip
        self.intakes[moved.intake_id] = moved
        self.audit.append(change.audit)
        if change.email is not None:
            self.outbox.append((moved.intake_id, change.email))
        self._count(change.counters)

    def decide(self, change: Decided) -> None:
        current = self._current(change.intake.intake_id)
        if change.bond_reviewed and not current.bond_at_risk:
            raise AlreadyDecided()
        moved = self._moved(
            current, change.move, change.at, history=[*current.history, change.history],
            **({"bond_at_risk": False} if change.bond_reviewed else {}),
        )  # fmt: skip
        self.intakes[moved.intake_id] = moved
        self.audit.append(change.audit)

    def release_shortlist(self, change: ShortlistReleased) -> None:
        current = self._current(change.intake.intake_id)
        if current.urgent or current.shortlist_released_at or current.status not in change.allowed_from:
            raise ShortlistAlreadyReleased()
        if current.match != change.intake.match:
            raise MatchChanged()
        self.intakes[current.intake_id] = current.model_copy(
            update={
                "shortlist_released_at": change.at,
                "updated_at": change.at,
                "status_links": {**current.status_links, change.link.token_hash: change.link.expires_at},
                "history": [*current.history, change.history],
            }
        )
        self.audit.append(change.audit)
        self.outbox.append((current.intake_id, change.email))

    def save_match(self, change: Rematched) -> None:
        current = self._current(change.intake.intake_id)
        if current.status not in change.move.allowed_from:
            raise AlreadyDecided()
        self._unchanged(change.match.roster_version)
        moved = self._moved(
            current, change.move, change.at, match=change.match, history=[*current.history, change.history]
        )
        self.intakes[moved.intake_id] = moved
        if change.audit is not None:
            self.audit.append(change.audit)

    def record_session(self, change: SessionHeld) -> None:
        current = self._current(change.intake.intake_id)
        if (
            current.status is not IntakeStatus.ASSIGNED
            or current.assigned_counselor_id != change.intake.assigned_counselor_id
            or current.sessions_held != change.intake.sessions_held
        ):
            raise AlreadyDecided()
        check_ins = [*current.check_ins, *([change.invite] if change.invite else [])]
        self.intakes[current.intake_id] = current.model_copy(
            update={"sessions_held": change.sessions_held, "updated_at": change.at, "check_ins": check_ins,
                    "history": [*current.history, change.history]}
        )  # fmt: skip
        self.audit.append(change.audit)
        if change.email is not None:
            self.outbox.append((current.intake_id, change.email))

    def get_check_in(self, intake_id: str, number: int) -> CheckIn:
        for check_in in self._current(intake_id).check_ins:
            if check_in.number == number:
                return check_in
        raise IntakeNotFound()

    def save_check_in(self, change: CheckInSaved) -> None:
        current = self._current(change.intake.intake_id)
        stored = next(c for c in current.check_ins if c.number == change.check_in.number)
        if stored.submitted_at is not None:
            raise CheckInAlreadySent()
        already = [c for c in current.check_ins if c.counselor_id == stored.counselor_id and c.answers is not None]
        if len(already) != change.answered_before:  # another answer about this counselor landed since the read
            raise AlreadyDecided()
        updates: dict[str, object] = {}
        if change.flag is not None:
            if current.status not in change.flag.allowed_from or current.assigned_counselor_id != stored.counselor_id:
                raise AlreadyDecided()
            updates["bond_at_risk"] = True
            self.queue_stage[current.intake_id] = change.flag.stage
            if change.link is not None:
                updates["status_links"] = {**current.status_links, change.link.token_hash: change.link.expires_at}
        if change.rating is not None:
            version = self._locked(self.version)
            clients, score = self.understanding.get(stored.counselor_id, (0, 0))
            self.understanding[stored.counselor_id] = (clients + change.rating.clients, score + change.rating.score)
            self.changed_at[stored.counselor_id] = version
        answered = stored.model_copy(
            update={"submitted_at": change.at, "answers": change.answers, "risk": list(change.risk),
                    "counted": change.counted}
        )  # fmt: skip
        check_ins = [answered if c.number == stored.number else c for c in current.check_ins]
        self.intakes[current.intake_id] = current.model_copy(
            update={**updates, "check_ins": check_ins, "history": [*current.history, change.history]}
        )
        self._count(change.counters)
        if change.email is not None:
            self.outbox.append((current.intake_id, change.email))

    def client_rematch(self, change: ClientRematch) -> None:
        current = self._current(change.intake.intake_id)
        if (
            current.status not in change.move.allowed_from
            or current.assigned_counselor_id != change.previous_counselor_id
        ):
            raise AlreadyDecided()
        previous = self.counselors[change.previous_counselor_id]
        if change.give_back_slot and previous.open_slots >= MOST_OPEN_SLOTS:
            raise SlotsFull()
        version = self._locked(change.match.roster_version)
        if change.give_back_slot:
            self.counselors[previous.counselor_id] = previous.model_copy(update={"open_slots": previous.open_slots + 1})
            self.changed_at[previous.counselor_id] = version
        moved = self._moved(
            current, change.move, change.at, assigned_counselor_id=None, assigned_at=None, assigned_fit=None,
            bond_at_risk=False, match=change.match.model_copy(update={"roster_version": version}),
            excluded_counselor_ids=[*current.excluded_counselor_ids, previous.counselor_id],
            history=[*current.history, change.history],
        )  # fmt: skip
        self.intakes[moved.intake_id] = moved
        self._count(change.counters)

    def report_counters(self) -> list[Counter]:
        return [Counter(name, dict(values)) for name, values in sorted(self.counters.items())]

    # ------------------------------------------------------------ RosterStore

    def roster_changes(self, since: int) -> RosterChanges:
        entries = [
            RosterEntry(
                counselor_id=p.counselor_id,
                compact_profile=MatchProfile.from_profile(p).to_compact(),
                open_slots=p.open_slots,
                name=p.name,
                roster_version=self.changed_at[p.counselor_id],
                understanding=self.understanding.get(p.counselor_id, (0, 0)),
                active=p.active,
                accepting_new_clients=p.accepting_new_clients,
                next_opening=self.next_openings.get(p.counselor_id),
            )
            for p in self.counselors.values()
            if self.changed_at[p.counselor_id] > since
        ]
        return RosterChanges(self.version, entries)

    def roster_cold_load(self) -> RosterColdLoad:
        """As the table does: the stored snapshot at its version and the changes since (all without one)."""
        if self.roster_snapshot is None:
            return RosterColdLoad(None, 0, self.roster_changes(0))
        version, data = self.roster_snapshot
        return RosterColdLoad(data, version, self.roster_changes(version))

    def save_roster_snapshot(self, version: int, snapshot: bytes) -> bool:
        if self.roster_snapshot is not None and self.roster_snapshot[0] >= version:
            return False
        self.roster_snapshot = (version, snapshot)
        return True

    def list_roster(self, limit: int, cursor: str | None) -> Page[RosterEntry]:
        return Page(self.roster_changes(0).entries[:limit], None)

    def get_counselor(self, counselor_id: str) -> CounselorProfile:
        if counselor_id not in self.counselors:
            raise CounselorNotFound()
        return self.counselors[counselor_id]

    def public_profile(self, counselor_id: str) -> CounselorPublicProfile:
        profile = self.get_counselor(counselor_id)
        if not profile.active:
            raise CounselorNotFound()
        return CounselorPublicProfile.from_profile(profile)

    def directory(self, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]:
        active = [CounselorPublicProfile.from_profile(p) for p in self.counselors.values() if p.active]
        return Page(active[:limit], None)

    def roster_version(self) -> int:
        return self.version

    def save_counselor(
        self,
        profile: CounselorProfile,
        expected_version: int | None,
        audit: Audit,
        next_opening: datetime | None = None,
        roster_version: int | None = None,
    ) -> None:
        stored = self.counselors.get(profile.counselor_id)
        if (expected_version is None) != (stored is None) or (stored and stored.version != expected_version):
            raise StaleVersion()
        version = self._locked(self.version if roster_version is None else roster_version)
        self.counselors[profile.counselor_id] = profile
        self.changed_at[profile.counselor_id] = version
        if next_opening is None:
            self.next_openings.pop(profile.counselor_id, None)
        else:
            self.next_openings[profile.counselor_id] = next_opening
        self.audit.append(audit)

    # ------------------------------------------------------------ BookedTime

    def busy(self, counselor_id: str, since: datetime, until: datetime) -> list[Busy]:
        self.busy_reads += 1
        return [b for b in self.booked.get(counselor_id, []) if b.end > since and b.start < until]

    # ------------------------------------------------------------ RecordsAdministration

    def erase_intake(self, erasure: Erasure, audit: Audit, give_back_slot: bool) -> None:
        current = self._current(erasure.intake.intake_id)
        if current != erasure.intake:  # anything landed since the read
            raise AlreadyDecided()
        slot_of = erasure.slot_of if give_back_slot else None
        if slot_of is not None:
            counselor = self.counselors[slot_of]
            if counselor.open_slots >= MOST_OPEN_SLOTS:
                raise SlotsFull()
            self.counselors[slot_of] = counselor.model_copy(update={"open_slots": counselor.open_slots + 1})
            self.changed_at[slot_of] = self._locked(self.version)
        del self.intakes[current.intake_id]
        self.outbox = [(i, e) for i, e in self.outbox if i != current.intake_id]
        self.audit = [
            a._replace(intake_id=None, counselor_id=None) if a.intake_id == current.intake_id else a for a in self.audit
        ]
        self.audit.append(audit)

    def finish_erasure(self, intake_id: str, audit: Audit, give_back_slot: bool) -> bool:
        return False  # every erasure here is one step: none stops half-way

    def list_audit(self, day: str, limit: int, cursor: str | None) -> Page[AuditEntry]:
        entries = [
            AuditEntry(a.at, a.actor.username, a.action, a.intake_id, a.counselor_id)
            for a in self.audit
            if a.at.date().isoformat() == day
        ]
        return Page(entries[:limit], None)
