"""Every factor moves the ranking in the direction the client asked, and explains itself."""

from typing import Any

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.matching.engine import suggest
from shared.matching.result import FactorScore, Suggestion
from shared.matching.weights import FactorName
from tests.factories import a_counselor, a_roster, an_intake


def ranked(intake: IntakeAnswers, *counselors: CounselorProfile) -> list[Suggestion]:
    result = suggest(intake, a_roster(*counselors), limit=len(counselors))
    return result.suggestions + result.alternatives


def order(intake: IntakeAnswers, *counselors: CounselorProfile) -> list[str]:
    return [s.counselor_id for s in ranked(intake, *counselors)]


def factor(suggestion: Suggestion, name: FactorName) -> FactorScore:
    return next(f for f in suggestion.breakdown if f.factor is name)


def level_of(intake: IntakeAnswers, name: FactorName, **counselor: Any) -> float:
    return factor(ranked(intake, a_counselor(**counselor))[0], name).level


def test_values_rank_a_counselor_who_works_from_the_clients_values_first() -> None:
    # Given a client who rated family and tradition important
    intake = an_intake(values={"values": ["family", "tradition"], "importance": "important"})
    # and two counselors who differ only in the values they center, the sharing one second in id order
    other = a_counselor("c-aaaaaa01", values_centered=["achievement"])
    sharing = a_counselor("c-bbbbbb02", values_centered=["family", "tradition"])
    # When matching
    suggestions = ranked(intake, other, sharing)
    # Then the counselor who shares the values comes first, with a reason that names them
    assert [s.counselor_id for s in suggestions] == ["c-bbbbbb02", "c-aaaaaa01"]
    assert "Works from family and tradition - client rated values important" in suggestions[0].reasons
    assert factor(suggestions[0], FactorName.VALUES).level == 1.0


def test_values_credit_grows_with_each_shared_value() -> None:
    intake = an_intake(values={"values": ["family", "tradition", "growth", "health"]})
    assert level_of(intake, FactorName.VALUES, values_centered=["family"]) == 0.25
    assert level_of(intake, FactorName.VALUES, values_centered=["family", "growth", "health"]) == 0.75


def test_culture_shares_prefers_shared_identity_then_experience() -> None:
    intake = an_intake(
        culture={"backgrounds": ["south_asian"], "counselor_preference": "shares", "importance": "important"}
    )
    none = a_counselor("c-aaaaaa01")
    experienced = a_counselor("c-bbbbbb02", cultural_experience=["south_asian"])
    shares = a_counselor("c-cccccc03", cultural_identity={"value": ["south_asian"], "visibility": "public"})
    assert order(intake, none, experienced, shares) == ["c-cccccc03", "c-bbbbbb02", "c-aaaaaa01"]


def test_culture_experienced_counts_experience_and_identity_alike() -> None:
    intake = an_intake(
        culture={"backgrounds": ["caribbean"], "counselor_preference": "experienced", "importance": "important"}
    )
    assert level_of(intake, FactorName.CULTURE, cultural_experience=["caribbean"]) == 1.0
    assert level_of(intake, FactorName.CULTURE, cultural_identity={"value": ["caribbean"]}) == 1.0
    assert level_of(intake, FactorName.CULTURE, cultural_experience=["african"]) == 0.0


def test_a_matching_only_identity_is_used_but_never_named() -> None:
    # Given a counselor who shares their background with matching only
    intake = an_intake(
        culture={"backgrounds": ["south_asian"], "counselor_preference": "shares", "importance": "important"}
    )
    private = a_counselor(cultural_identity={"value": ["south_asian"], "visibility": "matching_only"})
    # When matching
    suggestion = ranked(intake, private)[0]
    # Then it counts in full, and neither the staff nor the client text names the background
    assert factor(suggestion, FactorName.CULTURE).level == 1.0
    text = " ".join(suggestion.reasons + suggestion.client_reasons)
    assert "South Asian" not in text
    assert "Matches what you asked for about culture" in suggestion.client_reasons


def test_faith_integration_ranks_a_counselor_who_integrates_the_clients_faith_first() -> None:
    intake = an_intake(faith={"tradition": "christian", "role": "integrate", "importance": "important"})
    secular = a_counselor("c-aaaaaa01")
    integrates = a_counselor("c-bbbbbb02", faith_integration=["christian"])
    suggestions = ranked(intake, secular, integrates)
    assert [s.counselor_id for s in suggestions] == ["c-bbbbbb02", "c-aaaaaa01"]
    assert "Integrates Christian faith - client rated faith important" in suggestions[0].reasons
    assert "Can bring your Christian faith into counseling" in suggestions[0].client_reasons


