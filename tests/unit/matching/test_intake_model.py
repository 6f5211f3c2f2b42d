"""The intake model is the authority on what a valid intake is."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from shared.domain.intake import IntakeAnswers
from tests.factories import an_intake, intake_body


def errors_of(body: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        IntakeAnswers.model_validate(body)
    return caught.value.errors(include_input=False, include_url=False, include_context=False)


def locs(body: dict) -> list[tuple]:
    return [e["loc"] for e in errors_of(body)]


def test_a_complete_intake_with_every_optional_section_is_accepted() -> None:
    intake = an_intake(
        contact={"preferred_name": "Sam", "phone": "+1 415 555 0100", "preferred_contact": "text"},
        format={
            "format": "in_person",
            "postal_code": "94110",
            "travel_radius_miles": 10,
            "availability": [{"day": "mon", "part": "evening"}],
            "availability_importance": "must_have",
        },
        payment={"method": "insurance", "insurance_carrier": "aetna", "max_fee_per_session": None},
        values={"values": ["family", "faith_spirituality"], "importance": "important"},
        culture={
            "backgrounds": ["hispanic_latino"],
            "self_description": "Mexican American",
            "counselor_preference": "shares",
            "importance": "must_have",
        },
        faith={"tradition": "catholic", "role": "integrate", "importance": "important"},
        counselor_gender={"preferred": ["woman"], "importance": "nice_to_have"},
        identity={"lgbtq": "prefer_not_to_say", "wants_affirming": True, "importance": "important"},
        approach={"preferred": ["cbt", "not_sure"], "importance": "nice_to_have"},
        style={"directness": "direct", "structure": "no_preference", "importance": "nice_to_have"},
        reflections={"past_counseling": "It helped to have homework.", "what_matters_most": "Being heard."},
        safety="prefer_not_to_say",
    )
    assert intake.faith.stated_tradition == "catholic"
    assert intake.approach.known == {"cbt"}
    assert not intake.urgent


def test_a_crisis_answer_marks_the_intake_urgent() -> None:
    assert an_intake(safety="yes").urgent


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"client": {"jurisdiction": "US-XX"}}, ("client", "jurisdiction")),
        ({"concerns": {"concerns": ["anxiety", "astrology"], "primary": "anxiety"}}, ("concerns", "concerns", 1)),
        ({"values": {"values": ["family"], "importance": "extremely"}}, ("values", "importance")),
        ({"safety": "maybe"}, ("safety",)),
    ],
)
def test_unknown_choices_are_rejected_at_their_field(change: dict, where: tuple) -> None:
    assert where in locs(intake_body(**change))


def test_oversized_text_and_lists_are_rejected() -> None:
    body = intake_body(
        contact={"name": "x" * 101},
        reflections={"what_matters_most": "y" * 2001},
        values={"values": ["family", "community", "independence", "achievement", "authenticity", "justice"]},
        languages={"languages": ["en", "es", "fr", "de", "it", "pt"]},
    )
    where = locs(body)
    assert ("contact", "name") in where
    assert ("reflections", "what_matters_most") in where
    assert ("values", "values") in where
    assert ("languages", "languages") in where


def test_unknown_fields_are_rejected_not_ignored() -> None:
    where = locs(intake_body(status="matched", client={"assigned_counselor": "c-abcdef"}))
    assert ("status",) in where
    assert ("client", "assigned_counselor") in where


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"format": {"format": "in_person"}}, ("format", "postal_code")),
        ({"client": {"service_type": "teen", "age": 34}}, ("client", "age_band")),
        ({"client": {"age": None}}, ("client", "age_band")),
        ({"client": {"age": 40, "age_band": "young_adult"}}, ("client", "age_band")),
        ({"payment": {"method": "insurance"}}, ("payment", "insurance_carrier")),
        ({"payment": {"method": "self_pay", "max_fee_per_session": None}}, ("payment", "max_fee_per_session")),
        ({"concerns": {"concerns": ["anxiety"], "primary": "grief"}}, ("concerns", "primary")),
        ({"contact": {"preferred_contact": "text"}}, ("contact", "phone")),
        ({"culture": {"backgrounds": ["african"], "prefer_not_to_say": True}}, ("culture", "prefer_not_to_say")),
        ({"culture": {"counselor_preference": "shares"}}, ("culture", "counselor_preference")),
        ({"faith": {"tradition": "prefer_not_to_say", "role": "integrate"}}, ("faith", "role")),
        ({"counselor_gender": {"importance": "must_have"}}, ("counselor_gender", "importance")),
        ({"approach": {"preferred": ["not_sure"], "importance": "must_have"}}, ("approach", "importance")),
        ({"style": {"importance": "must_have"}}, ("style", "importance")),
        (
            {"format": {"format": "telehealth", "availability_importance": "must_have"}},
            ("format", "availability_importance"),
        ),
        ({"values": {"values": ["family", "family"]}}, ("values", "values")),
        ({"consent": {"store_my_answers": False}}, ("consent", "store_my_answers")),
    ],
)
def test_contradictions_are_rejected_at_the_field_to_change(change: dict, where: tuple) -> None:
    assert locs(intake_body(**change)) == [where]


def test_error_messages_never_repeat_what_was_submitted() -> None:
    secret = "Sentinel-Value-9f3c"
    body = intake_body(
        contact={"name": secret * 20, "email": secret},
        concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": secret * 200},
        faith={"tradition": secret},
    )
    rendered = json.dumps(errors_of(body))
    assert secret not in rendered


def test_sensitive_sections_are_optional() -> None:
    body = intake_body()
    for section in ("values", "culture", "faith", "counselor_gender", "identity", "approach", "style", "reflections"):
        assert section not in body
    intake = IntakeAnswers.model_validate(body)
    assert intake.faith.tradition == "prefer_not_to_say"
    assert intake.identity.lgbtq == "prefer_not_to_say"


def test_postal_codes_are_normalized_before_they_are_checked() -> None:
    intake = an_intake(format={"format": "in_person", "postal_code": " m5v 2t6 "})
    assert intake.format.postal_code == "M5V 2T6"
