"""A roster built from a snapshot (and the changes since it) matches exactly like one built from profiles.

The snapshot holds the indexes themselves (shared/matching/roster_snapshot.py); these properties compare the
whole results, reasons and breakdowns included, of suggest() and fits() on both, for generated intakes and
rosters, with changed and new counselors applied to the snapshot as a cold function applies them.
"""

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.matching.engine import fits, suggest
from shared.matching.profile import Interner, MatchProfile
from shared.matching.roster import CompiledRoster
from shared.matching.roster_snapshot import RosterColumns
from shared.matching.weights import MAX_SUGGESTIONS
from tests.strategies import counselor_bodies, intakes, rosters
from tests.unit.matching.test_properties import NOW, openings_for, ratings_for

MANY = settings(max_examples=2 * settings().max_examples)


def stored(
    profile: CounselorProfile, ratings: dict[str, tuple[int, int]], openings: dict[str, datetime]
) -> MatchProfile:
    """The profile as a function reads it: from its compact text, with ratings and next opening."""
    return MatchProfile.from_compact(
        profile.counselor_id,
        MatchProfile.from_profile(profile).to_compact(),
        profile.open_slots,
        Interner(),
        ratings.get(profile.counselor_id, (0, 0)),
        openings.get(profile.counselor_id),
    )


def through_snapshot(base: list[MatchProfile], changes: list[MatchProfile]) -> CompiledRoster:
    columns = RosterColumns.decode(RosterColumns.of(base, {p.counselor_id: "N" for p in base}).encode())
    assert columns is not None
    for profile in changes:
        columns.apply(profile, "N")
    return CompiledRoster.from_columns(columns)


@MANY
@given(intake=intakes(), roster=rosters(0, 12), data=st.data())
def test_a_roster_from_a_snapshot_and_changes_matches_like_one_from_profiles(
    intake: IntakeAnswers, roster: list[CounselorProfile], data: st.DataObject
) -> None:
    # Given a roster with ratings and next openings, and changes since its snapshot: some counselors changed
    # (others' profiles under their ids), some new
    openings = data.draw(openings_for(roster), label="next openings")
    ratings = data.draw(ratings_for(roster), label="ratings")
    profiles = [stored(p, ratings, openings) for p in roster]
    in_snapshot = data.draw(st.lists(st.sampled_from(profiles), unique_by=lambda p: p.counselor_id) if profiles
                            else st.just([]), label="in the snapshot")  # fmt: skip
    kept = {p.counselor_id for p in in_snapshot}
    changed = [p for p in profiles if p.counselor_id not in kept]  # new since the snapshot
    for p in in_snapshot:
        if data.draw(st.booleans(), label=f"{p.counselor_id} changed"):
            body = data.draw(counselor_bodies(p.counselor_id), label="its new profile")
            new = stored(CounselorProfile.model_validate(body), ratings, openings)
            changed.append(new)
            profiles[profiles.index(p)] = new
    now = data.draw(st.sampled_from([None, NOW]), label="now")
    limit = data.draw(st.integers(1, MAX_SUGGESTIONS), label="limit")
    # When both rosters match the intake
    expected_roster = CompiledRoster(profiles)
    roster_of_snapshot = through_snapshot(in_snapshot, changed)
    # Then the results are equal in every field, and so are everyone who fits
    assert suggest(intake, roster_of_snapshot, limit, now=now) == suggest(intake, expected_roster, limit, now=now)
    assert fits(intake, roster_of_snapshot, 50, now=now) == fits(intake, expected_roster, 50, now=now)
    assert list(roster_of_snapshot.profiles) == list(expected_roster.profiles)


@given(roster=rosters(1, 8))
def test_a_snapshot_builds_each_profile_exactly_as_stored(roster: list[CounselorProfile]) -> None:
    profiles = [stored(p, {}, {}) for p in roster]
    columns = RosterColumns.decode(RosterColumns.of(profiles, {}).encode())
    assert columns is not None
    assert [columns.profile(p.counselor_id) for p in profiles] == profiles


def test_a_snapshot_in_another_layout_is_not_read() -> None:
    import json
    import zlib

    head = json.dumps({"format": 999}).encode()
    assert RosterColumns.decode(zlib.compress(len(head).to_bytes(4, "big") + head)) is None


@given(damage=st.binary(max_size=64), at=st.integers(0, 400))
def test_damaged_snapshot_bytes_are_not_read(damage: bytes, at: int) -> None:
    from tests.factories import a_counselor

    # Given a snapshot with some bytes overwritten (or appended past its end)
    one = MatchProfile.from_profile(a_counselor())
    good = RosterColumns.of([one], {}).encode()
    damaged = good[:at] + damage + good[at + len(damage) :]
    # When a cold function decodes it, then it is refused (None: the full load follows), never an error;
    # zlib's checksum leaves only bytes past the stream's end, which it ignores, to decode as the original
    decoded = RosterColumns.decode(damaged)
    assert decoded is None or decoded.ids == [one.counselor_id]


def test_a_roster_lists_each_counselor_once() -> None:
    from tests.factories import a_counselor

    one = MatchProfile.from_profile(a_counselor("c-onlyonce"))
    with pytest.raises(ValueError, match="once"):
        RosterColumns.of([one, one], {})
