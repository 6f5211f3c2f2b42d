"""Filling the intake form as a person would: by the labels they read."""

from typing import Any


def next_step(page: Any) -> None:
    page.get_by_role("button", name="Next").click()


def fill_intake(
    page: Any,
    *,
    safety: str = "No",
    name: str = "Robin Hale",
    screenshots: Any = None,
    on_safety: Any = None,
    on_each_step: Any = None,
) -> None:
    """Fills in every step and ends on the review. `on_each_step` is called on each step once it is filled in,
    before "Next", and on the review."""

    def step_done() -> None:
        if on_each_step:
            on_each_step()
        next_step(page)

    page.get_by_role("group", name="Who is the counseling for?").get_by_label("Individual counseling (adult)").check()
    page.get_by_label("Age (of the person the counseling is for)").fill("34")
    page.get_by_label("Where will you be during sessions?").select_option(label="California")
    if screenshots:
        screenshots("intake-1-about-you")
    step_done()
    page.get_by_role("group", name="How would you like to meet?").get_by_label("Telehealth (video)").check()
    page.get_by_label("Tuesday evening").check()
    page.get_by_label("Thursday evening").check()
    step_done()
    page.get_by_role("group", name="How will you pay?").get_by_label("Paying myself").check()
    page.get_by_label("The most you can pay per session (US dollars)").fill("150")
    step_done()
    page.get_by_role("group", name="What would you like help with?").get_by_label("Anxiety").check()
    page.get_by_role("group", name="What would you like help with?").get_by_label("Grief and loss").check()
    page.get_by_label("Which matters most right now?").select_option(label="Anxiety")
    step_done()
    values = page.get_by_role("group", name="Which values guide your life?")
    values.get_by_label("Family").check()
    values.get_by_label("Faith and spirituality").check()
    page.get_by_label("Your faith or spiritual tradition").select_option(label="Christian")
    page.get_by_role("group", name="How would you like faith in counseling?").get_by_label(
        "Include my faith in counseling"
    ).check()
    if screenshots:
        screenshots("intake-5-values-culture-faith")
    step_done()
    page.get_by_role("group", name="Languages you'd like to have sessions in").get_by_label("English").check()
    step_done()
    question = page.get_by_role("group", name="Are you having thoughts of harming yourself or someone else right now?")
    question.get_by_label(safety, exact=True).check()
    if on_safety:
        on_safety()
    step_done()
    page.get_by_label("Your name").fill(name)
    # one address per name: an address is sent only a few confirmations a day (ConfirmationsPerAddressPerDay)
    page.get_by_role("textbox", name="Email").fill(f"{name.lower().replace(' ', '.')}@example.org")
    page.get_by_label("I agree that my answers are stored to find me a counselor.").check()
    page.get_by_label("I agree to be contacted about counseling.").check()
    step_done()
    if on_each_step:
        on_each_step()
