"""Plain-language labels for every vocabulary value: one place, read by reasons, emails and the pages."""

import unicodedata
from enum import StrEnum

from shared.domain.availability import MeetingKind
from shared.domain.bond import ITEM_TEXT, CheckInItem, RiskReason
from shared.domain.match import FactorName, NoMatchReason
from shared.domain.records import Decision, HistoryKind, IntakeStatus
from shared.domain.rematch import Change
from shared.domain.vocabulary import (
    AgeBand,
    Approach,
    Concern,
    ContactMethod,
    ConversationFormat,
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
    SessionFormat,
    SexualityAnswer,
    Structure,
    Value,
)
from shared.i18n import N_, SOURCE_LOCALE, Domain, Locale, translations

_JURISDICTION_NAMES = {
    "AL": N_("Alabama"), "AK": N_("Alaska"), "AZ": N_("Arizona"), "AR": N_("Arkansas"), "CA": N_("California"),
    "CO": N_("Colorado"), "CT": N_("Connecticut"), "DE": N_("Delaware"), "DC": N_("District of Columbia"),
    "FL": N_("Florida"), "GA": N_("Georgia"), "HI": N_("Hawaii"), "ID": N_("Idaho"), "IL": N_("Illinois"),
    "IN": N_("Indiana"), "IA": N_("Iowa"), "KS": N_("Kansas"), "KY": N_("Kentucky"), "LA": N_("Louisiana"),
    "ME": N_("Maine"), "MD": N_("Maryland"), "MA": N_("Massachusetts"), "MI": N_("Michigan"), "MN": N_("Minnesota"),
    "MS": N_("Mississippi"), "MO": N_("Missouri"), "MT": N_("Montana"), "NE": N_("Nebraska"), "NV": N_("Nevada"),
    "NH": N_("New Hampshire"), "NJ": N_("New Jersey"), "NM": N_("New Mexico"), "NY": N_("New York"),
    "NC": N_("North Carolina"), "ND": N_("North Dakota"), "OH": N_("Ohio"), "OK": N_("Oklahoma"),
    "OR": N_("Oregon"), "PA": N_("Pennsylvania"), "RI": N_("Rhode Island"), "SC": N_("South Carolina"),
    "SD": N_("South Dakota"), "TN": N_("Tennessee"), "TX": N_("Texas"), "UT": N_("Utah"), "VT": N_("Vermont"),
    "VA": N_("Virginia"), "WA": N_("Washington"), "WV": N_("West Virginia"), "WI": N_("Wisconsin"),
    "WY": N_("Wyoming"), "PR": N_("Puerto Rico"),
}  # fmt: skip
_PROVINCE_NAMES = {
    "AB": N_("Alberta"), "BC": N_("British Columbia"), "MB": N_("Manitoba"), "NB": N_("New Brunswick"),
    "NL": N_("Newfoundland and Labrador"), "NS": N_("Nova Scotia"), "ON": N_("Ontario"),
    "PE": N_("Prince Edward Island"), "QC": N_("Quebec"), "SK": N_("Saskatchewan"),
}  # fmt: skip

