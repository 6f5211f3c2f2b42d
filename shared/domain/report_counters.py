"""The match-quality report's counters: their names, and what each event adds to them. The one owner of
both, so the use cases that count (shared/services) and the report that reads the counts
(shared/services/report.py) cannot disagree; the store only adds the amounts it is given.

A counter is a name and a few summed fields (`n`, the count, and sums of answers). Each holds aggregates
only: never an intake, a name or an answer on its own.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from shared.domain.bond import CheckIn, CheckInAnswers, CountedIn
from shared.domain.quality import level_bucket, score_band, wait_bucket
from shared.domain.records import AssignedFit

ASSIGN = "ASSIGN"
"""Each client's first match: `n`, and `waited_<bucket>` for how long they waited (see wait_field)."""
REMATCH = "REMATCH"
"""Clients' requests for a different counselor: `n`."""

BOND_ITEMS = ("overall", "trust", "understood", "respected", "agenda")
"""What a check-in adds to its score band's counter, beside `n`; a factor's counters add only "overall"."""


def band(key: str) -> str:
    """Check-ins by the assignment's match-score band (shared/domain/quality.py's SCORE_BANDS)."""
    return f"BAND#{key}"


def factor(name: str, bucket: str) -> str:
    """Check-ins by how fully a factor was met in the assignment (LEVEL_BUCKETS)."""
    return f"FACTOR#{name}#{bucket}"


def no_match(reason: str) -> str:
    """Matching runs that nobody fitted, by reason."""
    return f"NOMATCH#{reason}"


def wait_field(bucket: str) -> str:
    """The ASSIGN field that counts first matches after a wait in this bucket (WAIT_BUCKETS)."""
    return f"waited_{bucket}"


class CounterDelta(NamedTuple):
    """What to add to one counter."""

    name: str
    amounts: dict[str, int]


def matching_run(no_match_reason: str | None) -> tuple[CounterDelta, ...]:
    """A matching run (at submission, or on a client's request) counts only when nobody fitted."""
    return () if no_match_reason is None else (CounterDelta(no_match(no_match_reason), {"n": 1}),)


def first_match(waited_hours: float) -> CounterDelta:
    """A client's first assignment, and how long they waited for it."""
    return CounterDelta(ASSIGN, {"n": 1, wait_field(wait_bucket(waited_hours)): 1})


def rematch_requested() -> CounterDelta:
    return CounterDelta(REMATCH, {"n": 1})


def counted_in(fit: AssignedFit | None) -> CountedIn | None:
    """Where a check-in about this assignment is counted: its band and factor levels (none without a fit)."""
    if fit is None:
        return None
    return CountedIn(band=score_band(fit.score), levels={f: level_bucket(level) for f, level in fit.levels.items()})


def check_in_answered(
    counted: CountedIn | None, answers: CheckInAnswers, replaces: CheckIn | None
) -> tuple[CounterDelta, ...]:
    """What a check-in adds to the report's counters: its answers in the assignment's band and factor cells,
    and, when it takes over from the client's earlier check-in, that one's figures out of the cells they were
    added to. Only while the client is with the counselor (`counted`); one delta per counter."""
    if counted is None:
        return ()
    changes: dict[str, dict[str, int]] = {}

    def add(where: CountedIn, given: CheckInAnswers, sign: int) -> None:
        cells: Mapping[str, Iterable[str]] = {band(where.band): BOND_ITEMS} | {
            factor(name, bucket): ("overall",) for name, bucket in where.levels.items()
        }
        for name, fields in cells.items():
            amounts = changes.setdefault(name, {})
            amounts["n"] = amounts.get("n", 0) + sign
            for field in fields:
                amounts[field] = amounts.get(field, 0) + sign * getattr(given, field)

    add(counted, answers, 1)
    if replaces is not None and replaces.counted is not None and replaces.answers is not None:
        add(replaces.counted, replaces.answers, -1)
    return tuple(CounterDelta(name, amounts) for name, amounts in changes.items() if any(amounts.values()))
