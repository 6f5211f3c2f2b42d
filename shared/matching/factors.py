"""The factors of a match: for one intake, what each factor asks of a counselor and how to explain it.

`criteria_for(intake)` turns an intake into a list of `Criterion`, one per factor the client cares about.
A criterion says which profile fields it reads, how well a value of those fields meets the client's wish
(a level from 0 to LEVEL_SCALE), and how to say so in plain words. The engine evaluates a criterion once
per *distinct* value on the roster, which is what makes ranking thousands of counselors cheap, and the
same code produces the explanation, so the reasons can never disagree with the score.

The reasons for staff are in English; the client's are in the language of the intake (`IntakeAnswers.locale`,
the `reasons` catalog). The catalog is looked up once per intake, when its criteria are built, and a sentence
is translated only when a reason is described (a suggestion explained), never per counselor scored.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from shared.domain.bond import DEFAULT_EVIDENCE_MINIMUM, SCALE_MAX
from shared.domain.intake import IntakeAnswers
from shared.domain.labels import in_sentence, label, labels
from shared.domain.vocabulary import (
    CulturePreference,
    Directness,
    FaithRole,
    FormatPreference,
    Importance,
    InsuranceCarrier,
    PaymentMethod,
    Structure,
)
from shared.i18n import SOURCE_LOCALE, Domain, Locale, translations
from shared.matching.profile import MatchProfile, postal_area, read_fields, slot_key
from shared.matching.roster import Relevance
from shared.matching.weights import (
    AVAILABILITY_SLOTS_FOR_FULL_CREDIT,
    CULTURE_EXPERIENCED_WHEN_SHARED_ASKED,
    FAITH_RESPECT_UNFAMILIAR,
    FIXED_WEIGHT,
    IMPORTANCE_WEIGHT,
    LEVEL_SCALE,
    LOCATION_WEIGHT_EITHER,
    LOCATION_WEIGHT_IN_PERSON_ONLY,
    PAYMENT_SLIDING_SCALE_POSSIBLE,
    PRIMARY_CONCERN_EXPERIENCED,
    STYLE_BALANCED,
    UNDERSTANDING_WEIGHT,
    UNRATED_UNDERSTANDING_LEVEL,
    FactorName,
)

FULL = LEVEL_SCALE


@dataclass(frozen=True, slots=True)
class Reasons:
    staff: str
    client: str | None  # None: nothing about this factor may be shown to the client


@dataclass(frozen=True, slots=True)
class Criterion:
    """One factor, prepared for one intake."""

    factor: FactorName
    importance: Importance | None  # None: a fixed weight set by the practice, not by the client
    weight: int
    reads: tuple[str, ...]  # the MatchProfile fields the level depends on
    level_of: Callable[[Any], int]  # the value of `reads` -> 0..LEVEL_SCALE
    threshold: int  # the least level that counts as "met" for a must-have
    describe: Callable[[MatchProfile, int], Reasons]
    relevant: Mapping[str, Relevance] = field(default_factory=dict)
    """How the level looks at each field, where it looks at less than the whole value (CompiledRoster.group)."""
    judged: Callable[[MatchProfile], bool] | None = None
    """Whether there is evidence to judge this counselor on the factor at all (None: always): a level given
    for want of evidence is neither met nor unmet."""

    @property
    def must_have(self) -> bool:
        return self.importance is Importance.MUST_HAVE

    def level(self, profile: MatchProfile) -> int:
        return self.level_of(read_fields(profile, self.reads))

    def met(self, level: int) -> bool:
        return level >= self.threshold


class _ClientWords:
    """The client's reasons in the intake's language: messages from the `reasons` catalog, labels from the
    `labels` one. English is exactly the text written here."""

    __slots__ = ("_catalog", "locale")

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self._catalog = translations(locale, Domain.REASONS)

    def gettext(self, message: str, **names: str) -> str:
        """The message in the client's language, its `{placeholders}` filled."""
        return self._catalog.gettext(message).format(**names)

    def label(self, value: Any) -> str:
        return label(value, self.locale)

    def labels(self, values: Any) -> str:
        return labels(values, self.locale)

    def in_sentence(self, text: str, *, english: bool) -> str:
        """A label inside a sentence (labels.in_sentence); English lowers it only where `english` says so."""
        if self.locale is SOURCE_LOCALE and english:
            return text.lower()
        return in_sentence(text, self.locale)


