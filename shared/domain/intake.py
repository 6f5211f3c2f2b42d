"""What a prospective client tells the practice: the intake form, as a strict pydantic model.

The model is the authority on what a valid intake is: the API, the pages and the matching engine all
read it. Every list and string is capped, every choice is an enum, unknown fields are rejected, and
contradictions are rejected with a message tied to the field. Messages never repeat the submitted value.
"""

from collections.abc import Hashable, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from shared.domain.text import NFC, MultiLine, SingleLine, refuse_invisible
from shared.domain.vocabulary import (
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
    age_band_for,
)
from shared.i18n import Locale, locale_of

MAX_FREE_TEXT = 2000


def _language(code: object) -> Locale:
    """The language an intake's code names (unknown: English, never an error), once the code is known to hold
    no control or invisible character: those are refused here as in every other text field."""
    if isinstance(code, str):
        refuse_invisible(code)
    return locale_of(code)


# Numbers and yes/no answers are JSON numbers and booleans: `true` is not 1 and "34" is not 34 (pydantic's
# lax mode would take both, and `true` as a fee limit of $1 would drive matching).
# Text is NFC-normalised and refuses control and invisible characters (shared/domain/text.py).
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NFC, SingleLine]
FreeText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_FREE_TEXT), NFC, MultiLine]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$"
    ),
    NFC,
    SingleLine,
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-.]{7,20}$")]
PostalCode = Annotated[
    str,
    # Normalized before the pattern is checked, so "m5v 2t6" is as good as "M5V 2T6".
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^([0-9]{5}(-[0-9]{4})?|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9])$"),
]
NoticeVersion = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?(\.[0-9]+)?$")]


def _a_json_boolean(value: object) -> object:
    if not isinstance(value, bool):
        raise PydanticCustomError("bool_type", "Input should be a valid boolean")
    return value


Agreed = Annotated[Literal[True], BeforeValidator(_a_json_boolean)]
"""A consent box: only `true` (a lax Literal[True] also takes 1 and 1.0)."""


def _no_repeats[T: Hashable](items: Sequence[T]) -> Sequence[T]:
    if len(set(items)) != len(items):
        raise ValueError("each choice can be listed once")
    return items


class _NoRepeats:
    """A list that lists each choice once: checked after validation, and declared as `uniqueItems` in the
    JSON schema (so the OpenAPI document says it, and clients generated from it send valid lists)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_no_repeats, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        declared = handler(schema)
        declared["uniqueItems"] = True
        return declared


NoRepeats = _NoRepeats()


def needed_when(field: str, values: Sequence[str], needed: str, json_type: str) -> dict[str, Any]:
    """A cross-field rule as JSON Schema (for the OpenAPI document): when `field` is one of `values`,
    `needed` must be given (not null). The model's own validator enforces it; this declares it."""
    return {
        "if": {"properties": {field: {"enum": [str(v) for v in values]}}, "required": [field]},
        "then": {"properties": {needed: {"type": json_type}}, "required": [needed]},
    }


def _must_have_needs_a_choice(importance: Importance, chosen: bool, what: str) -> Importance:
    if importance is Importance.MUST_HAVE and not chosen:
        raise ValueError(f"choose {what}, or lower how much it matters")
    return importance


class StrictModel(BaseModel):
    """Base for every model that crosses a trust boundary: unknown fields are errors, not ignored.

    Cross-field rules are field validators on the field the client should change (reading the fields
    declared before it from `info.data`), so every error points at one field.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Consent(StrictModel):
    store_my_answers: Agreed = Field(description="Consent to store the answers for matching.")
    contact_me: Agreed = Field(description="Consent to be contacted about counseling.")
    privacy_notice_version: NoticeVersion = Field(description="The version of the privacy notice the client saw.")


class Contact(StrictModel):
    model_config = ConfigDict(
        json_schema_extra=needed_when("preferred_contact", [ContactMethod.PHONE, ContactMethod.TEXT], "phone", "string")
    )

    name: ShortText
    preferred_name: ShortText | None = None
    email: Email
    preferred_contact: ContactMethod = ContactMethod.EMAIL
    phone: Phone | None = Field(default=None, validate_default=True)

    @field_validator("phone")
    @classmethod
    def _needed_for_calls_and_texts(cls, phone: str | None, info: ValidationInfo) -> str | None:
        if phone is None and info.data.get("preferred_contact") in (ContactMethod.PHONE, ContactMethod.TEXT):
            raise ValueError("a phone number is needed when the preferred contact is phone or text")
        return phone


class Client(StrictModel):
    """Who the counseling is for and where they will be during sessions."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [  # an age or an age band
                {"properties": {"age": {"type": "integer"}}, "required": ["age"]},
                {"properties": {"age_band": {"type": "string"}}, "required": ["age_band"]},
            ]
        }
    )

    service_type: ServiceType
    jurisdiction: Jurisdiction = Field(description="State or province the client will be in during sessions.")
    age: StrictInt | None = Field(default=None, ge=5, le=120)
    age_band: AgeBand | None = Field(default=None, validate_default=True)

    @field_validator("age_band")
    @classmethod
    def _age_fits_service(cls, age_band: AgeBand | None, info: ValidationInfo) -> AgeBand | None:
        if "age" not in info.data or "service_type" not in info.data:
            return age_band  # already reported on those fields
        age: int | None = info.data["age"]
        if age is None and age_band is None:
            raise ValueError("give an age or an age band")
        band = age_band_for(age) if age is not None else age_band
        if age_band is not None and band != age_band:
            raise ValueError("the age and the age band disagree")
        if band not in SERVICE_AGE_BANDS[info.data["service_type"]]:
            raise ValueError("the age does not fit the service type")
        return age_band

    @property
    def effective_age_band(self) -> AgeBand:
        band = age_band_for(self.age) if self.age is not None else self.age_band
        if band is None:  # the age_band validator makes this impossible for a validated model
            raise ValueError("an intake needs an age or an age band")
        return band


