"""The intake form in a real browser: a phone-sized full intake, crisis resources, keyboard only,
reload mid-way, errors from the API, network failure and double submission."""

import json
from typing import Any

import pytest

from infra.local.stack import RunningStack
from shared.dal.dynamodb import DynamoRepository
from tests.browser.conftest import screenshot
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
