"""The one module that talks to DynamoDB: table layout, every key format, indexes, cursors, and the
translation of DynamoDB errors into domain errors. It returns domain objects, never raw items.

Layout (docs/data-model.md lists the access patterns these serve):

- intake:          PK INTAKE#<intake id>, SK INTAKE;
                   Queue index: QUEUE#<stage> / <0 if urgent else 1>#<created at>#<intake id>
- latest match:    PK INTAKE#<intake id>, SK MATCH
- history entry:   PK INTAKE#<intake id>, SK HISTORY#<at>#<random>
- counselor:       PK COUNSELOR#<id>, SK PROFILE;
                   Roster index: ROSTER / <roster version of its last change>#<id>;
                   Directory index (active counselors only): DIRECTORY / <name>#<id>
- roster version:  PK ROSTER, SK META
- audit entry:     PK AUDIT#<yyyy-mm-dd>, SK <at>#<random>

Every write that belongs together is one TransactWriteItems call, so nothing is ever half-written.
"""

import base64
import binascii
import json
import secrets
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.adapters import aws
from shared.domain.counselor import CounselorDetails, CounselorProfile, CounselorPublicProfile
from shared.domain.errors import (
    AlreadyDecided,
    CounselorNotFound,
    IntakeNotFound,
    InvalidRequest,
    SlotTaken,
    StaleVersion,
    StoreUnavailable,
)
from shared.domain.intake import IntakeAnswers
from shared.domain.records import (
    ASSIGNABLE_STATUSES,
    OPEN_STATUSES,
    Actor,
    HistoryEntry,
    HistoryKind,
    Intake,
    IntakeStatus,
    StoredMatch,
)
from shared.matching.profile import MatchProfile
from shared.services.ports import AuditEntry, Page, QueueEntry, RosterChanged, RosterChanges, RosterEntry, StatusView

QUEUE_INDEX = "Queue"
ROSTER_INDEX = "Roster"
DIRECTORY_INDEX = "Directory"

_ROSTER_PK = "ROSTER"
_ROSTER_META = {"PK": {"S": "ROSTER"}, "SK": {"S": "META"}}
_DIRECTORY_PK = "DIRECTORY"
_VERSION_WIDTH = 12
# What matching and the roster listing read: the index keys, the compact profile, open slots and the name.
# (The index projects only these; asking explicitly also keeps the read small where projections are ignored.)
_ROSTER_PROJECTION = "PK, SK, RosterPK, RosterSK, mp, open_slots, listing"

# Kept apart from the profile JSON because they change on their own (assignments, status switches).
_COUNSELOR_STATE_FIELDS = ("open_slots", "active", "accepting_new_clients", "counselor_id", "version")

_UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
        "TransactionInProgressException",
    }
)


class QueueStage:
    """Which queue partition an intake status lives in."""

    OPEN = "open"
    WAITLISTED = "waitlisted"
    ASSIGNED = "assigned"
    CLOSED = "closed"

    @staticmethod
    def of(status: IntakeStatus) -> str:
        if status in OPEN_STATUSES:
            return QueueStage.OPEN
        if status is IntakeStatus.WAITLISTED:
            return QueueStage.WAITLISTED
        if status is IntakeStatus.ASSIGNED:
            return QueueStage.ASSIGNED
        return QueueStage.CLOSED


