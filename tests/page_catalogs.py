"""The client pages' catalogs (functions/pages/static/assets/locale-<code>.js) read from Python, for the
tests: each is an ES module whose default export is a JSON object of key -> message (a message with plural
forms is an object of plural categories)."""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from infra.template import ROOT

ASSETS = ROOT / "functions" / "pages" / "static" / "assets"
PLACEHOLDER = re.compile(r"\{(\w+)\}")

Message = str | dict[str, str]


def configured_languages() -> list[str]:
    """The codes in i18n.js's LANGUAGES: the pages' one line of configuration per language."""
    source = (ASSETS / "i18n.js").read_text(encoding="utf-8")
    block = source.split("export const LANGUAGES = {", 1)[1].split("};", 1)[0]
    return re.findall(r"^\s+(\w+): \{ name:", block, flags=re.MULTILINE)


def catalog_files() -> dict[str, Path]:
    return {path.stem.removeprefix("locale-"): path for path in sorted(ASSETS.glob("locale-*.js"))}


@cache
def catalog(code: str) -> dict[str, Message]:
    source = (ASSETS / f"locale-{code}.js").read_text(encoding="utf-8")
    body = source.split("export default", 1)[1].strip()
    assert body.endswith(";"), f"locale-{code}.js: the default export ends with ';'"
    parsed: dict[str, Message] = json.loads(body[:-1])
    return parsed


def forms(message: Message) -> list[str]:
    """Every text a message can show: itself, or each of its plural forms."""
    return list(message.values()) if isinstance(message, dict) else [message]


def placeholders(message: Message) -> set[str]:
    return {name for text in forms(message) for name in PLACEHOLDER.findall(text)}


def fixed_parts(message: Message) -> list[str]:
    """The words of a message around its placeholders, as they appear on a page."""
    return [part.strip(' :.,;()"') for text in forms(message) for part in PLACEHOLDER.split(text)[::2]]


def keys_used_by_pages() -> tuple[set[str], list[str]]:
    """(the literal keys the page scripts and HTML ask for, the key patterns they build: `wish.${...}`)."""
    literal: set[str] = set()
    patterns: list[str] = []
    for path in [*ASSETS.glob("*.js"), *ASSETS.parent.glob("*.html")]:
        # the catalogs themselves, the staff console (English only), and i18n.js (the engine, not a page)
        if path.name.startswith(("locale-", "console")) or path.name in ("roster-form.js", "i18n.js"):
            continue
        text = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r"\bt(?:Parts)?\(\s*\"([^\"]+)\"", text))
        literal |= set(re.findall(r"\bt(?:Parts)?\([^()\n]*\? \"([\w.]+)\" : \"[\w.]+\"", text))
        literal |= set(re.findall(r"\bt(?:Parts)?\([^()\n]*\? \"[\w.]+\" : \"([\w.]+)\"", text))
        literal |= set(re.findall(r"data-i18n=\"([^\"]+)\"", text))
        patterns += re.findall(r"\bt(?:Parts)?\(`([^`]+)`", text)
    return literal, patterns


def pattern_matches(pattern: str, keys: Any) -> list[str]:
    regex = re.compile("^" + re.sub(r"\\\$\\\{[^}]*\\\}", r"\\w+", re.escape(pattern)) + "$")
    return [key for key in keys if regex.match(key)]
