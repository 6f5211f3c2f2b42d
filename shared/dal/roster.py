"""Counselors and the roster version: profiles, the Roster and Directory indexes, and the version lock.

Every counselor change moves the roster version on (the lock: a write names the version it read and is
refused, as RosterChanged, when another change landed first), and the changed counselor carries the new
version in its Roster index sort key, so "what changed since version N" is one query.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.dal.audit import audit_item
from shared.dal.counselor_self import change_item
from shared.dal.keys import (
    DIRECTORY_INDEX,
    DIRECTORY_PK,
    ROSTER_INDEX,
    ROSTER_META,
    ROSTER_PK,
    counselor_key,
    directory_sort_key,
    of_roster_sort_key,
    roster_sort_key,
    roster_versions_from,
)
from shared.dal.paging import query_page
from shared.dal.table import Cancelled, Table
from shared.dal.values import b, n, number, parse_time, s, text, time
from shared.domain.counselor import MOST_OPEN_SLOTS, CounselorProfile, CounselorPublicProfile
from shared.domain.errors import CounselorNotFound, StaleVersion
from shared.matching.profile import MatchProfile
from shared.services.changes import Audit, Opening
from shared.services.ports import Page, RosterChanged, RosterChanges, RosterEntry

# What matching and the roster listing read: the index keys, the compact profile, open slots and the
# listing (name, active, accepting). The index projects only these; asking explicitly also keeps the read
# small where projections are ignored.
_ROSTER_PROJECTION = "PK, SK, RosterPK, RosterSK, mp, open_slots, listing, ev_n, ev_sum, next_opening"

# Kept apart from the profile JSON because they change on their own (assignments, status switches).
_COUNSELOR_STATE_FIELDS = ("open_slots", "active", "accepting_new_clients", "counselor_id", "version")


def _at_version(version: int) -> str:
    # Before the first counselor is saved there is no version item: that is version 0.
    return "attribute_not_exists(version) OR version = :v" if version == 0 else "version = :v"


def read_roster_version(table: Table) -> int:
    found = table.get(ROSTER_META, ConsistentRead=True)
    return number(found, "version") if found else 0


def roster_bump(table: Table, current: int) -> dict[str, Any]:
    """Moves the roster version from `current` to `current + 1`, or cancels the transaction."""
    return table.update(
        ROSTER_META,
        "SET version = :next",
        ConditionExpression=_at_version(current),
        ExpressionAttributeValues={":next": n(current + 1), ":v": n(current)},
    )


def roster_unchanged(table: Table, version: int) -> dict[str, Any]:
    return table.check(ROSTER_META, _at_version(version), ExpressionAttributeValues={":v": n(version)})


def slot_change(
    table: Table, counselor_id: str, roster_version: int, *, taking: bool | None, next_opening: Opening | None = None
) -> dict[str, Any]:
    """Takes (or gives back; None: neither) one of a counselor's open slots, as a roster change at
    `roster_version`; with `next_opening`, writes the counselor's next opening in the same update (contract:
    the `next_opening` attribute, absent when there is none). Taking a slot needs the counselor active,
    accepting new clients and with a slot open."""
    condition = "attribute_exists(PK)"
    values: dict[str, Any] = {":one": n(1), ":rsk": s(roster_sort_key(roster_version, counselor_id))}
    expression = "SET version = version + :one, RosterSK = :rsk"
    if taking:
        condition += " AND active = :yes AND accepting = :yes AND open_slots > :zero"
        values |= {":zero": n(0), ":yes": b(True)}
        expression += ", open_slots = open_slots - :one"
    elif taking is not None:  # never over the most a profile may have (the use case then gives nothing back: SlotsFull)
        condition += " AND open_slots < :most"
        values[":most"] = n(MOST_OPEN_SLOTS)
        expression += ", open_slots = open_slots + :one"
    if next_opening is not None and next_opening.at is not None:
        expression += ", next_opening = :next"
        values[":next"] = s(time(next_opening.at))
    elif next_opening is not None:
        expression += " REMOVE next_opening"
    return table.update(
        counselor_key(counselor_id), expression, ConditionExpression=condition, ExpressionAttributeValues=values
    )


def rating_update(table: Table, counselor_id: str, clients: int, score: int, roster_version: int) -> dict[str, Any]:
    """Adds to the counselor's client-rated understanding (how many rated it, the sum of ratings)."""
    return table.update(
        counselor_key(counselor_id),
        "ADD ev_n :clients, ev_sum :score SET RosterSK = :rsk",
        ConditionExpression="attribute_exists(PK)",
        ExpressionAttributeValues={
            ":clients": n(clients),
            ":score": n(score),
            ":rsk": s(roster_sort_key(roster_version, counselor_id)),
        },
    )


