"""The fixed vocabularies an intake and a counselor profile are written in.

Every list a client or counselor picks from is a closed enum, so matching compares like with like and
the API rejects anything else. Values are stored as these strings: append new members, never rename.
"""

from enum import StrEnum


class Importance(StrEnum):
    """How much a stated preference matters to the client (the client is in the driver's seat)."""

    MUST_HAVE = "must_have"
    IMPORTANT = "important"
    NICE_TO_HAVE = "nice_to_have"
    DOESNT_MATTER = "doesnt_matter"


class ServiceType(StrEnum):
    INDIVIDUAL_ADULT = "individual_adult"
    TEEN = "teen"
    CHILD = "child"
    COUPLES = "couples"
    FAMILY = "family"


class AgeBand(StrEnum):
    CHILD = "child"  # 5-12
    TEEN = "teen"  # 13-17
    YOUNG_ADULT = "young_adult"  # 18-25
    ADULT = "adult"  # 26-64
    OLDER_ADULT = "older_adult"  # 65+


AGE_BAND_RANGES: dict[AgeBand, tuple[int, int]] = {
    AgeBand.CHILD: (5, 12),
    AgeBand.TEEN: (13, 17),
    AgeBand.YOUNG_ADULT: (18, 25),
    AgeBand.ADULT: (26, 64),
    AgeBand.OLDER_ADULT: (65, 120),
}

# Which age bands each service type can be for (the client's own age band, or the child's for child and teen work).
SERVICE_AGE_BANDS: dict[ServiceType, frozenset[AgeBand]] = {
    ServiceType.INDIVIDUAL_ADULT: frozenset({AgeBand.YOUNG_ADULT, AgeBand.ADULT, AgeBand.OLDER_ADULT}),
    ServiceType.TEEN: frozenset({AgeBand.TEEN}),
    ServiceType.CHILD: frozenset({AgeBand.CHILD}),
    ServiceType.COUPLES: frozenset({AgeBand.YOUNG_ADULT, AgeBand.ADULT, AgeBand.OLDER_ADULT}),
    ServiceType.FAMILY: frozenset(AgeBand),
}


def age_band_for(age: int) -> AgeBand | None:
    for band, (low, high) in AGE_BAND_RANGES.items():
        if low <= age <= high:
            return band
    return None


class Jurisdiction(StrEnum):
    """Where a counselor is licensed and where a client will be during sessions (US states, DC, Canadian provinces)."""

    US_AL = "US-AL"
    US_AK = "US-AK"
    US_AZ = "US-AZ"
    US_AR = "US-AR"
    US_CA = "US-CA"
    US_CO = "US-CO"
    US_CT = "US-CT"
    US_DE = "US-DE"
    US_DC = "US-DC"
    US_FL = "US-FL"
    US_GA = "US-GA"
    US_HI = "US-HI"
    US_ID = "US-ID"
    US_IL = "US-IL"
    US_IN = "US-IN"
    US_IA = "US-IA"
    US_KS = "US-KS"
    US_KY = "US-KY"
    US_LA = "US-LA"
    US_ME = "US-ME"
    US_MD = "US-MD"
    US_MA = "US-MA"
    US_MI = "US-MI"
    US_MN = "US-MN"
    US_MS = "US-MS"
    US_MO = "US-MO"
    US_MT = "US-MT"
    US_NE = "US-NE"
    US_NV = "US-NV"
    US_NH = "US-NH"
    US_NJ = "US-NJ"
    US_NM = "US-NM"
    US_NY = "US-NY"
    US_NC = "US-NC"
    US_ND = "US-ND"
    US_OH = "US-OH"
    US_OK = "US-OK"
    US_OR = "US-OR"
    US_PA = "US-PA"
    US_RI = "US-RI"
    US_SC = "US-SC"
    US_SD = "US-SD"
    US_TN = "US-TN"
    US_TX = "US-TX"
    US_UT = "US-UT"
    US_VT = "US-VT"
    US_VA = "US-VA"
    US_WA = "US-WA"
    US_WV = "US-WV"
    US_WI = "US-WI"
    US_WY = "US-WY"
    US_PR = "US-PR"
    CA_AB = "CA-AB"
    CA_BC = "CA-BC"
    CA_MB = "CA-MB"
    CA_NB = "CA-NB"
    CA_NL = "CA-NL"
    CA_NS = "CA-NS"
    CA_ON = "CA-ON"
    CA_PE = "CA-PE"
    CA_QC = "CA-QC"
    CA_SK = "CA-SK"