class _Cancelled(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons


# ---------------------------------------------------------------- attribute values


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _b(value: bool) -> dict[str, bool]:
    return {"BOOL": value}


def _text(item: Mapping[str, Any], name: str) -> str:
    return str(item[name]["S"])


def _int(item: Mapping[str, Any], name: str) -> int:
    return int(item[name]["N"])


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


# ---------------------------------------------------------------- keys


def _intake_key(intake_id: str) -> dict[str, Any]:
    return {"PK": _s(f"INTAKE#{intake_id}"), "SK": _s("INTAKE")}


def _match_key(intake_id: str) -> dict[str, Any]:
    return {"PK": _s(f"INTAKE#{intake_id}"), "SK": _s("MATCH")}


def _history_key(intake_id: str, at: datetime) -> dict[str, Any]:
    return {"PK": _s(f"INTAKE#{intake_id}"), "SK": _s(f"HISTORY#{_time(at)}#{secrets.token_hex(4)}")}


def _counselor_key(counselor_id: str) -> dict[str, Any]:
    return {"PK": _s(f"COUNSELOR#{counselor_id}"), "SK": _s("PROFILE")}


def _audit_key(at: datetime) -> dict[str, Any]:
    return {"PK": _s(f"AUDIT#{at.astimezone(UTC).date().isoformat()}"), "SK": _s(f"{_time(at)}#{secrets.token_hex(6)}")}


def _queue_keys(status: IntakeStatus, urgent: bool, created_at: datetime, intake_id: str) -> dict[str, Any]:
    return {
        "QueuePK": _s(f"QUEUE#{QueueStage.of(status)}"),
        "QueueSK": _s(f"{0 if urgent else 1}#{_time(created_at)}#{intake_id}"),
    }


def _roster_sort_key(roster_version: int, counselor_id: str) -> str:
    return f"{roster_version:0{_VERSION_WIDTH}d}#{counselor_id}"


# ---------------------------------------------------------------- cursors


def _encode_cursor(last_key: Mapping[str, Any] | None) -> str | None:
    if not last_key:
        return None
    plain = {name: value["S"] for name, value in last_key.items()}
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, expected: Mapping[str, str]) -> dict[str, Any] | None:
    """A cursor from an earlier page of the same listing; anything else is rejected."""
    if cursor is None:
        return None
    invalid = InvalidRequest("The page cursor is not valid; start again from the first page.", ("query", "cursor"))
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as error:
        raise invalid from error
    if not isinstance(plain, dict) or not all(isinstance(v, str) and len(v) < 300 for v in plain.values()):
        raise invalid
    for name, value in expected.items():
        if plain.get(name) != value:
            raise invalid
    return {name: _s(value) for name, value in plain.items()}


# ---------------------------------------------------------------- the repository


