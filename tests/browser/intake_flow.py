"""Filling the intake form as a person would: by the labels they read, in English or in another language
(`Words`: what the page says in that language where the English page says a text)."""

from typing import Any

from shared.i18n import Domain, Locale, translations
from tests.page_catalogs import catalog


class Words:
    """English: the page's words as written in the tests."""

    def __call__(self, english: str) -> str:
        return english

    def slot(self, day: str, part: str) -> str:
        return f"{day} {part.lower()}"


class CatalogWords(Words):
    """A language's words, from its catalogs: the pages' (for an English message of the page catalog) and the
    vocabulary's labels (every other text), so a test reads the same as its English twin."""

    def __init__(self, code: str) -> None:
        english, other = catalog("en"), catalog(code)
        self.page = {text: str(other[key]) for key, text in english.items() if isinstance(text, str)}
        self.slot_message = str(other["slots.slot"])
        self.labels = translations(Locale(code), Domain.LABELS)

    def __call__(self, english: str) -> str:
        return self.page.get(english) or self.labels.gettext(english)

    def slot(self, day: str, part: str) -> str:
        return self.slot_message.format(day=self(day), part=self(part).lower())


ENGLISH = Words()


def next_step(page: Any, say: Words = ENGLISH) -> None:
    page.get_by_role("button", name=say("Next")).click()


def fill_intake(
    page: Any,
    *,
    safety: str = "No",
    name: str = "Robin Hale",
    screenshots: Any = None,
    on_safety: Any = None,
    on_each_step: Any = None,
    say: Words = ENGLISH,
) -> None:
    """Fills in every step and ends on the review. `on_each_step` is called on each step once it is filled in,
    before "Next", and on the review."""

    def step_done() -> None:
        if on_each_step:
            on_each_step()
        next_step(page, say)

    page.get_by_role("group", name=say("Who is the counseling for?")).get_by_label(
        say("Individual counseling (adult)")
    ).check()
    page.get_by_label(say("Age (of the person the counseling is for)")).fill("34")
    page.get_by_label(say("Where will you be during sessions?")).select_option(label=say("California"))
    if screenshots:
        screenshots("intake-1-about-you")
    step_done()
    page.get_by_role("group", name=say("How would you like to meet?")).get_by_label(say("Telehealth (video)")).check()
    page.get_by_label(say.slot("Tuesday", "Evening")).check()
    page.get_by_label(say.slot("Thursday", "Evening")).check()
    step_done()
    page.get_by_role("group", name=say("How will you pay?")).get_by_label(say("Paying myself")).check()
    page.get_by_label(say("The most you can pay per session (US dollars)")).fill("150")
    step_done()
    page.get_by_role("group", name=say("What would you like help with?")).get_by_label(say("Anxiety")).check()
    page.get_by_role("group", name=say("What would you like help with?")).get_by_label(say("Grief and loss")).check()
    page.get_by_label(say("Which matters most right now?")).select_option(label=say("Anxiety"))
    step_done()
    values = page.get_by_role("group", name=say("Which values guide your life?"))
    values.get_by_label(say("Family")).check()
    values.get_by_label(say("Faith and spirituality")).check()
    page.get_by_label(say("Your faith or spiritual tradition")).select_option(label=say("Christian"))
    page.get_by_role("group", name=say("How would you like faith in counseling?")).get_by_label(
        say("Include my faith in counseling")
    ).check()
    if screenshots:
        screenshots("intake-5-values-culture-faith")
    step_done()
    page.get_by_role("group", name=say("Languages you'd like to have sessions in")).get_by_label(say("English")).check()
    step_done()
    question = page.get_by_role(
        "group", name=say("Are you having thoughts of harming yourself or someone else right now?")
    )
    question.get_by_label(say(safety), exact=True).check()
    if on_safety:
        on_safety()
    step_done()
    page.get_by_label(say("Your name")).fill(name)
    # one address per name: an address is sent only a few confirmations a day (ConfirmationsPerAddressPerDay)
    page.get_by_role("textbox", name=say("Email")).fill(f"{name.lower().replace(' ', '.')}@example.org")
    page.get_by_label(say("I agree that my answers are stored to find me a counselor.")).check()
    page.get_by_label(say("I agree to be contacted about counseling.")).check()
    step_done()
    if on_each_step:
        on_each_step()
