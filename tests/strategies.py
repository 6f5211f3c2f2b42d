"""Hypothesis strategies for valid intakes and valid counselor rosters.

Everything is built as JSON-ready dicts and passed through `model_validate`, so a strategy can only ever
produce what the API would accept. Choices are biased toward a few jurisdictions, languages, postal areas
and generous service lists so that hard constraints often pass and the interesting parts of matching
(factors, must-haves, relaxation, ties) are exercised rather than the no-match paths alone.

For speed, every strategy is built once at import time (composites only draw from them), and a list of
distinct choices is drawn as bit masks (`subsets`), not element by element.
"""

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.domain.vocabulary import (
    AGE_BAND_RANGES,
    SERVICE_AGE_BANDS,
    AgeBand,
    Approach,
    Concern,
    ContactMethod,
    CulturalBackground,
    CulturePreference,
    Day,
    DayPart,
    Directness,
    FaithRole,
    FaithTradition,
    FormatPreference,
    Gender,
    IdentityVisibility,
    Importance,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    PaymentMethod,
    SafetyAnswer,
    ServiceType,
    SexualityAnswer,
    Structure,
    Value,
)

COMMON_JURISDICTIONS = ("US-CA", "US-NY", "CA-ON")
OTHER_JURISDICTIONS = tuple(j.value for j in Jurisdiction if j.value not in COMMON_JURISDICTIONS)
COMMON_LANGUAGES = ("en", "es", "zh")
OTHER_LANGUAGES = tuple(lang.value for lang in Language if lang.value not in COMMON_LANGUAGES)
# Postal codes in a few areas (first three characters: 941, 100, M5V, M4C), so offices are often "near".
POSTAL_CODES = ("94110", "94103", "94110-1234", "10001", "10012", "M5V 2T6", "M5V3L9", "M4C 1A1")
ALL_SLOTS = tuple(f"{d.value}:{p.value}" for d in Day for p in DayPart)  # mon:morning, mon:afternoon, ...

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_dice = st.integers(0, 3)


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def subsets(options: Sequence[str], min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[list[str]]:
    """Distinct choices from `options`, in `options` order: about a quarter of them, capped at `max_size`.

    Two masks are drawn and ANDed (which keeps lists short); shrinking moves toward no choices (or, below
    `min_size`, toward the first options). Each mask stays within 24 bits: hypothesis draws wider integers
    mostly small, which would leave most lists empty.
    """
    n = len(options)
    assert n <= 24
    cap = n if max_size is None else max_size
    mask = st.integers(0, (1 << n) - 1)

    def pick(masks: tuple[int, int]) -> list[str]:
        both = masks[0] & masks[1]
        chosen = [options[i] for i in range(n) if both >> i & 1][:cap]
        start = masks[0] % n
        while len(chosen) < min_size:
            candidate = options[start % n]
            if candidate not in chosen:
                chosen.append(candidate)
            start += 1
        return chosen

    return st.tuples(mask, mask).map(pick)


@st.composite
def _either[T](draw: st.DrawFn, common: st.SearchStrategy[T], rare: st.SearchStrategy[T], in_four: int) -> T:
    return draw(common) if draw(_dice) < in_four else draw(rare)


def usually[T](common: st.SearchStrategy[T], rare: st.SearchStrategy[T], in_four: int = 3) -> st.SearchStrategy[T]:
    """`common` `in_four` times in four, otherwise `rare`.

    (Not `st.one_of(common, common, common, rare)`: its branches are not drawn evenly, and hypothesis
    merges `sampled_from` branches into one.)
    """
    return _either(common, rare, in_four)


def biased_subsets(
    common: Sequence[str], others: Sequence[str], min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[list[str]]:
    """Distinct choices, usually among `common`, sometimes with one of `others` added."""

    def combine(parts: tuple[list[str], str | None]) -> list[str]:
        chosen, other = parts
        if other is not None and len(chosen) < max_size:
            chosen = [*chosen, other]
        if len(chosen) < min_size:
            chosen = [*chosen, *(c for c in common if c not in chosen)][:min_size]
        return chosen[:max_size]

    dense = st.integers(0, (1 << len(common)) - 1).map(lambda m: [common[i] for i in range(len(common)) if m >> i & 1])
    return st.tuples(dense, usually(st.none(), st.sampled_from(tuple(others)))).map(combine)


ALL_IMPORTANCES = _values(Importance)
IMPORTANCES_WITHOUT_MUST_HAVE = tuple(i for i in ALL_IMPORTANCES if i != Importance.MUST_HAVE)
any_importance = st.sampled_from(ALL_IMPORTANCES)
importance_short_of_must_have = st.sampled_from(IMPORTANCES_WITHOUT_MUST_HAVE)


def importance_for(stated: bool) -> st.SearchStrategy[str]:
    """Any importance, but must-have only when the client actually chose something."""
    return any_importance if stated else importance_short_of_must_have


def slots_of(keys: list[str]) -> list[dict[str, str]]:
    return [dict(zip(("day", "part"), key.split(":"), strict=True)) for key in keys]


# --- intakes ---------------------------------------------------------------------------------------------

_contact_methods = st.sampled_from(_values(ContactMethod))
_names = st.sampled_from(("Sam Rivera", "Jo", "Ana María López"))
_emails = st.sampled_from(("sam@example.org", "a.b@example.co.uk"))
_phones = st.sampled_from(("+1 415 555 0100", "(212) 555-0199"))
_service_types = st.sampled_from(tuple(ServiceType))
_common_jurisdictions = st.sampled_from(COMMON_JURISDICTIONS)
_jurisdictions = usually(_common_jurisdictions, usually(_common_jurisdictions, st.sampled_from(OTHER_JURISDICTIONS), 2))
_age_modes = st.sampled_from(("age", "band", "both"))
_format_preferences = st.sampled_from(tuple(FormatPreference))
_postal_codes = st.sampled_from(POSTAL_CODES)
_radius = st.integers(1, 200)
_client_slots = biased_subsets(ALL_SLOTS[:6], ALL_SLOTS[6:], max_size=5)
_payment_methods = st.sampled_from(tuple(PaymentMethod))
_carriers = st.sampled_from(_values(InsuranceCarrier))
_client_fees = st.one_of(st.integers(0, 300), st.integers(0, 1000))
_backgrounds3 = subsets(_values(CulturalBackground), max_size=3)
_self_descriptions = st.sampled_from(("", "Mexican American", "second generation"))
_traditions = st.one_of(st.sampled_from(tuple(FaithTradition)), st.sampled_from(("none", "prefer_not_to_say")))
_genders = subsets(_values(Gender), max_size=3)
_sexuality = st.sampled_from(_values(SexualityAnswer))
_approaches3 = subsets(_values(Approach), max_size=3)
_directness = st.sampled_from(("no_preference", *_values(Directness)))
_structure = st.sampled_from(("no_preference", *_values(Structure)))
_values5 = subsets(_values(Value), max_size=5)
_concerns = subsets(_values(Concern), min_size=1, max_size=6)
_client_languages = biased_subsets(COMMON_LANGUAGES, OTHER_LANGUAGES, min_size=1, max_size=3)
_safety = st.sampled_from(_values(SafetyAnswer))


@st.composite
def contact_sections(draw: st.DrawFn) -> dict[str, Any]:
    preferred = draw(_contact_methods)
    contact: dict[str, Any] = {"name": draw(_names), "email": draw(_emails), "preferred_contact": preferred}
    if preferred != ContactMethod.EMAIL or draw(st.booleans()):
        contact["phone"] = draw(_phones)
    if draw(st.booleans()):
        contact["preferred_name"] = "Sam"
    return contact


@st.composite
def client_sections(draw: st.DrawFn) -> dict[str, Any]:
    service = draw(_service_types)
    band = draw(st.sampled_from(sorted(SERVICE_AGE_BANDS[service])))
    client: dict[str, Any] = {"service_type": service.value, "jurisdiction": draw(_jurisdictions)}
    mode = draw(_age_modes)
    if mode in ("age", "both"):
        low, high = AGE_BAND_RANGES[band]
        client["age"] = draw(st.integers(low, min(high, 100)))
    if mode in ("band", "both"):
        client["age_band"] = band.value
    return client


@st.composite
def format_sections(draw: st.DrawFn) -> dict[str, Any]:
    fmt = draw(_format_preferences)
    section: dict[str, Any] = {"format": fmt.value}
    if fmt is FormatPreference.IN_PERSON or draw(st.booleans()):
        section["postal_code"] = draw(_postal_codes)
    if draw(st.booleans()):
        section["travel_radius_miles"] = draw(_radius)
    slots: list[str] = draw(_client_slots)
    if len(slots) > 0 or draw(st.booleans()):
        section["availability"] = slots_of(slots)
        section["availability_importance"] = draw(importance_for(bool(slots)))
    return section


@st.composite
def payment_sections(draw: st.DrawFn) -> dict[str, Any]:
    method = draw(_payment_methods)
    section: dict[str, Any] = {"method": method.value, "importance": draw(any_importance)}
    if method is PaymentMethod.INSURANCE:
        section["insurance_carrier"] = draw(_carriers)
        if draw(st.booleans()):
            section["max_fee_per_session"] = draw(_client_fees)
    else:
        section["max_fee_per_session"] = draw(_client_fees)
    if draw(st.booleans()):
        section["needs_sliding_scale"] = draw(st.booleans())
    return section


@st.composite
def culture_sections(draw: st.DrawFn) -> dict[str, Any]:
    if draw(_dice) == 0:
        return {"prefer_not_to_say": True, "importance": draw(importance_short_of_must_have)}
    backgrounds = draw(_backgrounds3)
    section: dict[str, Any] = {"backgrounds": backgrounds, "self_description": draw(_self_descriptions)}
    preference = CulturePreference.NO_PREFERENCE
    if backgrounds:
        preference = draw(st.sampled_from(tuple(CulturePreference)))
    section["counselor_preference"] = preference.value
    section["importance"] = draw(importance_for(preference is not CulturePreference.NO_PREFERENCE))
    return section


@st.composite
def faith_sections(draw: st.DrawFn) -> dict[str, Any]:
    tradition = draw(_traditions)
    named = isinstance(tradition, FaithTradition)
    roles = tuple(FaithRole) if named else (FaithRole.PREFER_SECULAR_COUNSELOR, FaithRole.NO_PREFERENCE)
    role = draw(st.sampled_from(roles))
    return {
        "tradition": str(tradition),
        "role": role.value,
        "importance": draw(importance_for(role is not FaithRole.NO_PREFERENCE)),
    }


@st.composite
def gender_sections(draw: st.DrawFn) -> dict[str, Any]:
    preferred = draw(_genders)
    return {"preferred": preferred, "importance": draw(importance_for(bool(preferred)))}


@st.composite
def identity_sections(draw: st.DrawFn) -> dict[str, Any]:
    wants = draw(st.booleans())
    return {"lgbtq": draw(_sexuality), "wants_affirming": wants, "importance": draw(importance_for(wants))}


@st.composite
def approach_sections(draw: st.DrawFn) -> dict[str, Any]:
    preferred = draw(_approaches3)
    known = set(preferred) - {Approach.NOT_SURE.value}
    return {"preferred": preferred, "importance": draw(importance_for(bool(known)))}


@st.composite
def style_sections(draw: st.DrawFn) -> dict[str, Any]:
    directness = draw(_directness)
    structure = draw(_structure)
    stated = directness != "no_preference" or structure != "no_preference"
    return {"directness": directness, "structure": structure, "importance": draw(importance_for(stated))}


@st.composite
def values_sections(draw: st.DrawFn) -> dict[str, Any]:
    values = draw(_values5)
    return {"values": values, "importance": draw(importance_for(bool(values)))}


@st.composite
def concerns_sections(draw: st.DrawFn) -> dict[str, Any]:
    concerns = draw(_concerns)
    section: dict[str, Any] = {"concerns": concerns, "primary": draw(st.sampled_from(concerns))}
    if draw(st.booleans()):
        section["details"] = "Trouble sleeping."
    return section


_OPTIONAL_SECTIONS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "values": values_sections(),
    "culture": culture_sections(),
    "faith": faith_sections(),
    "counselor_gender": gender_sections(),
    "identity": identity_sections(),
    "approach": approach_sections(),
    "style": style_sections(),
}
_contact = contact_sections()
_client = client_sections()
_format = format_sections()
_payment = payment_sections()
_concerns_section = concerns_sections()


@st.composite
def intake_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A valid intake as JSON-ready data, with each optional section present or left to its default."""
    body: dict[str, Any] = {
        "contact": draw(_contact),
        "consent": {"store_my_answers": True, "contact_me": True, "privacy_notice_version": "2026-11"},
        "client": draw(_client),
        "format": draw(_format),
        "payment": draw(_payment),
        "languages": {"languages": draw(_client_languages), "importance": draw(any_importance)},
        "concerns": draw(_concerns_section),
        "safety": draw(_safety),
    }
    for name, strategy in _OPTIONAL_SECTIONS.items():
        if draw(_dice) > 0:  # present three times in four
            body[name] = draw(strategy)
    if draw(st.booleans()):
        body["reflections"] = {"past_counseling": "Some, years ago.", "what_matters_most": "Being heard."}
    return body


_intakes = intake_bodies().map(IntakeAnswers.model_validate)
named_values = subsets(_values(Value), min_size=1, max_size=5)
"""One to five values a client names."""
named_backgrounds = subsets(_values(CulturalBackground), min_size=1, max_size=3)
"""One to three cultural backgrounds a client names."""


def intakes() -> st.SearchStrategy[IntakeAnswers]:
    """Valid `IntakeAnswers` covering every optional section and every importance."""
    return _intakes


# --- counselors ------------------------------------------------------------------------------------------


def _counselor_id(number: int) -> str:
    digits = ""
    while number or len(digits) < 6:
        number, digit = divmod(number, len(ID_ALPHABET))
        digits = ID_ALPHABET[digit] + digits
    return f"c-{digits}"


counselor_ids = st.integers(0, 1 << 24).map(_counselor_id)
"""Valid counselor ids (c- and six to eight letters or digits), from one integer draw."""


def _shared(value: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any] | None]:
    return st.one_of(
        st.none(), st.fixed_dictionaries({"value": value, "visibility": st.sampled_from(_values(IdentityVisibility))})
    )


def _everything_or_some(options: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """All the options three times in four (so hard constraints usually pass), otherwise a few."""
    return usually(st.just(list(options)), subsets(options, min_size=1))


_mostly_true = st.sampled_from((True, True, True, True, True, True, True, True, True, False))
_service_lists = _everything_or_some(_values(ServiceType))
_age_band_lists = _everything_or_some(_values(AgeBand))
_format_lists = st.sampled_from(
    (["in_person", "telehealth"], ["telehealth"], ["in_person"], ["telehealth", "in_person"])
)
_counselor_fees = st.one_of(st.integers(40, 250), st.integers(0, 1000))
_counselor_licenses = usually(
    st.just(list(COMMON_JURISDICTIONS)),
    biased_subsets(COMMON_JURISDICTIONS, OTHER_JURISDICTIONS, min_size=1, max_size=4),
)
_open_slots = usually(st.integers(0, 5), st.integers(0, 200))
_office_codes = subsets(POSTAL_CODES, max_size=2)
_counselor_slots = biased_subsets(ALL_SLOTS[:6], ALL_SLOTS[6:], max_size=7)
_counselor_languages = biased_subsets(COMMON_LANGUAGES, OTHER_LANGUAGES, min_size=1, max_size=4)
_concerns6 = subsets(_values(Concern), max_size=6)
_concerns8 = subsets(_values(Concern), max_size=8)
_approaches4 = subsets(_values(Approach), max_size=4)
_values6 = subsets(_values(Value), max_size=6)
_faith_integration = subsets(_values(FaithTradition), max_size=3)
_cultural_experience = subsets(_values(CulturalBackground), max_size=4)
_cultural_identity = _shared(subsets(_values(CulturalBackground), min_size=1, max_size=5))
_faith_identity = _shared(st.sampled_from((*_values(FaithTradition), "none")))
_gender_identity = _shared(st.sampled_from(_values(Gender)))
_panels = subsets(_values(InsuranceCarrier), max_size=4)
_counselor_directness = st.sampled_from(_values(Directness))
_counselor_structure = st.sampled_from(_values(Structure))
_credentials = st.sampled_from((["LPC"], ["LCSW", "PhD"], ["LMFT"]))


@st.composite
def _counselor_fields(draw: st.DrawFn) -> dict[str, Any]:
    """Everything in a profile but the counselor id."""
    fee = draw(_counselor_fees)
    sliding = draw(st.one_of(st.none(), st.integers(0, fee)))
    return {
        "version": 1,
        "name": "Alex Morgan",
        "credentials": draw(_credentials),
        "licensed_in": draw(_counselor_licenses),
        "active": draw(_mostly_true),
        "accepting_new_clients": draw(_mostly_true),
        "open_slots": draw(_open_slots),
        "formats": draw(_format_lists),
        "offices": [{"label": "Office", "city": "Town", "postal_code": code} for code in draw(_office_codes)],
        "availability": slots_of(draw(_counselor_slots)),
        "languages": draw(_counselor_languages),
        "concerns_primary": draw(_concerns6),
        "concerns_experienced": draw(_concerns8),
        "approaches": draw(_approaches4),
        "service_types": draw(_service_lists),
        "age_bands": draw(_age_band_lists),
        "lgbtq_affirming": draw(st.booleans()),
        "values_centered": draw(_values6),
        "faith_integration": draw(_faith_integration),
        "show_faith_integration": draw(st.booleans()),
        "cultural_experience": draw(_cultural_experience),
        "cultural_identity": draw(_cultural_identity),
        "faith_identity": draw(_faith_identity),
        "gender": draw(_gender_identity),
        "insurance_panels": draw(_panels),
        "fee_per_session": fee,
        "sliding_scale_min": sliding,
        "directness": draw(_counselor_directness),
        "structure": draw(_counselor_structure),
    }


_fields = _counselor_fields()


@st.composite
def counselor_bodies(draw: st.DrawFn, counselor_id: str | None = None) -> dict[str, Any]:
    """A valid counselor profile as JSON-ready data (with the given id, or a generated one)."""
    cid = counselor_id if counselor_id is not None else draw(counselor_ids)
    return {"counselor_id": cid, **draw(_fields)}


_counselor_profiles = counselor_bodies().map(CounselorProfile.model_validate)


def counselor_profiles(counselor_id: str | None = None) -> st.SearchStrategy[CounselorProfile]:
    """A valid `CounselorProfile` (with the given id, or a generated one)."""
    if counselor_id is None:
        return _counselor_profiles
    return counselor_bodies(counselor_id).map(CounselorProfile.model_validate)


@st.composite
def roster_bodies(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[dict[str, Any]]:
    """Valid profiles as JSON-ready data, with unique ids.

    About one in four is a copy of an earlier counselor under another id (sometimes with other open slots),
    so ties on points, and on points and open slots, are common and the tie-breaks get exercised.
    """
    size = draw(usually(st.integers(max(min_size, max_size // 2), max_size), st.integers(min_size, max_size)))
    ids = draw(st.lists(counselor_ids, min_size=size, max_size=size, unique=True))
    bodies: list[dict[str, Any]] = []
    for cid in ids:
        if bodies and draw(_dice) == 0:
            body = {**draw(st.sampled_from(bodies)), "counselor_id": cid}
            if draw(st.booleans()):
                body["open_slots"] = draw(_open_slots)
        else:
            body = {"counselor_id": cid, **draw(_fields)}
        bodies.append(body)
    return bodies


def rosters(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[list[CounselorProfile]]:
    """Valid `CounselorProfile`s with unique counselor ids (see `roster_bodies`)."""
    return roster_bodies(min_size, max_size).map(lambda bodies: [CounselorProfile.model_validate(b) for b in bodies])