def test_faith_integration_is_kept_apart_from_the_counselors_own_faith() -> None:
    # Given a client who wants their Muslim faith integrated
    intake = an_intake(faith={"tradition": "muslim", "role": "integrate", "importance": "important"})
    # Then a counselor who is Muslim but does not integrate faith does not meet the wish
    assert level_of(intake, FactorName.FAITH, faith_identity={"value": "muslim", "visibility": "public"}) == 0.0
    assert level_of(intake, FactorName.FAITH, faith_integration=["muslim"]) == 1.0


def test_faith_respected_but_secular_favours_familiarity_and_never_scores_zero() -> None:
    intake = an_intake(faith={"tradition": "jewish", "role": "respect_secular", "importance": "important"})
    assert level_of(intake, FactorName.FAITH) == 0.5
    assert level_of(intake, FactorName.FAITH, faith_identity={"value": "jewish"}) == 1.0
    assert level_of(intake, FactorName.FAITH, faith_integration=["jewish"]) == 1.0


def test_a_client_who_prefers_a_secular_counselor_ranks_secular_practice_first() -> None:
    intake = an_intake(faith={"tradition": "none", "role": "prefer_secular_counselor", "importance": "important"})
    integrates = a_counselor("c-aaaaaa01", faith_integration=["christian"])
    secular = a_counselor("c-bbbbbb02")
    assert order(intake, integrates, secular) == ["c-bbbbbb02", "c-aaaaaa01"]


def test_faith_with_no_preference_is_not_scored() -> None:
    intake = an_intake(faith={"tradition": "buddhist", "role": "no_preference"})
    suggestion = ranked(intake, a_counselor())[0]
    assert FactorName.FAITH not in {f.factor for f in suggestion.breakdown}


def test_language_gender_affirming_and_approach_each_favour_the_counselor_who_meets_them() -> None:
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"languages": {"languages": ["es"], "importance": "important"}}, {"languages": ["en", "es"]}),
        ({"counselor_gender": {"preferred": ["woman"], "importance": "important"}}, {"gender": {"value": "woman"}}),
        ({"identity": {"wants_affirming": True, "importance": "important"}}, {"lgbtq_affirming": True}),
        ({"approach": {"preferred": ["emdr"], "importance": "important"}}, {"approaches": ["emdr"]}),
    ]
    for intake_change, counselor_change in cases:
        intake = an_intake(**intake_change)
        plain = a_counselor("c-aaaaaa01", languages=["en", "fr"])
        meets = a_counselor("c-bbbbbb02", **counselor_change)
        assert order(intake, plain, meets) == ["c-bbbbbb02", "c-aaaaaa01"], intake_change


def test_style_credits_exact_fit_fully_and_a_balanced_style_halfway() -> None:
    intake = an_intake(style={"directness": "direct", "structure": "structured", "importance": "important"})
    assert level_of(intake, FactorName.STYLE, directness="direct", structure="structured") == 1.0
    assert level_of(intake, FactorName.STYLE, directness="balanced", structure="structured") == 0.75
    assert level_of(intake, FactorName.STYLE, directness="exploratory", structure="open") == 0.0


def test_availability_gives_full_credit_from_three_shared_slots() -> None:
    slots = [{"day": d, "part": "evening"} for d in ("mon", "tue", "wed", "thu")]
    intake = an_intake(format={"format": "telehealth", "availability": slots})
    assert level_of(intake, FactorName.AVAILABILITY, availability=slots[:1]) == round(1 / 3, 3)
    assert level_of(intake, FactorName.AVAILABILITY, availability=slots[:3]) == 1.0
    assert level_of(intake, FactorName.AVAILABILITY, availability=[{"day": "sat", "part": "morning"}]) == 0.0


