"""What an email in Spanish must be: no English sentence of the `emails` catalog left (checked against the
catalog's own messages), the 988 Lifeline's Spanish option and 911, dates in Spanish, and every link to a
page in Spanish. Shared by the unit and the integration tests of the client's emails."""

import re
from functools import cache

from infra.i18n import read, template_path
from shared.i18n import Domain, Locale, translations

SPANISH = translations(Locale.ES, Domain.EMAILS)
MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
ENGLISH_DATE_WORDS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|AM|PM)\b"
)


@cache
def english_sentences() -> frozenset[str]:
    """Every stretch of English words in the `emails` catalog's messages, between their placeholders."""
    found = set()
    for message in read(template_path(Domain.EMAILS)):
        for text in [message.id] if isinstance(message.id, str) else list(message.id or ()):
            for part in re.split(r"\{[a-z_]*\}", text):
                part = part.strip(" ,.:;()")
                if len(part) >= 4 and re.search(r"[a-z]", part):
                    found.add(part)
    return frozenset(found)


def assert_no_english(text: str) -> None:
    """No stretch of the catalog's English left (names, the practice's and counselors', are not in it)."""
    for sentence in english_sentences():
        assert not re.search(rf"(?<![\w]){re.escape(sentence)}(?![\w])", text), sentence


def assert_written_in_spanish(subject: str, text: str, private: tuple[str, ...] = ()) -> None:
    """No English sentence left, the Spanish crisis line, Spanish dates, every link to a Spanish page, and
    none of the `private` words (what the client wrote)."""
    assert_no_english(subject + "\n" + text)
    assert "llame al 988 y marque 2" in text and "AYUDA" in text and "911" in text
    assert re.search(rf"hasta el \d{{1,2}} de ({MONTHS}) de \d{{4}}", text), "a date in Spanish"
    assert not ENGLISH_DATE_WORDS.search(text)
    links = re.findall(r"/(status|checkin|directory)(\?lang=es)?#", text)
    assert links and all(in_spanish for _, in_spanish in links), links
    for word in private:
        assert word not in subject + text
