"""What one counselor is likely to cost the client, said so the client can act on it.

Built from the client's payment answers and the counselor's *public* fields only (`insurance_panels`,
`fee_per_session`). The sliding-scale minimum is staff-only (`visible_to(Visibility.STAFF)`), so no figure
from it is ever shown: the estimate says only whether a sliding scale can bring the fee within the
client's own limit, which is what matching's client reason already says ("A sliding-scale fee can fit
what you can pay"). We never see the client's plan, so an in-network estimate names no copay: it says
what to check and with whom.

Where this agrees and differs with the payment factor (shared/matching/factors.py) is in docs/booking.md.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import Payment
from shared.domain.labels import label
from shared.domain.vocabulary import InsuranceCarrier, PaymentMethod
from shared.i18n import Domain, Locale, translations


class CostKind(StrEnum):
    IN_NETWORK = "in_network"
    OUT_OF_NETWORK = "out_of_network"
    SELF_PAY = "self_pay"
    SLIDING_SCALE = "sliding_scale"


class CostEstimate(BaseModel):
    """The client's estimated cost with one counselor. Every figure is public or the client's own."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: CostKind
    carrier: InsuranceCarrier | None = Field(description="The client's carrier, when they use insurance.")
    fee_per_session: int | None = Field(
        description="The counselor's full fee (public), when it is what applies; null in network."
    )
    client_limit: int | None = Field(description="The most the client said they can pay per session, if they did.")
    within_limit: bool | None = Field(
        description="Exactly fee <= limit; null when no fee applies or the client gave no limit."
    )
    sliding_scale_fits: bool = Field(
        description="A sliding scale can bring the fee within the client's limit (its figures are not shown)."
    )
    summary: str = Field(description="In plain words, for the client.")
    to_check: str | None = Field(description="What the client should check, and with whom; null when nothing.")


def _a_session(fee: int, limit: int | None, locale: Locale) -> str:
    t = translations(locale, Domain.REASONS)
    if limit is None:
        return t.gettext("${fee} a session").format(fee=fee)
    if fee <= limit:
        return t.gettext("${fee} a session, within the ${limit} you said you can pay").format(fee=fee, limit=limit)
    return t.gettext("${fee} a session, above the ${limit} you said you can pay").format(fee=fee, limit=limit)


def _sliding_fits(counselor: CounselorProfile, limit: int | None) -> bool:
    low = counselor.sliding_scale_min
    return limit is not None and low is not None and counselor.fee_per_session > limit and low <= limit


def estimate_cost(payment: Payment, counselor: CounselorProfile, locale: Locale = Locale.EN) -> CostEstimate:
    """The estimate for every combination of payment answers and profile (never raises for valid ones), its
    words in `locale`."""
    t = translations(locale, Domain.REASONS)
    fee = counselor.fee_per_session
    limit = payment.max_fee_per_session
    carrier = payment.insurance_carrier if payment.method is PaymentMethod.INSURANCE else None
    if carrier is not None and carrier is not InsuranceCarrier.OTHER and carrier in counselor.insurance_panels:
        name = label(carrier, locale)
        return CostEstimate(
            kind=CostKind.IN_NETWORK,
            carrier=carrier,
            fee_per_session=None,
            client_limit=limit,
            within_limit=None,
            sliding_scale_fits=False,
            summary=t.gettext("In network with {carrier}: you pay your plan's copay or coinsurance.").format(
                carrier=name
            ),
            to_check=t.gettext(
                "We cannot see your plan, so check with {carrier} what you will pay per session."
            ).format(carrier=name),
        )
    # A client who asked for a sliding scale hears of one that fits, whatever way they pay.
    sliding = _sliding_fits(counselor, limit) and (
        payment.method is PaymentMethod.SELF_PAY or payment.needs_sliding_scale
    )
    if sliding and limit is not None:
        return CostEstimate(
            kind=CostKind.SLIDING_SCALE,
            carrier=carrier,
            fee_per_session=fee,
            client_limit=limit,
            within_limit=False,
            sliding_scale_fits=True,
            summary=t.gettext(
                "The full fee is ${fee} a session; this counselor's sliding scale can bring it within the "
                "${limit} you said you can pay."
            ).format(fee=fee, limit=limit),
            to_check=t.gettext("The practice agrees the sliding-scale fee with you before the first session."),
        )
    within = None if limit is None else fee <= limit
    a_session = _a_session(fee, limit, locale)
    if carrier is None:
        return CostEstimate(
            kind=CostKind.SELF_PAY,
            carrier=None,
            fee_per_session=fee,
            client_limit=limit,
            within_limit=within,
            sliding_scale_fits=False,
            summary=f"{a_session}.",
            to_check=None,
        )
    if carrier is InsuranceCarrier.OTHER:
        summary = t.gettext(
            "Your plan is not one we list, so we cannot say whether this counselor is in network. "
            "Out of network: {cost}, which your plan may partly repay."
        ).format(cost=a_session)
        check = t.gettext("Ask your plan whether this counselor is in network, and what it repays out of network.")
    else:
        name = label(carrier, locale)
        summary = t.gettext("Out of network with {carrier}: {cost}, which your plan may partly repay.").format(
            carrier=name, cost=a_session
        )
        check = t.gettext("Ask {carrier} about your out-of-network benefits.").format(carrier=name)
    return CostEstimate(
        kind=CostKind.OUT_OF_NETWORK,
        carrier=carrier,
        fee_per_session=fee,
        client_limit=limit,
        within_limit=within,
        sliding_scale_fits=False,
        summary=summary,
        to_check=check,
    )
