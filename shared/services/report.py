"""The match-quality report: is matching producing strong bonds? Aggregates only, each hidden below the
privacy minimum, read from counters kept up to date by the writes themselves (one query, no intake read).

The minimum rule: a count is shown when it is 0 or at least `minimum`; a mean only when it rests on at
least `minimum` check-ins; a rate only when both of its counts may be shown. Anything else is null, so a
small group cannot be traced back to one client.
"""

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.bond import PILLARS
from shared.domain.labels import LABELS
from shared.domain.quality import LEVEL_BUCKETS, SCORE_BANDS, WAIT_BUCKETS
from shared.matching.result import NoMatchReason
from shared.matching.weights import FactorName
from shared.services.ports import Counter, IntakeStore


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class BondCell(_Out):
    check_ins: int | None = Field(description="How many check-ins; null when fewer than the minimum (but not 0).")
    overall: float | None = Field(description="Mean of the overall item (0-10); null below the minimum.")


class BandRow(BondCell):
    band: str
    label: str
    pillars: float | None = Field(description="Mean of the four pillar items (0-10); null below the minimum.")


class FactorRow(_Out):
    factor: FactorName
    label: str
    fully_met: BondCell
    partly_met: BondCell
    not_met: BondCell


class CountRow(_Out):
    key: str
    label: str
    count: int | None = Field(description="Null when between 1 and the minimum minus 1.")


class QualityReport(_Out):
    minimum: int = Field(description="Nothing resting on fewer than this many clients is shown.")
    by_score_band: list[BandRow] = Field(description="Bond at check-ins, by the match score of the assignment.")
    by_factor: list[FactorRow] = Field(description="Bond at check-ins, by how fully each factor was met.")
    assignments: int | None
    rematch_requests: int | None
    rematch_rate: float | None = Field(description="Rematch requests per assignment; null below the minimum.")
    time_to_assignment: list[CountRow]
    median_time_to_assignment: str | None = Field(description="The range that holds the median wait.")
    no_match: list[CountRow] = Field(description="Intakes for which nobody fitted, by reason.")


def quality_report(counters: Iterable[Counter], minimum: int) -> QualityReport:
    by_name = {c.name: c.values for c in counters}

    def shown(count: int) -> int | None:
        return count if count == 0 or count >= minimum else None

    def mean(values: Mapping[str, int], field: str) -> float | None:
        n = values.get("n", 0)
        return round(values.get(field, 0) / n, 1) if n >= minimum else None

    bands = []
    for band, band_label in SCORE_BANDS.items():
        values = by_name.get(f"BAND#{band}", {})
        n = values.get("n", 0)
        pillar_sum = sum(values.get(p.value, 0) for p in PILLARS)
        bands.append(
            BandRow(
                band=band,
                label=band_label,
                check_ins=shown(n),
                overall=mean(values, "overall"),
                pillars=round(pillar_sum / (n * len(PILLARS)), 1) if n >= minimum else None,
            )
        )

    factors = []
    for factor in FactorName:
        cells = {}
        for bucket in LEVEL_BUCKETS:
            values = by_name.get(f"FACTOR#{factor.value}#{bucket}", {})
            cells[bucket] = BondCell(check_ins=shown(values.get("n", 0)), overall=mean(values, "overall"))
        if any(by_name.get(f"FACTOR#{factor.value}#{b}") for b in LEVEL_BUCKETS):
            factors.append(
                FactorRow(
                    factor=factor,
                    label=LABELS[FactorName][factor.value],
                    fully_met=cells["met"],
                    partly_met=cells["partial"],
                    not_met=cells["unmet"],
                )
            )

    assigned = by_name.get("ASSIGN", {})
    assignments = assigned.get("n", 0)
    rematches = by_name.get("REMATCH", {}).get("n", 0)
    rate = (
        round(rematches / assignments, 3)
        if assignments >= minimum and shown(rematches) is not None and assignments
        else None
    )
    waits = [CountRow(key=k, label=v, count=shown(assigned.get(f"waited_{k}", 0))) for k, v in WAIT_BUCKETS.items()]
    median = None
    if assignments >= minimum:
        seen = 0
        for key, wait_label in WAIT_BUCKETS.items():
            seen += assigned.get(f"waited_{key}", 0)
            if seen * 2 >= assignments:
                median = wait_label
                break

    no_match = [
        CountRow(
            key=r.value,
            label=LABELS[NoMatchReason][r.value],
            count=shown(by_name.get(f"NOMATCH#{r.value}", {}).get("n", 0)),
        )
        for r in NoMatchReason
    ]
    return QualityReport(
        minimum=minimum,
        by_score_band=bands,
        by_factor=factors,
        assignments=shown(assignments),
        rematch_requests=shown(rematches),
        rematch_rate=rate,
        time_to_assignment=waits,
        median_time_to_assignment=median,
        no_match=no_match,
    )


def practice_report(intakes: IntakeStore, minimum: int) -> QualityReport:
    return quality_report(intakes.report_counters(), minimum)
