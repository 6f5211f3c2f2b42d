"""The client's estimated cost with one counselor, for every combination of payment answers and profile."""

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from shared.domain.cost import CostKind, estimate_cost
from shared.domain.counselor import CounselorProfile
from shared.domain.intake import Payment
from shared.domain.vocabulary import InsuranceCarrier
from tests.factories import a_counselor


def _payment(**fields: Any) -> Payment:
    return Payment.model_validate(fields)


def test_in_network_names_the_carrier_and_no_figure_we_cannot_know() -> None:
    # Given an Aetna client and a counselor on the Aetna panel
    counselor = a_counselor(insurance_panels=["aetna"], fee_per_session=160)
    # When the cost is estimated
    cost = estimate_cost(_payment(method="insurance", insurance_carrier="aetna", max_fee_per_session=20), counselor)
    # Then it is in network, says what to check with Aetna, and claims no fee or limit check
    assert cost.kind is CostKind.IN_NETWORK
    assert cost.summary == "In network with Aetna: you pay your plan's copay or coinsurance."
    assert cost.to_check == "We cannot see your plan, so check with Aetna what you will pay per session."
    assert cost.fee_per_session is None and cost.within_limit is None
    assert "$" not in cost.summary + cost.to_check


def test_out_of_network_gives_the_fee_and_what_to_ask() -> None:
    # Given an Aetna client and a counselor who takes only Cigna
    counselor = a_counselor(insurance_panels=["cigna"], fee_per_session=160)
    # When the cost is estimated
    cost = estimate_cost(_payment(method="insurance", insurance_carrier="aetna"), counselor)
    # Then it is out of network at the public fee
    assert cost.kind is CostKind.OUT_OF_NETWORK
    assert cost.summary == "Out of network with Aetna: $160 a session, which your plan may partly repay."
    assert cost.to_check == "Ask Aetna about your out-of-network benefits."
    assert cost.fee_per_session == 160 and cost.within_limit is None


def test_another_carrier_is_never_called_in_network_even_when_the_panel_lists_other() -> None:
    # Given a client whose carrier is not listed, and a counselor whose panels include "other"
    counselor = a_counselor(insurance_panels=["other"], fee_per_session=140)
    # When the cost is estimated
    cost = estimate_cost(_payment(method="insurance", insurance_carrier="other", max_fee_per_session=150), counselor)
    # Then it says we cannot tell, and gives the fee against the client's limit (as matching: never in network)
    assert cost.kind is CostKind.OUT_OF_NETWORK
    assert "we cannot say whether this counselor is in network" in cost.summary
    assert "$140 a session, within the $150 you said you can pay" in cost.summary
    assert cost.within_limit is True


def test_self_pay_within_and_above_the_limit() -> None:
    # Given a client who can pay $150
    payment = _payment(method="self_pay", max_fee_per_session=150)
    # When a $120 and a $160 counselor are estimated
    low = estimate_cost(payment, a_counselor(fee_per_session=120))
    high = estimate_cost(payment, a_counselor(fee_per_session=160))
    # Then each says so against the client's own figure
    assert (low.kind, low.summary, low.within_limit) == (
        CostKind.SELF_PAY,
        "$120 a session, within the $150 you said you can pay.",
        True,
    )
    assert (high.kind, high.summary, high.within_limit) == (
        CostKind.SELF_PAY,
        "$160 a session, above the $150 you said you can pay.",
        False,
    )


def test_a_fitting_sliding_scale_is_named_without_its_staff_only_minimum() -> None:
    # Given a self-pay client who can pay $100 and a $160 counselor whose sliding scale starts at $55
    counselor = a_counselor(fee_per_session=160, sliding_scale_min=55)
    # When the cost is estimated
    cost = estimate_cost(_payment(method="self_pay", max_fee_per_session=100), counselor)
    # Then it is a sliding scale that fits, and the $55 (staff-only) appears nowhere
    assert cost.kind is CostKind.SLIDING_SCALE and cost.sliding_scale_fits and cost.within_limit is False
    assert cost.summary == (
        "The full fee is $160 a session; this counselor's sliding scale can bring it within the "
        "$100 you said you can pay."
    )
    assert "55" not in cost.model_dump_json()


