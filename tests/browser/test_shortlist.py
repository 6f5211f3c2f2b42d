"""The client's shortlist in a real browser on a phone: under client-first right after submitting, under
staff-approved once staff release it in the console; and admins editing a counselor's booking schedule.

Each policy is a practice's deploy-time choice, so each gets its own stack (one worker per function)."""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local import demo
from infra.local.stack import RunningStack, start
from tests.browser.conftest import (
    CLIENT_ZONE,
    SCREENSHOTS,
    context,
    no_sideways_scroll,
    screenshot,
    small_tap_targets,
)
from tests.browser.intake_flow import fill_intake
from tests.browser.test_after_the_match import assert_accessible
from tests.browser.test_console_and_pages import sign_in
from tests.factories import intake_body
from tests.stack.conftest import Http, _stacks
from tests.stack.conftest import sign_in as token_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

SHOTS = SCREENSHOTS  # beside every browser test's screenshots, inside the project
ZONE = CLIENT_ZONE


def policy_stack(policy: str) -> Iterator[RunningStack]:
    # start() points every boto3 client of this process at its own endpoint; once this stack stops, the
    # endpoint is put back, so later tests in this worker (in-process moto, or the session's stack) still work
    before = os.environ.get("AWS_ENDPOINT_URL")
    running = start(port=0, log=lambda line: None, prefix=f"stack{next(_stacks)}", workers_per_function=1,
                    parameters={"BookingPolicy": policy})  # fmt: skip
    try:
        yield running
    finally:
        running.stop()
        if before is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = before


@pytest.fixture(scope="module")
def client_first() -> Iterator[RunningStack]:
    yield from policy_stack("client-first")


@pytest.fixture(scope="module")
def staff_approved() -> Iterator[RunningStack]:
    yield from policy_stack("staff-approved")


def shots(page: Any, name: str) -> None:
    screenshot(page, name)  # the whole page
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))  # what the client sees first


def assert_shortlist_shown(page: Any) -> None:
    page.get_by_role("heading", name="Choose your counselor").wait_for()
    main = page.locator("main").inner_text()
    assert "Your shortlist is ready" in main
    assert f"Times are shown in your time zone: {ZONE}." in main
    entries = page.locator("article.shortlist-entry")
    assert 2 <= entries.count() <= 3
    first = entries.first
    assert "What it would likely cost you" in first.inner_text()
    assert "a session" in first.locator(".cost").inner_text()  # self-pay: the fee in plain words
    # each wish marked in words, not colour alone
    assert any(mark in first.locator(".wishes").inner_text() for mark in ("Met", "Partly met", "Not met"))
    # the first openings, in the client's own zone with the zone named (December: Eastern Standard Time)
    times = page.locator("button.time")
    assert times.count() >= 2
    assert times.first.inner_text().endswith("EST")


def test_client_first_the_shortlist_is_there_right_after_submitting(
    client_phone: Any, browser: Any, client_first: RunningStack
) -> None:
    # A client fills in the intake on a phone
    client_phone.goto(client_first.base_url + "/")
    client_phone.evaluate("sessionStorage.clear()")
    client_phone.reload()
    fill_intake(client_phone, name="Avery Quinn")
    client_phone.get_by_role("button", name="Send my answers").click()
    client_phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    # and the confirmation points them straight to their shortlist
    client_phone.get_by_role("link", name="See your shortlist").wait_for()
    shots(client_phone, "confirmation-shortlist-ready")
    client_phone.get_by_role("link", name="See your shortlist").click()
    assert_shortlist_shown(client_phone)
    assert_accessible(client_phone)
    assert not small_tap_targets(client_phone)  # every control a thumb can hit: 44 px or more
    no_sideways_scroll(client_phone)
    shots(client_phone, "status-shortlist-phone")
    client_phone.locator("article.shortlist-entry").first.screenshot(path=str(SHOTS / "shortlist-entry-phone.png"))
    wide = context(browser, 1280, 900, False).new_page()
    wide.goto(client_phone.url)  # the token is kept in the tab only: the wide page opens it from the link
    wide.close()


