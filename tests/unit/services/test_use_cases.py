"""The use cases' rules, on in-memory fakes of their ports (tests/unit/services/fakes.py): what each decides,
and what it refuses. The same flows run through the real handlers and moto in tests/integration."""

from datetime import timedelta
from typing import Any

import pytest

from shared.domain.bond import CheckInAnswers
from shared.domain.errors import InvalidRequest, RosterBusy, SlotTaken, StaleVersion, TransitionNotAllowed
from shared.domain.records import Decision, HistoryKind, IntakeStatus, QueueStage
from shared.services import bond, counselors, intakes, review
from shared.services.changes import EmailKind
from shared.services.intakes import Submitted
from shared.services.links import token_hash
from shared.services.roster_cache import RosterCache
from shared.services.roster_lock import ATTEMPTS
from tests.factories import a_counselor, an_intake
from tests.unit.services.fakes import ADMIN, STAFF, FakeClock, FakeEvents, FakeStore

GOOD = {"trust": 9, "understood": 9, "respected": 9, "agenda": 9, "overall": 9}


class World:
    """The ports a function would pass, as fakes, and one counselor on the roster."""

    def __init__(self) -> None:
        self.store = FakeStore()
        self.clock = FakeClock()
        self.events = FakeEvents()
        self.roster = RosterCache()
        self.counselor = a_counselor(name="Alex Morgan", open_slots=2)
        self.store.add_counselor(self.counselor)

    def submit(self, **changes: Any) -> Submitted:
        return intakes.submit_intake(
            an_intake(**changes), intakes=self.store, roster_store=self.store, roster=self.roster,
            events=self.events, clock=self.clock, retention_days=30,
        )  # fmt: skip

    def assign(self, intake_id: str, counselor_id: str | None = None, reason: str = "") -> review.Outcome:
        return review.assign(
            self.store, intake_id, counselor_id or self.counselor.counselor_id, reason, STAFF, self.clock,
            events=self.events,
        )  # fmt: skip

    def hold_session(self, intake_id: str) -> review.SessionOutcome:
        return review.record_session(
            self.store, self.store, intake_id, STAFF, self.clock, schedule=(1, 3), link_days=14, events=self.events
        )

    def check_in(self, intake_id: str, number: int, **answers: Any) -> bool:
        (token,) = [e.token for i, e in self.store.outbox if i == intake_id and e.check_in == number]
        given = CheckInAnswers.model_validate({**GOOD, **answers})
        return bond.submit_check_in(self.store, intake_id, number, token, given, self.clock, self.events).at_risk

    def request_rematch(self, submitted: Submitted) -> intakes.RematchRequested:
        return intakes.request_rematch(
            submitted.intake_id, submitted.status_token, "  Someone more direct  ", intakes=self.store,
            roster_store=self.store, roster=self.roster, events=self.events, clock=self.clock,
        )  # fmt: skip


@pytest.fixture
def world() -> World:
    return World()


def keep_changing_the_roster(world: World, times: int) -> None:
    """Another request changes the roster just before each of the next `times` locked writes."""
    left = [times]

    def interfere() -> None:
        if left[0]:
            left[0] -= 1
            world.store.another_roster_change()

    world.store.interference = interfere


# ---------------------------------------------------------------- submitting


def test_a_submitted_intake_is_stored_new_with_suggestions_its_first_history_and_a_confirmation(world: World) -> None:
    submitted = world.submit()
    stored = world.store.intakes[submitted.intake_id]
    assert stored.status is IntakeStatus.NEW
    assert world.store.queue_stage[submitted.intake_id] is QueueStage.OPEN
    assert stored.match is not None
    assert [s.counselor_id for s in stored.match.result.suggestions] == [world.counselor.counselor_id]
    assert [e.kind for e in stored.history] == [HistoryKind.SUBMITTED]
    assert [e.kind for _, e in world.store.outbox] == [EmailKind.CONFIRMATION]
    assert world.store.counters == {}  # a run with suggestions adds no no-match count
    assert world.events.published == [("intake_received", submitted.intake_id)]


def test_an_address_is_sent_only_so_many_confirmations_a_day_but_every_intake_is_stored(world: World) -> None:
    # the default limit is 3; case and a +tag name the same mailbox
    addresses = ["Someone@Example.org", "someone+a@example.org", "someone@example.org", "SOMEONE+b@example.org"]
    submitted = [world.submit(contact={"email": a}) for a in addresses]
    assert all(s.intake_id in world.store.intakes for s in submitted)
    assert [i for i, _ in world.store.outbox] == [s.intake_id for s in submitted[:3]]
    world.submit(contact={"email": "someone.else@example.org"})  # another address has its own limit
    assert len(world.store.outbox) == 4
    world.clock.advance(days=1)  # a new UTC day starts a new count
    world.submit(contact={"email": "someone@example.org"})
    assert len(world.store.outbox) == 5