def test_a_sliding_scale_above_the_limit_is_not_mentioned() -> None:
    # Given a sliding scale that starts above what the client can pay
    counselor = a_counselor(fee_per_session=160, sliding_scale_min=120)
    # When the cost is estimated
    cost = estimate_cost(_payment(method="self_pay", max_fee_per_session=100), counselor)
    # Then it is the full fee, above the limit
    assert cost.kind is CostKind.SELF_PAY and not cost.sliding_scale_fits
    assert cost.summary == "$160 a session, above the $100 you said you can pay."


def test_an_insured_client_hears_of_a_fitting_sliding_scale_only_when_they_asked_for_one() -> None:
    # Given an out-of-network counselor whose sliding scale fits the insured client's limit
    counselor = a_counselor(insurance_panels=[], fee_per_session=160, sliding_scale_min=60)
    base = {"method": "insurance", "insurance_carrier": "aetna", "max_fee_per_session": 100}
    # When estimated for a client who asked for a sliding scale and for one who did not
    asked = estimate_cost(_payment(**base, needs_sliding_scale=True), counselor)
    not_asked = estimate_cost(_payment(**base), counselor)
    # Then only the first hears of it
    assert asked.kind is CostKind.SLIDING_SCALE
    assert not_asked.kind is CostKind.OUT_OF_NETWORK
    assert "above the $100 you said you can pay" in not_asked.summary


payments: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["insurance", "self_pay"]),
        "insurance_carrier": st.sampled_from([c.value for c in InsuranceCarrier]),
        "max_fee_per_session": st.none() | st.integers(0, 1000),
        "needs_sliding_scale": st.booleans(),
    }
).filter(lambda p: p["method"] == "insurance" or p["max_fee_per_session"] is not None)


@st.composite
def counselors(draw: st.DrawFn) -> CounselorProfile:
    fee = draw(st.integers(0, 1000))
    return a_counselor(
        fee_per_session=fee,
        sliding_scale_min=draw(st.none() | st.integers(0, fee)),
        insurance_panels=draw(st.lists(st.sampled_from([c.value for c in InsuranceCarrier]), unique=True)),
    )


@given(payments, counselors())
def test_every_combination_is_honest(fields: dict[str, Any], counselor: CounselorProfile) -> None:
    # Given any valid payment answers and any valid profile
    if fields["method"] == "self_pay":
        fields = {**fields, "insurance_carrier": None}
    payment = _payment(**fields)
    # When the cost is estimated
    cost = estimate_cost(payment, counselor)
    text = cost.summary + (cost.to_check or "")
    # Then the words never show a missing value, and the figures are the profile's and the client's
    assert "None" not in text and "null" not in text
    assert cost.client_limit == payment.max_fee_per_session
    if cost.kind is CostKind.IN_NETWORK:
        assert payment.insurance_carrier in counselor.insurance_panels
        assert payment.insurance_carrier is not InsuranceCarrier.OTHER
        assert cost.fee_per_session is None and cost.within_limit is None
    else:
        assert cost.fee_per_session == counselor.fee_per_session
        assert f"${counselor.fee_per_session} a session" in cost.summary
        limit = payment.max_fee_per_session
        assert cost.within_limit == (None if limit is None else counselor.fee_per_session <= limit)
    # every figure shown is the public fee or the client's own limit (never the staff-only sliding minimum)
    shown = {int(figure) for figure in re.findall(r"\$(\d+)", text)}
    assert shown <= {counselor.fee_per_session, payment.max_fee_per_session}
    assert cost.sliding_scale_fits == (cost.kind is CostKind.SLIDING_SCALE)
    assert cost.kind is not CostKind.SELF_PAY or payment.insurance_carrier is None