def _rated(topic: str, importance: Importance, chosen: bool) -> str:
    """How much the factor counts, never claiming a rating the client did not give: `chosen` says whether
    the client set this importance themselves (otherwise it is the form's default)."""
    phrase = {
        Importance.MUST_HAVE: "a must-have",
        Importance.IMPORTANT: "important",
        Importance.NICE_TO_HAVE: "nice to have",
        Importance.DOESNT_MATTER: "unimportant",
    }[importance]
    if chosen:
        return f"client rated {topic} {phrase}"
    return f"{topic} {phrase} by default (the client did not rate it)"


def _chosen(section: BaseModel, name: str = "importance") -> bool:
    """Whether the client gave this field themselves (stored answers keep which fields were given)."""
    return name in section.model_fields_set


def _client_criterion(
    factor: FactorName,
    importance: Importance,
    reads: tuple[str, ...],
    level_of: Callable[[Any], int],
    describe: Callable[[MatchProfile, int], Reasons],
    threshold: int = FULL,
    relevant: Mapping[str, Relevance] | None = None,
) -> Criterion | None:
    weight = IMPORTANCE_WEIGHT[importance]
    if weight == 0:
        return None
    return Criterion(factor, importance, weight, reads, level_of, threshold, describe, relevant or {})


def _primary_concern(intake: IntakeAnswers, words: _ClientWords) -> Criterion:
    concern = intake.concerns.primary
    name = label(concern).lower()
    named = words.in_sentence(words.label(concern), english=True)

    def level_of(f: tuple[frozenset[Any], frozenset[Any]]) -> int:
        primary, experienced = f
        return FULL if concern in primary else PRIMARY_CONCERN_EXPERIENCED if concern in experienced else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        if level == FULL:
            return Reasons(
                f"Specializes in {name}, the client's main concern",
                words.gettext("Specializes in {concern}", concern=named),
            )
        if level:
            return Reasons(
                f"Experienced with {name}, the client's main concern",
                words.gettext("Experienced with {concern}", concern=named),
            )
        return Reasons(f"Does not list {name}, the client's main concern", None)

    return Criterion(
        FactorName.PRIMARY_CONCERN,
        None,
        FIXED_WEIGHT[FactorName.PRIMARY_CONCERN],
        ("concerns_primary", "concerns_experienced"),
        level_of,
        FULL,
        describe,
        {"concerns_primary": frozenset({concern}), "concerns_experienced": frozenset({concern})},
    )