class Slot(StrictModel):
    day: Day
    part: DayPart


class FormatAndTime(StrictModel):
    model_config = ConfigDict(
        json_schema_extra=needed_when("format", [FormatPreference.IN_PERSON], "postal_code", "string")
    )

    format: FormatPreference
    postal_code: PostalCode | None = Field(default=None, validate_default=True, description="Needed in person.")
    travel_radius_miles: StrictInt | None = Field(default=None, ge=1, le=200)
    availability: Annotated[list[Slot], NoRepeats] = Field(default_factory=list, max_length=21)
    availability_importance: Importance = Importance.IMPORTANT

    @field_validator("postal_code")
    @classmethod
    def _needed_in_person(cls, postal_code: str | None, info: ValidationInfo) -> str | None:
        if postal_code is None and info.data.get("format") is FormatPreference.IN_PERSON:
            raise ValueError("a postal code is needed for in-person sessions")
        return postal_code

    @field_validator("availability_importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        return _must_have_needs_a_choice(importance, bool(info.data.get("availability")), "a time slot")


class Payment(StrictModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                needed_when("method", [PaymentMethod.SELF_PAY], "max_fee_per_session", "integer"),
                needed_when("method", [PaymentMethod.INSURANCE], "insurance_carrier", "string"),
            ]
        }
    )

    method: PaymentMethod
    insurance_carrier: InsuranceCarrier | None = Field(default=None, validate_default=True)
    max_fee_per_session: StrictInt | None = Field(
        default=None, ge=0, le=1000, validate_default=True, description="USD."
    )
    needs_sliding_scale: StrictBool = False
    importance: Importance = Importance.IMPORTANT

    @field_validator("insurance_carrier")
    @classmethod
    def _carrier_for_insurance(cls, carrier: InsuranceCarrier | None, info: ValidationInfo) -> InsuranceCarrier | None:
        if carrier is None and info.data.get("method") is PaymentMethod.INSURANCE:
            raise ValueError("choose the insurance carrier, or choose to pay yourself")
        return carrier

    @field_validator("max_fee_per_session")
    @classmethod
    def _fee_for_self_pay(cls, fee: int | None, info: ValidationInfo) -> int | None:
        if fee is None and info.data.get("method") is PaymentMethod.SELF_PAY:
            raise ValueError("say the most you can pay per session")
        return fee


class Languages(StrictModel):
    languages: Annotated[list[Language], NoRepeats] = Field(min_length=1, max_length=5)
    importance: Importance = Importance.MUST_HAVE


class Concerns(StrictModel):
    concerns: Annotated[list[Concern], NoRepeats] = Field(min_length=1, max_length=6)
    primary: Concern
    details: FreeText = ""

    @field_validator("primary")
    @classmethod
    def _primary_listed(cls, primary: Concern, info: ValidationInfo) -> Concern:
        if "concerns" in info.data and primary not in info.data["concerns"]:
            raise ValueError("the primary concern must be one of the concerns chosen")
        return primary


class Values(StrictModel):
    values: Annotated[list[Value], NoRepeats] = Field(default_factory=list, max_length=5)
    importance: Importance = Importance.IMPORTANT

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        return _must_have_needs_a_choice(importance, bool(info.data.get("values")), "at least one value")


class Culture(StrictModel):
    """Optional: the client may skip it or say they prefer not to say."""

    backgrounds: Annotated[list[CulturalBackground], NoRepeats] = Field(default_factory=list, max_length=5)
    self_description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), NFC, SingleLine] = ""
    prefer_not_to_say: StrictBool = False
    counselor_preference: CulturePreference = CulturePreference.NO_PREFERENCE
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("prefer_not_to_say")
    @classmethod
    def _nothing_told(cls, prefer_not_to_say: bool, info: ValidationInfo) -> bool:
        if prefer_not_to_say and (info.data.get("backgrounds") or info.data.get("self_description")):
            raise ValueError("leave the background empty when you prefer not to say")
        return prefer_not_to_say

    @field_validator("counselor_preference")
    @classmethod
    def _background_known(cls, preference: CulturePreference, info: ValidationInfo) -> CulturePreference:
        if preference is not CulturePreference.NO_PREFERENCE and not info.data.get("backgrounds"):
            raise ValueError("choose at least one background for a counselor who shares or knows it")
        return preference

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        stated = (
            info.data.get("counselor_preference", CulturePreference.NO_PREFERENCE)
            is not CulturePreference.NO_PREFERENCE
        )
        return _must_have_needs_a_choice(importance, stated, "what you want in a counselor")


