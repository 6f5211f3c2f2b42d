"""The intake form in a real browser: a phone-sized full intake, crisis resources, keyboard only,
reload mid-way, errors from the API, network failure and double submission."""

import json
import time
from typing import Any

import pytest

from infra.local.stack import RunningStack
from shared.dal.dynamodb import DynamoRepository
from tests.browser.conftest import no_axe_violations, no_sideways_scroll, screenshot, sent_bodies
from tests.browser.intake_flow import fill_intake, next_step

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def open_queue(stack: RunningStack) -> list[str]:
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    return [e.intake_id for e in repository.list_queue("open", None, 100, None).items]


def test_a_client_completes_the_intake_on_a_phone_and_gets_a_private_status_link(
    phone: Any, stack: RunningStack
) -> None:
    phone.goto(stack.base_url + "/")
    fill_intake(phone, screenshots=lambda name: screenshot(phone, name))
    # The review step shows the answers before anything is sent
    review = phone.locator("#review")
    assert "Robin Hale" in review.inner_text()
    assert "Include my faith in counseling" in review.inner_text()
    screenshot(phone, "intake-9-review")
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    reference = phone.locator("#reference").inner_text()
    link = phone.locator("#status-link").get_attribute("href")
    assert link.startswith(stack.base_url + "/status#" + reference + ".")
    assert reference in open_queue(stack)
    assert phone.evaluate("sessionStorage.getItem('intake-draft')") is None  # cleared after sending
    screenshot(phone, "intake-confirmation")
    phone.goto(link)
    phone.get_by_role("heading", name="We have your answers").wait_for()
    screenshot(phone, "status-received")


def test_a_yes_to_the_safety_question_shows_crisis_resources_at_once_and_flags_the_intake(
    phone: Any, stack: RunningStack
) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    seen: list[str] = []

    def resources_shown_at_once() -> None:
        alert = phone.get_by_role("alert").filter(has_text="988")
        alert.wait_for(timeout=1000)
        seen.append(alert.inner_text())
        assert alert.locator("a[href='sms:988']").count() == 1  # "text" opens a message on a phone
        screenshot(phone, "intake-crisis-resources")

    fill_intake(phone, safety="Yes", name="Urgent Tester", on_safety=resources_shown_at_once)
    assert "call 988 or text 988" in seen[0]
    assert "911" in seen[0]
    # It never blocks: the form goes on, and the submission is flagged urgent
    assert "988" in phone.locator("#review").inner_text()
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    confirmation = phone.locator("main").inner_text()
    # after sending, the page no longer speaks of the form or promises two working days: a person calls first
    assert "988" in confirmation and "contact you first" in confirmation
    assert "keep filling in" not in confirmation and "two working days" not in confirmation
    screenshot(phone, "confirmation-urgent")
    reference = phone.locator("#reference").inner_text()
    # the status page keeps the crisis resources in view
    phone.locator("#status-link").click()
    phone.get_by_role("heading", name="We have your answers").wait_for()
    status = phone.locator("main").inner_text()
    assert "988" in status and "contact you first" in status and "two working days" not in status
    assert phone.locator(".crisis a[href='sms:988']").count() == 1
    screenshot(phone, "status-urgent")
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    queue = repository.list_queue("open", None, 100, None).items
    position = [e.intake_id for e in queue].index(reference)
    assert queue[position].urgent
    assert all(e.urgent for e in queue[:position])  # urgent intakes come first


