"""The languages the client side speaks, and the message catalogs behind them (gettext, one domain per area).

English is the source language: every message is written in English in the code, where it is used, as
`translations(locale, domain).gettext("...")` (or `.ngettext(...)` for a plural form; `N_("...")` where it
is only named, as in a table, and translated where it is used). Each other language has a catalog per domain in
`shared/i18n/locales/<code>/LC_MESSAGES/<domain>.po`, compiled to `.mo` beside it by `make i18n`. The
runtime reads only the compiled `.mo` files, through the standard library's `gettext`: no dependency at
import. Dates and times for people are formatted with Babel (`format_date`, `format_instant`), imported
only when one is formatted.

Adding a language: a member of `Locale`, then `make i18n` and the new `.po` files translated (docs/i18n.md).
An unknown or missing language code reads as English, never as an error.
"""

import gettext as _gettext
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo


class Locale(StrEnum):
    """The languages the client's pages, emails and reasons are written in. A new language is one line here
    and its catalogs (docs/i18n.md)."""

    EN = "en"
    ES = "es"


DEFAULT_LOCALE = Locale.EN
SOURCE_LOCALE = Locale.EN  # the language the messages are written in, in the code

LOCALES_DIR = Path(__file__).parent / "locales"


class Domain(StrEnum):
    """The catalogs, one per area of the code: each lists the files its messages are extracted from
    (`make i18n`), so work on one area does not touch the others' catalogs."""

    LABELS = "labels"  # the vocabulary's plain-language labels, and the check-in's questions
    REASONS = "reasons"  # the matching engine's client-safe reasons, and the shortlist's other words (cost...)
    EMAILS = "emails"  # every client email and calendar invitation
    # No catalog for the API's error messages: they are for developers and the staff console (English); a
    # client page says what went wrong in its own words, from the status and the error's `code`.


DOMAIN_SOURCES: dict[Domain, tuple[str, ...]] = {
    Domain.LABELS: ("shared/domain/labels.py", "shared/domain/bond.py"),
    Domain.REASONS: (
        "shared/matching/factors.py",
        "shared/matching/engine.py",
        "shared/domain/shortlist.py",
        "shared/domain/cost.py",
        "shared/services/shortlist.py",
    ),
    Domain.EMAILS: ("shared/services/notifications.py", "shared/services/invitations.py"),
}
"""Which files each domain's messages are extracted from (paths from the project's root)."""


def locale_of(code: object) -> Locale:
    """The supported language a code names: 'es', 'es-MX', 'ES_us' and 'es;q=0.8' read as Spanish. Anything
    else, a missing code included, reads as the default (English): an unknown language is never an error."""
    if isinstance(code, Locale):
        return code
    if not isinstance(code, str):
        return DEFAULT_LOCALE
    primary = code.strip().split(";")[0].replace("_", "-").split("-")[0].lower()
    try:
        return Locale(primary)
    except ValueError:
        return DEFAULT_LOCALE


@cache
def translations(locale: Locale, domain: Domain) -> _gettext.NullTranslations:
    """The compiled catalog of `domain` in `locale` (read once per environment). The source language, or a
    catalog not compiled, gives the English messages unchanged; the tests fail on a missing catalog or
    message, the pages never do."""
    if locale is SOURCE_LOCALE:
        return _gettext.NullTranslations()
    return _gettext.translation(domain.value, LOCALES_DIR, languages=[locale.value], fallback=True)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for translation, do not translate"
    """Marks a message for the catalog where it is only named (a table); it is translated where it is used,
    with `translations(locale, domain).gettext(message)`."""
    return message


def format_date(moment: datetime, locale: Locale) -> str:
    """A date as people write it: 'December 8, 2026'; '8 de diciembre de 2026'."""
    from babel.dates import format_date as babel_format_date  # about 40 ms: only where a date is formatted

    return babel_format_date(moment, "long", locale=locale.value)


def format_day(moment: datetime, locale: Locale) -> str:
    """A day with its weekday, as `moment` reads in its own zone: 'Tuesday, December 8, 2026'; 'martes, 8 de
    diciembre de 2026'."""
    from babel.dates import format_date as babel_format_date  # about 40 ms: only where a date is formatted

    return babel_format_date(moment, "full", locale=locale.value)


def format_instant(moment: datetime, zone: str, locale: Locale) -> str:
    """A moment in a named zone, with the weekday and the zone's name: 'Tuesday, December 8, 2026, 10:00 AM
    (Central Standard Time)'; 'martes, 8 de diciembre de 2026, 10:00 (hora estándar central)'."""
    from babel.dates import format_time, get_timezone_name  # about 40 ms: only where a time is formatted

    local = moment.astimezone(ZoneInfo(zone))
    day = format_day(local, locale)
    time = format_time(local, "short", locale=locale.value)
    name = get_timezone_name(local, "long", locale=locale.value)
    return f"{day}, {time} ({name})"
