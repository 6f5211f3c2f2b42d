"""Every sentence matching can say, pinned: what each factor says at each level, to staff and to the client.

The property tests prove the ranking against the oracle; they say nothing about the words. Here a fixed
corpus (generated intakes, rosters and clients' ratings, derandomized, so the same on every machine) is
matched, and every sentence is recorded with the factor, the client's rating and the level it was said
for. The set is compared with `reason_texts.txt`. A changed sentence, or one said at the wrong level,
fails here; a deliberate change to the wording updates the file:

    UPDATE_REASON_TEXTS=1 .venv/bin/python -m pytest tests/unit/matching/test_reason_texts.py
"""

import os
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.matching.engine import suggest
from shared.matching.factors import criteria_for
from shared.matching.weights import LEVEL_SCALE, MAX_SUGGESTIONS
from tests.strategies import intakes, rosters
from tests.unit.matching.test_properties import engine_roster, ratings_for

GOLDEN = Path(__file__).with_name("reason_texts.txt")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
EXAMPLES = 200


def _said(
    intake: IntakeAnswers, roster: list[CounselorProfile], ratings: dict[str, tuple[int, int]], lines: set[str]
) -> None:
    _said_of(intake, roster, ratings, lines)
    # The same answers with every field at the form's default left unset (a client who skipped them): the
    # same scores, and reasons that say "by default" wherever the client did not rate a factor themselves.
    _said_of(IntakeAnswers.model_validate_json(intake.model_dump_json(exclude_defaults=True)), roster, ratings, lines)


def _said_of(
    intake: IntakeAnswers, roster: list[CounselorProfile], ratings: dict[str, tuple[int, int]], lines: set[str]
) -> None:
    compiled = engine_roster(roster, ratings)
    result = suggest(intake, compiled, MAX_SUGGESTIONS, now=NOW)
    if result.no_match is not None:
        lines.add(f"no match | {result.no_match.reason} | {result.no_match.detail} | {result.no_match.next_step}")
    profiles = {p.counselor_id: p for p in compiled.profiles}
    criteria = criteria_for(intake)
    for suggestion in [*result.suggestions, *result.alternatives]:
        client_reasons = []
        for criterion, score, reason in zip(criteria, suggestion.breakdown, suggestion.reasons, strict=True):
            met = "" if score.must_have_met is None else f" met={score.must_have_met}"
            said = f"{score.factor} | {score.importance} | level {score.level:g}{met}"
            lines.add(f"{said} | staff: {reason}")
            # The client hears a factor's reason only where it is at least partly met (docs/matching.md).
            client = criterion.describe(profiles[suggestion.counselor_id], round(score.level * LEVEL_SCALE)).client
            if client is not None and score.level > 0:
                client_reasons.append(client)
                lines.add(f"{said} | client: {client}")
        assert suggestion.client_reasons == client_reasons


def corpus_lines(recorded: frozenset[str] | None = None) -> set[str]:
    """Every line the corpus says. With `recorded`, the first line not in it fails at once (no shrinking:
    the line is the finding)."""
    lines: set[str] = set()

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.generate])
    @given(intake=intakes(), roster=rosters(1, 10), data=st.data())
    def collect(intake: IntakeAnswers, roster: list[CounselorProfile], data: st.DataObject) -> None:
        said: set[str] = set()
        _said(intake, roster, data.draw(ratings_for(roster), label="ratings"), said)
        new = sorted(said - recorded) if recorded is not None else []
        assert not new, f"newly said: {new[:5]}"
        lines.update(said)

    collect()
    return lines


def test_every_sentence_matching_says_is_the_one_on_record() -> None:
    if os.environ.get("UPDATE_REASON_TEXTS"):
        GOLDEN.write_text("\n".join(sorted(corpus_lines())) + "\n", encoding="utf-8")
    recorded = frozenset(GOLDEN.read_text(encoding="utf-8").splitlines())
    missing = sorted(recorded - corpus_lines(recorded))
    assert not missing, f"no longer said: {missing[:8]}"
