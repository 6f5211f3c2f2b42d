"""Check-ins as stored (PK INTAKE#<id>, SK CHECKIN#<number>), and the writes that create and answer them:
a session held, a scheduled check-in sent, a client's answers."""

import json
from collections.abc import Mapping
from typing import Any

from shared.dal.audit import audit_writes
from shared.dal.counters import counter_add
from shared.dal.intake_items import (
    NOT_ERASING,
    REVISED,
    REVISION_NAME,
    REVISION_STEP,
    history_item,
    status_link_set,
    status_update,
)
from shared.dal.keys import CHECK_IN_PREFIX, check_in_key, intake_key
from shared.dal.outbox import due_done, outbox_item
from shared.dal.roster import rating_update, read_roster_version, roster_bump
from shared.dal.table import Cancelled, Table
from shared.dal.values import epoch, from_epoch, n, number, parse_time, s, text, time
from shared.domain.bond import CheckIn, CheckInAnswers, CountedIn
from shared.domain.errors import AlreadyDecided, CheckInAlreadySent, IntakeNotFound
from shared.domain.records import Intake, IntakeStatus
from shared.services.changes import CheckInSaved, OutboxEmail, SessionHeld
from shared.services.ports import DueCheckIn, RosterChanged


def check_in_item(intake_id: str, invite: CheckIn) -> dict[str, Any]:
    item = {
        **check_in_key(intake_id, invite.number),
        "after_session": n(invite.after_session),
        "counselor_id": s(invite.counselor_id),
        "counselor_name": s(invite.counselor_name),
        "invited_at": s(time(invite.invited_at)),
        "link_expires_at": n(epoch(invite.expires_at)),
        "token_hash": s(invite.token_hash),
    }
    if invite.after_days is not None:
        item["after_days"] = n(invite.after_days)
    return item


def check_in_of(item: Mapping[str, Any]) -> CheckIn:
    return CheckIn(
        number=int(text(item, "SK").removeprefix(CHECK_IN_PREFIX)),
        after_session=number(item, "after_session"),
        after_days=number(item, "after_days") if "after_days" in item else None,
        counselor_id=text(item, "counselor_id"),
        counselor_name=text(item, "counselor_name"),
        invited_at=parse_time(text(item, "invited_at")),
        expires_at=from_epoch(item["link_expires_at"]),
        token_hash=text(item, "token_hash"),
        submitted_at=parse_time(text(item, "submitted_at")) if "submitted_at" in item else None,
        answers=CheckInAnswers.model_validate_json(text(item, "answers")) if "answers" in item else None,
        risk=json.loads(text(item, "risk")) if "risk" in item else [],
        counted=CountedIn.model_validate_json(text(item, "counted")) if "S" in item.get("counted", {}) else None,
    )


def _still_with(table: Table, intake: Intake, counselor_id: str, assigned_at: str) -> dict[str, Any]:
    return table.check(
        intake_key(intake.intake_id),
        "#s = :assigned AND assigned_counselor_id = :counselor AND assigned_at = :assigned_at",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":assigned": s(IntakeStatus.ASSIGNED.value),
            ":counselor": s(counselor_id),
            ":assigned_at": s(assigned_at),
        },
    )


