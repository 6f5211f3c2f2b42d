"""The client's reasons in the intake's language: the same match (the same scores, the same staff reasons in
English), with every client reason written in Spanish from the catalog, none left in English."""

from datetime import UTC, datetime

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.i18n import Domain, Locale, translations
from shared.matching.engine import suggest
from shared.matching.weights import MAX_SUGGESTIONS
from tests.factories import a_counselor, a_roster, an_intake
from tests.strategies import intakes, rosters
from tests.unit.matching.test_properties import engine_roster, ratings_for
from tests.unit.matching.test_reason_texts import GOLDEN

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ENGLISH_CLIENT_REASONS = frozenset(
    line.rsplit(" | client: ", 1)[1] for line in GOLDEN.read_text().splitlines() if " | client: " in line
)


def in_spanish(intake: IntakeAnswers) -> IntakeAnswers:
    return intake.model_copy(update={"locale": Locale.ES})


@settings(max_examples=60, derandomize=True, database=None, deadline=None, phases=[Phase.generate])
@given(intake=intakes(), roster=rosters(1, 10), data=st.data())
def test_a_spanish_intake_gets_the_same_match_with_every_client_reason_in_spanish(
    intake: IntakeAnswers, roster: list[CounselorProfile], data: st.DataObject
) -> None:
    compiled = engine_roster(roster, data.draw(ratings_for(roster), label="ratings"))
    english = suggest(intake, compiled, MAX_SUGGESTIONS, now=NOW)
    spanish = suggest(in_spanish(intake), compiled, MAX_SUGGESTIONS, now=NOW)
    assert [s.model_dump(exclude={"client_reasons"}) for s in spanish.suggestions] == [
        s.model_dump(exclude={"client_reasons"}) for s in english.suggestions
    ]  # the scores, the levels and the staff reasons do not depend on the client's language
    for es, en in zip(
        [*spanish.suggestions, *spanish.alternatives], [*english.suggestions, *english.alternatives], strict=True
    ):
        assert len(es.client_reasons) == len(en.client_reasons)
        for reason in es.client_reasons:
            assert reason not in ENGLISH_CLIENT_REASONS, reason


def test_the_client_reasons_read_in_spanish_and_the_english_ones_are_unchanged() -> None:
    # Given a counselor who meets a Spanish speaker's wishes, and the same answers sent from an English page
    counselor = a_counselor(
        languages=["en", "es"],
        concerns_primary=["anxiety", "ocd"],
        values_centered=["family", "growth"],
        approaches=["cbt"],
        lgbtq_affirming=True,
    )
    answers = {
        "languages": {"languages": ["es"], "importance": "must_have"},
        "concerns": {"concerns": ["ocd", "anxiety"], "primary": "ocd"},
        "values": {"values": ["family", "growth"], "importance": "important"},
        "approach": {"preferred": ["cbt"], "importance": "important"},
        "identity": {"wants_affirming": True, "importance": "important"},
    }
    roster = a_roster(counselor)
    # When each is matched
    (spanish,) = suggest(an_intake(locale="es-MX", **answers), roster, now=NOW).suggestions
    (english,) = suggest(an_intake(**answers), roster, now=NOW).suggestions
    # Then the client reads Spanish (acronyms kept, lists joined with "y"), staff read the English reasons
    assert spanish.client_reasons == [
        "Se especializa en TOC (trastorno obsesivo-compulsivo)",
        "También trabaja con ansiedad",
        "Trabaja desde valores que usted mencionó: crecimiento personal y familia",
        "Ofrece sesiones en español",
        "Afirmativo con personas LGBTQ+",
        "Usa terapia cognitivo-conductual (TCC)",
        "La tarifa está dentro de lo que usted puede pagar",
    ]
    assert english.client_reasons == [
        "Specializes in ocd",
        "Also works with anxiety",
        "Works from values you named: family and personal growth",
        "Offers sessions in Spanish",
        "LGBTQ+-affirming",
        "Uses Cognitive behavioral therapy (CBT)",
        "The fee is within what you can pay",
    ]
    assert spanish.reasons == english.reasons


def test_the_reasons_catalog_is_read_once_per_intake_not_per_counselor(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[tuple[Locale, Domain]] = []

    def counted(locale: Locale, domain: Domain) -> object:
        looked_up.append((locale, domain))
        return translations(locale, domain)

    monkeypatch.setattr("shared.matching.factors.translations", counted)
    roster = a_roster(*(a_counselor(languages=["es"]) for _ in range(30)))
    suggest(an_intake(locale="es", languages={"languages": ["es"], "importance": "important"}), roster, now=NOW)
    assert looked_up == [(Locale.ES, Domain.REASONS)]