def test_the_whole_form_can_be_completed_with_the_keyboard_alone(desktop: Any, stack: RunningStack) -> None:
    page = desktop
    page.goto(stack.base_url + "/")
    page.locator("#progress .counter").wait_for()
    keyboard = page.keyboard

    def tab_to(selector: str) -> None:
        for _ in range(400):
            keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    def choose_radio(name: str, value: str) -> None:
        """Tab into the radio group, then arrow keys to the option (how radio groups work by keyboard)."""
        tab_to(f'input[name="{name}"]:not([disabled])')
        for _ in range(20):
            if page.evaluate("document.activeElement.value") == value:
                keyboard.press("Space")
                return
            keyboard.press("ArrowDown")
        raise AssertionError(f"could not reach {name}={value} with the arrow keys")

    def press_next() -> None:
        tab_to("#next")
        keyboard.press("Enter")
        # Focus moves to the new step's heading, so keyboard users start at the top of each step
        assert page.evaluate("document.activeElement.tagName") == "H2"

    choose_radio("client.service_type", "individual_adult")
    tab_to('input[name="client.age"]')
    keyboard.type("41")
    tab_to('select[name="client.jurisdiction"]')
    page.keyboard.type("California")
    press_next()
    choose_radio("format.format", "telehealth")
    press_next()
    choose_radio("payment.method", "insurance")
    tab_to('select[name="payment.insurance_carrier"]')
    keyboard.type("Aetna")
    press_next()
    tab_to('input[name="concerns.concerns"][value="depression"]')
    keyboard.press("Space")
    tab_to('select[name="concerns.primary"]')
    keyboard.type("Depression")
    press_next()
    press_next()  # values, culture and faith are optional
    tab_to('input[name="languages.languages"][value="en"]')
    keyboard.press("Space")
    press_next()
    choose_radio("safety", "no")
    press_next()
    tab_to('input[name="contact.name"]')
    keyboard.type("Kay Board")
    tab_to('input[name="contact.email"]')
    keyboard.type("kay@example.org")
    tab_to('input[name="consent.store_my_answers"]')
    keyboard.press("Space")
    tab_to('input[name="consent.contact_me"]')
    keyboard.press("Space")
    press_next()
    tab_to("#submit")
    keyboard.press("Enter")
    page.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    assert page.evaluate("document.activeElement.id") == "thanks"


