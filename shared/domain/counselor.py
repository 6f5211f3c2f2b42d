"""A counselor's profile, with who may see each field.

Every field declares its visibility (`public`: the directory and client-facing text; `staff`: the
practice's console; `matching`: the engine only). The optional self-identity fields are the counselor's
own to share: each carries the counselor's choice of "show publicly" or "use for matching only".
The public and staff views are separate allow-listed models (see shared/api), checked against these
declarations by a test, so a private field cannot leak into a response by accident.
"""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shared.domain.availability import Schedule
from shared.domain.intake import NoRepeats, PostalCode, ShortText, Slot, StrictModel
from shared.domain.text import NFC, MultiLine, SingleLine
from shared.domain.vocabulary import (
    AgeBand,
    Approach,
    Concern,
    CulturalBackground,
    Directness,
    FaithTradition,
    Gender,
    IdentityVisibility,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    ServiceType,
    SessionFormat,
    Structure,
    Value,
    Visibility,
)

CounselorId = Annotated[str, StringConstraints(pattern=r"^c-[a-z0-9]{6,32}$")]
Credential = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z0-9.\- ]{0,19}$")]


def visible_to(visibility: Visibility, **kwargs: Any) -> Any:
    """A pydantic Field that records who may see it (read by `fields_visible_to`)."""
    return Field(json_schema_extra={"x-visibility": visibility.value}, **kwargs)


MOST_OPEN_SLOTS = 200
"""The most open slots a profile may have; a slot given back never takes a counselor over it."""


class Office(StrictModel):
    label: ShortText
    city: ShortText
    postal_code: PostalCode


class SharedIdentity[T](StrictModel):
    """Something a counselor chose to tell about themself, and who may see it."""

    value: T
    visibility: IdentityVisibility = IdentityVisibility.MATCHING_ONLY


class CounselorOwnDetails(StrictModel):
    """What a counselor may change about themselves (the body of their own update); a practice admin writes
    these too, with the admin-only fields of `CounselorDetails`."""

    name: ShortText = visible_to(Visibility.PUBLIC)
    pronouns: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), NFC, SingleLine] = visible_to(
        Visibility.PUBLIC, default=""
    )
    accepting_new_clients: StrictBool = visible_to(Visibility.PUBLIC, default=True)
    open_slots: StrictInt = visible_to(
        Visibility.STAFF, ge=0, le=MOST_OPEN_SLOTS, description="New clients they can take now."
    )
    formats: Annotated[list[SessionFormat], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=2)
    offices: list[Office] = visible_to(Visibility.PUBLIC, default_factory=list, max_length=5)
    availability: Annotated[list[Slot], NoRepeats] = visible_to(Visibility.STAFF, default_factory=list, max_length=21)
    languages: Annotated[list[Language], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=8)
    concerns_primary: Annotated[list[Concern], NoRepeats] = visible_to(
        Visibility.PUBLIC, default_factory=list, max_length=6, description="Specialties."
    )
    concerns_experienced: Annotated[list[Concern], NoRepeats] = visible_to(
        Visibility.PUBLIC, default_factory=list, max_length=20
    )
    approaches: Annotated[list[Approach], NoRepeats] = visible_to(Visibility.PUBLIC, default_factory=list, max_length=8)
    service_types: Annotated[list[ServiceType], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=5)
    age_bands: Annotated[list[AgeBand], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=5)
    lgbtq_affirming: StrictBool = visible_to(Visibility.PUBLIC, default=False)
    values_centered: Annotated[list[Value], NoRepeats] = visible_to(
        Visibility.PUBLIC, default_factory=list, max_length=6, description="Values they work from with clients."
    )
    faith_integration: Annotated[list[FaithTradition], NoRepeats] = visible_to(
        Visibility.MATCHING,
        default_factory=list,
        max_length=13,
        description="Traditions they integrate into counseling when a client asks; public only if shown.",
    )
    show_faith_integration: StrictBool = visible_to(Visibility.STAFF, default=True)
    cultural_experience: Annotated[list[CulturalBackground], NoRepeats] = visible_to(
        Visibility.PUBLIC, default_factory=list, max_length=16
    )
    cultural_identity: SharedIdentity[list[CulturalBackground]] | None = visible_to(Visibility.MATCHING, default=None)
    faith_identity: SharedIdentity[FaithTradition | Literal["none"]] | None = visible_to(
        Visibility.MATCHING, default=None
    )
    gender: SharedIdentity[Gender] | None = visible_to(Visibility.MATCHING, default=None)
    insurance_panels: Annotated[list[InsuranceCarrier], NoRepeats] = visible_to(
        Visibility.PUBLIC, default_factory=list, max_length=11
    )
    fee_per_session: StrictInt = visible_to(Visibility.PUBLIC, ge=0, le=1000, description="US dollars.")
    sliding_scale_min: StrictInt | None = visible_to(
        Visibility.STAFF, default=None, ge=0, le=1000, description="Lowest sliding-scale fee, if offered."
    )
    directness: Directness = visible_to(Visibility.STAFF, default=Directness.BALANCED)
    structure: Structure = visible_to(Visibility.STAFF, default=Structure.BALANCED)
    bio: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1500), NFC, MultiLine] = visible_to(
        Visibility.PUBLIC, default=""
    )
    schedule: Schedule | None = visible_to(
        Visibility.STAFF,
        default=None,
        description="Weekly windows for first conversations, dates off and the kinds offered (docs/booking.md). "
        "None: clients cannot book this counselor themselves.",
    )

    @field_validator("cultural_identity")
    @classmethod
    def _identity_not_empty(
        cls, identity: SharedIdentity[list[CulturalBackground]] | None
    ) -> SharedIdentity[list[CulturalBackground]] | None:
        if identity is not None and not 1 <= len(identity.value) <= 5:
            raise ValueError("list one to five backgrounds, or leave it out")
        return identity

    @field_validator("sliding_scale_min")
    @classmethod
    def _below_fee(cls, minimum: int | None, info: ValidationInfo) -> int | None:
        fee = info.data.get("fee_per_session")
        if minimum is not None and fee is not None and minimum > fee:
            raise ValueError("the sliding-scale minimum must not exceed the full fee")
        return minimum


