"""The roster snapshot: written by its function, read by a cold function with the changes since it, and
never replaced by an older one when two writers race (docs/performance.md, "The roster for a cold function")."""

import threading
from typing import Any

import pytest

from shared.dal.dynamodb import DynamoRepository
from shared.domain.counselor import CounselorProfile
from shared.matching.engine import suggest
from shared.services.ports import RosterColdLoad
from shared.services.roster_cache import RosterCache
from tests.factories import an_intake
from tests.integration.harness import Api, expect
from tests.integration.races import Interleaving, run_together, separate_environments

SCHEDULED_EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}


def write_snapshot(api: Api) -> Any:
    return api.functions["RosterSnapshotFunction"].invoke(SCHEDULED_EVENT)


def set_slots(api: Api, counselor_id: str, slots: int) -> None:
    version = expect(200, api.get(f"/admin/counselors/{counselor_id}", as_="admin")).json["version"]
    expect(200, api.request("PATCH", f"/admin/counselors/{counselor_id}", {"version": version, "open_slots": slots},
                            as_="admin"))  # fmt: skip


class WithoutSnapshot:
    """The table, as if no snapshot had been written: the cold load reads every counselor."""

    def __init__(self, repository: DynamoRepository) -> None:
        self.repository = repository

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repository, name)

    def roster_cold_load(self) -> RosterColdLoad:
        return RosterColdLoad(None, 0, self.repository.roster_changes(0))


def test_the_writer_stores_a_snapshot_only_when_the_roster_moved(api: Api, roster: list[CounselorProfile]) -> None:
    first = write_snapshot(api)
    assert first["written"] and first["version"] == 3  # three counselors created, one version each
    assert write_snapshot(api)["written"] is False  # nothing changed since
    set_slots(api, roster[0].counselor_id, 3)
    moved = write_snapshot(api)
    assert moved["written"] and moved["version"] == 4
    assert write_snapshot(api)["written"] is False
    (fresh,) = separate_environments(api, "RosterSnapshotFunction", 1)
    assert write_snapshot(fresh)["written"] is False  # a cold writer finds the stored snapshot current too


def test_a_cold_function_reads_the_snapshot_and_only_the_changes_since(
    api: Api, repository: DynamoRepository, roster: list[CounselorProfile]
) -> None:
    # Given a snapshot, then two changes after it (one counselor's slots, one new counselor)
    write_snapshot(api)
    set_slots(api, roster[1].counselor_id, 0)
    from tests.factories import a_counselor

    body = a_counselor(name="Lena Park").model_dump(mode="json", exclude={"counselor_id", "version"})
    expect(201, api.post("/admin/counselors", body, as_="admin"))
    # When a cold copy loads the roster
    cold = repository.roster_cold_load()
    cache = RosterCache()
    cache.refresh(repository)
    # Then it read the snapshot and the two changed counselors only, and matches as a copy loaded from every
    # counselor does, names and open slots included
    assert cold.snapshot is not None and cold.snapshot_version == 3
    assert len(cold.changes.entries) == 2
    full = RosterCache()
    full.refresh(WithoutSnapshot(repository))
    assert cache.version == full.version == 5
    intake = an_intake()
    assert suggest(intake, cache.current(repository)) == suggest(intake, full.current(repository))
    ids = [p.counselor_id for p in full.current(repository).profiles]
    assert [p.counselor_id for p in cache.current(repository).profiles] == ids
    assert cache.names(ids) == full.names(ids) and len(cache.names(ids)) == 4
    assert cache.open_slots(ids) == full.open_slots(ids)
    assert cache.open_slots([roster[1].counselor_id]) == {roster[1].counselor_id: 0}


def test_a_submission_in_a_cold_function_matches_from_the_snapshot(api: Api, roster: list[CounselorProfile]) -> None:
    from tests.integration.conftest import submit

    write_snapshot(api)
    set_slots(api, roster[0].counselor_id, 0)  # after the snapshot: the cold function must see it
    (cold,) = separate_environments(api, "PublicApiFunction", 1)
    reference = expect(201, submit(cold)).json["reference"]
    match = expect(200, api.get(f"/review/intakes/{reference}", as_="staff")).json["match"]
    chosen = [s["counselor_id"] for s in [*match["suggestions"], *match["alternatives"]]]
    assert roster[0].counselor_id not in chosen and chosen


def test_two_writers_never_let_an_older_snapshot_replace_a_newer(
    api: Api, repository: DynamoRepository, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a writer that has read the roster at version 3 and is about to store its snapshot
    old_writer, new_writer = separate_environments(api, "RosterSnapshotFunction", 2)
    race = Interleaving()
    old_has_read = race.reaching("old", "PutItem")
    newer_stored = threading.Event()
    race.hold("old", "PutItem", newer_stored)

    def newer() -> Any:
        assert old_has_read.wait(10)
        # When the roster moves on and another writer stores the newer snapshot first
        set_slots(api, roster[2].counselor_id, 4)
        try:
            return write_snapshot(new_writer)
        finally:
            newer_stored.set()

    with race.installed(monkeypatch):
        runs = run_together({"old": lambda: write_snapshot(old_writer), "new": newer})
    # Then the older writer's snapshot is refused, and a cold load starts from the newer one
    assert runs["new"] == {"version": 4, "written": True, "bytes": runs["new"]["bytes"]}
    assert runs["old"]["version"] == 3 and runs["old"]["written"] is False
    cold = repository.roster_cold_load()
    assert cold.snapshot_version == 4
    assert cold.changes.entries == []


def test_a_snapshot_in_several_parts_is_read_whole_and_a_mixed_one_not_at_all(
    repository: DynamoRepository, roster: list[CounselorProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shared.dal.roster_snapshot as stored
    from shared.dal.keys import roster_snapshot_part

    # Given a snapshot written in parts (small parts here; 350 KB each in AWS)
    cache = RosterCache()
    cache.refresh(repository)
    snapshot = cache.snapshot()
    monkeypatch.setattr(stored, "PART_BYTES", len(snapshot) // 3 + 1)
    assert repository.save_roster_snapshot(cache.seen, snapshot)
    # When a cold function reads it, then again after one part was replaced by a newer writer's
    whole = repository.roster_cold_load()
    repository.client.put_item(
        TableName=repository.table_name,
        Item={**roster_snapshot_part(2), "version": {"N": str(cache.seen + 1)}, "data": {"B": b"newer"}},
    )
    mixed = repository.roster_cold_load()
    # Then the first is the snapshot, in three parts, with no change since; the mixed one is not used: the
    # cold function reads every counselor instead
    assert whole.snapshot == snapshot and whole.snapshot_version == cache.seen and whole.changes.entries == []
    assert mixed.snapshot is None and mixed.snapshot_version == 0 and len(mixed.changes.entries) == len(roster)