LABELS: dict[type[StrEnum], dict[str, str]] = {
    Importance: {
        "must_have": N_("Must have"),
        "important": N_("Important"),
        "nice_to_have": N_("Nice to have"),
        "doesnt_matter": N_("Doesn't matter"),
    },
    ServiceType: {
        "individual_adult": N_("Individual counseling (adult)"),
        "teen": N_("Counseling for a teen"),
        "child": N_("Counseling for a child"),
        "couples": N_("Couples counseling"),
        "family": N_("Family counseling"),
    },
    AgeBand: {
        "child": N_("Child (5-12)"),
        "teen": N_("Teen (13-17)"),
        "young_adult": N_("Young adult (18-25)"),
        "adult": N_("Adult (26-64)"),
        "older_adult": N_("Older adult (65+)"),
    },
    Jurisdiction: {
        j.value: (_JURISDICTION_NAMES if j.value.startswith("US-") else _PROVINCE_NAMES)[j.value[3:]]
        for j in Jurisdiction
    },
    SessionFormat: {"in_person": N_("In person"), "telehealth": N_("Telehealth (video)")},
    ConversationFormat: {"telehealth": N_("Video call"), "phone": N_("Phone call"), "in_person": N_("In person")},
    MeetingKind: {"consult_call": N_("A free consult call"), "first_session": N_("A first session")},
    FormatPreference: {
        "in_person": N_("In person"),
        "telehealth": N_("Telehealth (video)"),
        "either": N_("Either is fine"),
    },
    Day: {
        "mon": N_("Monday"),
        "tue": N_("Tuesday"),
        "wed": N_("Wednesday"),
        "thu": N_("Thursday"),
        "fri": N_("Friday"),
        "sat": N_("Saturday"),
        "sun": N_("Sunday"),
    },
    DayPart: {"morning": N_("Morning"), "afternoon": N_("Afternoon"), "evening": N_("Evening")},
    Language: {
        "en": N_("English"),
        "es": N_("Spanish"),
        "fr": N_("French"),
        "zh": N_("Chinese"),
        "vi": N_("Vietnamese"),
        "tl": N_("Tagalog"),
        "ko": N_("Korean"),
        "ar": N_("Arabic"),
        "ru": N_("Russian"),
        "ht": N_("Haitian Creole"),
        "pt": N_("Portuguese"),
        "hi": N_("Hindi"),
        "ur": N_("Urdu"),
        "pa": N_("Punjabi"),
        "bn": N_("Bengali"),
        "fa": N_("Persian (Farsi)"),
        "de": N_("German"),
        "it": N_("Italian"),
        "pl": N_("Polish"),
        "ja": N_("Japanese"),
        "he": N_("Hebrew"),
        "yi": N_("Yiddish"),
        "so": N_("Somali"),
        "am": N_("Amharic"),
        "sw": N_("Swahili"),
        "gu": N_("Gujarati"),
        "ta": N_("Tamil"),
        "uk": N_("Ukrainian"),
        "ase": N_("American Sign Language"),
    },
    PaymentMethod: {"insurance": N_("Insurance"), "self_pay": N_("Paying myself")},
    InsuranceCarrier: {
        "aetna": N_("Aetna"),
        "bcbs": N_("Blue Cross Blue Shield"),
        "cigna": N_("Cigna"),
        "uhc": N_("UnitedHealthcare / Optum"),
        "humana": N_("Humana"),
        "kaiser": N_("Kaiser Permanente"),
        "medicaid": N_("Medicaid"),
        "medicare": N_("Medicare"),
        "tricare": N_("TRICARE"),
        "magellan": N_("Magellan"),
        "other": N_("Another carrier"),
    },
    Concern: {
        "anxiety": N_("Anxiety"),
        "depression": N_("Depression"),
        "trauma": N_("Trauma"),
        "grief": N_("Grief and loss"),
        "relationships": N_("Relationships"),
        "life_transitions": N_("Life transitions"),
        "stress_burnout": N_("Stress and burnout"),
        "family_conflict": N_("Family conflict"),
        "identity": N_("Identity"),
        "substance_use": N_("Substance use"),
        "self_esteem": N_("Self-esteem"),
        "parenting": N_("Parenting"),
        "anger": N_("Anger"),
        "eating": N_("Eating and body image"),
        "ocd": N_("OCD"),
        "adhd": N_("ADHD"),
        "chronic_illness": N_("Chronic illness or pain"),
        "faith_questions": N_("Faith questions"),
        "racial_stress": N_("Racial stress"),
        "immigration": N_("Immigration and acculturation"),
    },
    Value: {
        "family": N_("Family"),
        "faith_spirituality": N_("Faith and spirituality"),
        "community": N_("Community"),
        "independence": N_("Independence"),
        "achievement": N_("Achievement"),
        "authenticity": N_("Authenticity"),
        "justice": N_("Justice"),
        "health": N_("Health"),
        "creativity": N_("Creativity"),
        "security": N_("Security"),
        "tradition": N_("Tradition"),
        "growth": N_("Personal growth"),
    },
    CulturalBackground: {
        "african_american": N_("African American / Black"),
        "african": N_("African"),
        "caribbean": N_("Caribbean"),
        "east_asian": N_("East Asian"),
        "south_asian": N_("South Asian"),
        "southeast_asian": N_("Southeast Asian"),
        "filipino": N_("Filipino"),
        "mena": N_("Middle Eastern / North African"),
        "hispanic_latino": N_("Hispanic / Latino/a/x"),
        "indigenous": N_("Indigenous / Native American / First Nations"),
        "pacific_islander": N_("Pacific Islander"),
        "european": N_("European / White"),
        "jewish": N_("Jewish"),
        "multiracial": N_("Multiracial"),
        "immigrant_refugee": N_("Immigrant or refugee experience"),
        "other": N_("Another background"),
    },
    CulturePreference: {
        "shares": N_("Someone who shares my background"),
        "experienced": N_("Someone experienced with my background"),
        "no_preference": N_("No preference"),
    },
    FaithTradition: {
        "christian": N_("Christian"),
        "catholic": N_("Catholic"),
        "orthodox_christian": N_("Orthodox Christian"),
        "latter_day_saint": N_("Latter-day Saint"),
        "jewish": N_("Jewish"),
        "muslim": N_("Muslim"),
        "hindu": N_("Hindu"),
        "buddhist": N_("Buddhist"),
        "sikh": N_("Sikh"),
        "bahai": N_("Baha'i"),
        "indigenous_spirituality": N_("Indigenous spirituality"),
        "spiritual": N_("Spiritual but not religious"),
        "other": N_("Another tradition"),
    },
    FaithRole: {
        "integrate": N_("Include my faith in counseling"),
        "respect_secular": N_("Respect my faith, but keep counseling secular"),
        "prefer_secular_counselor": N_("I'd prefer a secular counselor"),
        "no_preference": N_("No preference"),
    },
    Gender: {"woman": N_("Woman"), "man": N_("Man"), "non_binary": N_("Non-binary")},
    SexualityAnswer: {"yes": N_("Yes"), "no": N_("No"), "prefer_not_to_say": N_("Prefer not to say")},
    Approach: {
        "cbt": N_("Cognitive behavioral therapy (CBT)"),
        "dbt": N_("Dialectical behavior therapy (DBT)"),
        "emdr": N_("EMDR"),
        "psychodynamic": N_("Psychodynamic"),
        "person_centered": N_("Person-centered"),
        "act": N_("Acceptance and commitment therapy (ACT)"),
        "solution_focused": N_("Solution-focused"),
        "not_sure": N_("Not sure"),
    },
    Directness: {"direct": N_("More direct"), "balanced": N_("A balance"), "exploratory": N_("More exploratory")},
    Structure: {"structured": N_("More structured"), "balanced": N_("A balance"), "open": N_("More open")},
    ContactMethod: {"email": N_("Email"), "phone": N_("Phone call"), "text": N_("Text message")},
    SafetyAnswer: {"yes": N_("Yes"), "no": N_("No"), "prefer_not_to_say": N_("Prefer not to say")},
    IdentityVisibility: {"public": N_("Show on my public profile"), "matching_only": N_("Use for matching only")},
    FactorName: {
        "primary_concern": N_("Main concern"),
        "other_concerns": N_("Other concerns"),
        "values": N_("Values"),
        "culture": N_("Culture"),
        "faith": N_("Faith"),
        "language": N_("Language"),
        "gender": N_("Counselor gender"),
        "lgbtq_affirming": N_("LGBTQ+-affirming"),
        "approach": N_("Approach"),
        "style": N_("Style"),
        "availability": N_("Availability"),
        "payment": N_("Cost"),
        "location": N_("Office nearby"),
        "client_rated_understanding": N_("Clients' rating of understanding"),
    },
    IntakeStatus: {
        "new": N_("New"),
        "in_review": N_("In review"),
        "needs_rematch": N_("Needs matching again"),
        "assigned": N_("Assigned"),
        "waitlisted": N_("Waitlisted"),
        "referred_out": N_("Referred out"),
        "declined": N_("Declined"),
    },
    Decision: {"waitlist": N_("Waitlist"), "refer_out": N_("Refer out"), "decline": N_("Decline")},
    HistoryKind: {
        "submitted": N_("Submitted"),
        "opened": N_("Opened"),
        "matched": N_("Matched again"),
        "assigned": N_("Assigned"),
        "decided": N_("Decision recorded"),
        "session_held": N_("Session held"),
        "check_in": N_("Check-in received"),
        "rematch_requested": N_("Client asked for a different counselor"),
        "bond_reviewed": N_("Check-in followed up"),
        "shortlist_released": N_("Shortlist released to the client"),
        "rescheduled": N_("First conversation moved"),
        "booking_cancelled": N_("First conversation cancelled"),
    },
    CheckInItem: {item.value: text for item, text in ITEM_TEXT.items()},
    RiskReason: {"low_score": N_("A low score"), "dropped": N_("A drop since the last check-in")},
    NoMatchReason: {
        "no_active_counselors": N_("No active counselors"),
        "not_licensed": N_("Nobody licensed there"),
        "population_not_served": N_("Population not served"),
        "format_not_offered": N_("Format not offered"),
        "no_open_capacity": N_("Everyone who fits is full"),
        "no_other_counselor": N_("Only previous counselors fit"),
    },
    Change: {
        "times": N_("Other times"),
        "cost": N_("In network, or within what I can pay"),
        "faith": N_("Someone who brings my faith into counseling"),
        "culture": N_("Someone who shares my cultural background"),
        "gender": N_("A counselor of a particular gender"),
        "style": N_("A different style"),
    },
}