def test_a_submission_nobody_fits_counts_its_no_match_reason(world: World) -> None:
    world.submit(client={"jurisdiction": "US-TX"})
    assert dict(world.store.counters["NOMATCH#not_licensed"]) == {"n": 1}


def test_when_the_roster_keeps_changing_the_intake_is_still_stored_for_rematching(world: World) -> None:
    keep_changing_the_roster(world, ATTEMPTS)
    submitted = world.submit()
    assert world.store.intakes[submitted.intake_id].status is IntakeStatus.NEEDS_REMATCH
    assert world.store.intakes[submitted.intake_id].match is None


def test_a_roster_change_during_submission_is_matched_again_on_the_new_roster(world: World) -> None:
    keep_changing_the_roster(world, 1)
    submitted = world.submit()
    stored = world.store.intakes[submitted.intake_id]
    assert stored.status is IntakeStatus.NEW
    assert stored.match is not None and stored.match.roster_version == world.store.version


# ---------------------------------------------------------------- staff


def test_the_first_staff_read_takes_a_new_intake_into_review_and_every_read_is_audited(world: World) -> None:
    submitted = world.submit()
    opened = review.open_intake(world.store, submitted.intake_id, STAFF, world.clock)
    assert opened.status is IntakeStatus.IN_REVIEW
    assert [e.kind for e in opened.history] == [HistoryKind.SUBMITTED, HistoryKind.OPENED]
    again = review.open_intake(world.store, submitted.intake_id, STAFF, world.clock)
    assert [e.kind for e in again.history] == [HistoryKind.SUBMITTED, HistoryKind.OPENED]
    assert [a.action for a in world.store.audit] == ["viewed_intake", "viewed_intake"]


def test_assigning_takes_a_slot_emails_the_client_and_counts_the_first_match_and_its_wait(world: World) -> None:
    submitted = world.submit()
    world.clock.advance(hours=30)
    outcome = world.assign(submitted.intake_id)
    assert outcome == review.Outcome(submitted.intake_id, IntakeStatus.ASSIGNED)
    assert world.store.counselors[world.counselor.counselor_id].open_slots == 1
    assert world.store.queue_stage[submitted.intake_id] is QueueStage.ASSIGNED
    assert [e.kind for _, e in world.store.outbox] == [EmailKind.CONFIRMATION, EmailKind.MATCHED]
    assert dict(world.store.counters["ASSIGN"]) == {"n": 1, "waited_d1": 1}
    assert [a.action for a in world.store.audit] == ["assigned"]


def test_a_client_matched_again_after_asking_for_someone_else_is_not_a_second_first_match(world: World) -> None:
    other = a_counselor(name="Blake Chen", open_slots=2)
    world.store.add_counselor(other)
    submitted = world.submit()
    world.assign(submitted.intake_id)
    world.request_rematch(submitted)
    world.assign(submitted.intake_id, other.counselor_id, reason="The client asked for someone else")
    assert dict(world.store.counters["ASSIGN"]) == {"n": 1, "waited_d0": 1}
    assert dict(world.store.counters["REMATCH"]) == {"n": 1}


def test_a_counselor_who_was_not_suggested_needs_a_reason(world: World) -> None:
    other = a_counselor(name="Blake Chen", licensed_in=["US-NY"])
    world.store.add_counselor(other)
    submitted = world.submit()
    with pytest.raises(InvalidRequest):
        world.assign(submitted.intake_id, other.counselor_id, reason="short")
    outcome = world.assign(submitted.intake_id, other.counselor_id, reason="Moving to New York next month")
    assert outcome.status is IntakeStatus.ASSIGNED


def test_the_last_slot_cannot_be_given_twice(world: World) -> None:
    world.store.counselors[world.counselor.counselor_id] = world.counselor.model_copy(update={"open_slots": 1})
    first, second = world.submit(), world.submit()
    world.assign(first.intake_id)
    with pytest.raises(SlotTaken):
        world.assign(second.intake_id)


def test_an_assignment_is_tried_again_when_the_roster_changed_meanwhile(world: World) -> None:
    submitted = world.submit()
    keep_changing_the_roster(world, ATTEMPTS - 1)
    assert world.assign(submitted.intake_id).status is IntakeStatus.ASSIGNED


def test_every_roster_locked_write_gives_the_same_error_when_the_roster_keeps_changing(world: World) -> None:
    submitted, matched = world.submit(), world.submit()
    world.assign(matched.intake_id)
    keep_changing_the_roster(world, 100)
    with pytest.raises(RosterBusy):
        world.assign(submitted.intake_id)
    with pytest.raises(RosterBusy):  # the staff's rematch (it used to say 409 where the others said 503)
        review.rematch(world.store, world.store, world.roster, submitted.intake_id, STAFF, world.clock)
    with pytest.raises(RosterBusy):
        world.request_rematch(matched)
    with pytest.raises(RosterBusy):
        counselors.change_status(
            world.store, world.counselor.counselor_id,
            counselors.StatusChange(version=world.counselor.version, open_slots=5), ADMIN, world.clock,
        )  # fmt: skip


