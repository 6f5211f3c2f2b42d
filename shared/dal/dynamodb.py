"""The one module that talks to DynamoDB: table layout, every key format, indexes, cursors, and the
translation of DynamoDB errors into domain errors. It returns domain objects, never raw items.

Layout (docs/data-model.md lists the access patterns these serve):

- intake:          PK INTAKE#<intake id>, SK INTAKE;
                   Queue index: QUEUE#<stage> / <0 if urgent else 1>#<created at>#<intake id>
- latest match:    PK INTAKE#<intake id>, SK MATCH
- history entry:   PK INTAKE#<intake id>, SK HISTORY#<at>#<random>
- check-in:        PK INTAKE#<intake id>, SK CHECKIN#<number, 3 digits>
- scheduled check-in (until sent or no longer wanted): PK INTAKE#<intake id>, SK DUE#<place, 3 digits>;
                   Outbox index: CHECKIN_DUE / <due at>#<intake id>#<place>#<days after the match>
- client email:    PK OUTBOX#<intake id>, SK <queued at>#<random>;
                   Outbox index (until sent): OUTBOX / <queued at, or when it is due again>#<intake id>
- counselor:       PK COUNSELOR#<id>, SK PROFILE;
                   Roster index: ROSTER / <roster version of its last change>#<id>;
                   Directory index (active counselors only): DIRECTORY / <name>#<id>
- roster version:  PK ROSTER, SK META
- audit entry:     PK AUDIT#<yyyy-mm-dd>, SK <at>#<random>
- report counter:  PK STATS, SK <counter>#<shard 0-9> (aggregates only: counts and sums, never an intake)

Every write that belongs together is one TransactWriteItems call, so nothing is ever half-written.
"""

import base64
import binascii
import contextlib
import json
import secrets
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.adapters import aws
from shared.domain.bond import CheckIn, CheckInAnswers, CountedIn
from shared.domain.counselor import CounselorDetails, CounselorProfile, CounselorPublicProfile
from shared.domain.errors import (
    AlreadyDecided,
    CheckInAlreadySent,
    CounselorNotFound,
    IntakeNotFound,
    InvalidRequest,
    SlotTaken,
    StaleVersion,
    StoreUnavailable,
)
from shared.domain.intake import IntakeAnswers
from shared.domain.quality import level_bucket, score_band, wait_bucket
from shared.domain.records import (
    ASSIGNABLE_STATUSES,
    OPEN_STATUSES,
    Actor,
    AssignedFit,
    HistoryEntry,
    HistoryKind,
    Intake,
    IntakeStatus,
    StoredMatch,
)
from shared.matching.profile import MatchProfile
from shared.services.ports import (
    AuditEntry,
    CheckInRecord,
    Counter,
    DueCheckIn,
    EmailKind,
    OutboxEmail,
    Page,
    PendingEmail,
    QueueEntry,
    RosterChanged,
    RosterChanges,
    RosterEntry,
    ScheduledCheckIn,
    StatusLink,
    StatusView,
)

QUEUE_INDEX = "Queue"
ROSTER_INDEX = "Roster"
DIRECTORY_INDEX = "Directory"
OUTBOX_INDEX = "Outbox"

_ROSTER_PK = "ROSTER"
_ROSTER_META = {"PK": {"S": "ROSTER"}, "SK": {"S": "META"}}
_DIRECTORY_PK = "DIRECTORY"
_VERSION_WIDTH = 12
# What matching and the roster listing read: the index keys, the compact profile, open slots and the name.
# (The index projects only these; asking explicitly also keeps the read small where projections are ignored.)
_ROSTER_PROJECTION = "PK, SK, RosterPK, RosterSK, mp, open_slots, listing, ev_n, ev_sum"
_OUTBOX_PK = "OUTBOX"
_OUTBOX_DAYS = 3  # an email not sent within this is dropped (its links would be stale)
_DUE_PK = "CHECKIN_DUE"  # scheduled check-ins share the Outbox index, under their own partition
_STATS_PK = "STATS"
_STATS_SHARDS = 10  # counters are spread over shards so concurrent transactions rarely touch the same item

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
    ATTENTION = "attention"  # assigned, but a check-in says the bond is at risk
    WAITLISTED = "waitlisted"
    ASSIGNED = "assigned"
    CLOSED = "closed"

    @staticmethod
    def of(status: IntakeStatus, bond_at_risk: bool = False) -> str:
        if status in OPEN_STATUSES:
            return QueueStage.OPEN
        if status is IntakeStatus.WAITLISTED:
            return QueueStage.WAITLISTED
        if status is IntakeStatus.ASSIGNED:
            return QueueStage.ATTENTION if bond_at_risk else QueueStage.ASSIGNED
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