def test_insurance_matches_the_counselors_panels_and_an_unlisted_carrier_never_matches() -> None:
    aetna = an_intake(payment={"method": "insurance", "insurance_carrier": "aetna", "max_fee_per_session": None})
    assert level_of(aetna, FactorName.PAYMENT, insurance_panels=["aetna"]) == 1.0
    assert level_of(aetna, FactorName.PAYMENT, insurance_panels=["cigna"]) == 0.0
    other = an_intake(payment={"method": "insurance", "insurance_carrier": "other", "max_fee_per_session": None})
    suggestion = ranked(other, a_counselor(insurance_panels=["other"]))[0]
    assert factor(suggestion, FactorName.PAYMENT).level == 0.0
    assert any("check coverage" in r for r in suggestion.reasons)


def test_self_pay_counts_the_fee_and_the_sliding_scale() -> None:
    limit_100 = an_intake(payment={"method": "self_pay", "max_fee_per_session": 100})
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=90) == 1.0
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=150, sliding_scale_min=80) == 0.5
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=150, sliding_scale_min=120) == 0.0
    needs_sliding = an_intake(payment={"method": "self_pay", "max_fee_per_session": 100, "needs_sliding_scale": True})
    assert level_of(needs_sliding, FactorName.PAYMENT, fee_per_session=150, sliding_scale_min=80) == 1.0
    # "within what you can pay" includes the amount itself, for the fee and for the sliding scale alike
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=100) == 1.0
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=150, sliding_scale_min=100) == 0.5
    assert level_of(limit_100, FactorName.PAYMENT, fee_per_session=101) == 0.0


def test_an_office_in_the_clients_postal_area_counts_for_in_person_clients() -> None:
    intake = an_intake(format={"format": "in_person", "postal_code": "94110"})
    office = {"label": "Mission", "city": "San Francisco", "postal_code": "94103"}
    far = {"label": "Downtown", "city": "Los Angeles", "postal_code": "90012"}
    near = a_counselor("c-bbbbbb02", formats=["in_person"], offices=[office])
    away = a_counselor("c-aaaaaa01", formats=["in_person"], offices=[far])
    suggestions = ranked(intake, away, near)
    assert [s.counselor_id for s in suggestions] == ["c-bbbbbb02", "c-aaaaaa01"]
    assert "Has an office near you" in suggestions[0].client_reasons


def test_the_primary_concern_outweighs_the_others() -> None:
    intake = an_intake(concerns={"concerns": ["grief", "anxiety", "depression"], "primary": "grief"})
    specialist = a_counselor("c-bbbbbb02", concerns_primary=["grief"])
    generalist = a_counselor("c-aaaaaa01", concerns_experienced=["anxiety", "depression"])
    suggestions = ranked(intake, generalist, specialist)
    assert [s.counselor_id for s in suggestions] == ["c-bbbbbb02", "c-aaaaaa01"]
    assert suggestions[0].reasons[0] == "Specializes in grief and loss, the client's main concern"


def test_a_doesnt_matter_rating_leaves_the_factor_out_of_the_score() -> None:
    intake = an_intake(values={"values": ["family"], "importance": "doesnt_matter"})
    suggestion = ranked(intake, a_counselor(values_centered=["family"]))[0]
    assert FactorName.VALUES not in {f.factor for f in suggestion.breakdown}


def test_the_breakdown_adds_up_to_the_score() -> None:
    intake = an_intake(
        values={"values": ["family", "growth"], "importance": "important"},
        faith={"tradition": "christian", "role": "integrate", "importance": "nice_to_have"},
        concerns={"concerns": ["anxiety", "grief"], "primary": "anxiety"},
    )
    suggestion = ranked(intake, a_counselor(values_centered=["family"], concerns_experienced=["anxiety"]))[0]
    assert abs(sum(f.points for f in suggestion.breakdown) - suggestion.score) <= 0.5 + 0.05 * len(suggestion.breakdown)


def test_client_reasons_never_mention_private_or_unmet_details() -> None:
    intake = an_intake(
        payment={"method": "self_pay", "max_fee_per_session": 100},
        faith={"tradition": "hindu", "role": "integrate", "importance": "important"},
        counselor_gender={"preferred": ["man"], "importance": "important"},
    )
    counselor = a_counselor(
        fee_per_session=150,
        sliding_scale_min=90,
        faith_integration=["hindu"],
        show_faith_integration=False,
        gender={"value": "man", "visibility": "matching_only"},
    )
    client_text = " ".join(ranked(intake, counselor)[0].client_reasons)
    assert "$" not in client_text  # the sliding-scale minimum is staff-only
    assert "Hindu" not in client_text  # faith integration not shown publicly by this counselor
    assert "Man" not in client_text and "man counselor" not in client_text
