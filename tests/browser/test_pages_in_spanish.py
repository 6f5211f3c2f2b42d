"""The client pages in Spanish, in a real browser: a whole intake on a phone whose browser prefers Spanish,
the crisis box, the status page, a check-in, the directory and the not-found page; the language switch that
keeps the answers and the step; the browser's language as the default and an unknown ?lang= reading English.
On every Spanish page axe finds nothing, and no English is left outside names and bios: the visible text is
checked against every English message of the page catalog and every English vocabulary label."""

import re
import uuid
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from infra.local.stack import RunningStack
from shared.dal.dynamodb import DynamoRepository
from tests.browser.conftest import no_axe_violations, no_sideways_scroll, page_in, screenshot
from tests.browser.intake_flow import CatalogWords, fill_intake, next_step
from tests.browser.test_after_the_match import QUESTIONS
from tests.browser.test_low_check_in import a_matched_client
from tests.page_catalogs import catalog, fixed_parts
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

SPANISH = CatalogWords("es")


@pytest.fixture
def spanish_phone(browser: object) -> Iterator[Any]:
    """A 390 px phone whose browser prefers Mexican Spanish (navigator.languages), in the client's zone."""
    yield from page_in(browser, 390, 844, True, locale="es-MX")


@pytest.fixture
def spanish_desktop(browser: object) -> Iterator[Any]:
    yield from page_in(browser, 1366, 900, False, locale="es-MX")


@pytest.fixture
def english_phone(browser: object) -> Iterator[Any]:
    yield from page_in(browser, 390, 844, True, locale="en-US")


# The text a person sees or hears on the page in Spanish: visible text, the title, and the names given to
# controls and regions, leaving out any part marked as written in another language (a bio, the switch's
# "English"). The names of people are in none of the catalogs, so they need no exception.
_SPANISH_TEXT = """(leaveOut) => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const written = parent.closest("[lang]")?.getAttribute("lang") || "";
    if (!written.startsWith("es") || !parent.checkVisibility() || (leaveOut && parent.closest(leaveOut))) continue;
    parts.push(node.textContent);
  }
  for (const node of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    const written = node.closest("[lang]")?.getAttribute("lang") || "";
    const name = node.getAttribute("aria-label") || node.getAttribute("placeholder") || node.title;
    if (written.startsWith("es")) parts.push(name);
  }
  return parts.join("\\n");
}"""


@cache
def english_phrases(http: Http) -> tuple[str, ...]:
    """Every English text a page may show: the page catalog's messages (the words around their placeholders)
    and the vocabulary's labels; less those Spanish writes the same for the same key or choice ("LGBTQ+",
    place and insurer names: tests/unit/test_page_catalogs.py keeps the page catalog's few to a list)."""
    english_lists = http.request("GET", "/vocabulary").json["lists"]
    spanish_lists = http.request("GET", "/vocabulary?lang=es").json["lists"]
    labels: set[str] = set()
    same: set[str] = set()
    for name, choices in english_lists.items():
        spanish = {choice["value"]: choice["label"] for choice in spanish_lists[name]}
        for choice in choices:
            (same if spanish[choice["value"]] == choice["label"] else labels).add(choice["label"])
    english, other = catalog("en"), catalog("es")
    messages = {part for key, message in english.items() if other[key] != message for part in fixed_parts(message)}
    same |= {part for key, message in english.items() if other[key] == message for part in fixed_parts(message)}
    phrases = (messages | labels) - same
    return tuple(sorted(p for p in phrases if len(p) >= 3 and re.search(r"[A-Za-z]{2}", p)))


