"""The client pages' catalogs: one per configured language, each with every key of the English one, the same
placeholders, and the plural forms its language needs; and every key the pages ask for is in English."""

import re

import pytest
from babel import Locale as BabelLocale

from tests.page_catalogs import (
    catalog,
    catalog_files,
    configured_languages,
    fixed_parts,
    keys_used_by_pages,
    pattern_matches,
    placeholders,
)

LANGUAGES = configured_languages()
OTHERS = [code for code in LANGUAGES if code != "en"]


def integer_plural_categories(code: str) -> set[str]:
    """The plural categories a language uses for the counts a page shows (0 to 1000), by CLDR (Babel)."""
    rule = BabelLocale.parse(code).plural_form
    return {rule(n) for n in range(1001)}


def test_every_configured_language_has_a_catalog_and_every_catalog_is_configured() -> None:
    assert "en" in LANGUAGES and "es" in LANGUAGES
    assert sorted(catalog_files()) == sorted(LANGUAGES)


@pytest.mark.parametrize("code", OTHERS)
def test_a_catalog_has_every_english_key_and_no_other(code: str) -> None:
    english, other = catalog("en"), catalog(code)
    assert sorted(set(english) - set(other)) == [], f"locale-{code}.js lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"locale-{code}.js has keys English does not"


@pytest.mark.parametrize("code", OTHERS)
def test_each_message_has_the_english_placeholders(code: str) -> None:
    english, other = catalog("en"), catalog(code)
    differ = {key: (placeholders(english[key]), placeholders(other[key])) for key in english if key in other}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_message_with_plural_forms_has_each_form_its_language_uses(code: str) -> None:
    needed = integer_plural_categories(code)
    english = catalog("en")
    for key, message in catalog(code).items():
        plural_in_english = isinstance(english.get(key), dict)
        assert isinstance(message, dict) == plural_in_english, f"{key}: plural in one language, not the other"
        if isinstance(message, dict):
            assert "other" in message, key
            assert needed <= set(message), f"{key} lacks {sorted(needed - set(message))}"
            assert set(message) <= needed | {"other"}, f"{key} has forms {code} never uses"


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_message_is_left_empty_unless_english_leaves_it_empty(code: str) -> None:
    english = catalog("en")
    empty = [k for k, m in catalog(code).items() if m == "" and english[k] != "" and code != "en"]
    assert empty == []


def test_every_key_the_pages_ask_for_is_in_the_english_catalog() -> None:
    literal, patterns = keys_used_by_pages()
    english = catalog("en")
    assert len(literal) > 100  # the reading of the scripts found their keys
    assert sorted(literal - set(english)) == []
    assert [p for p in patterns if not pattern_matches(p, english)] == []


# Messages a language writes exactly as English does: only placeholders and punctuation, or a name. Anything
# else identical to English is a message left untranslated (the browser tests cannot tell it from Spanish).
SAME_AS_ENGLISH = {"es": {"profile.lgbtq"}}


@pytest.mark.parametrize("code", OTHERS)
def test_a_message_reads_as_english_only_where_the_language_writes_it_so(code: str) -> None:
    english, other = catalog("en"), catalog(code)
    same = {key for key in english if other.get(key) == english[key]}
    words_only = {key for key in same if any(re.search(r"[A-Za-z]", part) for part in fixed_parts(english[key]))}
    assert words_only == SAME_AS_ENGLISH.get(code, set())
