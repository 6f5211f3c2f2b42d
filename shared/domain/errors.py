"""What can go wrong, in the domain's words. Each API maps these to HTTP in one place (shared/api/errors.py).

Messages are written for the person who sees them and never include submitted values.
"""


class DomainError(Exception):
    """Base class. `message` is safe to show to the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    pass


class IntakeNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No intake with that reference was found.")


class CounselorNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No counselor with that id was found.")


class ConflictError(DomainError):
    """The request was valid but the current state does not allow it; reload and try again."""

    code = "conflict"


class AlreadyDecided(ConflictError):
    code = "already_decided"

    def __init__(self) -> None:
        super().__init__("This intake was already assigned or closed by someone else. Reload to see its current state.")


class SlotTaken(ConflictError):
    code = "slot_taken"

    def __init__(self) -> None:
        super().__init__(
            "This counselor's last open slot was just taken, or they stopped accepting new clients. "
            "Choose another counselor or re-run matching."
        )


class StaleVersion(ConflictError):
    code = "stale_version"

    def __init__(self) -> None:
        super().__init__("This profile was changed since you loaded it. Reload it, then apply your change again.")


class CounselorHasSignIn(ConflictError):
    code = "has_sign_in"

    def __init__(self) -> None:
        super().__init__("This counselor already has a sign-in. Reload to see it.")


class EmailHasSignIn(ConflictError):
    code = "email_has_sign_in"

    def __init__(self) -> None:
        super().__init__(
            "That email address already has a sign-in at the practice. Invite the counselor with another address."
        )


class CheckInAlreadySent(ConflictError):
    code = "already_sent"

    def __init__(self) -> None:
        super().__init__("This check-in was already sent. Thank you: your answers reached the practice.")


class ShortlistAlreadyReleased(ConflictError):
    code = "already_released"

    def __init__(self) -> None:
        super().__init__(
            "This shortlist was already released to the client, or the intake changed meanwhile. "
            "Reload to see its current state."
        )


class GoneError(DomainError):
    """A link that worked once and no longer does (it expired)."""

    code = "gone"


class LinkExpired(GoneError):
    code = "link_expired"

    def __init__(self) -> None:
        super().__init__(
            "This link has expired. Use the link in the most recent email from the practice, or contact them."
        )


class TransitionNotAllowed(ConflictError):
    code = "transition_not_allowed"


class IdempotencyKeyReused(ConflictError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used for a different submission.")


class RequestInProgress(ConflictError):
    code = "in_progress"

    def __init__(self) -> None:
        super().__init__("The same submission is still being processed. Retry in a moment.")


class InvalidRequest(DomainError):
    """A well-formed request that breaks a rule the schema cannot express."""

    def __init__(self, message: str, field: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.field = field


class Forbidden(DomainError):
    def __init__(self, message: str = "Your account is not allowed to do this.") -> None:
        super().__init__(message)


class Unauthenticated(DomainError):
    def __init__(self) -> None:
        super().__init__("Sign in to continue.")


class StoreUnavailable(DomainError):
    """The data store is throttling or failing; nothing was written. Safe to retry."""

    retry_after_seconds = 2

    def __init__(self) -> None:
        super().__init__("The service is busy. Nothing was saved; please try again in a moment.")


class RosterBusy(StoreUnavailable):
    """The roster kept changing while a write that depends on it was tried again and again; nothing was
    written. Safe to retry (the one error every roster-locked write gives when its retries run out)."""

    def __init__(self) -> None:
        DomainError.__init__(self, "The roster is changing right now. Nothing was saved; please try again in a moment.")
