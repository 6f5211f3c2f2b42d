"""How an intake's items are encoded: the intake item with its Queue index place, its latest match, its
history entries, and the update that moves it to a new status."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.dal.keys import booking_key, history_key, intake_key, match_key, queue_keys
from shared.dal.table import Table
from shared.dal.values import b, epoch, n, s, time
from shared.domain.booking import Booking
from shared.domain.intake import IntakeAnswers
from shared.domain.records import HistoryEntry, Intake, StoredMatch
from shared.services.changes import NewIntake, StatusLink, StatusMove


def history_item(intake_id: str, entry: HistoryEntry) -> dict[str, Any]:
    return {**history_key(intake_id, entry.at), "entry": s(entry.model_dump_json())}


def status_link_set(link: StatusLink | None) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The SET clause (with its names and values) that adds an email's fresh status link to the intake."""
    if link is None:
        return "", {}, {}
    names = {"#link": link.token_hash}
    return ", status_links.#link = :link_expires", names, {":link_expires": n(epoch(link.expires_at))}


def status_update(
    table: Table,
    intake: Intake,
    move: StatusMove,
    at: datetime,
    extra_set: str = "",
    extra_values: Mapping[str, Any] | None = None,
    keep_expiry: bool = True,
    link: StatusLink | None = None,
) -> dict[str, Any]:
    """The intake's new status and queue place, only while its stored status is one `move` allows; with
    `link`, the fresh status link of the email that goes with the change."""
    queue = queue_keys(move.stage, intake.urgent, intake.created_at, intake.intake_id)
    link_set, link_names, link_values = status_link_set(link)
    values: dict[str, Any] = {
        ":status": s(move.status.value),
        ":at": s(time(at)),
        ":qpk": queue["QueuePK"],
        ":qsk": queue["QueueSK"],
        **{f":from{i}": s(status.value) for i, status in enumerate(sorted(move.allowed_from))},
        **(extra_values or {}),
        **link_values,
    }
    allowed = ", ".join(f":from{i}" for i in range(len(move.allowed_from)))
    expression = "SET #s = :status, updated_at = :at, QueuePK = :qpk, QueueSK = :qsk" + extra_set + link_set + REVISED
    if not keep_expiry:
        expression += " REMOVE expires_at"
    return table.update(
        intake_key(intake.intake_id),
        expression,
        ConditionExpression=f"attribute_exists(PK) AND #s IN ({allowed})",
        ExpressionAttributeNames={"#s": "status", **REVISION_NAME, **link_names},
        ExpressionAttributeValues={**values, **REVISION_STEP},
    )


# Every write that adds to an intake's partition (or changes the intake) counts one more revision of it, so
# that an erasure, which reads the partition's keys and then deletes them, can hold only while nothing was
# added since its read.
REVISED = " ADD #rev :rev_step"
# The intake is there and its erasure has not begun (see DynamoIntakes.erase_intake).
NOT_ERASING = "attribute_exists(PK) AND attribute_not_exists(erasing)"
REVISION_NAME = {"#rev": "rev"}
REVISION_STEP = {":rev_step": n(1)}


def answers_value(answers: IntakeAnswers) -> dict[str, str]:
    """The answers as the client gave them: fields left at the form's default stay out, so which importances
    the client rated is known after reading them back (IntakeAnswers.unrated)."""
    return s(answers.model_dump_json(exclude_unset=True))


def intake_item(new: NewIntake) -> dict[str, Any]:
    intake = new.intake
    return {
        **intake_key(intake.intake_id),
        **queue_keys(new.stage, intake.urgent, intake.created_at, intake.intake_id),
        "intake_id": s(intake.intake_id),
        # only what the client gave: read back, the answers still know which importances the client set
        # and which are the form's defaults, so a reason never claims a rating the client did not make
        "answers": answers_value(intake.answers),
        "status": s(intake.status.value),
        "urgent": b(intake.urgent),
        "locale": s(intake.answers.locale.value),  # read by the status check, which does not read the answers
        "created_at": s(time(intake.created_at)),
        "updated_at": s(time(intake.updated_at)),
        "status_links": {"M": {h: n(epoch(at)) for h, at in intake.status_links.items()}},
        "sessions_held": n(intake.sessions_held),
        "bond_at_risk": b(intake.bond_at_risk),
        "excluded": {"L": [s(c) for c in intake.excluded_counselor_ids]},
        "summary": s(new.summary.model_dump_json()),
        "expires_at": n(new.expires_at),
        **({"idempotency_record": s(intake.idempotency_record)} if intake.idempotency_record else {}),
    }


def match_item(intake_id: str, match: StoredMatch) -> dict[str, Any]:
    return {**match_key(intake_id), "match": s(match.model_dump_json()), "matched_at": s(time(match.matched_at))}


def match_unchanged(table: Table, intake: Intake) -> dict[str, Any]:
    """Holds while the intake's stored match is the one read with it (MatchChanged otherwise)."""
    if intake.match is None:
        return table.check(match_key(intake.intake_id), "attribute_not_exists(PK)")
    return table.check(
        match_key(intake.intake_id),
        "matched_at = :read",
        ExpressionAttributeValues={":read": s(time(intake.match.matched_at))},
    )


def booking_at_start(booking: Booking) -> tuple[str, dict[str, Any]]:
    """Holds while the intake's booking is still this one, at this start, and not cancelled."""
    return "booking_id = :booking_id AND #start = :start_read AND attribute_not_exists(cancelled_at)", {
        ":booking_id": s(booking.booking_id),
        ":start_read": s(time(booking.start)),
    }


def booking_closed(table: Table, intake_id: str, booking: Booking, at: datetime) -> dict[str, Any]:
    """The booking becomes a tombstone (`cancelled_at`, out of the counselor's meetings), while it is still the
    one read (shared/dal/bookings.py keeps tombstones until the intake is erased)."""
    at_start, values = booking_at_start(booking)
    return table.update(
        booking_key(intake_id),
        "SET cancelled_at = :cancelled_at REMOVE OutboxPK, OutboxSK",
        ConditionExpression=at_start,
        ExpressionAttributeNames={"#start": "start"},
        ExpressionAttributeValues={**values, ":cancelled_at": s(time(at))},
    )