class DynamoRepository:
    """Intakes, counselors and the audit trail in one DynamoDB table."""

    def __init__(self, table_name: str, client: Any | None = None, idempotency_table_name: str | None = None) -> None:
        self.table_name = table_name
        self.idempotency_table_name = idempotency_table_name
        self._client = client

    @property
    def client(self) -> Any:
        # Created on first use, so importing a handler costs no client and tests can inject one.
        if self._client is None:
            self._client = aws.client("dynamodb")
        return self._client

    # ------------------------------------------------------------ calls

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "TransactionCanceledException":
                reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
                if any(r in _UNAVAILABLE_CODES or r in ("ThrottlingError", "TransactionConflict") for r in reasons):
                    raise StoreUnavailable() from error
                raise _Cancelled(reasons) from error
            if code == "ConditionalCheckFailedException":
                raise _Cancelled(["ConditionalCheckFailed"]) from error
            if code in _UNAVAILABLE_CODES:
                raise StoreUnavailable() from error
            raise
        except BotoCoreError as error:  # timeouts, connection failures
            raise StoreUnavailable() from error

    def _transact(self, items: Sequence[Mapping[str, Any]]) -> None:
        self._call("transact_write_items", TransactItems=list(items))

    def _put(self, item: Mapping[str, Any], condition: str | None = None, **kwargs: Any) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.table_name, "Item": dict(item), **kwargs}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _update(self, key: Mapping[str, Any], expression: str, **kwargs: Any) -> dict[str, Any]:
        return {"Update": {"TableName": self.table_name, "Key": dict(key), "UpdateExpression": expression, **kwargs}}

    def _query_pages(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        start: dict[str, Any] | None = None
        while True:
            page = self._call(
                "query", TableName=self.table_name, **kwargs, **({"ExclusiveStartKey": start} if start else {})
            )
            yield page
            start = page.get("LastEvaluatedKey")
            if not start:
                return

    # ------------------------------------------------------------ roster version

    def roster_version(self) -> int:
        found = self._call("get_item", TableName=self.table_name, Key=_ROSTER_META, ConsistentRead=True).get("Item")
        return _int(found, "version") if found else 0

    @staticmethod
    def _at_version(version: int) -> str:
        # Before the first counselor is saved there is no version item: that is version 0.
        return "attribute_not_exists(version) OR version = :v" if version == 0 else "version = :v"

    def _roster_bump(self, current: int) -> dict[str, Any]:
        """Moves the roster version from `current` to `current + 1`, or cancels the transaction."""
        return self._update(
            _ROSTER_META,
            "SET version = :next",
            ConditionExpression=self._at_version(current),
            ExpressionAttributeValues={":next": _n(current + 1), ":v": _n(current)},
        )

    def _roster_unchanged(self, version: int) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self.table_name,
                "Key": _ROSTER_META,
                "ConditionExpression": self._at_version(version),
                "ExpressionAttributeValues": {":v": _n(version)},
            }
        }

    # ------------------------------------------------------------ intakes

    def create_intake(self, intake: Intake, expires_at: int, roster_version: int | None) -> None:
        """Stores a new intake with its match and first history entry, all or nothing.

        With `roster_version`, the write only happens if the roster is still at that version
        (raises RosterChanged otherwise), so stored suggestions always come from the current roster.
        """
        items = [
            self._put(self._intake_item(intake, expires_at), "attribute_not_exists(PK)"),
            *([self._put(self._match_item(intake.intake_id, intake.match))] if intake.match else []),
            *(self._put(self._history_item(intake.intake_id, entry)) for entry in intake.history),
        ]
        if roster_version is not None:
            items.append(self._roster_unchanged(roster_version))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            if roster_version is not None and cancelled.reasons[-1] == "ConditionalCheckFailed":
                raise RosterChanged() from cancelled
            raise

    def _intake_item(self, intake: Intake, expires_at: int) -> dict[str, Any]:
        answers = intake.answers
        summary = {
            "name": answers.contact.preferred_name or answers.contact.name,
            "primary_concern": answers.concerns.primary.value,
            "service_type": answers.client.service_type.value,
            "jurisdiction": answers.client.jurisdiction.value,
            "format": answers.format.format.value,
            "no_match": intake.match.result.no_match.reason.value
            if intake.match and intake.match.result.no_match
            else None,
        }
        return {
            **_intake_key(intake.intake_id),
            **_queue_keys(intake.status, intake.urgent, intake.created_at, intake.intake_id),
            "intake_id": _s(intake.intake_id),
            "answers": _s(answers.model_dump_json()),
            "status": _s(intake.status.value),
            "urgent": _b(intake.urgent),
            "created_at": _s(_time(intake.created_at)),
            "updated_at": _s(_time(intake.updated_at)),
            "status_token_hash": _s(intake.status_token_hash),
            "summary": _s(json.dumps(summary, separators=(",", ":"))),
            "expires_at": _n(expires_at),
            **({"idempotency_record": _s(intake.idempotency_record)} if intake.idempotency_record else {}),
        }

    def _match_item(self, intake_id: str, match: StoredMatch) -> dict[str, Any]:
        return {**_match_key(intake_id), "match": _s(match.model_dump_json())}

    def _history_item(self, intake_id: str, entry: HistoryEntry) -> dict[str, Any]:
        return {**_history_key(intake_id, entry.at), "entry": _s(entry.model_dump_json())}

    def _audit_item(self, actor: Actor, action: str, at: datetime, intake_id: str | None = None,
                    counselor_id: str | None = None) -> dict[str, Any]:  # fmt: skip
        item = {
            **_audit_key(at),
            "at": _s(_time(at)),
            "actor": _s(actor.username),
            "actor_id": _s(actor.user_id),
            "action": _s(action),
        }
        if intake_id:
            item["intake_id"] = _s(intake_id)
        if counselor_id:
            item["counselor_id"] = _s(counselor_id)
        return item

    def get_intake(self, intake_id: str) -> Intake:
        """The intake with its latest match and its history (one query)."""
        items: list[dict[str, Any]] = []
        for page in self._query_pages(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"INTAKE#{intake_id}")},
            ConsistentRead=True,
        ):
            items.extend(page.get("Items", []))
        by_kind = {_text(i, "SK"): i for i in items if not _text(i, "SK").startswith("HISTORY#")}
        head = by_kind.get("INTAKE")
        if head is None:
            raise IntakeNotFound()
        match = by_kind.get("MATCH")
        history = [
            HistoryEntry.model_validate_json(_text(i, "entry")) for i in items if _text(i, "SK").startswith("HISTORY#")
        ]
        return Intake(
            intake_id=_text(head, "intake_id"),
            answers=IntakeAnswers.model_validate_json(_text(head, "answers")),
            status=IntakeStatus(_text(head, "status")),
            urgent=head["urgent"]["BOOL"],
            created_at=_parse_time(_text(head, "created_at")),
            updated_at=_parse_time(_text(head, "updated_at")),
            assigned_counselor_id=_text(head, "assigned_counselor_id") if "assigned_counselor_id" in head else None,
            status_token_hash=_text(head, "status_token_hash"),
            idempotency_record=_text(head, "idempotency_record") if "idempotency_record" in head else None,
            match=StoredMatch.model_validate_json(_text(match, "match")) if match else None,
            history=sorted(history, key=lambda e: e.at),
        )

    def get_status(self, intake_id: str) -> StatusView:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_intake_key(intake_id),
            ProjectionExpression="#s, status_token_hash, assigned_counselor_id, updated_at",
            ExpressionAttributeNames={"#s": "status"},
        ).get("Item")
        if not found:
            raise IntakeNotFound()
        return StatusView(
            status=IntakeStatus(_text(found, "status")),
            status_token_hash=_text(found, "status_token_hash"),
            assigned_counselor_id=_text(found, "assigned_counselor_id") if "assigned_counselor_id" in found else None,
            updated_at=_parse_time(_text(found, "updated_at")),
        )

    def list_queue(self, stage: str, status: IntakeStatus | None, limit: int, cursor: str | None) -> Page[QueueEntry]:
        partition = f"QUEUE#{stage}"
        query: dict[str, Any] = {
            "IndexName": QUEUE_INDEX,
            "KeyConditionExpression": "QueuePK = :pk",
            "ExpressionAttributeValues": {":pk": _s(partition)},
            "ExpressionAttributeNames": {"#s": "status"},
            "ProjectionExpression": "PK, SK, QueuePK, QueueSK, #s, urgent, created_at, updated_at, summary",
            "Limit": limit,
        }
        if status is not None:
            query["FilterExpression"] = "#s = :status"
            query["ExpressionAttributeValues"][":status"] = _s(status.value)
        start = _decode_cursor(cursor, {"QueuePK": partition})
        if start:
            query["ExclusiveStartKey"] = start
        page = self._call("query", TableName=self.table_name, **query)
        return Page(
            items=[
                QueueEntry(
                    intake_id=_text(i, "QueueSK").rsplit("#", 1)[1],
                    status=IntakeStatus(_text(i, "status")),
                    urgent=i["urgent"]["BOOL"],
                    created_at=_parse_time(_text(i, "created_at")),
                    updated_at=_parse_time(_text(i, "updated_at")),
                    summary=json.loads(_text(i, "summary")),
                )
                for i in page.get("Items", [])
            ],
            cursor=_encode_cursor(page.get("LastEvaluatedKey")),
        )

    def record_view(self, intake: Intake, actor: Actor, at: datetime) -> Intake:
        """Audits a staff read. The first read by staff also moves a new intake to "in review"."""
        audit = self._put(self._audit_item(actor, "viewed_intake", at, intake_id=intake.intake_id))
        if intake.status is not IntakeStatus.NEW:
            self._transact([audit])
            return intake
        entry = HistoryEntry(at=at, kind=HistoryKind.OPENED, actor=actor.username, status=IntakeStatus.IN_REVIEW)
        try:
            self._transact(
                [
                    audit,
                    self._status_update(intake, IntakeStatus.IN_REVIEW, at, {IntakeStatus.NEW}),
                    self._put(self._history_item(intake.intake_id, entry)),
                ]
            )
        except _Cancelled:  # another staff member opened it first: still audit this read
            self._transact([audit])
            return intake
        return intake.model_copy(
            update={"status": IntakeStatus.IN_REVIEW, "updated_at": at, "history": [*intake.history, entry]}
        )

    def _status_update(
        self,
        intake: Intake,
        status: IntakeStatus,
        at: datetime,
        allowed_from: frozenset[IntakeStatus] | set[IntakeStatus],
        extra_set: str = "",
        extra_values: Mapping[str, Any] | None = None,
        keep_expiry: bool = True,
    ) -> dict[str, Any]:
        queue = _queue_keys(status, intake.urgent, intake.created_at, intake.intake_id)
        values: dict[str, Any] = {
            ":status": _s(status.value),
            ":at": _s(_time(at)),
            ":qpk": queue["QueuePK"],
            ":qsk": queue["QueueSK"],
            **{f":from{i}": _s(s.value) for i, s in enumerate(sorted(allowed_from))},
            **(extra_values or {}),
        }
        allowed = ", ".join(f":from{i}" for i in range(len(allowed_from)))
        expression = "SET #s = :status, updated_at = :at, QueuePK = :qpk, QueueSK = :qsk" + extra_set
        if not keep_expiry:
            expression += " REMOVE expires_at"
        return self._update(
            _intake_key(intake.intake_id),
            expression,
            ConditionExpression=f"attribute_exists(PK) AND #s IN ({allowed})",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=values,
        )

    def assign(self, intake: Intake, counselor_id: str, actor: Actor, at: datetime, note: str) -> None:
        """One transaction: the intake is still assignable, the counselor still has an open slot (which is
        taken), the roster version moves on, and history and audit entries are written. All or nothing."""
        for _ in range(5):
            version = self.roster_version()
            entry = HistoryEntry(
                at=at, kind=HistoryKind.ASSIGNED, actor=actor.username, status=IntakeStatus.ASSIGNED,
                counselor_id=counselor_id, note=note,
            )  # fmt: skip
            items = [
                self._status_update(
                    intake,
                    IntakeStatus.ASSIGNED,
                    at,
                    ASSIGNABLE_STATUSES,
                    extra_set=", assigned_counselor_id = :counselor",
                    extra_values={":counselor": _s(counselor_id)},
                    keep_expiry=False,
                ),
                self._update(
                    _counselor_key(counselor_id),
                    "SET open_slots = open_slots - :one, version = version + :one, RosterSK = :rsk",
                    ConditionExpression=(
                        "attribute_exists(PK) AND active = :yes AND accepting = :yes AND open_slots > :zero"
                    ),
                    ExpressionAttributeValues={
                        ":one": _n(1),
                        ":zero": _n(0),
                        ":yes": _b(True),
                        ":rsk": _s(_roster_sort_key(version + 1, counselor_id)),
                    },
                ),
                self._roster_bump(version),
                self._put(self._history_item(intake.intake_id, entry)),
                self._put(
                    self._audit_item(actor, "assigned", at, intake_id=intake.intake_id, counselor_id=counselor_id)
                ),
            ]
            try:
                self._transact(items)
                return
            except _Cancelled as cancelled:
                intake_failed, counselor_failed, roster_failed = (
                    r == "ConditionalCheckFailed" for r in cancelled.reasons[:3]
                )
                if intake_failed:
                    raise AlreadyDecided() from cancelled
                if counselor_failed:
                    raise SlotTaken() from cancelled
                if not roster_failed:
                    raise
                # Another roster change landed between reading the version and writing: read it again.
        raise StoreUnavailable()

    def decide(self, intake: Intake, status: IntakeStatus, allowed_from: frozenset[IntakeStatus], actor: Actor,
               at: datetime, note: str) -> None:  # fmt: skip
        entry = HistoryEntry(at=at, kind=HistoryKind.DECIDED, actor=actor.username, status=status, note=note)
        try:
            self._transact(
                [
                    self._status_update(intake, status, at, allowed_from),
                    self._put(self._history_item(intake.intake_id, entry)),
                    self._put(self._audit_item(actor, f"decided_{status.value}", at, intake_id=intake.intake_id)),
                ]
            )
        except _Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def save_match(
        self,
        intake: Intake,
        match: StoredMatch,
        status: IntakeStatus,
        allowed_from: frozenset[IntakeStatus],
        actor: Actor | None,
        at: datetime,
    ) -> None:
        """Replaces the intake's match, if the roster is still at the version matched against."""
        entry = HistoryEntry(at=at, kind=HistoryKind.MATCHED, actor=actor.username if actor else None, status=status)
        items = [
            self._status_update(intake, status, at, allowed_from),
            self._put(self._match_item(intake.intake_id, match)),
            self._put(self._history_item(intake.intake_id, entry)),
            self._roster_unchanged(match.roster_version),
        ]
        if actor is not None:
            items.append(self._put(self._audit_item(actor, "rematched", at, intake_id=intake.intake_id)))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            if cancelled.reasons[0] == "ConditionalCheckFailed":
                raise AlreadyDecided() from cancelled
            if cancelled.reasons[3] == "ConditionalCheckFailed":
                raise RosterChanged() from cancelled
            raise

    def erase_intake(self, intake_id: str, actor: Actor, at: datetime) -> None:
        """Deletes the intake, its match, its history and its idempotency record in one transaction, and
        leaves one audit entry that names only the reference, who erased it and when."""
        keys: list[dict[str, Any]] = []
        record: str | None = None
        for page in self._query_pages(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"INTAKE#{intake_id}")},
            ProjectionExpression="PK, SK, idempotency_record",
            ConsistentRead=True,
        ):
            for item in page.get("Items", []):
                keys.append({"PK": item["PK"], "SK": item["SK"]})
                if "idempotency_record" in item:
                    record = _text(item, "idempotency_record")
        if not any(_text(k, "SK") == "INTAKE" for k in keys):
            raise IntakeNotFound()
        deletes = [{"Delete": {"TableName": self.table_name, "Key": key}} for key in keys]
        if record and self.idempotency_table_name:
            deletes.append({"Delete": {"TableName": self.idempotency_table_name, "Key": {"id": _s(record)}}})
        audit = self._put(self._audit_item(actor, "erased_intake", at, intake_id=intake_id))
        # A transaction holds 100 items; an intake's history is far shorter, but never leave one half-erased.
        for start in range(0, len(deletes), 99):
            self._transact([*deletes[start : start + 99], *([audit] if start + 99 >= len(deletes) else [])])

    def list_audit(self, day: str, limit: int, cursor: str | None) -> Page[AuditEntry]:
        partition = f"AUDIT#{day}"
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": _s(partition)},
            "Limit": limit,
        }
        start = _decode_cursor(cursor, {"PK": partition})
        if start:
            query["ExclusiveStartKey"] = start
        page = self._call("query", TableName=self.table_name, **query)
        return Page(
            items=[
                AuditEntry(
                    at=_parse_time(_text(i, "at")),
                    actor=_text(i, "actor"),
                    action=_text(i, "action"),
                    intake_id=_text(i, "intake_id") if "intake_id" in i else None,
                    counselor_id=_text(i, "counselor_id") if "counselor_id" in i else None,
                )
                for i in page.get("Items", [])
            ],
            cursor=_encode_cursor(page.get("LastEvaluatedKey")),
        )

    # ------------------------------------------------------------ counselors

    def roster_changes(self, since: int) -> RosterChanges:
        """Counselors changed after roster version `since` (all of them for 0), and the current version."""
        version = self.roster_version()
        entries: list[RosterEntry] = []
        for page in self._query_pages(
            IndexName=ROSTER_INDEX,
            KeyConditionExpression="RosterPK = :pk AND RosterSK >= :from",
            ExpressionAttributeValues={":pk": _s(_ROSTER_PK), ":from": _s(f"{since + 1:0{_VERSION_WIDTH}d}")},
            ProjectionExpression=_ROSTER_PROJECTION,
        ):
            for item in page.get("Items", []):
                changed_at, counselor_id = _text(item, "RosterSK").split("#", 1)
                entries.append(
                    RosterEntry(
                        counselor_id=counselor_id,
                        compact_profile=_text(item, "mp"),
                        open_slots=_int(item, "open_slots"),
                        name=json.loads(_text(item, "listing"))["name"],
                        roster_version=int(changed_at),
                    )
                )
        return RosterChanges(version=max([version, *(e.roster_version for e in entries)]), entries=entries)

    def list_roster(self, limit: int, cursor: str | None) -> Page[RosterEntry]:
        query: dict[str, Any] = {
            "IndexName": ROSTER_INDEX,
            "KeyConditionExpression": "RosterPK = :pk",
            "ExpressionAttributeValues": {":pk": _s(_ROSTER_PK)},
            "ProjectionExpression": _ROSTER_PROJECTION,
            "Limit": limit,
        }
        start = _decode_cursor(cursor, {"RosterPK": _ROSTER_PK})
        if start:
            query["ExclusiveStartKey"] = start
        page = self._call("query", TableName=self.table_name, **query)
        return Page(
            items=[
                RosterEntry(
                    counselor_id=_text(i, "RosterSK").split("#", 1)[1],
                    compact_profile=_text(i, "mp"),
                    open_slots=_int(i, "open_slots"),
                    name=json.loads(_text(i, "listing"))["name"],
                    roster_version=int(_text(i, "RosterSK").split("#", 1)[0]),
                )
                for i in page.get("Items", [])
            ],
            cursor=_encode_cursor(page.get("LastEvaluatedKey")),
        )

    def get_counselor(self, counselor_id: str) -> CounselorProfile:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_counselor_key(counselor_id), ConsistentRead=True
        ).get("Item")
        if not found:
            raise CounselorNotFound()
        return self._profile_of(found)

    @staticmethod
    def _profile_of(item: Mapping[str, Any]) -> CounselorProfile:
        return CounselorProfile.model_validate(
            {
                **json.loads(_text(item, "profile")),
                "counselor_id": _text(item, "counselor_id"),
                "version": _int(item, "version"),
                "open_slots": _int(item, "open_slots"),
                "active": item["active"]["BOOL"],
                "accepting_new_clients": item["accepting"]["BOOL"],
            }
        )

    def public_profile(self, counselor_id: str) -> CounselorPublicProfile:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_counselor_key(counselor_id),
            ProjectionExpression="pp, active",
        ).get("Item")
        if not found or not found["active"]["BOOL"]:
            raise CounselorNotFound()
        return CounselorPublicProfile.model_validate_json(_text(found, "pp"))

    def directory(self, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]:
        query: dict[str, Any] = {
            "IndexName": DIRECTORY_INDEX,
            "KeyConditionExpression": "DirectoryPK = :pk",
            "ExpressionAttributeValues": {":pk": _s(_DIRECTORY_PK)},
            "ProjectionExpression": "PK, SK, DirectoryPK, DirectorySK, pp",
            "Limit": limit,
        }
        start = _decode_cursor(cursor, {"DirectoryPK": _DIRECTORY_PK})
        if start:
            query["ExclusiveStartKey"] = start
        page = self._call("query", TableName=self.table_name, **query)
        return Page(
            items=[CounselorPublicProfile.model_validate_json(_text(i, "pp")) for i in page.get("Items", [])],
            cursor=_encode_cursor(page.get("LastEvaluatedKey")),
        )

    def save_counselor(
        self, profile: CounselorProfile, expected_version: int | None, actor: Actor, at: datetime
    ) -> None:
        """Creates (expected_version None) or replaces a counselor if it is still at `expected_version`."""
        for _ in range(5):
            version = self.roster_version()
            condition = (
                "attribute_not_exists(PK)"
                if expected_version is None
                else "attribute_exists(PK) AND version = :expected"
            )
            extra = (
                {} if expected_version is None else {"ExpressionAttributeValues": {":expected": _n(expected_version)}}
            )
            items = [
                self._put(self._counselor_item(profile, version + 1), condition, **extra),
                self._roster_bump(version),
                self._put(
                    self._audit_item(
                        actor,
                        "created_counselor" if expected_version is None else "updated_counselor",
                        at,
                        counselor_id=profile.counselor_id,
                    )
                ),
            ]
            try:
                self._transact(items)
                return
            except _Cancelled as cancelled:
                if cancelled.reasons[0] == "ConditionalCheckFailed":
                    raise StaleVersion() from cancelled
                if cancelled.reasons[1] != "ConditionalCheckFailed":
                    raise
        raise StoreUnavailable()

    def _counselor_item(self, profile: CounselorProfile, roster_version: int) -> dict[str, Any]:
        details = profile.model_dump(mode="json", exclude=set(_COUNSELOR_STATE_FIELDS))
        item: dict[str, Any] = {
            **_counselor_key(profile.counselor_id),
            "counselor_id": _s(profile.counselor_id),
            "profile": _s(json.dumps(details, separators=(",", ":"))),
            "version": _n(profile.version),
            "open_slots": _n(profile.open_slots),
            "active": _b(profile.active),
            "accepting": _b(profile.accepting_new_clients),
            "mp": _s(MatchProfile.from_profile(profile).to_compact()),
            "pp": _s(CounselorPublicProfile.from_profile(profile).model_dump_json()),
            "listing": _s(json.dumps({"name": profile.name}, separators=(",", ":"))),
            "RosterPK": _s(_ROSTER_PK),
            "RosterSK": _s(_roster_sort_key(roster_version, profile.counselor_id)),
        }
        if profile.active:
            item["DirectoryPK"] = _s(_DIRECTORY_PK)
            item["DirectorySK"] = _s(f"{profile.name.casefold()}#{profile.counselor_id}")
        return item


def counselor_details_of(profile: CounselorProfile) -> CounselorDetails:
    """The editable part of a stored profile."""
    return CounselorDetails.model_validate(profile.model_dump(exclude={"counselor_id", "version"}))