def label(value: StrEnum, locale: Locale = Locale.EN) -> str:
    """The value's label in `locale` (English unless told)."""
    text = LABELS[type(value)][value.value]
    return text if locale is SOURCE_LOCALE else translations(locale, Domain.LABELS).gettext(text)


def labels(values: "list[StrEnum] | frozenset[StrEnum] | tuple[StrEnum, ...]", locale: Locale = Locale.EN) -> str:
    """A readable, stable list, sorted by the locale's labels: 'Family, Faith and spirituality and Tradition';
    'Crecimiento personal, Familia y Tradición'."""
    names = in_order([label(v, locale) for v in values], locale)
    if len(names) <= 1:
        return "".join(names)
    # TRANSLATORS: the last two items of a list: "Family and Tradition".
    return joined(names, translations(locale, Domain.LABELS).gettext("{rest} and {last}"))


def in_order(names: "list[str]", locale: Locale) -> list[str]:
    """Names sorted as the locale's readers look them up: English as written, other languages as a dictionary
    orders them (`collation_key`)."""
    return sorted(names) if locale is SOURCE_LOCALE else sorted(names, key=collation_key)


def joined(names: "list[str]", last_two: str) -> str:
    """A list in words, the last two joined by `last_two`, a translated "{rest} and {last}" (or "or"):
    'Arabic, Farsi and Urdu'. One name reads as itself."""
    if len(names) == 1:
        return names[0]
    return last_two.format(rest=", ".join(names[:-1]), last=names[-1])


def in_sentence(text: str, locale: Locale) -> str:
    """Labels inside a sentence: Spanish writes concerns, languages, values and approaches in lower case there
    ("en árabe"), acronyms such as TOC as they are. English keeps the label as written."""
    if locale is SOURCE_LOCALE:
        return text
    return " ".join(word if word.strip("()").isupper() else word.lower() for word in text.split(" "))


def collation_key(text: str) -> str:
    """Accents and case aside, the way a dictionary orders words: 'Árabe' before 'Bengalí'."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()