class CounselorDetails(CounselorOwnDetails):
    """Everything a practice admin writes about a counselor (the body of create and update)."""

    credentials: Annotated[list[Credential], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=6)
    licensed_in: Annotated[list[Jurisdiction], NoRepeats] = visible_to(Visibility.PUBLIC, min_length=1, max_length=20)
    license_numbers: list[Annotated[str, StringConstraints(max_length=40), NFC, SingleLine]] = visible_to(
        Visibility.STAFF, default_factory=list, max_length=20
    )
    active: StrictBool = visible_to(Visibility.STAFF, default=True)
    max_open_slots: StrictInt | None = visible_to(
        Visibility.STAFF,
        default=None,
        ge=0,
        le=MOST_OPEN_SLOTS,
        description="The most new clients the counselor may say they can take (admin-only); none: up to "
        f"{MOST_OPEN_SLOTS}.",
    )

    def over_the_maximum(self) -> bool:
        """Open slots above the admin's maximum: refused when a profile is saved (not when one is read, since
        a slot given back on a rematch may take a counselor one over a maximum lowered meanwhile)."""
        return self.max_open_slots is not None and self.open_slots > self.max_open_slots


ADMIN_ONLY_FIELDS = frozenset(CounselorDetails.model_fields) - frozenset(CounselorOwnDetails.model_fields)
"""Licence jurisdictions and numbers, credentials, active and the capacity maximum: an admin's to change."""


class CounselorProfile(CounselorDetails):
    """A stored counselor: the details plus identity and the optimistic-locking version."""

    counselor_id: CounselorId = visible_to(Visibility.PUBLIC)
    version: StrictInt = visible_to(Visibility.STAFF, ge=1)


def fields_visible_to(visibility: Visibility) -> frozenset[str]:
    """Names of the profile fields declared with exactly this visibility."""
    return frozenset(
        name
        for name, field in CounselorProfile.model_fields.items()
        if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("x-visibility") == visibility.value
    )


class CounselorPublicProfile(BaseModel):
    """What anyone may see about a counselor: the directory, and the client's "matched with" page.

    Built field by field from the profile (an allow-list), honoring each counselor's own choices.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    counselor_id: str
    name: str
    pronouns: str
    credentials: list[str]
    licensed_in: list[Jurisdiction]
    accepting_new_clients: bool
    formats: list[SessionFormat]
    offices: list[Office]
    languages: list[Language]
    concerns_primary: list[Concern]
    concerns_experienced: list[Concern]
    approaches: list[Approach]
    service_types: list[ServiceType]
    age_bands: list[AgeBand]
    lgbtq_affirming: bool
    values_centered: list[Value]
    faith_integration: list[FaithTradition] = Field(description="Only when the counselor chose to show it.")
    cultural_experience: list[CulturalBackground]
    cultural_identity: list[CulturalBackground] = Field(description="Only when the counselor chose to show it.")
    faith_identity: FaithTradition | Literal["none"] | None = Field(description="Only when shown by choice.")
    gender: Gender | None = Field(description="Only when the counselor chose to show it.")
    insurance_panels: list[InsuranceCarrier]
    fee_per_session: int
    bio: str

    @classmethod
    def from_profile(cls, p: CounselorProfile) -> "CounselorPublicProfile":
        public = IdentityVisibility.PUBLIC
        return cls(
            counselor_id=p.counselor_id,
            name=p.name,
            pronouns=p.pronouns,
            credentials=p.credentials,
            licensed_in=p.licensed_in,
            accepting_new_clients=p.accepting_new_clients,
            formats=p.formats,
            offices=p.offices,
            languages=p.languages,
            concerns_primary=p.concerns_primary,
            concerns_experienced=p.concerns_experienced,
            approaches=p.approaches,
            service_types=p.service_types,
            age_bands=p.age_bands,
            lgbtq_affirming=p.lgbtq_affirming,
            values_centered=p.values_centered,
            faith_integration=p.faith_integration if p.show_faith_integration else [],
            cultural_experience=p.cultural_experience,
            cultural_identity=p.cultural_identity.value
            if p.cultural_identity and p.cultural_identity.visibility is public
            else [],
            faith_identity=p.faith_identity.value
            if p.faith_identity and p.faith_identity.visibility is public
            else None,
            gender=p.gender.value if p.gender and p.gender.visibility is public else None,
            insurance_panels=p.insurance_panels,
            fee_per_session=p.fee_per_session,
            bio=p.bio,
        )