def test_client_first_the_shortlist_at_desktop_width(browser: Any, client_first: RunningStack) -> None:
    http = Http(client_first.base_url)
    reply = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status == 201
    ctx = context(browser, 1280, 900, False)
    page = ctx.new_page()
    page.goto(f"{client_first.base_url}/{reply.json['status_link']}")
    assert_shortlist_shown(page)
    assert_accessible(page)
    shots(page, "status-shortlist-desktop")
    ctx.close()


def test_staff_approved_staff_release_it_in_the_console_then_the_client_sees_it(
    client_phone: Any, desktop: Any, staff_approved: RunningStack
) -> None:
    http = Http(staff_approved.base_url)
    submitted = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex}).json
    # Before the release the client sees no shortlist
    client_phone.goto(f"{staff_approved.base_url}/{submitted['status_link']}")
    client_phone.get_by_role("heading", name="We have your answers").wait_for()
    assert client_phone.get_by_role("heading", name="Choose your counselor").count() == 0
    # Staff open the intake in the console and release the shortlist with one action
    sign_in(desktop, staff_approved, *demo.STAFF_USER)
    desktop.goto(f"{staff_approved.base_url}/console#{submitted['reference']}")
    desktop.get_by_role("heading", name="The client's shortlist").wait_for()
    screenshot(desktop, "console-release-shortlist")
    desktop.get_by_role("button", name="Release the shortlist to the client").click()
    desktop.get_by_role("alert").filter(has_text="Shortlist released.").wait_for()
    assert "Released to the client" in desktop.locator("main").inner_text()
    # Then the client, reloading their status page, sees it
    client_phone.reload()
    assert_shortlist_shown(client_phone)


def test_an_admin_edits_a_counselors_booking_schedule_and_sees_the_field_errors(
    desktop: Any, client_first: RunningStack
) -> None:
    sign_in(desktop, client_first, *demo.ADMIN_USER)
    desktop.goto(f"{client_first.base_url}/console#roster/c-demo0004")
    desktop.get_by_role("heading", name="First conversations clients can book").wait_for()
    assert desktop.get_by_label("Their time zone").input_value() == "America/Los_Angeles"
    # A window that ends before it starts, and an unknown zone: refused with the server's field errors
    desktop.get_by_label("Their time zone").fill("Mars/Olympus")
    desktop.get_by_label("Weekly windows").fill("mon 09:00-12:00\nsat 10:00-09:00")
    desktop.get_by_role("button", name="Save").click()
    windows_error = desktop.locator('[data-field="schedule.windows"] .field-error')
    windows_error.first.wait_for()
    assert "ends after it starts" in windows_error.first.inner_text()
    assert desktop.locator('[data-field="schedule.time_zone"] .field-error').count() == 1
    # Fixed: saved, and the API holds the new schedule
    for node in ("Their time zone", "Weekly windows", "Dates off"):
        desktop.get_by_label(node).fill("")
    desktop.get_by_label("Their time zone").fill("America/Denver")
    desktop.get_by_label("Weekly windows").fill("mon 09:00-12:00\nsat 10:00-14:30")
    desktop.get_by_label("Dates off").fill("2027-01-01")
    consult = desktop.get_by_role("group", name="A free consult call")
    consult.get_by_label("Offered").check()
    consult.get_by_label("Length (minutes)").fill("15")
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_role("heading", name="Roster").wait_for()
    token = token_for(client_first, *demo.ADMIN_USER)
    saved = Http(client_first.base_url).request("GET", "/admin/counselors/c-demo0004", headers={"Authorization": token})
    schedule = saved.json["schedule"]
    assert schedule["time_zone"] == "America/Denver"
    assert [(w["day"], w["start"][:5], w["end"][:5]) for w in schedule["windows"]] == [
        ("mon", "09:00", "12:00"), ("sat", "10:00", "14:30")]  # fmt: skip
    assert schedule["dates_off"] == ["2027-01-01"]
    assert {o["kind"]: o["minutes"] for o in schedule["offers"]}["consult_call"] == 15