class Faith(StrictModel):
    """Optional: the client's own tradition and how they want it in counseling."""

    tradition: FaithTradition | Literal["none", "prefer_not_to_say"] = "prefer_not_to_say"
    role: FaithRole = FaithRole.NO_PREFERENCE
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("role")
    @classmethod
    def _tradition_known(cls, role: FaithRole, info: ValidationInfo) -> FaithRole:
        named = isinstance(info.data.get("tradition"), FaithTradition)
        if role in (FaithRole.INTEGRATE, FaithRole.RESPECT_SECULAR) and not named:
            raise ValueError("choose the tradition you want integrated or respected")
        return role

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        stated = info.data.get("role", FaithRole.NO_PREFERENCE) is not FaithRole.NO_PREFERENCE
        return _must_have_needs_a_choice(importance, stated, "how you want faith in counseling")

    @property
    def stated_tradition(self) -> FaithTradition | None:
        return self.tradition if isinstance(self.tradition, FaithTradition) else None


class CounselorGender(StrictModel):
    preferred: Annotated[list[Gender], NoRepeats] = Field(default_factory=list, max_length=3)
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        return _must_have_needs_a_choice(importance, bool(info.data.get("preferred")), "at least one gender")


class Identity(StrictModel):
    """Optional: whether the client identifies as LGBTQ+ and wants an affirming counselor."""

    lgbtq: SexualityAnswer = SexualityAnswer.PREFER_NOT_TO_SAY
    wants_affirming: StrictBool = False
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        return _must_have_needs_a_choice(importance, bool(info.data.get("wants_affirming")), "an affirming counselor")


class ApproachPreference(StrictModel):
    preferred: Annotated[list[Approach], NoRepeats] = Field(default_factory=list, max_length=8)
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        named = set(info.data.get("preferred", ())) - {Approach.NOT_SURE}
        return _must_have_needs_a_choice(importance, bool(named), "an approach")

    @property
    def known(self) -> frozenset[Approach]:
        """The approaches the client named ("not sure" names none)."""
        return frozenset(self.preferred) - {Approach.NOT_SURE}


class StylePreference(StrictModel):
    directness: Directness | Literal["no_preference"] = "no_preference"
    structure: Structure | Literal["no_preference"] = "no_preference"
    importance: Importance = Importance.DOESNT_MATTER

    @field_validator("importance")
    @classmethod
    def _must_have_chosen(cls, importance: Importance, info: ValidationInfo) -> Importance:
        stated = info.data.get("directness", "no_preference") != "no_preference" or (
            info.data.get("structure", "no_preference") != "no_preference"
        )
        return _must_have_needs_a_choice(importance, stated, "a style")


class Reflections(StrictModel):
    """Free text for the staff reviewer; never used by the engine and never logged."""

    past_counseling: FreeText = ""
    what_matters_most: FreeText = ""


class IntakeAnswers(StrictModel):
    """Everything a client submits on the intake form."""

    contact: Contact
    consent: Consent
    client: Client
    format: FormatAndTime
    payment: Payment
    languages: Languages
    concerns: Concerns
    values: Values = Values()
    culture: Culture = Culture()
    faith: Faith = Faith()
    counselor_gender: CounselorGender = CounselorGender()
    identity: Identity = Identity()
    approach: ApproachPreference = ApproachPreference()
    style: StylePreference = StylePreference()
    reflections: Reflections = Reflections()
    safety: SafetyAnswer = Field(description="Current thoughts of harming yourself or someone else.")
    locale: Annotated[Locale, BeforeValidator(_language)] = Field(
        default=Locale.EN,
        description="The language the client's pages were in when they sent this (a code such as 'es' or "
        "'es-MX'). Their emails, reasons and links follow it. An unknown or missing code reads as English.",
    )

    @property
    def urgent(self) -> bool:
        """A crisis answer never blocks matching; it puts the intake first in the staff queue."""
        return self.safety is SafetyAnswer.YES

    def unrated(self) -> list[str]:
        """The sections whose importance the client did not set (the form's default applies). Stored answers
        keep which fields the client gave, so this holds after reading an intake back too."""
        return [
            section
            for section, field in IMPORTANCE_FIELDS.items()
            if field not in getattr(self, section).model_fields_set
        ]


IMPORTANCE_FIELDS = {
    "format": "availability_importance",
    "payment": "importance",
    "languages": "importance",
    "values": "importance",
    "culture": "importance",
    "faith": "importance",
    "counselor_gender": "importance",
    "identity": "importance",
    "approach": "importance",
    "style": "importance",
}
"""Each answer section with an importance, and the name of that field."""