def _other_concerns(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    others = frozenset(intake.concerns.concerns) - {intake.concerns.primary}
    if not others:
        return None

    def level_of(f: tuple[frozenset[Any], frozenset[Any]]) -> int:
        return FULL * len(others & (f[0] | f[1])) // len(others)

    def describe(p: MatchProfile, level: int) -> Reasons:
        covered = others & (p.concerns_primary | p.concerns_experienced)
        if not covered:
            return Reasons("Lists none of the client's other concerns", None)
        client = words.gettext(
            "Also works with {concerns}", concerns=words.in_sentence(words.labels(covered), english=True)
        )
        return Reasons(f"Also works with {labels(covered).lower()}", client)

    return Criterion(
        FactorName.OTHER_CONCERNS,
        None,
        FIXED_WEIGHT[FactorName.OTHER_CONCERNS],
        ("concerns_primary", "concerns_experienced"),
        level_of,
        FULL,
        describe,
        {"concerns_primary": others, "concerns_experienced": others},
    )


def _values(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    wanted = frozenset(intake.values.values)
    if not wanted:
        return None
    importance = intake.values.importance
    rated = _rated("values", importance, _chosen(intake.values))

    def level_of(centered: frozenset[Any]) -> int:
        return FULL * len(wanted & centered) // len(wanted)

    def describe(p: MatchProfile, level: int) -> Reasons:
        shared = wanted & p.values_centered
        if not shared:
            return Reasons(f"Does not list the client's values - {rated}", None)
        named = words.in_sentence(words.labels(shared), english=True)
        return Reasons(
            f"Works from {labels(shared).lower()} - {rated}",
            words.gettext("Works from values you named: {values}", values=named),
        )

    # A must-have on values is met by sharing at least one of them.
    return _client_criterion(
        FactorName.VALUES,
        importance,
        ("values_centered",),
        level_of,
        describe,
        threshold=FULL // len(wanted),
        relevant={"values_centered": wanted},
    )


def _culture(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    culture = intake.culture
    mode = culture.counselor_preference
    if mode is CulturePreference.NO_PREFERENCE:
        return None
    backgrounds = frozenset(culture.backgrounds)
    named = labels(backgrounds)
    importance = culture.importance
    rated = _rated("culture", importance, _chosen(culture))

    def level_of(f: tuple[frozenset[Any], frozenset[Any]]) -> int:
        identity, experience = f
        if mode is CulturePreference.SHARES:
            if backgrounds & identity:
                return FULL
            return CULTURE_EXPERIENCED_WHEN_SHARED_ASKED if backgrounds & experience else 0
        return FULL if backgrounds & (identity | experience) else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        shares = backgrounds & p.cultural_identity
        if mode is CulturePreference.SHARES and shares:
            if p.cultural_identity_public:
                return Reasons(
                    f"Shares the client's {labels(shares)} background - {rated}",
                    words.gettext("Shares your {backgrounds} background", backgrounds=words.labels(shares)),
                )
            return Reasons(
                f"Meets the wish for a counselor who shares the client's background (a detail the counselor "
                f"shares for matching only) - {rated}",
                words.gettext("Matches what you asked for about culture"),
            )
        known = backgrounds & (
            p.cultural_experience | (p.cultural_identity if p.cultural_identity_public else frozenset())
        )
        if level and known:
            return Reasons(
                f"Experienced with {labels(known)} clients - {rated}",
                words.gettext("Experienced with {backgrounds} clients", backgrounds=words.labels(known)),
            )
        if level:  # met only through a matching-only identity
            return Reasons(
                f"Knows the client's background (a detail the counselor shares for matching only) - {rated}",
                words.gettext("Matches what you asked for about culture"),
            )
        return Reasons(f"No stated experience with {named} backgrounds - {rated}", None)

    return _client_criterion(
        FactorName.CULTURE,
        importance,
        ("cultural_identity", "cultural_experience"),
        level_of,
        describe,
        relevant={"cultural_identity": backgrounds, "cultural_experience": backgrounds},
    )


def _faith(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    faith = intake.faith
    importance = faith.importance
    rated = _rated("faith", importance, _chosen(faith))
    tradition = faith.stated_tradition
    role = faith.role
    if role is FaithRole.NO_PREFERENCE:
        return None
    if role is FaithRole.PREFER_SECULAR_COUNSELOR:

        def secular_level(integration: frozenset[Any]) -> int:
            return 0 if integration else FULL

        def secular_describe(p: MatchProfile, level: int) -> Reasons:
            if level:
                return Reasons(f"Practices secular counseling - {rated}", words.gettext("Practices secular counseling"))
            return Reasons(f"Offers faith-integrated counseling; client prefers a secular counselor - {rated}", None)

        return _client_criterion(
            FactorName.FAITH,
            importance,
            ("faith_integration",),
            secular_level,
            secular_describe,
            relevant={"faith_integration": bool},
        )

    if tradition is None:  # impossible: the intake model requires a tradition for the other roles
        raise ValueError("integrating or respecting a faith needs the tradition")
    name = label(tradition)
    tradition_named = words.label(tradition)
    if role is FaithRole.INTEGRATE:

        def integrate_level(integration: frozenset[Any]) -> int:
            return FULL if tradition in integration else 0

        def integrate_describe(p: MatchProfile, level: int) -> Reasons:
            if not level:
                return Reasons(f"Does not integrate {name} faith - {rated}", None)
            client = (
                words.gettext("Can bring your {tradition} faith into counseling", tradition=tradition_named)
                if p.faith_integration_public
                else words.gettext("Matches what you asked for about faith in counseling")
            )
            return Reasons(f"Integrates {name} faith - {rated}", client)

        return _client_criterion(
            FactorName.FAITH,
            importance,
            ("faith_integration",),
            integrate_level,
            integrate_describe,
            relevant={"faith_integration": frozenset({tradition})},
        )

    def respect_level(f: tuple[frozenset[Any], Any]) -> int:
        integration, identity = f
        return FULL if tradition in integration or identity == tradition else FAITH_RESPECT_UNFAMILIAR

    def respect_describe(p: MatchProfile, level: int) -> Reasons:
        if level == FULL:
            shown = (tradition in p.faith_integration and p.faith_integration_public) or (
                p.faith_identity == tradition and p.faith_identity_public
            )
            return Reasons(
                f"Familiar with {name} faith; will keep counseling secular as asked - {rated}",
                words.gettext("Familiar with {tradition} faith", tradition=tradition_named) if shown else None,
            )
        return Reasons(f"Will respect {name} faith; no stated familiarity with it - {rated}", None)

    return _client_criterion(
        FactorName.FAITH,
        importance,
        ("faith_integration", "faith_identity"),
        respect_level,
        respect_describe,
        relevant={"faith_integration": frozenset({tradition})},
    )


def _language(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    wanted = frozenset(intake.languages.languages)
    importance = intake.languages.importance
    rated = _rated("language", importance, _chosen(intake.languages))

    def level_of(spoken: frozenset[Any]) -> int:
        return FULL if wanted & spoken else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        both = wanted & p.languages
        if both:
            return Reasons(
                f"Offers sessions in {labels(both)} - {rated}",
                words.gettext(
                    "Offers sessions in {languages}", languages=words.in_sentence(words.labels(both), english=False)
                ),
            )
        return Reasons(f"Does not offer sessions in {labels(wanted)} - {rated}", None)

    return _client_criterion(
        FactorName.LANGUAGE, importance, ("languages",), level_of, describe, relevant={"languages": wanted}
    )


def _gender(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    wanted = frozenset(intake.counselor_gender.preferred)
    if not wanted:
        return None
    importance = intake.counselor_gender.importance
    rated = _rated("counselor gender", importance, _chosen(intake.counselor_gender))

    def level_of(gender: Any) -> int:
        return FULL if gender in wanted else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        if level and p.gender is not None:
            if p.gender_public:
                return Reasons(
                    f"Is a {label(p.gender).lower()} counselor - {rated}",
                    words.gettext("Matches your preference for counselor gender"),
                )
            return Reasons(
                f"Meets the gender preference (shared for matching only) - {rated}",
                words.gettext("Matches your preference for counselor gender"),
            )
        return Reasons(f"Does not meet the gender preference ({labels(wanted).lower()}) - {rated}", None)

    return _client_criterion(FactorName.GENDER, importance, ("gender",), level_of, describe)


def _lgbtq_affirming(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    if not intake.identity.wants_affirming:
        return None
    importance = intake.identity.importance
    rated = _rated("an LGBTQ+-affirming counselor", importance, _chosen(intake.identity))

    def level_of(affirming: Any) -> int:
        return FULL if affirming else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        if level:
            return Reasons(f"LGBTQ+-affirming - {rated}", words.gettext("LGBTQ+-affirming"))
        return Reasons(f"Not listed as LGBTQ+-affirming - {rated}", None)

    return _client_criterion(FactorName.LGBTQ_AFFIRMING, importance, ("lgbtq_affirming",), level_of, describe)


def _approach(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    wanted = intake.approach.known
    if not wanted:
        return None
    importance = intake.approach.importance
    rated = _rated("approach", importance, _chosen(intake.approach))

    def level_of(approaches: frozenset[Any]) -> int:
        return FULL if wanted & approaches else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        both = wanted & p.approaches
        if both:
            return Reasons(
                f"Uses {labels(both)} - {rated}",
                words.gettext("Uses {approaches}", approaches=words.in_sentence(words.labels(both), english=False)),
            )
        return Reasons(f"Does not list {labels(wanted)} - {rated}", None)

    return _client_criterion(
        FactorName.APPROACH, importance, ("approaches",), level_of, describe, relevant={"approaches": wanted}
    )


def _axis_level(wanted: Any, offered: Any, balanced: Any) -> int:
    if wanted == offered:
        return FULL
    if balanced in (wanted, offered):
        return STYLE_BALANCED
    return 0


def _style(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    style = intake.style
    axes = [(i, w) for i, w in enumerate((style.directness, style.structure)) if w != "no_preference"]
    if not axes:
        return None
    importance = style.importance
    rated = _rated("style", importance, _chosen(style))
    balanced = (Directness.BALANCED, Structure.BALANCED)

    def level_of(f: tuple[Directness, Structure]) -> int:
        return sum(_axis_level(w, f[i], balanced[i]) for i, w in axes) // len(axes)

    def describe(p: MatchProfile, level: int) -> Reasons:
        offered = labels([p.directness, p.structure] if len(axes) == 2 else [(p.directness, p.structure)[axes[0][0]]])
        if level == FULL:
            return Reasons(
                f"Style fits: {offered.lower()} - {rated}", words.gettext("Works in the style you asked for")
            )
        if level:
            return Reasons(f"Style partly fits: {offered.lower()} - {rated}", None)
        return Reasons(f"Style differs: {offered.lower()} - {rated}", None)

    return _client_criterion(FactorName.STYLE, importance, ("directness", "structure"), level_of, describe)


def _availability(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    wanted = frozenset(slot_key(s.day, s.part) for s in intake.format.availability)
    if not wanted:
        return None
    need = min(AVAILABILITY_SLOTS_FOR_FULL_CREDIT, len(wanted))
    importance = intake.format.availability_importance
    rated = _rated("availability", importance, _chosen(intake.format, "availability_importance"))

    def level_of(offered: frozenset[str]) -> int:
        return FULL * min(len(wanted & offered), need) // need

    def describe(p: MatchProfile, level: int) -> Reasons:
        shared = len(wanted & p.availability)
        if shared:
            plural = "s" if shared > 1 else ""
            return Reasons(
                f"{shared} time slot{plural} in common - {rated}", words.gettext("Has openings at times that suit you")
            )
        return Reasons(f"No time slots in common - {rated}", None)

    # A must-have on availability is met by one shared slot.
    return _client_criterion(
        FactorName.AVAILABILITY,
        importance,
        ("availability",),
        level_of,
        describe,
        threshold=FULL // need,
        relevant={"availability": wanted},
    )


def _payment(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    payment = intake.payment
    importance = payment.importance
    rated = _rated("cost", importance, _chosen(payment))
    if payment.method is PaymentMethod.INSURANCE:
        carrier = payment.insurance_carrier
        if carrier is None:  # impossible: the intake model requires a carrier for insurance
            raise ValueError("insurance needs a carrier")

        def insured_level(panels: frozenset[Any]) -> int:
            return FULL if carrier is not InsuranceCarrier.OTHER and carrier in panels else 0

        def insured_describe(p: MatchProfile, level: int) -> Reasons:
            if level:
                return Reasons(
                    f"In network with {label(carrier)} - {rated}",
                    words.gettext("Takes {carrier}", carrier=words.label(carrier)),
                )
            if carrier is InsuranceCarrier.OTHER:
                return Reasons(f"Client's carrier is not on the list: check coverage - {rated}", None)
            return Reasons(f"Not in network with {label(carrier)} - {rated}", None)

        return _client_criterion(
            FactorName.PAYMENT,
            importance,
            ("insurance_panels",),
            insured_level,
            insured_describe,
            relevant={"insurance_panels": frozenset({carrier})},
        )

    limit = payment.max_fee_per_session
    if limit is None:  # impossible: the intake model requires a limit for self-pay
        raise ValueError("self-pay needs a fee limit")
    sliding_needed = payment.needs_sliding_scale

    def self_pay_level(f: tuple[int, int | None]) -> int:
        fee, sliding = f
        sliding_fits = sliding is not None and sliding <= limit
        if fee <= limit:
            return FULL
        if sliding_fits:
            return FULL if sliding_needed else PAYMENT_SLIDING_SCALE_POSSIBLE
        return 0

    def self_pay_describe(p: MatchProfile, level: int) -> Reasons:
        if p.fee <= limit:
            return Reasons(
                f"Fee ${p.fee} is within the client's ${limit} - {rated}",
                words.gettext("The fee is within what you can pay"),
            )
        if level:
            return Reasons(
                f"Sliding scale from ${p.sliding_scale_min} fits the client's ${limit} - {rated}",
                words.gettext("A sliding-scale fee can fit what you can pay"),
            )
        return Reasons(f"Fee ${p.fee} is above the client's ${limit}, with no sliding scale that fits - {rated}", None)

    return _client_criterion(
        FactorName.PAYMENT,
        importance,
        ("fee", "sliding_scale_min"),
        self_pay_level,
        self_pay_describe,
        relevant={"fee": lambda fee: fee <= limit, "sliding_scale_min": lambda low: low is not None and low <= limit},
    )


def _location(intake: IntakeAnswers, words: _ClientWords) -> Criterion | None:
    fmt = intake.format
    if fmt.format is FormatPreference.TELEHEALTH or fmt.postal_code is None:
        return None
    area = postal_area(fmt.postal_code)
    weight = LOCATION_WEIGHT_IN_PERSON_ONLY if fmt.format is FormatPreference.IN_PERSON else LOCATION_WEIGHT_EITHER

    def level_of(areas: frozenset[str]) -> int:
        return FULL if area in areas else 0

    def describe(p: MatchProfile, level: int) -> Reasons:
        if level:
            return Reasons("Has an office in the client's postal area", words.gettext("Has an office near you"))
        return Reasons("No office in the client's postal area", None)

    return Criterion(
        FactorName.LOCATION,
        None,
        weight,
        ("office_areas",),
        level_of,
        FULL,
        describe,
        {"office_areas": frozenset({area})},
    )


_BUILDERS: tuple[Callable[[IntakeAnswers, _ClientWords], Criterion | None], ...] = (
    _primary_concern,
    _other_concerns,
    _values,
    _culture,
    _faith,
    _language,
    _gender,
    _lgbtq_affirming,
    _approach,
    _style,
    _availability,
    _payment,
    _location,
)


_IDENTITY_FACTORS = frozenset({FactorName.VALUES, FactorName.CULTURE, FactorName.FAITH})


def understanding_level(ratings: tuple[int, int], minimum: int) -> int:
    """(how many ratings, their sum) -> a level: the mean rating on the level scale once there are enough
    ratings, the neutral level before that (so nothing about fewer ratings than the minimum shows)."""
    count, total = ratings
    if count < minimum:
        return UNRATED_UNDERSTANDING_LEVEL
    return FULL * total // (SCALE_MAX * count)


def _understanding(minimum: int, words: _ClientWords) -> Criterion:
    def level_of(ratings: tuple[int, int]) -> int:
        return understanding_level(ratings, minimum)

    def describe(p: MatchProfile, level: int) -> Reasons:
        count, total = p.understanding
        if count < minimum:
            return Reasons("Not enough check-ins yet to show how clients rate their understanding", None)
        mean = total / count
        staff = (
            f"Clients rate this counselor's understanding of their values, culture and faith {mean:.1f} of 10 "
            f"(n = {count})"
        )
        client = words.gettext("Clients rate this counselor highly for understanding their values, culture and faith")
        return Reasons(staff, client if mean >= _HIGHLY else None)

    return Criterion(
        FactorName.UNDERSTANDING,
        None,
        UNDERSTANDING_WEIGHT,
        ("understanding",),
        level_of,
        FULL,
        describe,
        {"understanding": level_of},
        judged=lambda p: p.understanding[0] >= minimum,
    )


_HIGHLY = 8.0
"""A mean rating at or above this is "highly" in the reason shown to the client."""


def criteria_for(intake: IntakeAnswers, evidence_minimum: int = DEFAULT_EVIDENCE_MINIMUM) -> list[Criterion]:
    """The factors this intake is scored on, in a fixed order; factors the client left open are absent.

    When the client said values, culture or faith matter, how earlier clients rated each counselor's
    understanding of those is a factor too (weights.UNDERSTANDING_WEIGHT)."""
    words = _ClientWords(intake.locale)
    criteria = [c for c in (build(intake, words) for build in _BUILDERS) if c is not None]
    if any(c.factor in _IDENTITY_FACTORS for c in criteria):
        criteria.append(_understanding(evidence_minimum, words))
    return criteria
