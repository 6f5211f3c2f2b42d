"""Text a person typed, made safe to store and show: one Unicode form, and no invisible characters that
change how other text is displayed.

Every string a client or staff member sends is normalised to NFC (so "José" typed with a combining accent
and "José" typed precomposed are the same name) and refused when it holds a control character (NUL and the
other C0/C1 controls, line and paragraph separators) or an invisible format character (bidi overrides and
isolates, zero-width space, word joiner, byte-order mark, tag characters). Those let one name pass for
another on a staff member's screen. Free text keeps newline and tab; a single-line field keeps neither.

Zero-width joiner and non-joiner stay allowed: they are part of how Persian, Hindi and other scripts are
written and of many emoji, and neither reorders nor hides other text.
"""

import unicodedata

from pydantic import AfterValidator, BeforeValidator

_JOINERS = frozenset("\u200c\u200d")
_FREE_TEXT_CONTROLS = frozenset("\n\t")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _normalised(value: object) -> object:
    if not isinstance(value, str):
        return value  # the str validator reports the wrong type
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n"))


def refuse_invisible(value: str, allowed: frozenset[str] = frozenset()) -> str:
    """The value, unless it holds a control or invisible formatting character (other than `allowed`)."""
    for char in value:
        if char in allowed or char in _JOINERS:
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise ValueError("remove the control or invisible formatting characters")
    return value


def _refuse_invisible(allowed: frozenset[str]) -> AfterValidator:
    return AfterValidator(lambda value: refuse_invisible(value, allowed))


# Use as Annotated[str, StringConstraints(...), NFC, SingleLine]: NFC runs before the string's constraints (so
# lengths and patterns apply to the normalised text; written after them so pydantic keeps them on the string
# schema), the character check after.
NFC = BeforeValidator(_normalised)
SingleLine = _refuse_invisible(frozenset())
MultiLine = _refuse_invisible(_FREE_TEXT_CONTROLS)