def english_left(page: Any, http: Http, leave_out: str | None = None) -> list[str]:
    """The English phrases on the page, outside the elements `leave_out` selects."""
    shown = page.evaluate(_SPANISH_TEXT, leave_out)
    return [p for p in english_phrases(http) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", shown)]


def spanish_page_checked(page: Any, http: Http, where: str, leave_out: str | None = None) -> None:
    """The page is in Spanish, shows no English (outside `leave_out`), axe finds nothing on it, and it does
    not scroll sideways."""
    assert page.evaluate("document.documentElement.lang") == "es", where
    assert english_left(page, http, leave_out) == [], where
    no_axe_violations(page, where)
    no_sideways_scroll(page, where)


def stored_locale(stack: RunningStack, reference: str) -> str:
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    return str(repository.get_intake(reference).answers.locale)


def test_a_client_whose_browser_prefers_spanish_completes_the_intake_in_spanish_on_a_phone(
    spanish_phone: Any, stack: RunningStack, http: Http
) -> None:
    page = spanish_phone
    page.goto(stack.base_url + "/")
    page.get_by_role("heading", name="Encuentre un consejero que sea adecuado para usted").wait_for()
    steps: list[str] = []

    def checked() -> None:
        steps.append(page.locator(".progress .counter").inner_text())
        spanish_page_checked(page, http, steps[-1])

    fill_intake(page, name="Lucía Serrano", say=SPANISH, on_each_step=checked)
    assert len(steps) == 9 and steps[0] == "Paso 1 de 9: Sobre usted"
    review = page.locator("#review").inner_text()
    assert "Consejería individual (adulto)" in review and "Lucía Serrano" in review
    screenshot(page, "es-intake-review")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.get_by_role("heading", name="Gracias. Recibimos sus respuestas.").wait_for()
    spanish_page_checked(page, http, "confirmation")
    screenshot(page, "es-intake-confirmation")
    reference = page.locator("#reference").inner_text()
    assert stored_locale(stack, reference) == "es"
    # the link keeps the language before its fragment (the token stays in the fragment)
    assert (
        page.locator("#status-link").get_attribute("href").startswith(f"{stack.base_url}/status?lang=es#{reference}.")
    )
    # the private link opens the status page in Spanish
    page.locator("#status-link").click()
    page.get_by_role("heading", name="Recibimos sus respuestas").wait_for()
    assert "Referencia" in page.locator("main").inner_text()
    spanish_page_checked(page, http, "status")
    screenshot(page, "es-status-received")


def test_a_yes_to_the_safety_question_shows_the_spanish_crisis_lines(
    spanish_phone: Any, stack: RunningStack, http: Http
) -> None:
    page = spanish_phone
    page.goto(stack.base_url + "/")
    seen: list[str] = []

    def crisis_box() -> None:
        alert = page.get_by_role("alert").filter(has_text="988")
        alert.wait_for(timeout=1000)
        seen.append(alert.inner_text())
        # the Lifeline's Spanish option: call 988 and press 2, or text AYUDA to 988; and 911
        assert alert.locator("a[href='tel:988']").count() == 1
        assert alert.locator("a[href='sms:988?body=AYUDA']").count() == 1
        assert alert.locator("a[href='tel:911']").count() == 1
        spanish_page_checked(page, http, "crisis box")
        screenshot(page, "es-intake-crisis")

    fill_intake(page, safety="Yes", name="Marisol Urgente", say=SPANISH, on_safety=crisis_box)
    assert "marque 2" in seen[0] and '"AYUDA"' in seen[0] and "911" in seen[0]
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.get_by_role("heading", name="Gracias. Recibimos sus respuestas.").wait_for()
    confirmation = page.locator("main").inner_text()
    assert "se comunicará con usted primero" in confirmation and "marque 2" in confirmation
    assert "dos días hábiles" not in confirmation
    spanish_page_checked(page, http, "urgent confirmation")


def test_a_check_in_in_spanish(spanish_phone: Any, stack: RunningStack, http: Http, staff_token: str) -> None:
    _, fragment = a_matched_client(http, staff_token, f"es-{uuid.uuid4().hex[:8]}@example.org")
    page = spanish_phone
    page.goto(f"{stack.base_url}/checkin?lang=es#{fragment}")
    page.get_by_role("heading", name="¿Cómo van sus sesiones?").wait_for()
    page.get_by_role("button", name="Enviar mi seguimiento").wait_for()
    spanish_page_checked(page, http, "check-in form")
    screenshot(page, "es-check-in")
    # a missing answer is named in Spanish
    page.get_by_role("button", name="Enviar mi seguimiento").click()
    summary = page.get_by_role("alert").filter(has_text="Por favor, revise sus respuestas")
    summary.wait_for()
    assert f"Elija un número para: {SPANISH(QUESTIONS['trust'])}" in summary.inner_text()
    spanish_page_checked(page, http, "check-in errors")
    for item in ("trust", "understood", "respected", "agenda", "overall"):
        page.get_by_role("group", name=SPANISH(QUESTIONS[item])).get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Enviar mi seguimiento").click()
    page.get_by_role("heading", name="Gracias", exact=True).wait_for()
    spanish_page_checked(page, http, "check-in sent")


def test_the_directory_and_the_not_found_page_in_spanish(spanish_desktop: Any, stack: RunningStack, http: Http) -> None:
    page = spanish_desktop
    page.goto(stack.base_url + "/directory")
    page.get_by_role("heading", name="Conozca a nuestros consejeros").wait_for()
    page.locator("#result-count").filter(has_text="consejeros").wait_for()
    spanish_page_checked(page, http, "directory")
    # a bio is the practice's English, marked so
    card = page.locator("article").first
    card.locator("summary").click()
    assert card.locator("p.bio").get_attribute("lang") == "en"
    spanish_page_checked(page, http, "directory, a profile open")
    screenshot(page, "es-directory")
    page.goto(stack.base_url + "/no-such-page")
    page.get_by_role("heading", name="No encontramos esa página").wait_for()
    spanish_page_checked(page, http, "not found")


def test_the_switch_keeps_the_answers_and_the_step(english_phone: Any, stack: RunningStack) -> None:
    page = english_phone
    page.goto(stack.base_url + "/")
    page.get_by_role("group", name="Who is the counseling for?").get_by_label("Individual counseling (adult)").check()
    page.get_by_label("Age (of the person the counseling is for)").fill("41")
    page.get_by_label("Where will you be during sessions?").select_option(label="California")
    next_step(page)
    page.get_by_role("group", name="How would you like to meet?").get_by_label("Telehealth (video)").check()
    switch = page.get_by_role("navigation", name="Language")
    assert switch.get_by_role("link", name="Español").get_attribute("lang") == "es"
    switch.get_by_role("link", name="Español").click()
    # the same step, in Spanish, with the answer given on it
    page.get_by_text("Paso 2 de 9: Cómo y cuándo").wait_for()
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.get_by_role("group", name="¿Cómo le gustaría reunirse?").get_by_label("Telesalud (video)").is_checked()
    assert (
        page.get_by_role("navigation", name="Idioma").get_by_role("link", name="Español").get_attribute("aria-current")
        == "true"
    )
    # and the step before keeps its answers too
    page.get_by_role("button", name="Atrás").click()
    assert page.get_by_label("Edad (de la persona que recibirá la consejería)").input_value() == "41"
    assert (
        page.get_by_role("group", name="¿Para quién es la consejería?")
        .get_by_label("Consejería individual (adulto)")
        .is_checked()
    )
    # the choice lasts: the directory opens in Spanish without ?lang=
    page.goto(stack.base_url + "/directory")
    page.get_by_role("heading", name="Conozca a nuestros consejeros").wait_for()


def test_the_browser_language_is_the_default_and_an_unknown_code_reads_english(
    spanish_phone: Any, english_phone: Any, stack: RunningStack
) -> None:
    spanish_phone.goto(stack.base_url + "/")
    spanish_phone.get_by_role("heading", name="Encuentre un consejero que sea adecuado para usted").wait_for()
    assert spanish_phone.evaluate("document.documentElement.lang") == "es"
    # an unknown language in the address reads English, with no error (page_in fails on a JavaScript error)
    for page in (spanish_phone, english_phone):
        page.goto(stack.base_url + "/?lang=fr")
        page.get_by_role("heading", name="Find a counselor who fits you").wait_for()
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("group", name="Who is the counseling for?").get_by_label(
            "Individual counseling (adult)"
        ).wait_for()
    english_phone.goto(stack.base_url + "/status?lang=xx-YY")
    english_phone.get_by_role("heading", name="Where your intake stands").wait_for()


def test_the_staff_console_stays_in_english_in_a_browser_that_prefers_spanish(
    spanish_desktop: Any, stack: RunningStack
) -> None:
    page = spanish_desktop
    page.goto(stack.base_url + "/console")
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("navigation", name="Idioma").count() == 0
    assert page.get_by_role("navigation", name="Language").count() == 0
