"""The client's shortlist: at most three counselors from a stored match, as the client may see them.

Suggestions come first, then alternatives (found by relaxing must-haves). Each entry carries only what is
safe for the client: the counselor id, how each of the client's own wishes is met (met / partly met / not
met, read from the factor levels of the match's breakdown), the client reasons the engine already wrote
for the client, what was relaxed in plain words (alternatives only), and the cost estimate the caller
passes per counselor (shared/domain/cost.py). Scores, weights, points, open slots and staff reasons stay
out: a single number would invite ranking people on it, and the marks say the same thing honestly.

The clients' rating of understanding is left out of the marks: it is the practice's evidence, not a wish
the client stated, and its level would reveal a rating that docs/matching.md keeps hidden below the minimum.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.cost import CostEstimate
from shared.domain.intake import IntakeAnswers
from shared.domain.labels import in_order, in_sentence, joined, label
from shared.domain.match import FactorName, FactorScore, Suggestion
from shared.domain.records import ASSIGNABLE_STATUSES, Intake, StoredMatch
from shared.domain.vocabulary import Importance, InsuranceCarrier, PaymentMethod
from shared.i18n import N_, Domain, Locale, translations

SHORTLIST_SIZE = 3


class BookingPolicy(StrEnum):
    """Who first sees an intake's suggestions (template parameter BookingPolicy, docs/booking.md)."""

    STAFF_FIRST = "staff-first"  # staff choose the counselor, as before
    STAFF_APPROVED = "staff-approved"  # staff release the shortlist to the client with one action
    CLIENT_FIRST = "client-first"  # the client sees the shortlist right after submitting


def shortlist_open(intake: Intake, policy: BookingPolicy) -> bool:
    """Whether the client may see their shortlist and book from it now. Never for an urgent intake: a person
    reaches that client before any self-service does. Only while the intake is open to a first match."""
    if intake.urgent or intake.match is None or intake.status not in ASSIGNABLE_STATUSES:
        return False
    if policy is BookingPolicy.CLIENT_FIRST:
        return True
    return policy is BookingPolicy.STAFF_APPROVED and intake.shortlist_released_at is not None


def shortlist_counselor_ids(match: StoredMatch, excluded: Iterable[str] = ()) -> list[str]:
    """The counselors on the client's shortlist, in order: suggestions first, then alternatives, at most
    SHORTLIST_SIZE, never one the client asked to move on from. The booking use case books only these."""
    skip = set(excluded)
    result = match.result
    ids = [s.counselor_id for s in (*result.suggestions, *result.alternatives) if s.counselor_id not in skip]
    return ids[:SHORTLIST_SIZE]