def _check_in_key(intake_id: str, number: int) -> dict[str, Any]:
    return {"PK": _s(f"INTAKE#{intake_id}"), "SK": _s(f"CHECKIN#{number:03d}")}


def _outbox_key(intake_id: str, at: datetime) -> dict[str, Any]:
    return {"PK": _s(f"OUTBOX#{intake_id}"), "SK": _s(f"{_time(at)}#{secrets.token_hex(4)}")}


def _due_key(intake_id: str, place: int) -> dict[str, Any]:
    return {"PK": _s(f"INTAKE#{intake_id}"), "SK": _s(f"DUE#{place:03d}")}


def _stats_key(counter: str) -> dict[str, Any]:
    return {"PK": _s(_STATS_PK), "SK": _s(f"{counter}#{secrets.randbelow(_STATS_SHARDS)}")}


def _epoch(value: datetime) -> int:
    return int(value.timestamp())


def _from_epoch(value: Mapping[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(value["N"]), UTC)


def _counselor_key(counselor_id: str) -> dict[str, Any]:
    return {"PK": _s(f"COUNSELOR#{counselor_id}"), "SK": _s("PROFILE")}


def _audit_key(at: datetime) -> dict[str, Any]:
    return {"PK": _s(f"AUDIT#{at.astimezone(UTC).date().isoformat()}"), "SK": _s(f"{_time(at)}#{secrets.token_hex(6)}")}


def _queue_keys(
    status: IntakeStatus, urgent: bool, created_at: datetime, intake_id: str, bond_at_risk: bool = False
) -> dict[str, Any]:
    return {
        "QueuePK": _s(f"QUEUE#{QueueStage.of(status, bond_at_risk)}"),
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

    def create_intake(
        self, intake: Intake, expires_at: int, roster_version: int | None, email: OutboxEmail | None = None
    ) -> None:
        """Stores a new intake with its match, first history entry and confirmation email, all or nothing.

        With `roster_version`, the write only happens if the roster is still at that version
        (raises RosterChanged otherwise), so stored suggestions always come from the current roster.
        """
        items = [
            self._put(self._intake_item(intake, expires_at), "attribute_not_exists(PK)"),
            *([self._put(self._match_item(intake.intake_id, intake.match))] if intake.match else []),
            *(self._put(self._history_item(intake.intake_id, entry)) for entry in intake.history),
        ]
        if email is not None:
            items.append(self._put(self._outbox_item(intake.intake_id, email, intake.created_at)))
        no_match = intake.match.result.no_match if intake.match else None
        if no_match is not None:
            items.append(self._count(f"NOMATCH#{no_match.reason.value}", {"n": 1}))
        if roster_version is not None:
            items.append(self._roster_unchanged(roster_version))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            if roster_version is not None and cancelled.reasons[-1] == "ConditionalCheckFailed":
                raise RosterChanged() from cancelled
            raise

    def _count(self, counter: str, amounts: Mapping[str, int]) -> dict[str, Any]:
        """Adds to one shard of a report counter."""
        names = {f"#c{i}": name for i, name in enumerate(amounts)}
        values = {f":c{i}": _n(amount) for i, amount in enumerate(amounts.values())}
        return self._update(
            _stats_key(counter),
            "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(amounts))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def _outbox_item(self, intake_id: str, email: OutboxEmail, at: datetime) -> dict[str, Any]:
        item = {
            **_outbox_key(intake_id, at),
            "OutboxPK": _s(_OUTBOX_PK),
            "OutboxSK": _s(f"{_time(at)}#{intake_id}"),
            "intake_id": _s(intake_id),
            "kind": _s(email.kind.value),
            "to": _s(email.to),
            "token": _s(email.token),
            "queued_at": _s(_time(at)),
            "attempts": _n(0),
            "expires_at": _n(_epoch(at) + _OUTBOX_DAYS * 86400),
        }
        if email.counselor_id:
            item["counselor_id"] = _s(email.counselor_id)
        if email.check_in is not None:
            item["check_in"] = _n(email.check_in)
        return item

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
            "status_links": {"M": {h: _n(_epoch(at)) for h, at in intake.status_links.items()}},
            "sessions_held": _n(intake.sessions_held),
            "bond_at_risk": _b(intake.bond_at_risk),
            "excluded": {"L": [_s(c) for c in intake.excluded_counselor_ids]},
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
        check_ins = [self._check_in_of(i) for sk, i in sorted(by_kind.items()) if sk.startswith("CHECKIN#")]
        return Intake(
            intake_id=_text(head, "intake_id"),
            answers=IntakeAnswers.model_validate_json(_text(head, "answers")),
            status=IntakeStatus(_text(head, "status")),
            urgent=head["urgent"]["BOOL"],
            created_at=_parse_time(_text(head, "created_at")),
            updated_at=_parse_time(_text(head, "updated_at")),
            assigned_counselor_id=_text(head, "assigned_counselor_id") if "assigned_counselor_id" in head else None,
            status_links=self._links_of(head),
            idempotency_record=_text(head, "idempotency_record") if "idempotency_record" in head else None,
            match=StoredMatch.model_validate_json(_text(match, "match")) if match else None,
            history=sorted(history, key=lambda e: e.at),
            assigned_at=_parse_time(_text(head, "assigned_at")) if "assigned_at" in head else None,
            assigned_fit=AssignedFit.model_validate_json(_text(head, "assigned_fit"))
            if "assigned_fit" in head
            else None,
            sessions_held=_int(head, "sessions_held") if "sessions_held" in head else 0,
            check_ins=check_ins,
            bond_at_risk=head["bond_at_risk"]["BOOL"] if "bond_at_risk" in head else False,
            excluded_counselor_ids=[v["S"] for v in head.get("excluded", {}).get("L", [])],
        )

    @staticmethod
    def _links_of(item: Mapping[str, Any]) -> dict[str, datetime]:
        return {token_hash: _from_epoch(at) for token_hash, at in item.get("status_links", {}).get("M", {}).items()}

    @staticmethod
    def _check_in_of(item: Mapping[str, Any]) -> CheckIn:
        return CheckIn(
            number=int(_text(item, "SK").removeprefix("CHECKIN#")),
            after_session=_int(item, "after_session"),
            after_days=_int(item, "after_days") if "after_days" in item else None,
            counselor_id=_text(item, "counselor_id"),
            counselor_name=_text(item, "counselor_name"),
            invited_at=_parse_time(_text(item, "invited_at")),
            expires_at=_from_epoch(item["link_expires_at"]),
            token_hash=_text(item, "token_hash"),
            submitted_at=_parse_time(_text(item, "submitted_at")) if "submitted_at" in item else None,
            answers=CheckInAnswers.model_validate_json(_text(item, "answers")) if "answers" in item else None,
            risk=json.loads(_text(item, "risk")) if "risk" in item else [],
            counted=CountedIn.model_validate_json(_text(item, "counted")) if "S" in item.get("counted", {}) else None,
        )

    def get_status(self, intake_id: str) -> StatusView:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_intake_key(intake_id),
            ProjectionExpression="#s, status_links, assigned_counselor_id, updated_at",
            ExpressionAttributeNames={"#s": "status"},
        ).get("Item")
        if not found:
            raise IntakeNotFound()
        return StatusView(
            status=IntakeStatus(_text(found, "status")),
            status_links=self._links_of(found),
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
        bond_at_risk: bool = False,
    ) -> dict[str, Any]:
        queue = _queue_keys(status, intake.urgent, intake.created_at, intake.intake_id, bond_at_risk)
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

    def assign(
        self,
        intake: Intake,
        counselor_id: str,
        actor: Actor,
        at: datetime,
        note: str,
        fit: AssignedFit | None = None,
        link: StatusLink | None = None,
        email: OutboxEmail | None = None,
        check_ins: Sequence[ScheduledCheckIn] = (),
    ) -> None:
        """One transaction: the intake is still assignable, the counselor still has an open slot (which is
        taken), the roster version moves on, and history and audit entries are written; with them the
        "you're matched" email with a fresh status link, the check-ins scheduled by days (replacing any from
        an earlier assignment) and the report's counters. All or nothing."""
        extra_set = ", assigned_counselor_id = :counselor, assigned_at = :at, sessions_held = :zero"
        extra_values: dict[str, Any] = {":counselor": _s(counselor_id), ":zero": _n(0)}
        if fit is not None:
            extra_set += ", assigned_fit = :fit"
            extra_values[":fit"] = _s(fit.model_dump_json())
        names: dict[str, str] = {}
        if link is not None:
            extra_set += ", status_links.#link = :link_expires"
            extra_values[":link_expires"] = _n(_epoch(link.expires_at))
            names["#link"] = link.token_hash
        for _ in range(5):
            version = self.roster_version()
            entry = HistoryEntry(
                at=at, kind=HistoryKind.ASSIGNED, actor=actor.username, status=IntakeStatus.ASSIGNED,
                counselor_id=counselor_id, note=note,
            )  # fmt: skip
            status_update = self._status_update(
                intake, IntakeStatus.ASSIGNED, at, ASSIGNABLE_STATUSES, extra_set=extra_set,
                extra_values=extra_values, keep_expiry=False,
            )  # fmt: skip
            status_update["Update"]["ExpressionAttributeNames"].update(names)
            items = [
                status_update,
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
            if email is not None:
                items.append(self._put(self._outbox_item(intake.intake_id, email, at)))
            items.extend(self._put(self._due_item(intake.intake_id, scheduled)) for scheduled in check_ins)
            if fit is not None and not intake.was_assigned_before():  # the report: each client's first match
                waited = (at - intake.created_at).total_seconds() / 3600
                items.append(self._count("ASSIGN", {"n": 1, f"waited_{wait_bucket(waited)}": 1}))
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
        for page in self._query_pages(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"OUTBOX#{intake_id}")},
            ProjectionExpression="PK, SK",
            ConsistentRead=True,
        ):
            keys.extend({"PK": item["PK"], "SK": item["SK"]} for item in page.get("Items", []))
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

    # ------------------------------------------------------------ after the match: sessions, check-ins, rematch

    def record_session(
        self, intake: Intake, actor: Actor, at: datetime, invite: CheckIn | None, email: OutboxEmail | None
    ) -> None:
        """Counts a held session; with `invite`, creates the check-in it triggers and queues its email."""
        held = intake.sessions_held + 1
        entry = HistoryEntry(
            at=at, kind=HistoryKind.SESSION_HELD, actor=actor.username, status=intake.status,
            counselor_id=intake.assigned_counselor_id, note=f"Session {held}",
        )  # fmt: skip
        items = [
            self._update(
                _intake_key(intake.intake_id),
                "SET sessions_held = :held, updated_at = :at",
                ConditionExpression=(
                    "#s = :assigned AND assigned_counselor_id = :counselor AND "
                    "(sessions_held = :before OR attribute_not_exists(sessions_held))"
                ),
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":held": _n(held),
                    ":at": _s(_time(at)),
                    ":assigned": _s(IntakeStatus.ASSIGNED.value),
                    ":counselor": _s(intake.assigned_counselor_id or ""),
                    ":before": _n(intake.sessions_held),
                },
            ),
            self._put(self._history_item(intake.intake_id, entry)),
            self._put(self._audit_item(actor, "session_held", at, intake_id=intake.intake_id)),
        ]
        if invite is not None:
            items.append(self._put(self._check_in_item(intake.intake_id, invite), "attribute_not_exists(PK)"))
        if email is not None:
            items.append(self._put(self._outbox_item(intake.intake_id, email, at)))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    @staticmethod
    def _check_in_item(intake_id: str, invite: CheckIn) -> dict[str, Any]:
        item = {
            **_check_in_key(intake_id, invite.number),
            "after_session": _n(invite.after_session),
            "counselor_id": _s(invite.counselor_id),
            "counselor_name": _s(invite.counselor_name),
            "invited_at": _s(_time(invite.invited_at)),
            "link_expires_at": _n(_epoch(invite.expires_at)),
            "token_hash": _s(invite.token_hash),
        }
        if invite.after_days is not None:
            item["after_days"] = _n(invite.after_days)
        return item

    @staticmethod
    def _due_item(intake_id: str, scheduled: ScheduledCheckIn) -> dict[str, Any]:
        return {
            **_due_key(intake_id, scheduled.place),
            "OutboxPK": _s(_DUE_PK),
            "OutboxSK": _s(f"{_time(scheduled.due_at)}#{intake_id}#{scheduled.place}#{scheduled.days}"),
        }

    def due_check_ins(self, before: datetime, limit: int) -> list[DueCheckIn]:
        """Scheduled check-ins due before `before`, oldest first (one query of the keys-only index)."""
        page = self._call(
            "query",
            TableName=self.table_name,
            IndexName=OUTBOX_INDEX,
            KeyConditionExpression="OutboxPK = :pk AND OutboxSK < :before",
            ExpressionAttributeValues={":pk": _s(_DUE_PK), ":before": _s(_time(before))},
            Limit=limit,
        )
        due = []
        for item in page.get("Items", []):
            at, intake_id, place, days = _text(item, "OutboxSK").split("#")
            due.append(
                DueCheckIn(
                    intake_id=intake_id,
                    check_in=ScheduledCheckIn(place=int(place), days=int(days), due_at=_parse_time(at)),
                    key={"PK": item["PK"], "SK": item["SK"]},
                )
            )
        return due

    def send_scheduled_check_in(self, intake: Intake, due: DueCheckIn, invite: CheckIn, email: OutboxEmail) -> bool:
        """Creates the check-in and queues its email, and the schedule entry is done: if the intake is still
        with the same counselor from the same assignment, and no one else handled the entry or took the
        check-in's number meanwhile. Returns whether it was sent."""
        try:
            self._transact(
                [
                    {
                        "ConditionCheck": {
                            "TableName": self.table_name,
                            "Key": _intake_key(intake.intake_id),
                            "ConditionExpression": "#s = :assigned AND assigned_counselor_id = :counselor AND "
                            "assigned_at = :assigned_at",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {
                                ":assigned": _s(IntakeStatus.ASSIGNED.value),
                                ":counselor": _s(invite.counselor_id),
                                ":assigned_at": _s(_time(intake.assigned_at or invite.invited_at)),
                            },
                        }
                    },
                    self._put(self._check_in_item(intake.intake_id, invite), "attribute_not_exists(PK)"),
                    self._put(self._outbox_item(intake.intake_id, email, invite.invited_at)),
                    self._due_done(due),
                ]
            )
        except _Cancelled:
            return False
        return True

    def _due_done(self, due: DueCheckIn) -> dict[str, Any]:
        """Deletes the schedule entry, unless an assignment since replaced it with a new one."""
        seen = f"{_time(due.check_in.due_at)}#{due.intake_id}#{due.check_in.place}#{due.check_in.days}"
        return {
            "Delete": {
                "TableName": self.table_name,
                "Key": due.key,
                "ConditionExpression": "OutboxSK = :seen",
                "ExpressionAttributeValues": {":seen": _s(seen)},
            }
        }

    def drop_scheduled_check_in(self, due: DueCheckIn) -> None:
        with contextlib.suppress(_Cancelled):  # replaced by a later assignment's: that one stays
            self._call("delete_item", **self._due_done(due)["Delete"])

    def get_check_in(self, intake_id: str, number: int) -> CheckIn:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_check_in_key(intake_id, number), ConsistentRead=True
        ).get("Item")
        if not found:
            raise IntakeNotFound()
        return self._check_in_of(found)

    def save_check_in(self, intake: Intake, record: CheckInRecord, at: datetime) -> None:
        """Stores the client's answers once, and in the same transaction: the bond flag and queue place of the
        intake, a history entry, the counselor's understanding rating, and the report's counters."""
        check_in, answers = record.check_in, record.answers
        counted = _counted_in(record.fit)
        for _ in range(5):
            items = [
                self._update(
                    _check_in_key(intake.intake_id, check_in.number),
                    "SET submitted_at = :at, answers = :answers, risk = :risk, counted = :counted",
                    ConditionExpression="attribute_exists(PK) AND attribute_not_exists(submitted_at)",
                    ExpressionAttributeValues={
                        ":at": _s(_time(at)),
                        ":answers": _s(answers.model_dump_json()),
                        ":risk": _s(json.dumps([r.value for r in record.risk])),
                        ":counted": _s(counted.model_dump_json()) if counted else {"NULL": True},
                    },
                ),
                self._put(
                    self._history_item(
                        intake.intake_id,
                        HistoryEntry(
                            at=at,
                            kind=HistoryKind.CHECK_IN,
                            actor=None,
                            status=intake.status,
                            counselor_id=check_in.counselor_id,
                            note="Bond at risk: " + ", ".join(r.value.replace("_", " ") for r in record.risk)
                            if record.risk
                            else "",
                        ),
                    )
                ),
            ]
            if record.flag_intake and record.risk:
                flag = self._status_update(
                    intake,
                    IntakeStatus.ASSIGNED,
                    at,
                    {IntakeStatus.ASSIGNED},
                    extra_set=", bond_at_risk = :yes",
                    extra_values={":yes": _b(True), ":counselor": _s(check_in.counselor_id)},
                    bond_at_risk=True,
                )
                # only while the client is still with the counselor the check-in is about
                flag["Update"]["ConditionExpression"] += " AND assigned_counselor_id = :counselor"
                items.append(flag)
            items.extend(self._count(name, amounts) for name, amounts in _report_changes(record).items())
            version = None
            rating = None
            if answers.identity is not None and answers.identity != record.rated_before:
                first = record.rated_before is None  # one rating per client: a later one replaces it
                rating = (1 if first else 0, answers.identity - (record.rated_before or 0))
            if rating is not None:
                version = self.roster_version()
                items.append(
                    self._update(
                        _counselor_key(check_in.counselor_id),
                        "ADD ev_n :clients, ev_sum :score SET RosterSK = :rsk",
                        ConditionExpression="attribute_exists(PK)",
                        ExpressionAttributeValues={
                            ":clients": _n(rating[0]),
                            ":score": _n(rating[1]),
                            ":rsk": _s(_roster_sort_key(version + 1, check_in.counselor_id)),
                        },
                    )
                )
                items.append(self._roster_bump(version))
            try:
                self._transact(items)
                return
            except _Cancelled as cancelled:
                if cancelled.reasons[0] == "ConditionalCheckFailed":
                    raise CheckInAlreadySent() from cancelled
                if version is None or cancelled.reasons[-1] != "ConditionalCheckFailed":
                    raise AlreadyDecided() from cancelled
                # another roster change landed between reading the version and writing: again
        raise StoreUnavailable()

    def review_bond(self, intake: Intake, actor: Actor, at: datetime, note: str) -> None:
        """Staff have talked with the client about an at-risk check-in: back to the assigned list."""
        entry = HistoryEntry(at=at, kind=HistoryKind.BOND_REVIEWED, actor=actor.username, status=intake.status,
                             counselor_id=intake.assigned_counselor_id, note=note)  # fmt: skip
        update = self._status_update(
            intake, IntakeStatus.ASSIGNED, at, {IntakeStatus.ASSIGNED},
            extra_set=", bond_at_risk = :no", extra_values={":no": _b(False), ":yes": _b(True)},
        )  # fmt: skip
        update["Update"]["ConditionExpression"] += " AND bond_at_risk = :yes"
        try:
            self._transact(
                [
                    update,
                    self._put(self._history_item(intake.intake_id, entry)),
                    self._put(self._audit_item(actor, "reviewed_bond", at, intake_id=intake.intake_id)),
                ]
            )
        except _Cancelled as cancelled:
            raise AlreadyDecided() from cancelled

    def client_rematch(self, intake: Intake, match: StoredMatch, note: str, at: datetime) -> None:
        """The client asked for someone else: the intake goes back to the open queue with its new match, the
        previous counselor is never suggested to it again and gets the slot back. Raises RosterChanged when the
        roster moved on since `match` was made (match again), AlreadyDecided when the intake is not assigned."""
        previous = intake.assigned_counselor_id or ""
        version = match.roster_version
        entry = HistoryEntry(
            at=at, kind=HistoryKind.REMATCH_REQUESTED, actor=None, status=IntakeStatus.NEEDS_REMATCH,
            counselor_id=previous, note=note,
        )  # fmt: skip
        status_update = self._status_update(
            intake, IntakeStatus.NEEDS_REMATCH, at, {IntakeStatus.ASSIGNED},
            extra_set=", excluded = list_append(if_not_exists(excluded, :none), :previous), bond_at_risk = :no",
            extra_values={":none": {"L": []}, ":previous": {"L": [_s(previous)]}, ":no": _b(False),
                          ":counselor": _s(previous)},
        )  # fmt: skip
        update = status_update["Update"]
        update["UpdateExpression"] += " REMOVE assigned_counselor_id, assigned_at, assigned_fit"
        update["ConditionExpression"] += " AND assigned_counselor_id = :counselor"
        stored = match.model_copy(update={"roster_version": version + 1})
        items = [
            status_update,
            self._update(
                _counselor_key(previous),
                "SET open_slots = open_slots + :one, version = version + :one, RosterSK = :rsk",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":one": _n(1), ":rsk": _s(_roster_sort_key(version + 1, previous))},
            ),
            self._roster_bump(version),
            self._put(self._match_item(intake.intake_id, stored)),
            self._put(self._history_item(intake.intake_id, entry)),
            self._count("REMATCH", {"n": 1}),
        ]
        if match.result.no_match is not None:  # e.g. everyone else who fits is someone the client left
            items.append(self._count(f"NOMATCH#{match.result.no_match.reason.value}", {"n": 1}))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            if cancelled.reasons[0] == "ConditionalCheckFailed":
                raise AlreadyDecided() from cancelled
            if cancelled.reasons[2] == "ConditionalCheckFailed":
                raise RosterChanged() from cancelled
            raise

    def report_counters(self) -> list[Counter]:
        """Every report counter, its shards summed (one query: the report holds no intake)."""
        totals: dict[str, dict[str, int]] = {}
        for page in self._query_pages(
            KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": _s(_STATS_PK)}
        ):
            for item in page.get("Items", []):
                name = _text(item, "SK").rsplit("#", 1)[0]
                values = totals.setdefault(name, {})
                for field, value in item.items():
                    if "N" in value:
                        values[field] = values.get(field, 0) + int(value["N"])
        return [Counter(name, values) for name, values in sorted(totals.items())]

    # ------------------------------------------------------------ client emails (the notifier)

    def pending_emails(self, intake_id: str) -> list[PendingEmail]:
        pending: list[PendingEmail] = []
        for page in self._query_pages(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": _s(f"OUTBOX#{intake_id}")},
            ConsistentRead=True,
        ):
            pending.extend(self._pending_of(item) for item in page.get("Items", []))
        return pending

    def due_emails(self, queued_before: datetime, limit: int) -> list[PendingEmail]:
        """Emails still unsent that were queued before `queued_before`, oldest first (the retry sweep)."""
        page = self._call(
            "query",
            TableName=self.table_name,
            IndexName=OUTBOX_INDEX,
            KeyConditionExpression="OutboxPK = :pk AND OutboxSK < :before",
            ExpressionAttributeValues={":pk": _s(_OUTBOX_PK), ":before": _s(_time(queued_before))},
            Limit=limit,
        )
        keys = [{"PK": item["PK"], "SK": item["SK"]} for item in page.get("Items", [])]
        found = []
        for key in keys:  # the index holds keys only; each email is read from the table
            item = self._call("get_item", TableName=self.table_name, Key=key, ConsistentRead=True).get("Item")
            if item:
                found.append(self._pending_of(item))
        return found

    @staticmethod
    def _pending_of(item: Mapping[str, Any]) -> PendingEmail:
        return PendingEmail(
            intake_id=_text(item, "intake_id"),
            key={"PK": item["PK"], "SK": item["SK"]},
            email=OutboxEmail(
                kind=EmailKind(_text(item, "kind")),
                to=_text(item, "to"),
                token=_text(item, "token"),
                counselor_id=_text(item, "counselor_id") if "counselor_id" in item else None,
                check_in=_int(item, "check_in") if "check_in" in item else None,
            ),
            queued_at=_parse_time(_text(item, "queued_at")),
            attempts=_int(item, "attempts"),
            retry_at=_parse_time(_text(item, "OutboxSK").split("#", 1)[0])
            if _int(item, "attempts") and "OutboxSK" in item
            else None,
        )

    def email_sent(self, pending: PendingEmail) -> None:
        self._call("delete_item", TableName=self.table_name, Key=pending.key)

    def email_failed(self, pending: PendingEmail, retry_at: datetime) -> None:
        """Counts the attempt and moves the email's place in the Outbox index to when it is due again."""
        with contextlib.suppress(_Cancelled):  # sent or erased meanwhile: nothing left to retry
            self._call(
                "update_item",
                TableName=self.table_name,
                Key=pending.key,
                UpdateExpression="ADD attempts :one SET OutboxSK = :next",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":one": _n(1), ":next": _s(f"{_time(retry_at)}#{pending.intake_id}")},
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
                        understanding=_understanding_of(item),
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
                    understanding=_understanding_of(i),
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
            item = self._counselor_item(profile, version + 1)
            write = (
                self._put(item, condition, **extra)
                if expected_version is None
                else self._replace_counselor(item, condition, extra["ExpressionAttributeValues"])
            )
            items = [
                write,
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

    def _replace_counselor(self, item: Mapping[str, Any], condition: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every attribute of the profile, set in place: what clients' check-ins added (ev_n, ev_sum) stays."""
        fields = [name for name in item if name not in ("PK", "SK")]
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        expression = "SET " + ", ".join(f"#f{i} = :f{i}" for i in range(len(fields)))
        if "DirectoryPK" not in item:  # inactive: leaves the directory
            expression += " REMOVE DirectoryPK, DirectorySK"
        return self._update(
            {"PK": item["PK"], "SK": item["SK"]},
            expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={**{f":f{i}": item[name] for i, name in enumerate(fields)}, **values},
        )

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


_BOND_ITEMS = ("overall", "trust", "understood", "respected", "agenda")


def _counted_in(fit: AssignedFit | None) -> CountedIn | None:
    if fit is None:
        return None
    return CountedIn(band=score_band(fit.score), levels={f: level_bucket(level) for f, level in fit.levels.items()})


def _report_changes(record: CheckInRecord) -> dict[str, dict[str, int]]:
    """What a check-in adds to the report's counters: its answers in the assignment's band and factor cells,
    and, when it takes over from the client's earlier check-in, that one's figures out of the cells they were
    added to. Only while the client is with the counselor (a fit); one entry per counter."""
    changes: dict[str, dict[str, int]] = {}

    def add(counted: CountedIn, answers: CheckInAnswers, sign: int) -> None:
        cells = {f"BAND#{counted.band}": _BOND_ITEMS} | {
            f"FACTOR#{factor}#{bucket}": ("overall",) for factor, bucket in counted.levels.items()
        }
        for name, fields in cells.items():
            amounts = changes.setdefault(name, {})
            amounts["n"] = amounts.get("n", 0) + sign
            for field in fields:
                amounts[field] = amounts.get(field, 0) + sign * getattr(answers, field)

    counted = _counted_in(record.fit)
    if counted is None:
        return {}
    add(counted, record.answers, 1)
    earlier = record.replaces
    if earlier is not None and earlier.counted is not None and earlier.answers is not None:
        add(earlier.counted, earlier.answers, -1)
    return {name: amounts for name, amounts in changes.items() if any(amounts.values())}


def _understanding_of(item: Mapping[str, Any]) -> tuple[int, int]:
    """(how many clients rated the counselor's understanding, the sum of their ratings)."""
    return (_int(item, "ev_n"), _int(item, "ev_sum")) if "ev_n" in item else (0, 0)


def counselor_details_of(profile: CounselorProfile) -> CounselorDetails:
    """The editable part of a stored profile."""
    return CounselorDetails.model_validate(profile.model_dump(exclude={"counselor_id", "version"}))