def counselor_item(
    profile: CounselorProfile, roster_version: int, next_opening: datetime | None = None
) -> dict[str, Any]:
    """The counselor item. `next_opening` (the earliest first conversation clients could book, worked out
    by the use case) is absent when there is none: no schedule, or nothing free within the horizon."""
    details = profile.model_dump(mode="json", exclude=set(_COUNSELOR_STATE_FIELDS))
    listing = {"name": profile.name, "active": profile.active, "accepting": profile.accepting_new_clients}
    item: dict[str, Any] = {
        **counselor_key(profile.counselor_id),
        "counselor_id": s(profile.counselor_id),
        "profile": s(json.dumps(details, separators=(",", ":"))),
        "version": n(profile.version),
        "open_slots": n(profile.open_slots),
        "active": b(profile.active),
        "accepting": b(profile.accepting_new_clients),
        "mp": s(MatchProfile.from_profile(profile).to_compact()),
        "pp": s(CounselorPublicProfile.from_profile(profile).model_dump_json()),
        "listing": s(json.dumps(listing, separators=(",", ":"))),
        "RosterPK": s(ROSTER_PK),
        "RosterSK": s(roster_sort_key(roster_version, profile.counselor_id)),
    }
    if next_opening is not None:
        item["next_opening"] = s(time(next_opening))
    if profile.active:
        item["DirectoryPK"] = s(DIRECTORY_PK)
        item["DirectorySK"] = s(directory_sort_key(profile.name, profile.counselor_id))
    return item


def _entry_of(item: Mapping[str, Any]) -> RosterEntry:
    changed_at, counselor_id = of_roster_sort_key(text(item, "RosterSK"))
    listing = json.loads(text(item, "listing"))
    if "active" not in listing:  # written before the listing carried them: the compact profile has them
        profile = MatchProfile.from_compact(counselor_id, text(item, "mp"), number(item, "open_slots"))
        listing |= {"active": profile.active, "accepting": profile.accepting}
    return RosterEntry(
        counselor_id=counselor_id,
        compact_profile=text(item, "mp"),
        open_slots=number(item, "open_slots"),
        name=listing["name"],
        roster_version=changed_at,
        understanding=(number(item, "ev_n"), number(item, "ev_sum")) if "ev_n" in item else (0, 0),
        active=listing["active"],
        accepting_new_clients=listing["accepting"],
        next_opening=parse_time(text(item, "next_opening")) if "next_opening" in item else None,
    )


def _profile_of(item: Mapping[str, Any]) -> CounselorProfile:
    return CounselorProfile.model_validate(
        {
            **json.loads(text(item, "profile")),
            "counselor_id": text(item, "counselor_id"),
            "version": number(item, "version"),
            "open_slots": number(item, "open_slots"),
            "active": item["active"]["BOOL"],
            "accepting_new_clients": item["accepting"]["BOOL"],
        }
    )


def changes_since(table: Table, since: int, version: int) -> RosterChanges:
    """Counselors changed after roster version `since` (all of them for 0); `version`: the version item's,
    read before the query (a change the query sees but the version read missed counts too)."""
    entries = [
        _entry_of(item)
        for item in table.query_all(
            IndexName=ROSTER_INDEX,
            KeyConditionExpression="RosterPK = :pk AND RosterSK >= :from",
            ExpressionAttributeValues={":pk": s(ROSTER_PK), ":from": s(roster_versions_from(since + 1))},
            ProjectionExpression=_ROSTER_PROJECTION,
        )
    ]
    return RosterChanges(version=max([version, *(e.roster_version for e in entries)]), entries=entries)


