"""The shortlist's own words in Spanish (what was relaxed, the cost, fit versus wait): plural forms from the
catalog, dates as Spanish writes them, lists joined with "y" / "o"."""

from datetime import UTC, datetime, timedelta

from shared.domain.cost import estimate_cost
from shared.domain.match import FactorName
from shared.domain.shortlist import relaxed_sentence
from shared.i18n import Locale
from shared.services.shortlist import Standing, fit_versus_wait
from tests.factories import a_counselor, an_intake

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a Tuesday


def test_what_was_relaxed_is_said_in_spanish_with_the_right_plural() -> None:
    answers = an_intake(locale="es", languages={"languages": ["ar", "fa"], "importance": "must_have"})
    assert relaxed_sentence([FactorName.LANGUAGE], 0, answers) == (
        "Ningún consejero que podría atenderle cumple todos los requisitos imprescindibles que usted fijó. "
        "Este consejero no ofrece sesiones en árabe o persa (farsi); de quienes podrían atenderle, es quien más "
        "se acerca a lo que busca."
    )
    assert relaxed_sentence([FactorName.LANGUAGE], 2, answers).startswith(
        "Solo 2 consejeros que podrían atenderle cumplen todos los requisitos imprescindibles que usted fijó "
        "(se muestran primero)."
    )
    # the same answers from an English page, and the English page's words for a Spanish intake
    english = an_intake(languages={"languages": ["ar", "fa"], "importance": "must_have"})
    said = "This counselor does not offer sessions in Arabic or Persian (Farsi); of the others"
    assert said in relaxed_sentence([FactorName.LANGUAGE], 2, english)
    assert said in relaxed_sentence([FactorName.LANGUAGE], 2, answers, Locale.EN)


def test_the_cost_is_explained_in_spanish() -> None:
    insured = an_intake(payment={"method": "insurance", "insurance_carrier": "aetna"}).payment
    estimate = estimate_cost(insured, a_counselor(insurance_panels=["aetna"]), Locale.ES)
    assert estimate.summary == "Dentro de la red de Aetna: usted paga el copago o el coseguro de su plan."
    assert estimate.to_check == "No podemos ver su plan, así que consulte con Aetna cuánto pagará por sesión."
    assert estimate_cost(insured, a_counselor(insurance_panels=["aetna"])).summary == (
        "In network with Aetna: you pay your plan's copay or coinsurance."
    )


def test_fit_versus_wait_in_spanish_with_plural_weeks_and_a_spanish_date() -> None:
    standings = [
        Standing("Maya Okafor", False, NOW + timedelta(days=21)),
        Standing("Daniel Reyes", False, NOW + timedelta(days=2)),
    ]
    assert fit_versus_wait(standings, NOW, "America/Denver", 28, Locale.ES) == (
        "El primer horario disponible de quien mejor encaja es en 3 semanas (Maya Okafor); otra persona que "
        "también encaja, Daniel Reyes, puede reunirse con usted el jueves, 3 de diciembre de 2026."
    )
    none_soon = [Standing("Maya Okafor", False, None), Standing("Daniel Reyes", False, NOW + timedelta(days=2))]
    assert fit_versus_wait(none_soon, NOW, "America/Denver", 1, Locale.ES).startswith(  # type: ignore[union-attr]
        "Quien mejor encaja (Maya Okafor) no tiene horarios disponibles en el próximo 1 día;"
    )