class DynamoCheckIns:
    table: Table

    def record_session(self, change: SessionHeld) -> None:
        """Counts a held session, only while the intake is with the same counselor at the count read; with an
        invite, creates the check-in it triggers and queues its email."""
        table, intake = self.table, change.intake
        items = [
            table.update(
                intake_key(intake.intake_id),
                "SET sessions_held = :held, updated_at = :at" + REVISED,
                ConditionExpression=(
                    "#s = :assigned AND assigned_counselor_id = :counselor AND "
                    "(sessions_held = :before OR attribute_not_exists(sessions_held))"
                ),
                ExpressionAttributeNames={"#s": "status", **REVISION_NAME},
                ExpressionAttributeValues={
                    **REVISION_STEP,
                    ":held": n(change.sessions_held),
                    ":at": s(time(change.at)),
                    ":assigned": s(IntakeStatus.ASSIGNED.value),
                    ":counselor": s(intake.assigned_counselor_id or ""),
                    ":before": n(intake.sessions_held),
                },
            ),
            table.put(history_item(intake.intake_id, change.history)),
            *audit_writes(table, change.audit),
        ]
        if change.invite is not None:
            items.append(table.put(check_in_item(intake.intake_id, change.invite), "attribute_not_exists(PK)"))
        if change.email is not None:
            items.append(table.put(outbox_item(intake.intake_id, change.email, change.at)))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def get_check_in(self, intake_id: str, number: int) -> CheckIn:
        found = self.table.get(check_in_key(intake_id, number), ConsistentRead=True)
        if not found:
            raise IntakeNotFound()
        return check_in_of(found)

    def send_scheduled_check_in(self, intake: Intake, due: DueCheckIn, invite: CheckIn, email: OutboxEmail) -> bool:
        """Creates the check-in and queues its email, and the schedule entry is done: if the intake is still
        with the same counselor from the same assignment, and no one else handled the entry or took the
        check-in's number meanwhile. Returns whether it was sent."""
        table = self.table
        assigned_at = time(intake.assigned_at or invite.invited_at)
        try:
            table.transact(
                [
                    _still_with(table, intake, invite.counselor_id, assigned_at),
                    table.put(check_in_item(intake.intake_id, invite), "attribute_not_exists(PK)"),
                    table.put(outbox_item(intake.intake_id, email, invite.invited_at)),
                    due_done(table, due),
                ]
            )
        except Cancelled:
            return False
        return True

    def save_check_in(self, change: CheckInSaved) -> None:
        """Stores the client's answers once, and in the same transaction what the use case decided comes with
        them. Raises CheckInAlreadySent, AlreadyDecided when the intake moved on since it was read, or
        RosterChanged when a rating change met another roster change."""
        table, intake, check_in = self.table, change.intake, change.check_in
        items = [
            table.update(
                check_in_key(intake.intake_id, check_in.number),
                "SET submitted_at = :at, answers = :answers, risk = :risk, counted = :counted",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(submitted_at)",
                ExpressionAttributeValues={
                    ":at": s(time(change.at)),
                    ":answers": s(change.answers.model_dump_json()),
                    ":risk": s(json.dumps([r.value for r in change.risk])),
                    ":counted": s(change.counted.model_dump_json()) if change.counted else {"NULL": True},
                },
            ),
            table.put(history_item(intake.intake_id, change.history)),
        ]
        # The client's answered check-ins about this counselor, counted on the intake: what these answers
        # replace (in the report and the rating) was read with the intake, so the write holds only while no
        # other answer about the same counselor landed since (two tabs, a quick retry).
        answered = {"#answered": f"answered#{check_in.counselor_id}"}
        counts: dict[str, Any] = {":answered_after": n(change.answered_before + 1)}
        if change.answered_before:
            counts[":answered_before"] = n(change.answered_before)
            answered_unchanged = "#answered = :answered_before"
        else:
            answered_unchanged = "attribute_not_exists(#answered)"
        if change.flag is not None:  # one request per item: the count (and the support email's link) join it
            link_set, link_names, link_values = status_link_set(change.link)
            intake_write = status_update(
                table, intake, change.flag, change.at,
                extra_set=", bond_at_risk = :yes, #answered = :answered_after" + link_set,
                extra_values={":yes": {"BOOL": True}, ":counselor": s(check_in.counselor_id), **counts, **link_values},
            )  # fmt: skip
            # only while the client is still with the counselor the check-in is about
            intake_write["Update"]["ConditionExpression"] += (
                f" AND assigned_counselor_id = :counselor AND {answered_unchanged}"
            )
            intake_write["Update"]["ExpressionAttributeNames"].update({**answered, **link_names})
        else:
            intake_write = table.update(
                intake_key(intake.intake_id),
                "SET #answered = :answered_after" + REVISED,
                ConditionExpression=f"{NOT_ERASING} AND {answered_unchanged}",
                ExpressionAttributeNames={**answered, **REVISION_NAME},
                ExpressionAttributeValues={**counts, **REVISION_STEP},
            )
        items.append(intake_write)
        if change.email is not None:
            items.append(table.put(outbox_item(intake.intake_id, change.email, change.at)))
        items.extend(counter_add(table, delta) for delta in change.counters)
        version = None
        if change.rating is not None:
            version = read_roster_version(table)
            rating = change.rating
            items.append(rating_update(table, check_in.counselor_id, rating.clients, rating.score, version + 1))
            items.append(roster_bump(table, version))
        try:
            table.transact(items)
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise CheckInAlreadySent() from cancelled
            if version is not None and cancelled.refused(-1):
                raise RosterChanged() from cancelled
            raise AlreadyDecided() from cancelled
