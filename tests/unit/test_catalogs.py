"""The Python side's message catalogs (shared/i18n): current with the code, complete in every language, and
compiled as the runtime reads them. A missing or stale translation fails here, never on a page or in an email."""

import re

import pytest
from babel.messages.catalog import Catalog

from infra.i18n import compiled, po_path, read, template, template_path
from shared.i18n import SOURCE_LOCALE, Domain, Locale, locale_of, translations

OTHER_LOCALES = [locale for locale in Locale if locale is not SOURCE_LOCALE]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _ids(catalog: Catalog) -> set[object]:
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}


@pytest.mark.parametrize("domain", list(Domain))
def test_each_template_lists_exactly_the_messages_in_the_code(domain: Domain) -> None:
    """`make i18n` was run after the last change to a message: the template is what the code says now."""
    assert _ids(read(template_path(domain))) == _ids(template(domain)), "run `make i18n`"


@pytest.mark.parametrize("locale", OTHER_LOCALES)
@pytest.mark.parametrize("domain", list(Domain))
def test_every_catalog_translates_every_message_with_the_same_placeholders(locale: Locale, domain: Domain) -> None:
    catalog = read(po_path(locale, domain), locale.value)
    assert _ids(catalog) >= _ids(template(domain)), "run `make i18n`, then translate the new messages"
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string or ())
        assert not message.fuzzy, f"{domain}/{locale}: fuzzy (check it against the English): {ids[0]!r}"
        assert texts and all(texts), f"{domain}/{locale}: not translated: {ids[0]!r}"
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{domain}/{locale}: placeholders differ: {ids[0]!r}"


@pytest.mark.parametrize("locale", OTHER_LOCALES)
@pytest.mark.parametrize("domain", list(Domain))
def test_the_compiled_catalog_is_the_catalog(locale: Locale, domain: Domain) -> None:
    """The runtime reads the `.mo`: it must be compiled from the `.po` as it is now."""
    path = po_path(locale, domain)
    assert path.with_suffix(".mo").read_bytes() == compiled(read(path, locale.value)), "run `make i18n`"


def test_an_unknown_or_missing_language_reads_as_english_without_an_error() -> None:
    assert locale_of("es-MX") is Locale.ES
    assert locale_of("ES_us") is Locale.ES
    assert locale_of("es;q=0.8") is Locale.ES
    for code in ("fr", "", "e", "english", None, 7, ["es"]):
        assert locale_of(code) is Locale.EN
    assert translations(Locale.EN, Domain.EMAILS).gettext("Hello,") == "Hello,"
