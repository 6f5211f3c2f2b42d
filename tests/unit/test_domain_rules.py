"""Rules of the domain stated without the API: status transitions, identifiers, report buckets, error messages
and what the public may see of a counselor."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import ValidationError

from shared.domain import errors, ids, quality
from shared.domain.counselor import CounselorProfile, CounselorPublicProfile, fields_visible_to
from shared.domain.labels import labels
from shared.domain.records import (
    ASSIGNABLE_STATUSES,
    OPEN_STATUSES,
    HistoryKind,
    Intake,
    IntakeStatus,
    can_transition,
    statuses_that_can_become,
)
from shared.domain.vocabulary import Value, Visibility
from tests.factories import a_counselor, an_intake
from tests.strategies import counselor_profiles

S = IntakeStatus


# ---- status transitions (docs/data-model.md) --------------------------------------------------------------


def test_an_assigned_intake_can_only_go_back_to_matching_and_closed_ones_go_nowhere() -> None:
    assert {s for s in S if can_transition(S.ASSIGNED, s)} == {S.NEEDS_REMATCH}
    for closed in (S.REFERRED_OUT, S.DECLINED):
        assert not [s for s in S if can_transition(closed, s)]


def test_an_open_or_waitlisted_intake_can_be_assigned_referred_out_or_declined() -> None:
    for status in ASSIGNABLE_STATUSES:
        for decided in (S.ASSIGNED, S.REFERRED_OUT, S.DECLINED):
            assert can_transition(status, decided), (status, decided)
    assert {S.NEW, S.IN_REVIEW, S.NEEDS_REMATCH} == OPEN_STATUSES
    assert OPEN_STATUSES | {S.WAITLISTED} == ASSIGNABLE_STATUSES


def test_the_statuses_a_write_may_find_are_exactly_those_that_can_become_the_new_one() -> None:
    for new in S:
        assert statuses_that_can_become(new) == {s for s in S if can_transition(s, new)}, new
    assert statuses_that_can_become(S.NEW) == frozenset()
    assert statuses_that_can_become(S.WAITLISTED) == {S.NEW, S.IN_REVIEW, S.NEEDS_REMATCH}
    assert statuses_that_can_become(S.IN_REVIEW) == {S.NEW, S.NEEDS_REMATCH}


def intake_with(**fields: Any) -> Intake:
    return Intake.model_construct(**fields)


def test_only_check_ins_sent_since_the_current_assignment_count() -> None:
    assigned_at = datetime(2026, 11, 1, tzinfo=UTC)
    check_ins = [
        SimpleNamespace(counselor_id="c-now", invited_at=assigned_at),  # the moment of assignment counts
        SimpleNamespace(counselor_id="c-now", invited_at=assigned_at + timedelta(days=7)),
        SimpleNamespace(counselor_id="c-now", invited_at=assigned_at - timedelta(days=1)),  # an earlier spell
        SimpleNamespace(counselor_id="c-before", invited_at=assigned_at + timedelta(days=1)),
    ]
    intake = intake_with(assigned_counselor_id="c-now", assigned_at=assigned_at, check_ins=check_ins)
    assert intake.check_ins_with_current_counselor() == 2
    assert (
        intake_with(
            assigned_counselor_id=None, assigned_at=assigned_at, check_ins=check_ins
        ).check_ins_with_current_counselor()
        == 0
    )
    assert (
        intake_with(
            assigned_counselor_id="c-now", assigned_at=None, check_ins=check_ins
        ).check_ins_with_current_counselor()
        == 0
    )


def test_an_intake_was_assigned_before_when_its_history_holds_an_assignment() -> None:
    assert intake_with(history=[SimpleNamespace(kind=HistoryKind.ASSIGNED)]).was_assigned_before()
    assert not intake_with(history=[SimpleNamespace(kind=HistoryKind.DECIDED)]).was_assigned_before()
    assert not intake_with(history=[]).was_assigned_before()


# ---- identifiers ---------------------------------------------------------------------------------------


def test_identifiers_are_random_lowercase_base32_of_the_documented_length() -> None:
    intake_ids = {ids.new_intake_id() for _ in range(50)}
    counselor_ids = {ids.new_counselor_id() for _ in range(50)}
    assert len(intake_ids) == len(counselor_ids) == 50
    assert all(re.fullmatch(r"in-[a-z2-7]{20}", i) for i in intake_ids)
    assert all(re.fullmatch(r"c-[a-z2-7]{12}", c) for c in counselor_ids)
    # every character position varies (no constant padding or truncation)
    assert all(len({i[3 + n] for i in intake_ids}) > 1 for n in range(20))


# ---- report buckets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [(None, "none"), (100, "90"), (90, "90"), (89, "80"), (80, "80"), (79, "70"), (70, "70"), (69, "60"),
     (60, "60"), (59, "0"), (0, "0")],
)  # fmt: skip
def test_scores_fall_in_ten_point_bands_from_sixty(score: int | None, band: str) -> None:
    assert quality.score_band(score) == band
    assert band in quality.SCORE_BANDS


@pytest.mark.parametrize(("level", "bucket"), [(1.0, "met"), (0.999, "partial"), (0.001, "partial"), (0.0, "unmet")])
def test_levels_are_met_partly_met_or_not_met(level: float, bucket: str) -> None:
    assert quality.level_bucket(level) == bucket


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [(0, "d0"), (23.9, "d0"), (24, "d1"), (47.9, "d1"), (48, "d2"), (167.9, "d2"), (168, "w1"), (335.9, "w1"),
     (336, "w2"), (2000, "w2")],
)  # fmt: skip
def test_waits_fall_in_the_documented_buckets(hours: float, bucket: str) -> None:
    assert quality.wait_bucket(hours) == bucket
    assert bucket in quality.WAIT_BUCKETS


# ---- error messages --------------------------------------------------------------------------------------

# Classes, not instances: each error is built inside the test (an instance made at import would hold the
# message of whatever code was imported, which is not what `make mutate` checks).
MESSAGES: list[Callable[[], errors.DomainError]] = [
    errors.IntakeNotFound,
    errors.CounselorNotFound,
    errors.AlreadyDecided,
    errors.SlotTaken,
    errors.StaleVersion,
    errors.CheckInAlreadySent,
    errors.LinkExpired,
    errors.IdempotencyKeyReused,
    errors.RequestInProgress,
    errors.Forbidden,
    errors.Unauthenticated,
    errors.StoreUnavailable,
    lambda: errors.InvalidRequest("Choose another time.", ("slot",)),
]


@pytest.mark.parametrize("make", MESSAGES, ids=lambda e: getattr(e, "__name__", "InvalidRequest"))
def test_every_error_carries_a_sentence_for_the_person_who_sees_it(make: Callable[[], errors.DomainError]) -> None:
    # Messages are written for the person (shared/domain/errors.py): a capitalised sentence, the same as str()
    error = make()
    assert str(error) == error.message
    assert re.fullmatch(r"[A-Z][a-z][^\n]*[.:]( [A-Z][^\n]*[.])*", error.message), error.message
    assert len(error.message) >= 15
    assert "XX" not in error.message


def test_a_conflict_names_its_kind_and_an_invalid_request_the_field() -> None:
    assert errors.InvalidRequest("Choose another time.", ("slot", 2)).field == ("slot", 2)
    assert errors.InvalidRequest("Choose another time.").field == ()
    assert errors.SlotTaken().code == "slot_taken"
    assert errors.StoreUnavailable.retry_after_seconds == 2
    assert errors.DomainError("Plain words.").message == "Plain words."


# ---- what the public sees of a counselor (docs/security.md, property 1) -------------------------------------

PRIVATE_CHOICES = {"faith_integration", "cultural_identity", "faith_identity", "gender"}


@settings(max_examples=settings().max_examples)
@given(profile=counselor_profiles())
def test_the_public_profile_shows_public_fields_as_they_are_and_identity_only_by_the_counselors_choice(
    profile: CounselorProfile,
) -> None:
    public = CounselorPublicProfile.from_profile(profile)
    shown, stored = public.model_dump(), profile.model_dump()
    for name in fields_visible_to(Visibility.PUBLIC):
        assert shown[name] == stored[name], name
    assert set(shown) == fields_visible_to(Visibility.PUBLIC) | PRIVATE_CHOICES
    assert public.faith_integration == (profile.faith_integration if profile.show_faith_integration else [])
    for name, empty in (("cultural_identity", []), ("faith_identity", None), ("gender", None)):
        identity = getattr(profile, name)
        expected = identity.value if identity is not None and identity.visibility == "public" else empty
        assert getattr(public, name) == expected, name


def test_a_counselor_who_keeps_their_own_faith_for_matching_only_is_not_shown_with_it() -> None:
    for kept in ("matching_only",):
        profile = a_counselor(
            faith_identity={"value": "christian", "visibility": kept},
            gender={"value": "woman", "visibility": kept},
            cultural_identity={"value": ["hispanic_latino"], "visibility": kept},
            faith_integration=["christian"],
            show_faith_integration=False,
        )
        public = CounselorPublicProfile.from_profile(profile)
        assert (public.faith_identity, public.gender, public.cultural_identity, public.faith_integration) == (
            None, None, [], [],
        )  # fmt: skip
    shown = a_counselor(
        faith_identity={"value": "christian", "visibility": "public"},
        gender={"value": "woman", "visibility": "public"},
        cultural_identity={"value": ["hispanic_latino"], "visibility": "public"},
        faith_integration=["christian"],
    )
    public = CounselorPublicProfile.from_profile(shown)
    assert (public.faith_identity, public.gender, public.cultural_identity, public.faith_integration) == (
        "christian", "woman", ["hispanic_latino"], ["christian"],
    )  # fmt: skip


def test_fields_are_declared_with_exactly_one_visibility() -> None:
    every = set(CounselorProfile.model_fields)
    by_visibility = [fields_visible_to(v) for v in Visibility]
    assert set().union(*by_visibility) == every
    assert sum(len(f) for f in by_visibility) == len(every)
    assert "name" in fields_visible_to(Visibility.PUBLIC)
    assert "sliding_scale_min" in fields_visible_to(Visibility.STAFF)
    assert "faith_identity" in fields_visible_to(Visibility.MATCHING)


def test_labels_read_as_a_list_in_plain_words() -> None:
    assert labels([]) == ""
    assert labels([Value.FAMILY]) == "Family"
    assert labels([Value.FAMILY, Value.COMMUNITY]) == "Community and Family"
    assert (
        labels(frozenset({Value.FAMILY, Value.COMMUNITY, Value.FAITH_SPIRITUALITY}))
        == "Community, Faith and spirituality and Family"
    )


def test_a_must_have_without_a_choice_is_refused_with_what_to_do() -> None:
    with pytest.raises(
        ValidationError, match=r"Value error, choose at least one value, or lower how much it matters \[type="
    ):
        an_intake(values={"values": [], "importance": "must_have"})


def test_error_sentences_start_in_capitals_and_do_not_shout() -> None:
    for make in MESSAGES:
        message = make().message
        assert not re.search(r"\. [a-z]", message), message
        assert not re.search(r"[A-Z]{4,}", message), message


def test_a_choice_listed_twice_is_refused_with_a_plain_message() -> None:
    with pytest.raises(ValidationError, match=r"Value error, each choice can be listed once \[type=value_error"):
        an_intake(languages={"languages": ["en", "en"], "importance": "must_have"})
    assert an_intake(languages={"languages": ["en", "es"], "importance": "must_have"}).languages.languages == [
        "en",
        "es",
    ]


def test_every_member_of_a_labelled_list_has_its_label() -> None:
    from shared.domain.labels import LABELS

    # a new status, decision or history kind must not reach the console as its raw value
    missing = {kind.__name__: {m.value for m in kind} - set(words) for kind, words in LABELS.items()}
    assert not {name: values for name, values in missing.items() if values}
