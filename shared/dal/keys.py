"""Every key format of the table and its indexes (docs/data-model.md lists the access patterns they serve).

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
- booked cell:     PK COUNSELOR#<id>, SK CELL#<cell start, UTC> (one per 15-minute cell a first conversation
                   and its buffer occupy; written with attribute_not_exists, so two bookings never overlap;
                   holds no intake reference; removed by TTL a day after the cell)
- booking:         PK INTAKE#<intake id>, SK BOOKING (the intake's one booked first conversation);
                   Outbox index (while not cancelled): MEETINGS#<counselor id> / <start, UTC>#<intake id>
                   (the counselor's own upcoming first conversations; the index is overloaded by partition)
- counselor change: PK COUNSELOR#<id>, SK CHANGE#<at>#<random> (who changed which fields of the profile,
                   never the values; written with the change)
- counselor account: PK ACCOUNT#<user pool sub>, SK COUNSELOR (the one profile a counselor's sign-in is
                   linked to; the counselor item names the account back, `account_id`)
- roster version:  PK ROSTER, SK META
- roster snapshot: PK ROSTER_SNAPSHOT, SK PART#<number, 3 digits> (the matching columns of every counselor at
                   one roster version, zlib-packed, in parts under DynamoDB's item size; part 000 carries the
                   version and the number of parts; written whole in one transaction, never by an older version)
- audit entry:     PK AUDIT#<yyyy-mm-dd>, SK <at>#<random>
- audit reference: PK INTAKE#<intake id>, SK AUDIT#<audit entry's day>#<its sort key> (which entries name the
                   intake, so that erasing it can take its reference and counselor out of them)
- report counter:  PK STATS, SK <counter>#<shard 0-9> (aggregates only: counts and sums, never an intake)
- emails to one address in a UTC day: PK CONFIRMATIONS#<SHA-256 of the normalised address>, SK <yyyy-mm-dd>
                   (a count, never the address; removed by TTL two days after the day began)
"""

import secrets
from datetime import UTC, datetime
from typing import Any

from shared.dal.values import s, time
from shared.domain.records import QueueStage

QUEUE_INDEX = "Queue"
ROSTER_INDEX = "Roster"
DIRECTORY_INDEX = "Directory"
OUTBOX_INDEX = "Outbox"

TABLE_KEY = ("PK", "SK")
INDEX_KEYS = {
    QUEUE_INDEX: ("QueuePK", "QueueSK"),
    ROSTER_INDEX: ("RosterPK", "RosterSK"),
    DIRECTORY_INDEX: ("DirectoryPK", "DirectorySK"),
    OUTBOX_INDEX: ("OutboxPK", "OutboxSK"),
}


def page_key_attributes(index: str | None) -> frozenset[str]:
    """The attributes of a page's last key in a query of `index` (None: the table): the table's key and
    the index's key, exactly."""
    return frozenset({*TABLE_KEY, *(INDEX_KEYS[index] if index else ())})


ROSTER_PK = "ROSTER"
ROSTER_META = {"PK": s("ROSTER"), "SK": s("META")}
ROSTER_SNAPSHOT_PK = "ROSTER_SNAPSHOT"


def roster_snapshot_part(number: int) -> dict[str, Any]:
    return {"PK": s(ROSTER_SNAPSHOT_PK), "SK": s(f"PART#{number:03d}")}


DIRECTORY_PK = "DIRECTORY"
OUTBOX_PK = "OUTBOX"
DUE_PK = "CHECKIN_DUE"  # scheduled check-ins share the Outbox index, under their own partition
STATS_PK = "STATS"
WAITLIST_PK = "WAITLIST"  # every waiting client, one item each (shared/dal/waitlist.py)
STATS_SHARDS = 10  # counters are spread over shards so concurrent transactions rarely touch the same item
VERSION_WIDTH = 12


def intake_partition(intake_id: str) -> str:
    return f"INTAKE#{intake_id}"


def intake_key(intake_id: str) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s("INTAKE")}


def match_key(intake_id: str) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s("MATCH")}


HISTORY_PREFIX = "HISTORY#"
AUDIT_REF_PREFIX = "AUDIT#"
CHECK_IN_PREFIX = "CHECKIN#"


def history_key(intake_id: str, at: datetime) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s(f"{HISTORY_PREFIX}{time(at)}#{secrets.token_hex(4)}")}


def check_in_key(intake_id: str, number: int) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s(f"{CHECK_IN_PREFIX}{number:03d}")}


DUE_PREFIX = "DUE#"


def due_key(intake_id: str, place: int) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s(f"{DUE_PREFIX}{place:03d}")}


def due_sort_key(due_at: datetime, intake_id: str, place: int, days: int) -> str:
    return f"{time(due_at)}#{intake_id}#{place}#{days}"


def outbox_partition(intake_id: str) -> str:
    return f"OUTBOX#{intake_id}"