class WishStatus(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


WISH_TOPIC: dict[FactorName, str] = {
    FactorName.PRIMARY_CONCERN: N_("Your main concern"),
    FactorName.OTHER_CONCERNS: N_("Your other concerns"),
    FactorName.VALUES: N_("Your values"),
    FactorName.CULTURE: N_("Your culture"),
    FactorName.FAITH: N_("Your faith"),
    FactorName.LANGUAGE: N_("Your language"),
    FactorName.GENDER: N_("Counselor gender"),
    FactorName.LGBTQ_AFFIRMING: N_("LGBTQ+-affirming"),
    FactorName.APPROACH: N_("Approach"),
    FactorName.STYLE: N_("Style"),
    FactorName.AVAILABILITY: N_("Times that suit you"),
    FactorName.PAYMENT: N_("Cost"),
    FactorName.LOCATION: N_("An office near you"),
}
"""The client's own wish, named without any counselor detail. Factors absent here are not shown."""

MISSED_MUST_HAVE: dict[FactorName, str] = {
    FactorName.VALUES: N_("does not work from any of the values you named"),
    FactorName.CULTURE: N_("does not meet what you asked for about culture"),
    FactorName.FAITH: N_("does not meet what you asked for about faith"),
    FactorName.LANGUAGE: N_("does not offer sessions in a language you chose"),
    FactorName.GENDER: N_("does not meet your preference for counselor gender"),
    FactorName.LGBTQ_AFFIRMING: N_("is not listed as LGBTQ+-affirming"),
    FactorName.APPROACH: N_("does not list an approach you chose"),
    FactorName.STYLE: N_("does not work fully in the style you asked for"),
    FactorName.AVAILABILITY: N_("has none of the times you gave"),
    FactorName.PAYMENT: N_("is not within the cost you set"),
}
"""What an alternative misses, for every factor a client can rate a must-have."""


class Wish(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    factor: FactorName
    topic: str
    status: WishStatus
    must_have: bool


class ShortlistEntry(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    counselor_id: str
    alternative: bool = Field(description="Found by relaxing must-haves the client set.")
    wishes: list[Wish] = Field(description="Each of the client's wishes, marked met, partly met or not met.")
    reasons: list[str] = Field(description="The engine's client-safe reasons (about what is met or partly met).")
    relaxed: str | None = Field(description="For an alternative: what was relaxed, in plain words.")
    cost: CostEstimate | None = Field(description="Null when the caller had no estimate for this counselor.")


class Shortlist(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    entries: list[ShortlistEntry] = Field(max_length=SHORTLIST_SIZE)


def status_of(level: float) -> WishStatus:
    if level >= 1:
        return WishStatus.MET
    return WishStatus.PARTLY_MET if level > 0 else WishStatus.NOT_MET


def _wish(score: FactorScore, locale: Locale) -> Wish | None:
    topic = WISH_TOPIC.get(score.factor)
    if topic is None:
        return None
    return Wish(
        factor=score.factor,
        topic=translations(locale, Domain.REASONS).gettext(topic),
        status=status_of(score.level),
        must_have=score.must_have_met is not None,
    )


def _words(items: list[str], locale: Locale) -> str:
    # TRANSLATORS: the last two of a list of things: "does not offer sessions in Arabic and is not in network".
    return joined(items, translations(locale, Domain.REASONS).gettext("{rest} and {last}"))


def _either(names: list[str], locale: Locale) -> str:
    # TRANSLATORS: the last two of a list of choices: "Arabic or Farsi".
    return joined(in_order(names, locale), translations(locale, Domain.REASONS).gettext("{rest} or {last}"))


def _named_miss(factor: FactorName, answers: IntakeAnswers, loc: Locale) -> str | None:
    """The miss in the client's own terms, where that is certain from the answers alone.

    Culture, faith, gender, values, style and times stay generic: what is missed there can rest on a detail
    the counselor shares for matching only, or on a partial fit the words would overstate."""
    t = translations(loc, Domain.REASONS)
    if factor is FactorName.LANGUAGE:
        names = _either([label(x, loc) for x in answers.languages.languages], loc)
        return t.gettext("does not offer sessions in {languages}").format(languages=in_sentence(names, loc))
    if factor is FactorName.APPROACH and answers.approach.known:
        names = _either([label(x, loc) for x in answers.approach.known], loc)
        return t.gettext("does not list {approaches}").format(approaches=in_sentence(names, loc))
    if factor is FactorName.PAYMENT:
        payment = answers.payment
        if payment.method is PaymentMethod.SELF_PAY and payment.max_fee_per_session is not None:
            return t.gettext("has a full fee above the ${limit} you said you can pay").format(
                limit=payment.max_fee_per_session
            )
        carrier = payment.insurance_carrier
        if carrier is not None and carrier is not InsuranceCarrier.OTHER:
            return t.gettext("is not in network with {carrier}").format(carrier=label(carrier, loc))
    return None


DEFAULT_MUST_HAVE = {"languages": N_("a shared language")}
"""The answer sections whose importance is a must-have unless the client says otherwise, in words."""


def relaxed_sentence(
    missed: list[FactorName],
    meeting_all: int,
    answers: IntakeAnswers | None = None,
    locale: Locale | None = None,
) -> str:
    """Why an alternative is shown: how many counselors meet every must-have (alternatives are looked for
    whenever fewer than asked for do, so it may be some), and the must-haves this one misses. In `locale`,
    or else the language of the answers."""
    locale = locale or (answers.locale if answers else Locale.EN)
    t = translations(locale, Domain.REASONS)
    # Never claim the client set a must-have they left at the form's default (a shared language is one).
    defaults = [
        t.gettext(DEFAULT_MUST_HAVE[section])
        for section in (answers.unrated() if answers else ())
        if section in DEFAULT_MUST_HAVE and getattr(answers, section).importance is Importance.MUST_HAVE
    ]
    if meeting_all == 0:
        lead = (
            t.gettext("No counselor who could see you meets every must-have.")
            if defaults
            else t.gettext("No counselor who could see you meets every must-have you set.")
        )
    elif meeting_all == 1:
        lead = (
            t.gettext("Only one counselor who could see you meets every must-have (shown first).")
            if defaults
            else t.gettext("Only one counselor who could see you meets every must-have you set (shown first).")
        )
    elif defaults:
        lead = t.ngettext(
            "Only {n} counselor who could see you meets every must-have (shown first).",
            "Only {n} counselors who could see you meet every must-have (shown first).",
            meeting_all,
        ).format(n=meeting_all)
    else:
        lead = t.ngettext(
            "Only {n} counselor who could see you meets every must-have you set (shown first).",
            "Only {n} counselors who could see you meet every must-have you set (shown first).",
            meeting_all,
        ).format(n=meeting_all)
    if defaults:
        named = _words(defaults, locale)
        lead += " " + t.gettext("{default} counts as a must-have unless you say otherwise.").format(
            default=f"{named[0].upper()}{named[1:]}"
        )
    if not missed:  # an alternative always misses one; kept total so a stored oddity still reads well
        closest = (
            t.gettext("This counselor is, of those who could see you, the closest fit.")
            if meeting_all == 0
            else t.gettext("This counselor is, of the others, the closest fit.")
        )
        return f"{lead} {closest}"
    misses = [(_named_miss(f, answers, locale) if answers else None) or t.gettext(MISSED_MUST_HAVE[f]) for f in missed]
    if meeting_all == 0:
        tail = t.gettext("This counselor {misses}; of those who could see you, this is the closest fit.")
    else:
        tail = t.gettext("This counselor {misses}; of the others, this is the closest fit.")
    return f"{lead} {tail.format(misses=_words(misses, locale))}"


def _entry(
    s: Suggestion,
    alternative: bool,
    meeting_all: int,
    cost: CostEstimate | None,
    answers: IntakeAnswers | None,
    locale: Locale,
) -> ShortlistEntry:
    return ShortlistEntry(
        counselor_id=s.counselor_id,
        alternative=alternative,
        wishes=[w for w in (_wish(b, locale) for b in s.breakdown) if w is not None],
        reasons=list(s.client_reasons),
        relaxed=relaxed_sentence(list(s.unmet_must_haves), meeting_all, answers, locale) if alternative else None,
        cost=cost,
    )


def build_shortlist(
    match: StoredMatch,
    costs: Mapping[str, CostEstimate],
    answers: IntakeAnswers | None = None,
    locale: Locale | None = None,
) -> Shortlist:
    """Suggestions first, then alternatives, at most SHORTLIST_SIZE; `costs` maps counselor id -> estimate.

    With the client's own `answers`, an alternative's sentence names what it misses ("Arabic"); the
    shortlist then holds words from the client's answers, so it belongs on their status page, never in an
    email (which only links to it). The words written here (wishes, what was relaxed) are in `locale`, or else
    the answers' language; the reasons were written by the engine, in the answers' language."""
    words = locale or (answers.locale if answers else Locale.EN)
    result = match.result
    picked = [(s, False) for s in result.suggestions] + [(s, True) for s in result.alternatives]
    return Shortlist(
        entries=[
            _entry(s, alt, len(result.suggestions), costs.get(s.counselor_id), answers, words)
            for s, alt in picked[:SHORTLIST_SIZE]
        ]
    )
