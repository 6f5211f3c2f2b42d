"""The client's shortlist from a stored match: order, cap, marks, relaxed sentences and client-safe fields."""

from datetime import UTC, datetime

from shared.domain.cost import CostEstimate, estimate_cost
from shared.domain.counselor import CounselorProfile, fields_visible_to
from shared.domain.intake import IntakeAnswers
from shared.domain.match import FactorName
from shared.domain.records import StoredMatch
from shared.domain.shortlist import (
    MISSED_MUST_HAVE,
    SHORTLIST_SIZE,
    WishStatus,
    build_shortlist,
    relaxed_sentence,
    status_of,
)
from shared.domain.vocabulary import Visibility
from shared.matching.engine import suggest
from shared.matching.weights import RELAXATION_ORDER
from tests.factories import a_counselor, a_roster, an_intake, intake_body


def _stored(intake_changes: dict[str, object], *counselors: CounselorProfile, limit: int = 3) -> StoredMatch:
    result = suggest(an_intake(**intake_changes), a_roster(*counselors), limit)
    return StoredMatch(result=result, roster_version=1, matched_at=datetime(2026, 12, 1, tzinfo=UTC))


def _costs(payment_changes: dict[str, object], *counselors: CounselorProfile) -> dict[str, CostEstimate]:
    payment = an_intake(**payment_changes).payment
    return {c.counselor_id: estimate_cost(payment, c) for c in counselors}


def test_suggestions_come_first_then_alternatives_and_never_more_than_three() -> None:
    # Given two counselors who speak Arabic (a must-have) and three who do not
    arabic = [a_counselor(languages=["ar", "en"]) for _ in range(2)]
    others = [a_counselor() for _ in range(3)]
    match = _stored({"languages": {"languages": ["ar"]}}, *arabic, *others, limit=5)
    assert len(match.result.suggestions) == 2 and len(match.result.alternatives) == 3
    # When the shortlist is built
    shortlist = build_shortlist(match, {})
    # Then the two suggestions lead, one alternative follows, and the cap holds
    assert len(shortlist.entries) == SHORTLIST_SIZE
    assert [e.counselor_id for e in shortlist.entries[:2]] == [s.counselor_id for s in match.result.suggestions]
    assert shortlist.entries[2].counselor_id == match.result.alternatives[0].counselor_id
    assert [e.alternative for e in shortlist.entries] == [False, False, True]
    assert shortlist.entries[0].relaxed is None
    # and the alternative does not claim that nobody meets every must-have: two do
    assert shortlist.entries[2].relaxed == (
        "Only 2 counselors who could see you meet every must-have you set (shown first). This counselor does "
        "not offer sessions in a language you chose; of the others, this is the closest fit."
    )


def test_a_relaxed_alternative_says_what_it_misses_in_plain_words() -> None:
    # Given nobody who speaks Arabic, which the client rated a must-have
    counselor = a_counselor()
    match = _stored({"languages": {"languages": ["ar"]}}, counselor)
    # When the shortlist is built
    entry = build_shortlist(match, {}).entries[0]
    # Then the alternative says why it is shown, and its language wish is marked not met
    assert entry.alternative
    assert entry.relaxed == (
        "No counselor who could see you meets every must-have you set. This counselor does not offer "
        "sessions in a language you chose; of those who could see you, this is the closest fit."
    )
    language = next(w for w in entry.wishes if w.factor is FactorName.LANGUAGE)
    assert language.status is WishStatus.NOT_MET and language.must_have


def test_with_the_clients_answers_the_sentence_names_what_is_missed() -> None:
    # Given nobody who speaks Arabic or is within the client's $100, both must-haves
    changes: dict[str, object] = {
        "languages": {"languages": ["ar"]},
        "payment": {"method": "self_pay", "max_fee_per_session": 100, "importance": "must_have"},
    }
    match = _stored(changes, a_counselor(fee_per_session=150))
    # When the shortlist is built with the client's own answers
    entry = build_shortlist(match, {}, an_intake(**changes)).entries[0]
    # Then the sentence names the language and the figure, in relaxation order
    assert entry.relaxed == (
        "No counselor who could see you meets every must-have you set. This counselor has a full fee above "
        "the $100 you said you can pay and does not offer sessions in Arabic; of those who could see you, "
        "this is the closest fit."
    )


def test_every_must_have_a_client_can_set_has_a_plain_sentence() -> None:
    # Given every factor that can be relaxed, When each is missed, Then it reads as words, joined in order
    assert set(MISSED_MUST_HAVE) == set(RELAXATION_ORDER)
    both = relaxed_sentence([FactorName.AVAILABILITY, FactorName.LANGUAGE], 0)
    assert "has none of the times you gave and does not offer sessions in a language you chose;" in both
    insured = an_intake(payment={"method": "insurance", "insurance_carrier": "aetna"})
    assert "This counselor is not in network with Aetna;" in relaxed_sentence([FactorName.PAYMENT], 0, insured)
    other = an_intake(payment={"method": "insurance", "insurance_carrier": "other"})
    assert "This counselor is not within the cost you set;" in relaxed_sentence([FactorName.PAYMENT], 0, other)
    one = relaxed_sentence([FactorName.PAYMENT], 1)
    assert one == (
        "Only one counselor who could see you meets every must-have you set (shown first). This counselor is "
        "not within the cost you set; of the others, this is the closest fit."
    )