def test_client_first_book_reschedule_and_cancel_from_the_status_page(
    client_phone: Any, client_first: RunningStack
) -> None:
    http = Http(client_first.base_url)
    body = intake_body(contact={"name": "Rowan Ellis", "email": "rowan.ellis@example.org"})
    submitted = http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json
    client_phone.goto(f"{client_first.base_url}/{submitted['status_link']}")
    assert_shortlist_shown(client_phone)
    # The client chooses a time: it is booked
    first = client_phone.locator("article.shortlist-entry").first
    name = first.locator("h3").inner_text().split(" (")[0]
    chosen = first.locator("button.time").first
    chosen_text = chosen.inner_text()
    chosen.click()
    client_phone.get_by_role("heading", name="You're booked").wait_for()
    client_phone.get_by_role("heading", name="Your first conversation").wait_for()
    booked = client_phone.locator("section.booking")
    assert name in booked.inner_text()
    assert chosen_text in client_phone.locator("#booked-time").inner_text()
    assert client_phone.get_by_role("heading", name="Choose your counselor").count() == 0
    assert_accessible(client_phone)
    assert not small_tap_targets(client_phone)  # every control a thumb can hit: 44 px or more
    shots(client_phone, "status-booked-phone")
    # Reschedule: a new time with the same counselor
    client_phone.get_by_role("button", name="Reschedule").click()
    new_time = client_phone.locator("#reschedule-times button.time").nth(2)
    new_text = new_time.inner_text()
    assert new_text != chosen_text and new_text.endswith("EST")
    shots(client_phone, "status-reschedule-phone")
    new_time.click()
    client_phone.get_by_role("heading", name="Done").wait_for()
    assert new_text in client_phone.locator("#booked-time").inner_text()
    # Cancel asks to confirm; keeping it changes nothing
    client_phone.get_by_role("button", name="Cancel").click()
    dialog = client_phone.get_by_role("alertdialog")
    assert new_text in dialog.inner_text()
    dialog.get_by_role("button", name="Keep it").click()
    assert client_phone.get_by_role("alertdialog").count() == 0
    client_phone.get_by_role("button", name="Cancel").click()
    shots(client_phone, "status-cancel-confirm-phone")
    client_phone.get_by_role("alertdialog").get_by_role("button", name="Yes, cancel it").click()
    client_phone.get_by_role("heading", name="Cancelled").wait_for()
    # and the shortlist is back, to book again
    assert client_phone.get_by_role("heading", name="Your first conversation").count() == 0
    client_phone.get_by_role("heading", name="Choose your counselor").wait_for()
    reply = http.request("GET", f"/intakes/{submitted['reference']}/status",
                         headers={"X-Status-Token": submitted["status_token"]})  # fmt: skip
    assert reply.json["booking"] is None
    # The client's three emails, in the local outbox, each carry its calendar invitation
    subjects = ("Your first conversation is booked", "Your first conversation has moved",
                "Your first conversation is cancelled")  # fmt: skip
    mine = client_phone.locator("article.card").filter(has_text="rowan.ellis@example.org")
    for _ in range(40):  # the notifier sends them as the events arrive
        client_phone.goto(f"{client_first.base_url}/outbox")
        if all(mine.filter(has_text=s).count() == 1 for s in subjects):
            break
        client_phone.wait_for_timeout(250)
    for subject in subjects:
        email = mine.filter(has_text=subject)
        email.get_by_text("Attached: invite.ics").click()
        invitation = email.locator("details pre").inner_text()
        assert invitation.startswith("BEGIN:VCALENDAR")
        assert ("METHOD:CANCEL" if "cancelled" in subject else "METHOD:REQUEST") in invitation
    shots(client_phone, "outbox-booking-emails")


