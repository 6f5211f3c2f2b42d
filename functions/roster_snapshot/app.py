"""Writes the roster snapshot that a cold function reads instead of every counselor, whenever the roster
version has moved since the last one. Runs on a schedule; keeps its own warm copy of the roster, so a run
reads only what changed."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.config import RosterSnapshotSettings
from shared.dal.dynamodb import DynamoRepository
from shared.observability import quiet_library_loggers, traced
from shared.services.roster_cache import RosterCache
from shared.services.roster_snapshot import write_roster_snapshot

settings = RosterSnapshotSettings.from_environment()
quiet_library_loggers()
logger = Logger()
metrics = Metrics()
roster = RosterCache()  # reused while the function is warm
stored: dict[str, int] = {}  # the snapshot version this environment last stored or found newer


@cache
def store() -> DynamoRepository:
    return DynamoRepository(settings.table_name)


@logger.inject_lambda_context(log_event=False)
@traced
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = write_roster_snapshot(store(), roster, stored.get("version"))
    stored["version"] = run.version
    if run.written:
        metrics.add_metric(name="RosterSnapshotBytes", unit=MetricUnit.Bytes, value=run.size)
    logger.info("roster snapshot run", extra={"version": run.version, "written": run.written, "bytes": run.size})
    return {"version": run.version, "written": run.written, "bytes": run.size}