class DynamoRoster:
    """Counselors and the roster version in the table."""

    table: Table

    def roster_version(self) -> int:
        return read_roster_version(self.table)

    def roster_changes(self, since: int) -> RosterChanges:
        """Counselors changed after roster version `since` (all of them for 0), and the current version."""
        return changes_since(self.table, since, self.roster_version())

    def list_roster(self, limit: int, cursor: str | None) -> Page[RosterEntry]:
        return query_page(
            self.table, ("RosterPK", ROSTER_PK), limit, cursor, _entry_of,
            IndexName=ROSTER_INDEX, ProjectionExpression=_ROSTER_PROJECTION,
        )  # fmt: skip

    def get_counselor(self, counselor_id: str) -> CounselorProfile:
        found = self.table.get(counselor_key(counselor_id), ConsistentRead=True)
        if not found:
            raise CounselorNotFound()
        return _profile_of(found)

    def public_profile(self, counselor_id: str) -> CounselorPublicProfile:
        found = self.table.get(counselor_key(counselor_id), ProjectionExpression="pp, active")
        if not found or not found["active"]["BOOL"]:
            raise CounselorNotFound()
        return CounselorPublicProfile.model_validate_json(text(found, "pp"))

    def directory(self, limit: int, cursor: str | None) -> Page[CounselorPublicProfile]:
        return query_page(
            self.table, ("DirectoryPK", DIRECTORY_PK), limit, cursor,
            lambda i: CounselorPublicProfile.model_validate_json(text(i, "pp")),
            IndexName=DIRECTORY_INDEX, ProjectionExpression="PK, SK, DirectoryPK, DirectorySK, pp",
        )  # fmt: skip

    def save_counselor(
        self,
        profile: CounselorProfile,
        expected_version: int | None,
        audit: Audit,
        next_opening: datetime | None = None,
        roster_version: int | None = None,
    ) -> None:
        """Creates (expected_version None) or replaces a counselor if it is still at `expected_version`, with
        its next opening in the same write. `roster_version`: the one the caller read before working out the
        next opening (read here when not given). Raises StaleVersion when the counselor moved on, RosterChanged
        when another roster change landed since that version (a booking of the time it was worked out from)."""
        version = self.roster_version() if roster_version is None else roster_version
        item = counselor_item(profile, version + 1, next_opening)
        if expected_version is None:
            write = self.table.put(item, "attribute_not_exists(PK)")
        else:
            write = self._replace(
                item, "attribute_exists(PK) AND version = :expected", {":expected": n(expected_version)}
            )
        try:
            self.table.transact(
                [
                    write,
                    roster_bump(self.table, version),
                    self.table.put(audit_item(audit)),
                    self.table.put(change_item(profile.counselor_id, audit)),
                ]
            )
        except Cancelled as cancelled:
            if cancelled.refused(0):
                raise StaleVersion() from cancelled
            if cancelled.refused(1):
                raise RosterChanged() from cancelled
            raise

    def _replace(self, item: Mapping[str, Any], condition: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every attribute of the profile, set in place: what clients' check-ins added (ev_n, ev_sum) stays."""
        fields = [name for name in item if name not in ("PK", "SK")]
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        expression = "SET " + ", ".join(f"#f{i} = :f{i}" for i in range(len(fields)))
        removed = [] if "next_opening" in item else ["next_opening"]  # no opening any more
        if "DirectoryPK" not in item:  # inactive: leaves the directory
            removed += ["DirectoryPK", "DirectorySK"]
        if removed:
            expression += " REMOVE " + ", ".join(removed)
        return self.table.update(
            {"PK": item["PK"], "SK": item["SK"]},
            expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={**{f":f{i}": item[name] for i, name in enumerate(fields)}, **values},
        )