def test_a_decision_is_refused_where_the_lifecycle_does_not_allow_it(world: World) -> None:
    submitted = world.submit()
    outcome = review.decide(world.store, submitted.intake_id, Decision.DECLINE, "Out of area", STAFF, world.clock)
    assert outcome.status is IntakeStatus.DECLINED
    assert world.store.queue_stage[submitted.intake_id] is QueueStage.CLOSED
    with pytest.raises(TransitionNotAllowed):
        review.decide(world.store, submitted.intake_id, Decision.WAITLIST, "Try again", STAFF, world.clock)


# ---------------------------------------------------------------- after the match


def test_check_ins_follow_the_sessions_schedule(world: World) -> None:
    submitted = world.submit()
    world.assign(submitted.intake_id)
    sent = [world.hold_session(submitted.intake_id).check_in is not None for _ in range(3)]
    assert sent == [True, False, True]
    history = [e.note for e in world.store.intakes[submitted.intake_id].history if e.kind is HistoryKind.SESSION_HELD]
    assert history == ["Session 1", "Session 2", "Session 3"]


def test_a_low_check_in_flags_the_bond_and_counts_in_the_report_once_per_client(world: World) -> None:
    submitted = world.submit()
    world.assign(submitted.intake_id)
    world.hold_session(submitted.intake_id)
    assert world.check_in(submitted.intake_id, 1, overall=9, identity=7) is False
    world.hold_session(submitted.intake_id)
    world.hold_session(submitted.intake_id)
    assert world.check_in(submitted.intake_id, 2, overall=4, identity=9) is True
    stored = world.store.intakes[submitted.intake_id]
    assert stored.bond_at_risk is True
    assert world.store.queue_stage[submitted.intake_id] is QueueStage.ATTENTION
    bands = {k: dict(v) for k, v in world.store.counters.items() if k.startswith("BAND#")}
    assert [v["n"] for v in bands.values()] == [1]  # the second check-in took the first one's place
    assert [v["overall"] for v in bands.values()] == [4]
    assert world.store.understanding[world.counselor.counselor_id] == (1, 9)  # one client, their latest rating
    review.review_bond(world.store, submitted.intake_id, "Talked it through", STAFF, world.clock)
    assert world.store.queue_stage[submitted.intake_id] is QueueStage.ASSIGNED


def test_a_low_check_in_queues_a_word_of_support_with_a_fresh_status_link_and_a_good_one_does_not(
    world: World,
) -> None:
    submitted = world.submit()
    world.assign(submitted.intake_id)
    world.hold_session(submitted.intake_id)
    (token,) = [e.token for i, e in world.store.outbox if e.check_in == 1]
    good = bond.submit_check_in(
        world.store, submitted.intake_id, 1, token, CheckInAnswers.model_validate(GOOD), world.clock, world.events
    )
    assert good == bond.CheckInSent(at_risk=False, support_email_sent=False)
    world.hold_session(submitted.intake_id)
    world.hold_session(submitted.intake_id)
    (token,) = [e.token for i, e in world.store.outbox if e.check_in == 2]
    low = CheckInAnswers.model_validate({**GOOD, "trust": 2})
    sent = bond.submit_check_in(world.store, submitted.intake_id, 2, token, low, world.clock, world.events)
    assert sent == bond.CheckInSent(at_risk=True, support_email_sent=True)
    kinds = [e.kind for _, e in world.store.outbox]
    assert kinds.count(EmailKind.CHECK_IN_SUPPORT) == 1 and kinds[-1] is EmailKind.CHECK_IN_SUPPORT
    support = world.store.outbox[-1][1]
    links = world.store.intakes[submitted.intake_id].status_links
    assert token_hash(support.token) in links and support.token not in (submitted.status_token, token)
    assert links[token_hash(support.token)] == world.clock() + timedelta(days=180)


def test_asking_for_someone_else_gives_the_slot_back_and_never_suggests_them_again(world: World) -> None:
    submitted = world.submit()
    world.assign(submitted.intake_id)
    outcome = world.request_rematch(submitted)
    assert outcome == intakes.RematchRequested(stage="finding_someone_else", no_match=True)
    stored = world.store.intakes[submitted.intake_id]
    assert stored.status is IntakeStatus.NEEDS_REMATCH
    assert stored.excluded_counselor_ids == [world.counselor.counselor_id]
    assert stored.history[-1].note == "Someone more direct"
    assert world.store.counselors[world.counselor.counselor_id].open_slots == 2
    assert dict(world.store.counters["NOMATCH#no_other_counselor"]) == {"n": 1}


def test_a_counselor_edit_from_a_stale_version_is_refused(world: World) -> None:
    change = counselors.StatusChange(version=world.counselor.version, open_slots=5)
    counselors.change_status(world.store, world.counselor.counselor_id, change, ADMIN, world.clock)
    with pytest.raises(StaleVersion):
        counselors.change_status(world.store, world.counselor.counselor_id, change, ADMIN, world.clock)