def test_answers_survive_a_reload_mid_way(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    phone.get_by_role("group", name="Who is the counseling for?").get_by_label("Couples counseling").check()
    phone.get_by_label("Age (of the person the counseling is for)").fill("29")
    phone.get_by_label("Where will you be during sessions?").select_option(label="Oregon")
    next_step(phone)
    phone.reload()
    phone.get_by_text("Step 2 of 9").wait_for()
    phone.get_by_role("button", name="Back").click()
    assert phone.get_by_label("Couples counseling").is_checked()
    assert phone.get_by_label("Age (of the person the counseling is for)").input_value() == "29"
    assert phone.get_by_label("Where will you be during sessions?").input_value() == "US-OR"


def test_the_step_checks_mirror_the_api_and_point_at_the_field(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    next_step(phone)
    summary = phone.get_by_role("alert").filter(has_text="Some answers need attention")
    summary.wait_for()
    assert "Choose who the counseling is for." in summary.inner_text()
    field = phone.locator("#f-client-jurisdiction")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    assert any("Choose where you'll be during sessions." in phone.locator(f"#{d}").inner_text() for d in described)
    screenshot(phone, "intake-errors")


def test_an_error_from_the_api_is_shown_next_to_the_field_it_concerns(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    fill_intake(phone)
    # A rule only the API checks: a teen service for a 34-year-old
    phone.get_by_role("button", name='Change "About you"').click()
    phone.get_by_role("group", name="Who is the counseling for?").get_by_label("Counseling for a teen").check()
    for _ in range(8):
        next_step(phone)
    phone.get_by_role("button", name="Send my answers").click()
    summary = phone.get_by_role("alert").filter(has_text="Some answers need attention")
    summary.wait_for()
    assert "the age does not fit the service type" in summary.inner_text()
    assert phone.get_by_text("Step 1 of 9").is_visible()  # taken to the step with the field
    assert phone.locator("#f-client-age_band").get_attribute("aria-invalid") == "true"


def test_a_network_failure_keeps_the_answers_and_a_retry_never_creates_two_intakes(
    phone: Any, stack: RunningStack
) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    fill_intake(phone, name="Flaky Network")
    keys: list[str] = []
    state = {"fail": True}

    def route(route: Any) -> None:
        if route.request.method == "POST":
            keys.append(route.request.headers["idempotency-key"])
            if state["fail"]:
                route.fetch()  # the request reaches the service and is stored...
                route.abort()  # ...but the answer is lost on the way back
                return
        route.continue_()

    phone.route("**/intakes", route)
    before = len(open_queue(stack))
    phone.get_by_role("button", name="Send my answers").click()
    problem = phone.get_by_role("alert").filter(has_text="Your answers were not sent yet")
    problem.wait_for()
    assert "Robin" not in problem.inner_text()
    assert "Flaky Network" in phone.locator("#review").inner_text()  # the answers are still there
    state["fail"] = False
    problem.get_by_role("button", name="Try again").click()
    phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert len(open_queue(stack)) == before + 1


def test_a_double_click_on_send_creates_one_intake(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    fill_intake(phone, name="Double Clicker")
    before = len(open_queue(stack))
    phone.get_by_role("button", name="Send my answers").dblclick()
    phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    assert len(open_queue(stack)) == before + 1


# ---------------------------------------------------------------- trust at every step (issue 15)


def fresh_form(page: Any, stack: RunningStack) -> None:
    page.goto(stack.base_url + "/")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    page.locator("#progress .counter").wait_for()


def send(page: Any) -> str:
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    return str(page.locator("#reference").inner_text())


def step_title(page: Any) -> str:
    return str(page.locator("#progress .counter").inner_text())


def test_no_step_and_not_the_confirmation_scrolls_sideways_on_a_phone(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    fill_intake(phone, name="Narrow Screen", on_each_step=lambda: no_sideways_scroll(phone, step_title(phone)))
    send(phone)
    no_sideways_scroll(phone, "confirmation")
    box = phone.locator("#status-link").bounding_box()
    assert box["x"] + box["width"] <= 390  # the long private link wraps inside the screen
    screenshot(phone, "intake-confirmation-phone")


def test_the_confirmation_copies_the_link_and_says_it_was_emailed(phone: Any, stack: RunningStack) -> None:
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.base_url)
    fresh_form(phone, stack)
    fill_intake(phone, name="Copy Paster")
    reference = send(phone)
    link = phone.locator("#status-link").get_attribute("href")
    assert "also emailing this link" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Copy link").click()
    phone.get_by_role("status").filter(has_text="Copied").wait_for()
    assert phone.evaluate("navigator.clipboard.readText()") == link
    no_axe_violations(phone, "confirmation")
    # Without a clipboard (an older browser, a page not served securely) the link is selected instead
    phone.evaluate("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    phone.get_by_role("button", name="Copy link").click()
    phone.get_by_role("status").filter(has_text="selected").wait_for()
    assert phone.evaluate("window.getSelection().toString()") == link
    # and the email the page speaks of is sent, with that link
    deadline = time.monotonic() + 30
    while not any(reference in body and link.split("#")[1] in body for body in sent_bodies()):
        assert time.monotonic() < deadline, "no confirmation email with the link"
        time.sleep(0.5)


def test_zip_and_travel_distance_are_asked_only_for_in_person_and_never_sent_otherwise(
    phone: Any, stack: RunningStack
) -> None:
    fresh_form(phone, stack)
    fill_intake(phone, name="Video Only")
    phone.get_by_role("button", name='Change "How and when"').click()
    meet = phone.get_by_role("group", name="How would you like to meet?")
    assert not phone.locator("#f-format-postal_code").is_visible()  # telehealth: not asked
    meet.get_by_label("In person").check()
    zip_code = phone.get_by_label("Your ZIP or postal code")
    assert zip_code.is_visible() and phone.get_by_label("How far can you travel (miles)?").is_visible()
    assert "optional" not in phone.locator('[data-field="format.postal_code"] label').inner_text()
    zip_code.fill("94110")
    phone.get_by_label("How far can you travel (miles)?").fill("15")
    meet.get_by_label("Either is fine").check()
    assert "(optional)" in phone.locator('[data-field="format.postal_code"] label').inner_text()
    meet.get_by_label("Telehealth (video)").check()
    assert not zip_code.is_visible()
    for _ in range(7):
        next_step(phone)
    assert "94110" not in phone.locator("#review").inner_text()
    bodies: list[Any] = []
    phone.on("request", lambda r: bodies.append(r.post_data_json) if r.method == "POST" else None)
    send(phone)
    assert bodies and "postal_code" not in bodies[0]["format"] and "travel_radius_miles" not in bodies[0]["format"]


def test_availability_is_a_days_by_times_grid_that_submits_the_slots_chosen(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    fill_intake(phone, name="Grid Picker")  # Tuesday and Thursday evenings
    phone.get_by_role("button", name='Change "How and when"').click()
    grid = phone.get_by_role("group", name="When could you usually meet?").get_by_role("table")
    assert grid.locator("thead th").all_inner_texts()[1:] == ["Morning", "Afternoon", "Evening"]
    assert grid.locator("tbody th[scope=row]").all_inner_texts()[:2] == ["Monday", "Tuesday"]
    assert grid.get_by_role("checkbox").count() == 21
    phone.get_by_label("Thursday evening").uncheck()
    phone.get_by_label("Monday morning").check()
    phone.locator('[data-field="format.availability"] label', has_text="Saturday afternoon").click()  # the cell
    phone.get_by_label("Sunday evening").focus()
    phone.keyboard.press("Space")  # keyboard: Tab to a cell, Space ticks it
    screenshot(phone, "intake-2-availability-grid")
    no_axe_violations(phone, "availability grid")
    for _ in range(7):
        next_step(phone)
    reference = send(phone)
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    stored = repository.get_intake(reference).answers.format.availability
    assert {(s.day.value, s.part.value) for s in stored} == {
        ("mon", "morning"),
        ("tue", "evening"),
        ("sat", "afternoon"),
        ("sun", "evening"),
    }


def test_languages_are_a_searchable_list_with_the_common_ones_first(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    fill_intake(phone, name="Many Tongues")  # English
    phone.get_by_role("button", name='Change "Your counselor"').click()
    languages = phone.get_by_role("group", name="Languages you'd like to have sessions in")
    shown = [box.get_attribute("value") for box in languages.get_by_role("checkbox").all() if box.is_visible()]
    assert shown[:2] == ["en", "es"] and "de" not in shown  # the common ones, before anything is typed
    phone.get_by_label("Find a language").fill("creole")
    phone.get_by_text("1 language matches").wait_for()
    visible = [box.get_attribute("value") for box in languages.get_by_role("checkbox").all() if box.is_visible()]
    assert visible == ["en", "ht"]  # the match, and the language already chosen stays in view
    languages.get_by_label("Haitian Creole").check()
    no_axe_violations(phone, "languages filtered")
    phone.get_by_label("Find a language").fill("")
    languages.get_by_role("button", name="Show all 29 languages").click()
    assert languages.get_by_label("German").is_visible()
    for _ in range(3):
        next_step(phone)
    assert "English, Haitian Creole" in phone.locator("#review").inner_text()
    reference = send(phone)
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    assert [v.value for v in repository.get_intake(reference).answers.languages.languages] == ["en", "ht"]


def test_every_way_of_working_is_explained_in_plain_words(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    explained = phone.evaluate(
        """[...document.querySelectorAll('[name="approach.preferred"]')].map((box) => [box.labels[0].textContent,
             (box.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
               .map((id) => document.getElementById(id).textContent).join(' ')])"""
    )
    assert len(explained) == 8
    for name, words in explained:
        assert len(words) > 20, name
    emdr = dict(explained)["EMDR"]
    assert "Eye movement desensitization and reprocessing" in emdr


def test_each_importance_question_says_what_it_is_about_here_and_on_the_review(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    legends = phone.evaluate(
        "[...document.querySelectorAll('fieldset[data-field$=\"importance\"] > legend')].map((l) => l.textContent)"
    )
    assert len(legends) == 10 and len(set(legends)) == 10
    assert "How much does this matter to you?" not in legends
    assert "How much does your counselor's gender matter to you?" in legends
    fill_intake(phone, name="Clear Labels")
    review = phone.locator("#review").inner_text()
    assert "How much does this matter" not in review
    for legend in legends:
        assert legend in review


def test_a_label_never_says_optional_where_an_answer_is_required(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    labels = phone.evaluate("[...document.querySelectorAll('form legend, form label')].map((l) => l.textContent)")
    assert not [t for t in labels if t.count("(optional)") > 1]

    def errors_on_optional_fields() -> list[str]:
        """Labels of the fields the errors point at that still call themselves optional."""
        return phone.evaluate(
            """[...document.querySelectorAll('.field-error')].map((e) => e.closest('[data-field]'))
                 .map((c) => c.querySelector('legend, label').textContent).filter((t) => t.includes('optional'))"""
        )

    def next_with_errors() -> None:
        next_step(phone)
        phone.get_by_role("alert").filter(has_text="Some answers need attention").wait_for()
        assert errors_on_optional_fields() == []

    next_with_errors()  # no age and no age range
    assert "Give an age or choose an age range." in phone.locator(".error-summary").inner_text()
    fill_intake(phone, name="Label Reader")
    phone.get_by_role("button", name='Change "How and when"').click()
    phone.get_by_role("group", name="How would you like to meet?").get_by_label("In person").check()
    next_with_errors()  # in person needs a postal code
    phone.get_by_role("group", name="How would you like to meet?").get_by_label("Telehealth (video)").check()
    next_step(phone)
    phone.get_by_role("group", name="How will you pay?").get_by_label("Insurance").check()
    next_with_errors()  # insurance needs the carrier
    assert "Choose your insurance carrier." in phone.locator(".error-summary").inner_text()
    phone.get_by_label("Insurance carrier").select_option(label="Aetna")
    assert "(optional)" in phone.locator('[data-field="payment.max_fee_per_session"] label').inner_text()
    next_step(phone)
    next_step(phone)
    faith = phone.get_by_role("group", name="How would you like faith in counseling?")
    phone.get_by_label("Your faith or spiritual tradition").select_option(label="Prefer not to say")
    faith.get_by_label("Include my faith in counseling").check()
    next_with_errors()  # including faith needs the tradition
    phone.get_by_label("Your faith or spiritual tradition").select_option(label="Christian")
    next_step(phone)
    phone.get_by_role("group", name="How much does your counselor's gender matter to you?").get_by_label(
        "Must have"
    ).check()
    next_with_errors()  # a must-have gender needs a gender
    phone.get_by_role("group", name="How much does your counselor's gender matter to you?").get_by_label(
        "Doesn't matter"
    ).check()
    next_step(phone)
    next_step(phone)
    phone.get_by_role("group", name="How should we contact you?").get_by_label("Text message").check()
    next_with_errors()  # a text needs a phone number
    screenshot(phone, "intake-8-phone-needed")


def test_the_browsers_back_button_goes_to_the_previous_step_and_keeps_the_answers(
    phone: Any, stack: RunningStack
) -> None:
    fresh_form(phone, stack)
    fill_intake(phone, name="History Walker")
    assert "Step 9 of 9" in step_title(phone)
    phone.go_back()
    phone.get_by_text("Step 8 of 9").wait_for()
    assert phone.get_by_label("Your name").input_value() == "History Walker"
    for _ in range(6):
        phone.go_back()
    phone.get_by_text("Step 2 of 9").wait_for()
    assert phone.get_by_label("Tuesday evening").is_checked()
    phone.go_back()
    phone.get_by_text("Step 1 of 9").wait_for()
    assert phone.url.rstrip("/") == stack.base_url  # still on the form
    assert phone.get_by_label("Age (of the person the counseling is for)").input_value() == "34"
    phone.go_forward()
    phone.get_by_text("Step 2 of 9").wait_for()
    # The page's own Back and the browser's walk the same path
    next_step(phone)
    phone.get_by_role("button", name="Back").click()
    phone.get_by_text("Step 2 of 9").wait_for()
    phone.go_back()
    phone.get_by_text("Step 1 of 9").wait_for()


def test_moving_to_a_step_starts_at_its_heading_and_the_introduction_is_shown_once(
    phone: Any, stack: RunningStack
) -> None:
    fresh_form(phone, stack)
    intro = phone.get_by_text("You're in the driver's seat.")
    assert intro.is_visible()
    phone.get_by_role("group", name="Who is the counseling for?").get_by_label("Individual counseling (adult)").check()
    phone.get_by_label("Age (of the person the counseling is for)").fill("34")
    phone.get_by_label("Where will you be during sessions?").select_option(label="California")
    phone.mouse.wheel(0, 2000)
    next_step(phone)
    heading = phone.get_by_role("heading", name="How and when", level=2)
    assert phone.evaluate("document.activeElement.textContent") == "How and when"
    top = heading.bounding_box()["y"]
    assert 0 <= top < 200, top  # at the top of the screen, the step counter just above it
    assert not intro.is_visible()
    phone.get_by_role("button", name="Back").click()
    assert intro.is_visible()


def test_start_over_asks_first_in_the_page(phone: Any, stack: RunningStack) -> None:
    native: list[str] = []

    def browser_dialog(dialog: Any) -> None:
        native.append(dialog.type)
        dialog.dismiss()

    phone.on("dialog", browser_dialog)
    fresh_form(phone, stack)
    fill_intake(phone, name="Second Thoughts")
    phone.get_by_role("button", name="Start over").click()
    dialog = phone.get_by_role("dialog", name="Start over?")
    dialog.wait_for()
    assert phone.evaluate("document.activeElement.id") == "keep-answers"  # the safe choice has the focus
    screenshot(phone, "intake-start-over")
    no_axe_violations(phone, "start over dialog")
    phone.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert "Second Thoughts" in phone.locator("#review").inner_text()
    assert phone.evaluate("document.activeElement.id") == "start-over"
    phone.get_by_role("button", name="Start over").click()
    dialog.get_by_role("button", name="No, keep my answers").click()
    assert "Second Thoughts" in phone.locator("#review").inner_text()
    phone.get_by_role("button", name="Start over").click()
    dialog.get_by_role("button", name="Yes, clear my answers").click()
    phone.get_by_text("Step 1 of 9").wait_for()
    assert phone.get_by_label("Age (of the person the counseling is for)").input_value() == ""
    assert "Second Thoughts" not in (phone.evaluate("sessionStorage.getItem('intake-draft')") or "")
    assert native == []  # never window.confirm


TAP_TARGETS = """() => {
  const visible = (r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;  // the skip link waits off-screen
  const small = [];
  const check = (node, r) => { if (r.width < 44 || r.height < 44) small.push([node.tagName, node.id || node.value
    || node.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)]); };
  for (const node of document.querySelectorAll('a, button, input[type=checkbox], input[type=radio]')) {
    if (!node.checkVisibility()) continue;
    const own = node.getBoundingClientRect();
    if (!visible(own)) continue;
    let hit = own;
    for (const label of node.labels || []) {  // a label that covers the box carries its hit area
      const l = label.getBoundingClientRect();
      if (l.left <= own.left && l.right >= own.right && l.top <= own.top && l.bottom >= own.bottom) hit = l;
    }
    check(node, hit);
  }
  return small;
}"""


def test_every_tap_target_on_the_intake_page_is_at_least_44_px_on_a_phone(phone: Any, stack: RunningStack) -> None:
    fresh_form(phone, stack)
    small: list[Any] = []

    def measure(where: str) -> None:
        small.extend((where, *target) for target in phone.evaluate(TAP_TARGETS))

    next_step(phone)  # the error summary's links
    phone.get_by_role("alert").filter(has_text="Some answers need attention").wait_for()
    measure("errors")
    phone.locator("#f-languages-more").evaluate("button => button.click()")  # every language, on its step
    fill_intake(phone, name="Big Thumbs", safety="Yes", on_each_step=lambda: measure(step_title(phone)))
    phone.get_by_role("button", name="Start over").click()
    measure("start over")
    phone.keyboard.press("Escape")
    send(phone)
    measure("confirmation")
    assert not small, small


def test_only_the_importances_the_client_sets_are_sent_as_their_ratings(phone: Any, stack: RunningStack) -> None:
    """Each "how much does this matter" starts at the practice's default; one the client leaves as it was is
    sent as nothing, so no reason later claims the client rated it (issue 15, item 17)."""
    fresh_form(phone, stack)
    fill_intake(phone, name="Rated Once")  # touches no importance
    phone.get_by_role("button", name='Change "How and when"').click()
    phone.get_by_role("group", name="How much do these times matter to you?").get_by_label("Nice to have").check()
    for _ in range(7):
        next_step(phone)
    reference = send(phone)
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    answers = repository.get_intake(reference).answers
    assert answers.format.availability_importance == "nice_to_have"
    assert "format" not in answers.unrated()
    assert {"payment", "languages", "values"} <= set(answers.unrated())