def test_a_time_taken_meanwhile_shows_the_fresh_times(client_phone: Any, client_first: RunningStack) -> None:
    http = Http(client_first.base_url)
    mine, other = (
        http.request("POST", "/intakes", intake_body(contact={"name": n, "email": f"{n.lower()}@example.org"}),
                     headers={"Idempotency-Key": uuid.uuid4().hex}).json
        for n in ("Casey", "Jordan")
    )  # fmt: skip
    client_phone.goto(f"{client_first.base_url}/{mine['status_link']}")
    assert_shortlist_shown(client_phone)
    first = client_phone.locator("article.shortlist-entry").first
    button = first.locator("fieldset.times").last.locator("button.time").first
    start = button.get_attribute("data-start")
    # Another client books that very time while this page is open
    theirs = http.request(
        "GET", f"/intakes/{other['reference']}/shortlist", headers={"X-Status-Token": other["status_token"]}
    ).json
    counselor = first.get_attribute("aria-labelledby").removeprefix("choice-")
    kind = next(
        offer["kind"] for e in theirs["entries"] if e["counselor"]["counselor_id"] == counselor
        for offer in e["offers"] if start in e["openings"][offer["kind"]]
    )  # fmt: skip
    taken = http.request("POST", f"/intakes/{other['reference']}/booking",
                         {"counselor_id": counselor, "kind": kind, "start": start, "time_zone": "America/Chicago"},
                         headers={"X-Status-Token": other["status_token"]})  # fmt: skip
    assert taken.status == 201, taken.body
    # This client then chooses it: a clear message, and the times still open in its place
    button.click()
    alert = first.get_by_role("alert")
    alert.wait_for()
    assert "no longer available" in alert.inner_text()
    fresh = [b.get_attribute("data-start") for b in first.locator("fieldset.times").last.locator("button.time").all()]
    assert fresh and start not in fresh
    shots(client_phone, "status-time-taken-phone")


def test_client_first_an_urgent_intake_is_never_offered_self_service(
    client_phone: Any, client_first: RunningStack
) -> None:
    # A client answers "yes" to the safety question on a phone, under the policy that shows the shortlist at once
    client_phone.goto(client_first.base_url + "/")
    client_phone.evaluate("sessionStorage.clear()")
    client_phone.reload()
    fill_intake(client_phone, safety="Yes", name="Urgent Tester")
    client_phone.get_by_role("button", name="Send my answers").click()
    client_phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    # the confirmation points to no shortlist: a person from the practice reaches them first
    assert "988" in client_phone.locator("main").inner_text()
    assert client_phone.get_by_role("link", name="See your shortlist").count() == 0
    # and their status page, opened from the private link, offers no counselors, times or booking
    client_phone.locator("#status-link").click()
    client_phone.get_by_role("heading", name="We have your answers").wait_for()
    assert client_phone.get_by_role("heading", name="Choose your counselor").count() == 0
    assert client_phone.locator("article.shortlist-entry").count() == 0
    assert client_phone.locator("button.time").count() == 0
    shots(client_phone, "status-urgent-no-shortlist")


def test_client_first_the_shortlist_and_a_booking_in_spanish(browser: Any, client_first: RunningStack) -> None:
    from tests.browser.test_pages_in_spanish import spanish_page_checked

    http = Http(client_first.base_url)
    body = {**intake_body(), "locale": "es"}
    reply = http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status == 201 and reply.json["status_link"].startswith("status?lang=es#")
    ctx = context(browser, 390, 844, True, locale="es-MX")
    page = ctx.new_page()
    page.goto(f"{client_first.base_url}/{reply.json['status_link']}")
    page.get_by_role("heading", name="Elija a su consejero").wait_for()
    assert f"Los horarios se muestran en su zona horaria: {ZONE}." in page.locator("main").inner_text()
    spanish_page_checked(page, http, "shortlist")
    assert not small_tap_targets(page)
    shots(page, "es-status-shortlist-phone")
    page.locator("button.time").first.click()
    page.get_by_role("heading", name="Su reserva está hecha").wait_for()
    page.get_by_role("heading", name="Su primera conversación").wait_for()
    spanish_page_checked(page, http, "booked")
    shots(page, "es-status-booked-phone")
    ctx.close()
