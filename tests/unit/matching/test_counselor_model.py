"""Counselor profiles declare who may see each field, and reject bad data at the field."""

import pytest
from pydantic import ValidationError

from shared.domain.counselor import CounselorDetails, CounselorProfile, fields_visible_to
from shared.domain.vocabulary import ServiceType, Value, Visibility
from shared.matching.profile import Interner, MatchProfile
from shared.matching.roster import CompiledRoster
from tests.factories import a_counselor, counselor_body


def test_every_profile_field_declares_who_may_see_it() -> None:
    declared = set().union(*(fields_visible_to(v) for v in Visibility))
    assert declared == set(CounselorProfile.model_fields)


def test_identity_and_faith_integration_are_not_public_by_declaration() -> None:
    private = fields_visible_to(Visibility.MATCHING)
    assert {"cultural_identity", "faith_identity", "gender", "faith_integration"} <= private
    assert "license_numbers" in fields_visible_to(Visibility.STAFF)
    assert "sliding_scale_min" in fields_visible_to(Visibility.STAFF)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"licensed_in": []}, ("licensed_in",)),
        ({"languages": ["klingon"]}, ("languages", 0)),
        ({"open_slots": -1}, ("open_slots",)),
        ({"sliding_scale_min": 200}, ("sliding_scale_min",)),
        ({"cultural_identity": {"value": []}}, ("cultural_identity",)),
        ({"bio": "x" * 1501}, ("bio",)),
        ({"salary": 1}, ("salary",)),
    ],
)
def test_bad_counselor_data_is_rejected_at_the_field(change: dict, where: tuple) -> None:
    with pytest.raises(ValidationError) as caught:
        CounselorDetails.model_validate(counselor_body(**change))
    assert [e["loc"] for e in caught.value.errors()] == [where]


def test_the_compact_match_profile_round_trips() -> None:
    counselor = a_counselor(
        faith_integration=["sikh"],
        cultural_identity={"value": ["south_asian"], "visibility": "public"},
        faith_identity={"value": "none"},
        gender={"value": "non_binary"},
        sliding_scale_min=60,
        offices=[{"label": "Main", "city": "Toronto", "postal_code": "M5V 2T6"}],
        availability=[{"day": "sat", "part": "morning"}],
    )
    profile = MatchProfile.from_profile(counselor)
    assert MatchProfile.from_compact(counselor.counselor_id, profile.to_compact(), counselor.open_slots) == profile
    assert profile.office_areas == {"M5V"}


def test_the_compact_match_profile_leaves_out_what_matching_does_not_read() -> None:
    counselor = a_counselor(bio="A long public bio " * 50, license_numbers=["LPC-123456"], name="Jordan Lee")
    compact = MatchProfile.from_profile(counselor).to_compact()
    assert "bio" not in compact and "LPC-123456" not in compact and "Jordan" not in compact
    assert counselor.counselor_id not in compact  # it is in the index key already
    assert len(compact) < 300
    assert len(compact) < 400


def test_the_interner_shares_equal_sets_of_one_vocabulary_and_keeps_vocabularies_apart() -> None:
    # Given sets that compare equal across vocabularies (both are the string "family")
    intern = Interner()
    service = intern([ServiceType.FAMILY])
    value = intern([Value.FAMILY])
    # Then each keeps its own element type, and equal sets of one vocabulary are one shared object
    assert [type(v) for v in service] == [ServiceType]
    assert [type(v) for v in value] == [Value]
    assert intern([Value.FAMILY]) is value
    assert intern([ServiceType.FAMILY]) is service
    assert intern([]) is intern(())


def test_a_roster_loaded_from_stored_texts_shares_equal_sets() -> None:
    # Given two counselors with the same languages, stored compactly
    first, second = a_counselor("c-first1", languages=["en", "es"]), a_counselor("c-second", languages=["es", "en"])
    stored = [(c.counselor_id, MatchProfile.from_profile(c).to_compact(), c.open_slots) for c in (first, second)]
    # When the roster is loaded, Then both profiles hold the same set object (the engine's work stays per value)
    roster = CompiledRoster.from_compact(stored)
    assert roster.profiles[0].languages is roster.profiles[1].languages


def test_an_inactive_counselor_who_is_not_accepting_round_trips_with_false_flags() -> None:
    # The compact text leaves false flags out, so reading it back must restore False (not a missing value)
    counselor = a_counselor("c-inactive", active=False, accepting_new_clients=False, lgbtq_affirming=False)
    profile = MatchProfile.from_profile(counselor)
    again = MatchProfile.from_compact(counselor.counselor_id, profile.to_compact(), counselor.open_slots)
    assert (again.active, again.accepting, again.lgbtq_affirming) == (False, False, False)
    assert again == profile