def test_wishes_are_marked_from_the_breakdown_levels() -> None:
    # Given a counselor experienced with (not specializing in) the main concern, and one specializing in it
    experienced = a_counselor(concerns_experienced=["anxiety"])
    specialist = a_counselor(concerns_primary=["anxiety"])
    stranger = a_counselor()
    match = _stored({}, experienced, specialist, stranger)
    # When the shortlist is built
    entries = {e.counselor_id: e for e in build_shortlist(match, {}).entries}

    def concern(c: CounselorProfile) -> WishStatus:
        return next(w.status for w in entries[c.counselor_id].wishes if w.factor is FactorName.PRIMARY_CONCERN)

    # Then full, half and no credit read as met, partly met and not met
    assert (concern(specialist), concern(experienced), concern(stranger)) == (
        WishStatus.MET,
        WishStatus.PARTLY_MET,
        WishStatus.NOT_MET,
    )
    assert (status_of(1.0), status_of(0.001), status_of(0.0)) == (
        WishStatus.MET,
        WishStatus.PARTLY_MET,
        WishStatus.NOT_MET,
    )


def test_the_clients_rating_of_understanding_is_not_shown_as_a_wish() -> None:
    # Given a client who said values matter (so the understanding factor counts)
    counselor = a_counselor(values_centered=["family"])
    match = _stored({"values": {"values": ["family"], "importance": "important"}}, counselor)
    assert FactorName.UNDERSTANDING in {b.factor for b in match.result.suggestions[0].breakdown}
    # When the shortlist is built
    entry = build_shortlist(match, {}).entries[0]
    # Then values is marked, understanding is not
    factors = {w.factor for w in entry.wishes}
    assert FactorName.VALUES in factors and FactorName.UNDERSTANDING not in factors


def test_each_entry_carries_the_cost_the_caller_passed_for_that_counselor() -> None:
    # Given two counselors at different fees
    cheap, dear = a_counselor(fee_per_session=100), a_counselor(fee_per_session=250)
    match = _stored({}, cheap, dear)
    costs = _costs({}, cheap, dear)
    # When the shortlist is built
    entries = {e.counselor_id: e for e in build_shortlist(match, costs).entries}
    # Then each holds its own estimate
    assert entries[cheap.counselor_id].cost == costs[cheap.counselor_id]
    assert entries[dear.counselor_id].cost == costs[dear.counselor_id]


def test_no_staff_only_or_matching_only_field_reaches_the_shortlist() -> None:
    # Given counselors with distinctive private values: open slots, sliding minimum, license numbers, identity
    private = a_counselor(
        open_slots=187,
        sliding_scale_min=73,
        fee_per_session=190,
        license_numbers=["LIC-SECRET-991"],
        gender={"value": "woman", "visibility": "matching_only"},
        languages=["ar"],
    )
    match = _stored(
        {"languages": {"languages": ["ar"]}, "payment": {"method": "self_pay", "max_fee_per_session": 100}}, private
    )
    # When the shortlist is built and serialised
    shortlist = build_shortlist(match, _costs({"payment": {"method": "self_pay", "max_fee_per_session": 100}}, private))
    dumped = shortlist.model_dump_json()
    # Then no key names a non-public profile field, and none of their values appears
    hidden = fields_visible_to(Visibility.STAFF) | fields_visible_to(Visibility.MATCHING)
    keys: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(shortlist.model_dump())
    assert not keys & hidden
    assert "187" not in dumped and "73" not in dumped and "SECRET" not in dumped and "woman" not in dumped
    assert "score" not in keys and "points" not in keys and "weight" not in keys


def test_a_must_have_the_client_left_at_the_default_is_not_called_theirs() -> None:
    # Given nobody who speaks Arabic, and a client who never rated language (a must-have by default)
    body = intake_body(languages={"languages": ["ar"]})
    del body["languages"]["importance"]
    answers = IntakeAnswers.model_validate(body)
    match = _stored({"languages": {"languages": ["ar"]}}, a_counselor())
    # When the shortlist is built with the client's own answers
    entry = build_shortlist(match, {}, answers).entries[0]
    # Then it does not say the client set that must-have, and says why it counts
    assert entry.relaxed is not None and "you set" not in entry.relaxed
    assert entry.relaxed.startswith(
        "No counselor who could see you meets every must-have. A shared language counts as a must-have unless you "
        "say otherwise. This counselor does not offer sessions in Arabic;"
    )
