"""`make i18n`: the message catalogs brought up to date with the code, then compiled.

For each domain in `shared.i18n.DOMAIN_SOURCES`: the English messages are extracted from its files into
`shared/i18n/<domain>.pot` (the template: what every language must translate); each other language's
`locales/<code>/LC_MESSAGES/<domain>.po` is created or updated from it (a new message arrives
untranslated, a changed one fuzzy), then compiled to the `.mo` the runtime reads. Untranslated and fuzzy
messages fail `tests/unit/test_catalogs.py`, never a page or an email: the runtime falls back to English.
"""

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from shared.i18n import DOMAIN_SOURCES, LOCALES_DIR, SOURCE_LOCALE, Domain, Locale

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "shared" / "i18n"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
STABLE_DATE = datetime(2026, 12, 1, tzinfo=UTC)  # the headers' dates: re-running `make i18n` changes nothing


def template(domain: Domain) -> Catalog:
    """The domain's English messages, as extracted from its files now."""
    catalog = Catalog(
        project="counseling-intake",
        domain=domain.value,
        fuzzy=False,
        creation_date=STABLE_DATE,
        revision_date=STABLE_DATE,
    )
    for source in DOMAIN_SOURCES[domain]:
        for line, message, comments, context in extract_from_file(
            "python", ROOT / source, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
        ):
            catalog.add(message, locations=[(source, line)], auto_comments=comments, context=context)
    return catalog


def template_path(domain: Domain) -> Path:
    return I18N / f"{domain.value}.pot"


def po_path(locale: Locale, domain: Domain) -> Path:
    return LOCALES_DIR / locale.value / "LC_MESSAGES" / f"{domain.value}.po"


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _write_po(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=116, omit_header=False, sort_output=False, ignore_obsolete=True)


def update() -> None:
    for domain in Domain:
        pot = template(domain)
        _write_po(template_path(domain), pot)
        for locale in Locale:
            if locale is SOURCE_LOCALE:
                continue
            path = po_path(locale, domain)
            if path.exists():
                catalog = read(path, locale.value)
                catalog.update(pot, update_header_comment=False)
            else:
                catalog = Catalog(
                    locale=locale.value, domain=domain.value, project="counseling-intake", fuzzy=False,
                    creation_date=STABLE_DATE, revision_date=STABLE_DATE,
                )  # fmt: skip
                catalog.update(pot)
            _write_po(path, catalog)
            path.with_suffix(".mo").write_bytes(compiled(read(path, locale.value)))


if __name__ == "__main__":
    update()
    sys.exit(0)
