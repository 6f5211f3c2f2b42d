"""The vocabulary's labels and the check-in's questions in every language the client side speaks: complete,
really translated (not the English left in place), listed the way the language lists things, and English
exactly as before."""

from enum import StrEnum

import pytest

from shared.api.models import check_in_questions, vocabulary
from shared.domain.bond import ITEM_TEXT, CheckInItem
from shared.domain.labels import LABELS, label, labels
from shared.domain.vocabulary import (
    Approach,
    Concern,
    CulturalBackground,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    SafetyAnswer,
    SexualityAnswer,
    Value,
)
from shared.i18n import SOURCE_LOCALE, Locale, locale_of

OTHER_LOCALES = [locale for locale in Locale if locale is not SOURCE_LOCALE]

SAME_IN_EVERY_LANGUAGE: dict[type[StrEnum], set[str]] = {
    # Insurers are brands: their names are not translated.
    InsuranceCarrier: {
        "aetna",
        "bcbs",
        "cigna",
        "uhc",
        "humana",
        "kaiser",
        "medicaid",
        "medicare",
        "tricare",
        "magellan",
    },
    # The therapy is known by its English acronym in Spanish too.
    Approach: {"emdr"},
}
"""Labels a translation may leave as in English, each with its reason. Anything else equal to its English
text is English left on a Spanish page."""

SAME_PLACE_NAMES_ES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MT",
        "NE",
        "NV",
        "OH",
        "OK",
        "RI",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WI",
        "WY",
        "PR",
        "AB",
        "MB",
        "ON",
        "SK",
        "QC",
    ]
)
SAME_IN = {
    # Place names that Spanish writes as English does ("Texas", "Ontario"); the ones it writes its own way
    # ("Nuevo México", "Carolina del Norte") must be translated, and are checked below.
    Locale.ES: {
        Jurisdiction: {j.value for j in Jurisdiction if j.value[3:] in SAME_PLACE_NAMES_ES},
        # Words that are spelled the same in Spanish.
        Language: {"hi", "ur", "ta"},  # Hindi, Urdu, Tamil
        Concern: {"trauma"},
        CulturalBackground: {"filipino"},
        SexualityAnswer: {"no"},  # "No" is Spanish too
        SafetyAnswer: {"no"},
    },
}


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_every_label_is_translated_unless_it_is_a_name_every_language_shares(locale: Locale) -> None:
    allowed = {enum: SAME_IN_EVERY_LANGUAGE.get(enum, set()) | SAME_IN[locale].get(enum, set()) for enum in LABELS}
    left_in_english = [
        f"{enum.__name__}.{value}: {text!r}"
        for enum, table in LABELS.items()
        for value, text in table.items()
        if label(enum(value), locale) == text and value not in allowed[enum]
    ]
    assert left_in_english == []
    lists = vocabulary(locale).lists
    assert set(lists) == {enum.__name__ for enum in LABELS}
    assert all(len(lists[enum.__name__]) == len(table) for enum, table in LABELS.items())


def test_the_spanish_labels_read_as_a_spanish_speaker_writes_them() -> None:
    assert label(Value.FAITH_SPIRITUALITY, Locale.ES) == "Fe y espiritualidad"
    assert label(Jurisdiction("US-NM"), Locale.ES) == "Nuevo México"
    assert label(Jurisdiction("US-TX"), Locale.ES) == "Texas"
    assert labels([Value.TRADITION, Value.FAMILY, Value.GROWTH], Locale.ES) == (
        "Crecimiento personal, Familia y Tradición"
    )
    # sorted as a dictionary sorts, accents aside: "Árabe" comes first, not after "Z"
    assert labels([Language.BN, Language.AR, Language.ES], Locale.ES) == "Árabe, Bengalí y Español"


def test_english_labels_and_lists_are_as_they_were() -> None:
    assert labels([Value.TRADITION, Value.FAMILY, Value.GROWTH]) == "Family, Personal growth and Tradition"
    assert labels([Value.FAMILY]) == "Family"
    assert labels([]) == ""
    english = vocabulary().lists["Value"]
    assert {"value": "faith_spirituality", "label": "Faith and spirituality"} in [c.model_dump() for c in english]


def test_the_check_in_questions_are_asked_in_the_clients_language() -> None:
    english = {q.item: q.text for q in check_in_questions()}
    spanish = {q.item: q.text for q in check_in_questions(Locale.ES)}
    assert english == ITEM_TEXT
    assert spanish[CheckInItem.TRUST] == "Sentí que podía confiar en mi consejero."
    assert all(spanish[item] != english[item] for item in CheckInItem)


def test_an_unknown_language_gets_the_english_labels() -> None:
    assert vocabulary(locale_of("xx-YY")) == vocabulary()
    assert check_in_questions(locale_of("klingon")) == check_in_questions()
