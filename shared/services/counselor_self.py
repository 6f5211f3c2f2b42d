"""Use cases of a counselor's own page, and the admins' invitation of a counselor.

Who the counselor is comes from the verified token alone: the account's id (`sub`) is looked up in the
link an admin's invitation wrote (shared/dal/counselor_self.py). Nothing in the path, query or body names a
counselor, so a counselor reaches only their own profile. A counselor's change is saved as an admin's is
(shared/services/counselors.py `save_profile`): the same optimistic lock on the version, the roster
version moved on, the next opening rewritten, and the change's fields in the counselor's history. The
admin-only fields (ADMIN_ONLY_FIELDS) are kept from the stored profile: the request model has no place for
them, so naming one is a 422 before anything is read.
"""

from datetime import timedelta
from typing import NamedTuple

from shared.domain.availability import BookingRules
from shared.domain.booking import Booking
from shared.domain.counselor import CounselorOwnDetails, CounselorProfile
from shared.domain.errors import CounselorHasSignIn, CounselorNotFound, EmailHasSignIn, Forbidden, InvalidRequest
from shared.domain.records import Actor
from shared.services.changes import COUNSELOR_UPDATED_OWN_PROFILE, Audit
from shared.services.counselors import changed_fields, save_profile
from shared.services.ports import (
    AccountTaken,
    AddressRefused,
    Clock,
    CounselorAccounts,
    CounselorChange,
    CounselorChanges,
    CounselorSelfStore,
    Page,
    SignIns,
)


class OwnRatings(NamedTuple):
    """How clients rate the counselor's understanding of them: shown only from `minimum` clients on."""

    minimum: int
    clients: int | None
    mean: float | None


class Meeting(NamedTuple):
    intake_id: str
    booking: Booking


def own_counselor_id(store: CounselorAccounts, actor: Actor) -> str:
    counselor_id = store.account_counselor(actor.user_id)
    if counselor_id is None:
        raise Forbidden("This sign-in is not linked to a counselor profile. Ask the practice's admin to invite you.")
    return counselor_id


_PROFILE_GONE = "This sign-in's counselor profile no longer exists. Ask the practice's admin."
_NOT_ACTIVE = "Your profile is not active at the practice, so it cannot be changed here. Ask the admin."


def own_profile(store: CounselorSelfStore, actor: Actor) -> CounselorProfile:
    """The counselor's whole profile (it is theirs). Refused once an admin made the profile inactive."""
    try:
        profile = store.get_counselor(own_counselor_id(store, actor))
    except CounselorNotFound:
        raise Forbidden(_PROFILE_GONE) from None
    if not profile.active:
        raise Forbidden(_NOT_ACTIVE)
    return profile


def update_own_profile(
    store: CounselorSelfStore,
    actor: Actor,
    details: CounselorOwnDetails,
    expected_version: int,
    clock: Clock,
    rules: BookingRules,
) -> CounselorProfile:
    """Saves the counselor's own fields over the stored admin-only ones, if the profile is still at
    `expected_version` (StaleVersion otherwise, with nothing changed)."""
    current = own_profile(store, actor)
    profile = CounselorProfile.model_validate(
        {**current.model_dump(), **details.model_dump(), "version": expected_version + 1}
    )
    audit = Audit(
        actor,
        COUNSELOR_UPDATED_OWN_PROFILE,
        clock(),
        counselor_id=current.counselor_id,
        fields=changed_fields(current, profile),
    )
    save_profile(store, profile, expected_version, audit, rules)
    return profile


def own_meetings(store: CounselorSelfStore, actor: Actor, clock: Clock, rules: BookingRules) -> list[Meeting]:
    """The counselor's first conversations from now to the end of the booking horizon, soonest first."""
    counselor_id = own_profile(store, actor).counselor_id
    now = clock()
    until = now + timedelta(days=rules.horizon_days + 1)
    return [Meeting(i, b) for i, b in store.upcoming_meetings(counselor_id, now - timedelta(hours=1), until)]


def own_ratings(store: CounselorSelfStore, actor: Actor, minimum: int) -> OwnRatings:
    """The count and mean of clients' ratings of understanding, both hidden below the privacy minimum."""
    try:
        active, count, total = store.counselor_ratings(own_counselor_id(store, actor))
    except CounselorNotFound:
        raise Forbidden(_PROFILE_GONE) from None
    if not active:
        raise Forbidden(_NOT_ACTIVE)
    if count < minimum:
        return OwnRatings(minimum, None if count else 0, None)
    return OwnRatings(minimum, count, round(total / count, 1))


def invite_counselor(
    store: CounselorAccounts, sign_ins: SignIns, counselor_id: str, email: str, actor: Actor, clock: Clock
) -> None:
    """Creates the counselor's sign-in (Cognito emails them) and links it to the profile. An account whose
    link is refused (another invitation won, or the profile went) is deleted again."""
    if store.counselor_account(counselor_id) is not None:
        raise CounselorHasSignIn()
    try:
        user_id = sign_ins.invite_counselor(email)
    except AccountTaken:
        raise EmailHasSignIn() from None
    except AddressRefused:
        raise InvalidRequest(
            "The sign-in service does not accept this email address. Check it, or use another.", ("body", "email")
        ) from None
    try:
        store.link_account(counselor_id, user_id, Audit(actor, "invited_counselor", clock(), counselor_id=counselor_id))
    except (AccountTaken, CounselorNotFound) as refused:
        sign_ins.remove(user_id)
        if isinstance(refused, CounselorNotFound):
            raise
        raise CounselorHasSignIn() from None


def counselor_changes(
    store: CounselorChanges, counselor_id: str, limit: int, cursor: str | None
) -> Page[CounselorChange]:
    store.counselor_account(counselor_id)  # a clear 404 for an unknown id
    return store.counselor_changes(counselor_id, limit, cursor)
