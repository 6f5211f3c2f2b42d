"""The match-quality report: is matching producing strong bonds? Aggregates only, each hidden below the
privacy minimum, read from counters kept up to date by the writes themselves (one query, no intake read).

The minimum rule: a count is shown when it is 0 or at least `minimum`; a mean only when it rests on at
least `minimum` clients; a rate only when both of its counts may be shown. Anything else is null, so a
small group cannot be traced back to one client. And because the cells of a group add up to a total that
can be known (the scored bands count the same clients as the factor every scored match has, the primary
concern; the waits add up to the assignments), a group never hides only a few: more cells are hidden,
smallest first, until the hidden ones together rest on at least `minimum` clients, so no subtraction
recovers a small one. The groups: the scored bands; each factor's row; the waits; the no-match reasons.
"""

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from shared.domain import report_counters as counter
from shared.domain.bond import PILLARS
from shared.domain.labels import LABELS
from shared.domain.match import FactorName, NoMatchReason
from shared.domain.quality import LEVEL_BUCKETS, SCORE_BANDS, UNSCORED_BAND, WAIT_BUCKETS
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
    assignments: int | None = Field(description="Clients assigned a counselor (once each, however often rematched).")
    rematch_requests: int | None
    rematch_rate: float | None = Field(description="Rematch requests per assignment; null below the minimum.")
    time_to_assignment: list[CountRow]
    median_time_to_assignment: str | None = Field(description="The range that holds the median wait.")
    no_match: list[CountRow] = Field(
        description="Matching runs (a submission, or a client's request for someone else) nobody fitted, by reason."
    )


def shown_in_group(counts: Sequence[int], minimum: int) -> list[bool]:
    """Which cells of a group may be shown: none with 1 to minimum - 1, and more hidden (the smallest first)
    until the hidden ones together are 0 or at least `minimum`, so the total minus the shown cells never
    reveals a small group."""
    shown = [n == 0 or n >= minimum for n in counts]
    while 0 < sum(n for n, s in zip(counts, shown, strict=True) if not s) < minimum:
        candidates = [i for i, n in enumerate(counts) if shown[i] and n > 0]
        if not candidates:
            break
        shown[min(candidates, key=lambda i: counts[i])] = False
    return shown


def quality_report(counters: Iterable[Counter], minimum: int) -> QualityReport:
    by_name = {c.name: c.values for c in counters}

    def shown(count: int) -> int | None:
        return count if count == 0 or count >= minimum else None

    def mean(values: Mapping[str, int], field: str, divisor: int = 1) -> float | None:
        n = values.get("n", 0)
        return round(values.get(field, 0) / (n * divisor), 1) if n >= minimum else None

    def cell(values: Mapping[str, int], visible: bool) -> BondCell:
        if not visible:
            return BondCell(check_ins=None, overall=None)
        return BondCell(check_ins=values.get("n", 0), overall=mean(values, "overall"))

    band_values = [by_name.get(counter.band(band), {}) for band in SCORE_BANDS]
    # The scored bands add up to what a factor every scored match has (the primary concern) counts, so they
    # are one group; "not suggested" has no factors and stands alone.
    scored = [i for i, band in enumerate(SCORE_BANDS) if band != UNSCORED_BAND]
    band_visible = [shown(v.get("n", 0)) is not None for v in band_values]
    for i, visible in zip(scored, shown_in_group([band_values[i].get("n", 0) for i in scored], minimum), strict=True):
        band_visible[i] = visible
    bands = []
    for (band, band_label), values, visible in zip(SCORE_BANDS.items(), band_values, band_visible, strict=True):
        pillars = {"pillars": sum(values.get(p.value, 0) for p in PILLARS), "n": values.get("n", 0)}
        bands.append(
            BandRow(
                band=band,
                label=band_label,
                **cell(values, visible).model_dump(),
                pillars=mean(pillars, "pillars", len(PILLARS)) if visible else None,
            )
        )

    factors = []
    for factor in FactorName:
        values_of = [by_name.get(counter.factor(factor.value, bucket), {}) for bucket in LEVEL_BUCKETS]
        visible_of = shown_in_group([v.get("n", 0) for v in values_of], minimum)
        cells = {
            bucket: cell(values, visible)
            for bucket, values, visible in zip(LEVEL_BUCKETS, values_of, visible_of, strict=True)
        }
        if any(by_name.get(counter.factor(factor.value, b)) for b in LEVEL_BUCKETS):
            factors.append(
                FactorRow(
                    factor=factor,
                    label=LABELS[FactorName][factor.value],
                    fully_met=cells["met"],
                    partly_met=cells["partial"],
                    not_met=cells["unmet"],
                )
            )

    assigned = by_name.get(counter.ASSIGN, {})
    assignments = assigned.get("n", 0)
    rematches = by_name.get(counter.REMATCH, {}).get("n", 0)
    rate = (
        round(rematches / assignments, 3)
        if assignments >= minimum and shown(rematches) is not None and assignments
        else None
    )
    wait_counts = [assigned.get(counter.wait_field(k), 0) for k in WAIT_BUCKETS]
    waits = [
        CountRow(key=k, label=v, count=n if visible else None)
        for (k, v), n, visible in zip(
            WAIT_BUCKETS.items(), wait_counts, shown_in_group(wait_counts, minimum), strict=True
        )
    ]
    median = None
    if assignments >= minimum:
        seen = 0
        for key, wait_label in WAIT_BUCKETS.items():
            seen += assigned.get(counter.wait_field(key), 0)
            if seen * 2 >= assignments:
                median = wait_label
                break

    no_match_counts = [by_name.get(counter.no_match(r.value), {}).get("n", 0) for r in NoMatchReason]
    no_match = [
        CountRow(key=r.value, label=LABELS[NoMatchReason][r.value], count=n if visible else None)
        for r, n, visible in zip(NoMatchReason, no_match_counts, shown_in_group(no_match_counts, minimum), strict=True)
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