def outbox_key(intake_id: str, at: datetime) -> dict[str, Any]:
    return {"PK": s(outbox_partition(intake_id)), "SK": s(f"{time(at)}#{secrets.token_hex(4)}")}


def outbox_sort_key(at: datetime, intake_id: str) -> str:
    return f"{time(at)}#{intake_id}"


def stats_key(counter: str) -> dict[str, Any]:
    return {"PK": s(STATS_PK), "SK": s(f"{counter}#{secrets.randbelow(STATS_SHARDS)}")}


def counter_of_stats_key(sort_key: str) -> str:
    return sort_key.rsplit("#", 1)[0]


def counselor_key(counselor_id: str) -> dict[str, Any]:
    return {"PK": s(counselor_partition(counselor_id)), "SK": s("PROFILE")}


CELL_PREFIX = "CELL#"


def counselor_partition(counselor_id: str) -> str:
    return f"COUNSELOR#{counselor_id}"


def cell_key(counselor_id: str, cell_start: datetime) -> dict[str, Any]:
    """A 15-minute cell of a counselor's time (shared/domain/availability.py `cells`)."""
    return {"PK": s(counselor_partition(counselor_id)), "SK": s(f"{CELL_PREFIX}{time(cell_start)}")}


def cell_sort_key(cell_start: datetime) -> str:
    return f"{CELL_PREFIX}{time(cell_start)}"


def cell_start_of(sort_key: str) -> datetime:
    return datetime.fromisoformat(sort_key.removeprefix(CELL_PREFIX))


MEETINGS_PREFIX = "MEETINGS#"
CHANGE_PREFIX = "CHANGE#"


def meetings_partition(counselor_id: str) -> str:
    return f"{MEETINGS_PREFIX}{counselor_id}"


def counselor_change_key(counselor_id: str, at: datetime) -> dict[str, Any]:
    return {"PK": s(counselor_partition(counselor_id)), "SK": s(f"{CHANGE_PREFIX}{time(at)}#{secrets.token_hex(4)}")}


def account_key(user_id: str) -> dict[str, Any]:
    return {"PK": s(f"ACCOUNT#{user_id}"), "SK": s("COUNSELOR")}


def booking_key(intake_id: str) -> dict[str, Any]:
    return {"PK": s(intake_partition(intake_id)), "SK": s("BOOKING")}


def waitlist_key(intake_id: str) -> dict[str, Any]:
    """A client's place on the waitlist: the whole line is one partition, read with one query."""
    return {"PK": s(WAITLIST_PK), "SK": s(f"INTAKE#{intake_id}")}


def audit_ref_key(intake_id: str, audit: dict[str, Any]) -> dict[str, Any]:
    """Where an intake keeps the key of an audit entry that names it."""
    day = audit["PK"]["S"].removeprefix("AUDIT#")
    return {"PK": s(intake_partition(intake_id)), "SK": s(f"{AUDIT_REF_PREFIX}{day}#{audit['SK']['S']}")}


def audit_key_of_ref(sort_key: str) -> dict[str, Any]:
    day, entry = sort_key.removeprefix(AUDIT_REF_PREFIX).split("#", 1)
    return {"PK": s(audit_partition(day)), "SK": s(entry)}


def audit_partition(day: str) -> str:
    return f"AUDIT#{day}"


def audit_key(at: datetime) -> dict[str, Any]:
    return {
        "PK": s(audit_partition(at.astimezone(UTC).date().isoformat())),
        "SK": s(f"{time(at)}#{secrets.token_hex(6)}"),
    }


def queue_partition(stage: QueueStage) -> str:
    return f"QUEUE#{stage.value}"


def queue_keys(stage: QueueStage, urgent: bool, created_at: datetime, intake_id: str) -> dict[str, Any]:
    return {
        "QueuePK": s(queue_partition(stage)),
        "QueueSK": s(f"{0 if urgent else 1}#{time(created_at)}#{intake_id}"),
    }


def intake_id_of_queue_key(sort_key: str) -> str:
    return sort_key.rsplit("#", 1)[1]


def roster_sort_key(roster_version: int, counselor_id: str) -> str:
    return f"{roster_version:0{VERSION_WIDTH}d}#{counselor_id}"


def roster_versions_from(version: int) -> str:
    """The lowest Roster index sort key of a counselor changed at `version` or later."""
    return f"{version:0{VERSION_WIDTH}d}"


def of_roster_sort_key(sort_key: str) -> tuple[int, str]:
    """(the roster version of the counselor's last change, the counselor id)."""
    version, counselor_id = sort_key.split("#", 1)
    return int(version), counselor_id


def directory_sort_key(name: str, counselor_id: str) -> str:
    return f"{name.casefold()}#{counselor_id}"


def confirmations_key(address_hash: str, day: str) -> dict[str, Any]:
    return {"PK": s(f"CONFIRMATIONS#{address_hash}"), "SK": s(day)}