class SessionFormat(StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class FormatPreference(StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"
    EITHER = "either"


FORMATS_ACCEPTED: dict[FormatPreference, frozenset[SessionFormat]] = {
    FormatPreference.IN_PERSON: frozenset({SessionFormat.IN_PERSON}),
    FormatPreference.TELEHEALTH: frozenset({SessionFormat.TELEHEALTH}),
    FormatPreference.EITHER: frozenset(SessionFormat),
}


class ConversationFormat(StrEnum):
    """How a first conversation (a consult call or a first session) is held.

    Its own list rather than SessionFormat with a new member: a phone call is fine for a first conversation
    but is not a way counselors hold ongoing sessions here, and SessionFormat feeds matching and profiles.
    The shared members use the same strings.
    """

    TELEHEALTH = "telehealth"
    PHONE = "phone"
    IN_PERSON = "in_person"


class Day(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class Language(StrEnum):
    """Languages sessions can be held in (ISO 639-1, plus ASL)."""

    EN = "en"
    ES = "es"
    FR = "fr"
    ZH = "zh"
    VI = "vi"
    TL = "tl"
    KO = "ko"
    AR = "ar"
    RU = "ru"
    HT = "ht"
    PT = "pt"
    HI = "hi"
    UR = "ur"
    PA = "pa"
    BN = "bn"
    FA = "fa"
    DE = "de"
    IT = "it"
    PL = "pl"
    JA = "ja"
    HE = "he"
    YI = "yi"
    SO = "so"
    AM = "am"
    SW = "sw"
    GU = "gu"
    TA = "ta"
    UK = "uk"
    ASL = "ase"


class PaymentMethod(StrEnum):
    INSURANCE = "insurance"
    SELF_PAY = "self_pay"


class InsuranceCarrier(StrEnum):
    AETNA = "aetna"
    BLUE_CROSS_BLUE_SHIELD = "bcbs"
    CIGNA = "cigna"
    UNITEDHEALTHCARE = "uhc"
    HUMANA = "humana"
    KAISER = "kaiser"
    MEDICAID = "medicaid"
    MEDICARE = "medicare"
    TRICARE = "tricare"
    MAGELLAN = "magellan"
    OTHER = "other"


class Concern(StrEnum):
    ANXIETY = "anxiety"
    DEPRESSION = "depression"
    TRAUMA = "trauma"
    GRIEF = "grief"
    RELATIONSHIPS = "relationships"
    LIFE_TRANSITIONS = "life_transitions"
    STRESS_BURNOUT = "stress_burnout"
    FAMILY_CONFLICT = "family_conflict"
    IDENTITY = "identity"
    SUBSTANCE_USE = "substance_use"
    SELF_ESTEEM = "self_esteem"
    PARENTING = "parenting"
    ANGER = "anger"
    EATING = "eating"
    OCD = "ocd"
    ADHD = "adhd"
    CHRONIC_ILLNESS = "chronic_illness"
    FAITH_QUESTIONS = "faith_questions"
    RACIAL_STRESS = "racial_stress"
    IMMIGRATION = "immigration"


class Value(StrEnum):
    FAMILY = "family"
    FAITH_SPIRITUALITY = "faith_spirituality"
    COMMUNITY = "community"
    INDEPENDENCE = "independence"
    ACHIEVEMENT = "achievement"
    AUTHENTICITY = "authenticity"
    JUSTICE = "justice"
    HEALTH = "health"
    CREATIVITY = "creativity"
    SECURITY = "security"
    TRADITION = "tradition"
    GROWTH = "growth"


class CulturalBackground(StrEnum):
    AFRICAN_AMERICAN = "african_american"
    AFRICAN = "african"
    CARIBBEAN = "caribbean"
    EAST_ASIAN = "east_asian"
    SOUTH_ASIAN = "south_asian"
    SOUTHEAST_ASIAN = "southeast_asian"
    FILIPINO = "filipino"
    MIDDLE_EASTERN_NORTH_AFRICAN = "mena"
    HISPANIC_LATINO = "hispanic_latino"
    INDIGENOUS = "indigenous"
    PACIFIC_ISLANDER = "pacific_islander"
    EUROPEAN = "european"
    JEWISH = "jewish"
    MULTIRACIAL = "multiracial"
    IMMIGRANT_REFUGEE = "immigrant_refugee"
    OTHER = "other"


class CulturePreference(StrEnum):
    SHARES = "shares"
    EXPERIENCED = "experienced"
    NO_PREFERENCE = "no_preference"


class FaithTradition(StrEnum):
    CHRISTIAN = "christian"
    CATHOLIC = "catholic"
    ORTHODOX_CHRISTIAN = "orthodox_christian"
    LATTER_DAY_SAINT = "latter_day_saint"
    JEWISH = "jewish"
    MUSLIM = "muslim"
    HINDU = "hindu"
    BUDDHIST = "buddhist"
    SIKH = "sikh"
    BAHAI = "bahai"
    INDIGENOUS_SPIRITUALITY = "indigenous_spirituality"
    SPIRITUAL_NOT_RELIGIOUS = "spiritual"
    OTHER = "other"


class FaithRole(StrEnum):
    """How the client wants faith in counseling."""

    INTEGRATE = "integrate"
    RESPECT_SECULAR = "respect_secular"
    PREFER_SECULAR_COUNSELOR = "prefer_secular_counselor"
    NO_PREFERENCE = "no_preference"


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"


class SexualityAnswer(StrEnum):
    """Whether the client identifies as LGBTQ+ (optional, for the staff reviewer; never required)."""

    YES = "yes"
    NO = "no"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Approach(StrEnum):
    CBT = "cbt"
    DBT = "dbt"
    EMDR = "emdr"
    PSYCHODYNAMIC = "psychodynamic"
    PERSON_CENTERED = "person_centered"
    ACT = "act"
    SOLUTION_FOCUSED = "solution_focused"
    NOT_SURE = "not_sure"


class Directness(StrEnum):
    DIRECT = "direct"
    BALANCED = "balanced"
    EXPLORATORY = "exploratory"


class Structure(StrEnum):
    STRUCTURED = "structured"
    BALANCED = "balanced"
    OPEN = "open"


class ContactMethod(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    TEXT = "text"


class SafetyAnswer(StrEnum):
    """Current thoughts of harming oneself or someone else."""

    YES = "yes"
    NO = "no"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Visibility(StrEnum):
    """Who may see a counselor profile field."""

    PUBLIC = "public"  # the public directory and client-facing reasons
    STAFF = "staff"  # practice staff in the console
    MATCHING = "matching"  # the matching engine only; never displayed


class IdentityVisibility(StrEnum):
    """A counselor's own choice for each optional self-identity field."""

    PUBLIC = "public"
    MATCHING_ONLY = "matching_only"
