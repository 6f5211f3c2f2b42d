"""The console, where staff must be able to trust what it says: reasons marked met or not met (in words, not
colour alone), everyone who fits behind one button, names rather than ids, a confirmation before declining
or waitlisting a client at risk, a roster row saved in place, and an intake page that fits a phone."""

from typing import Any

import pytest

from infra.local import demo
from infra.local.stack import RunningStack
from tests.browser.conftest import no_axe_violations, no_sideways_scroll, screenshot
from tests.browser.test_console_and_pages import sign_in, submitted_intake
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

# Monday evening, which the demo counselors who see clients only in the day do not offer
EVENINGS = {
    "format": "telehealth",
    "availability": [{"day": "mon", "part": "evening"}],
    "availability_importance": "important",
}


def open_intake(page: Any, stack: RunningStack, reference: str, user: tuple[str, str] = demo.STAFF_USER) -> None:
    sign_in(page, stack, *user)
    page.goto(f"{stack.base_url}/console#{reference}")
    page.get_by_role("heading", name=f"Intake {reference}").wait_for()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_reasons_are_marked_met_or_not_and_everyone_who_fits_is_one_click_away(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http
) -> None:
    page = request.getfixturevalue(device)
    intake = submitted_intake(http, format=EVENINGS)
    open_intake(page, stack, intake["reference"])
    # Every reason carries its mark in words, read by a screen reader as part of the item
    first = page.locator("article.card").first
    items = first.locator("ul.reasons li")
    assert items.count() >= 3
    for text in items.all_inner_texts():
        assert text.split(":")[0].strip("✓◐✗ \n") in (
            "Met",
            "Partly met",
            "Not met",
            "Not met (must-have)",
            "No evidence yet",
        ), text
    # Everyone who fits, behind one button, with the same breakdown
    toggle = page.get_by_role("button", name="Show all")
    assert toggle.get_attribute("aria-expanded") == "false"
    count = int(toggle.inner_text().split()[2])
    toggle.click()
    page.get_by_role("heading", name=f"Everyone who fits now: {count}").wait_for()
    everyone = page.locator("#all-fits article.card")
    assert everyone.count() == count > 3
    assert everyone.locator("p.muted").filter(has_text="open slot").count() == count  # as they are now
    # "No time slots in common" reads as not met, and comes before what is met
    no_slots = page.locator("#all-fits li.reason", has_text="No time slots in common").first
    assert no_slots.inner_text().lstrip("✗ \n").startswith("Not met:")
    card = page.locator(
        "#all-fits article.card", has=page.locator("li.reason", has_text="No time slots in common")
    ).first
    fits = card.locator("li.reason").evaluate_all("items => items.map((i) => i.classList[1])")
    assert fits.index("not_met") < fits.index("met")
    card.get_by_text("Score breakdown").click()
    assert "Client's rating" in card.inner_text()
    # Names, not ids; slots as they are now
    assert "open slot" in first.locator("p.muted").inner_text() and "now" in first.locator("p.muted").inner_text()
    no_sideways_scroll(page)
    screenshot(page, f"console-trust-intake-{device}")
    no_axe_violations(page, "intake with everyone who fits")


def test_an_urgent_intake_asks_before_it_is_waitlisted(
    desktop: Any, phone: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    intake = submitted_intake(http, safety="yes")
    for page, device in ((phone, "phone"), (desktop, "desktop")):
        open_intake(page, stack, intake["reference"])
        page.get_by_label("Waitlist", exact=True).check()
        page.get_by_role("button", name="Record decision").click()
        dialog = page.get_by_role("dialog", name="Waitlist this intake?")
        dialog.wait_for()
        assert "may be at risk" in dialog.inner_text()
        assert page.evaluate("document.activeElement.textContent") == "Go back"  # the safe choice has focus
        no_sideways_scroll(page)
        screenshot(page, f"console-trust-urgent-confirm-{device}")
        no_axe_violations(page, "the urgent confirmation")
        if device == "phone":  # going back changes nothing
            dialog.get_by_role("button", name="Go back").click()
            assert not dialog.is_visible()
            page.get_by_role("button", name="Record decision").wait_for()
    detail = http.request("GET", f"/review/intakes/{intake['reference']}", headers={"Authorization": staff_token})
    assert detail.json["status"] == "in_review"
    desktop.get_by_role("dialog").get_by_role("button", name="Yes, waitlist").click()
    desktop.get_by_role("alert").filter(has_text="Decision recorded: waitlisted").wait_for()
    history = desktop.locator("ol.history").inner_text()
    assert "Decision recorded: Waitlisted, by staff@practice.example" in history
    assert "Opened by staff@practice.example" in history and "Opened by staff by" not in history


def test_declining_always_asks_first(desktop: Any, stack: RunningStack, http: Http) -> None:
    intake = submitted_intake(http)
    open_intake(desktop, stack, intake["reference"])
    desktop.get_by_label("Decline", exact=True).check()
    desktop.get_by_role("button", name="Record decision").click()
    dialog = desktop.get_by_role("dialog", name="Decline this intake?")
    dialog.wait_for()
    assert "may be at risk" not in dialog.inner_text()
    desktop.keyboard.press("Escape")  # Escape goes back too
    assert not dialog.is_visible()
    assert desktop.get_by_role("button", name="Record decision").is_visible()
    desktop.get_by_role("button", name="Record decision").click()
    dialog.get_by_role("button", name="Yes, decline").click()
    desktop.get_by_role("alert").filter(has_text="Decision recorded: declined").wait_for()


def test_an_assigned_intake_names_its_counselor_and_the_slot_taken(
    desktop: Any, stack: RunningStack, http: Http
) -> None:
    intake = submitted_intake(http)
    open_intake(desktop, stack, intake["reference"])
    first = desktop.locator("article.card").first
    name = first.locator("h3").inner_text().split("\n")[0].rsplit(" ", 1)[0].strip()
    before = first.locator("p.muted").inner_text()
    slots = int(before.split()[0])
    first.get_by_role("button", name="Assign").click()
    desktop.get_by_role("alert").filter(has_text="Assigned.").wait_for()
    status = desktop.locator("main p").filter(has_text="Status:").inner_text()
    assert f"assigned to {name}" in status and "c-demo" not in status
    after = desktop.locator("article.card").first.locator("p.muted").inner_text()
    left = slots - 1
    assert after.startswith(f"{left} open slot" if left else "No open slot now"), (before, after)
    assert f"Assigned: {name}, by staff@practice.example" in desktop.locator("ol.history").inner_text()


def test_saving_a_roster_row_keeps_the_place_and_the_focus(phone: Any, desktop: Any, stack: RunningStack) -> None:
    for page, device in ((desktop, "desktop"), (phone, "phone")):
        sign_in(page, stack, *demo.ADMIN_USER)
        page.get_by_role("link", name="Roster").click()
        page.get_by_role("heading", name="Roster").wait_for()
        slots = page.get_by_label("Open slots for Walter Greene")  # far down the list
        slots.fill("6")
        save = page.get_by_role("button", name="Save Walter Greene")
        save.click()
        page.get_by_role("row").filter(has=slots).get_by_role("alert").filter(
            has_text="Saved Walter Greene."
        ).wait_for()
        assert page.evaluate("window.scrollY") > 0  # not back at the top
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Save Walter Greene"
        assert slots.input_value() == "6"
        no_sideways_scroll(page)
        screenshot(page, f"console-trust-roster-saved-{device}")
        no_axe_violations(page, "the roster after a save")


def test_the_console_has_its_favicon(desktop: Any, stack: RunningStack, http: Http) -> None:
    desktop.goto(stack.base_url + "/console")
    href = desktop.locator("link[rel=icon]").get_attribute("href")
    reply = http.request("GET", "/" + href)
    assert reply.status == 200


def test_an_assigned_intake_with_its_check_ins_fits_a_phone(
    phone: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    # Given an intake assigned, with a session held (which sends the first check-in: its table is wide)
    intake = submitted_intake(http)
    staff = {"Authorization": staff_token}
    detail = http.request("GET", f"/review/intakes/{intake['reference']}", headers=staff).json
    chosen = detail["match"]["suggestions"][0]["counselor_id"]
    assert (
        http.request(
            "POST", f"/review/intakes/{intake['reference']}/assignment", {"counselor_id": chosen}, staff
        ).status
        == 200
    )
    assert http.request("POST", f"/review/intakes/{intake['reference']}/sessions", headers=staff).json["check_in_sent"]
    # When staff open it on a phone
    open_intake(phone, stack, intake["reference"])
    phone.get_by_role("heading", name="Check-ins").wait_for()
    # Then the page does not scroll sideways (the check-in table scrolls in its own box), and says after which session
    no_sideways_scroll(phone)
    text = phone.locator("main").inner_text()
    assert "after session 1" in text
    assert "null" not in text and "undefined" not in text and "[object" not in text
    screenshot(phone, "console-trust-assigned-phone")
    no_axe_violations(phone, "an assigned intake with a check-in")


def test_a_roster_row_changed_meanwhile_is_not_saved_over(
    desktop: Any, stack: RunningStack, http: Http, admin_token: str
) -> None:
    """The row's values are what the page drew; a save over a change made since (an assignment took a slot,
    another admin saved) would silently undo it. The row says so and shows the counselor as they are now."""
    sign_in(desktop, stack, *demo.ADMIN_USER)
    desktop.get_by_role("link", name="Roster").click()
    desktop.get_by_role("heading", name="Roster").wait_for()
    slots = desktop.get_by_label("Open slots for Walter Greene")
    drawn = int(slots.input_value())
    admin = {"Authorization": admin_token}
    listed = http.request("GET", "/admin/counselors?limit=100", headers=admin).json["items"]
    walter = next(c for c in listed if c["name"] == "Walter Greene")["counselor_id"]
    version = http.request("GET", f"/admin/counselors/{walter}", headers=admin).json["version"]
    meanwhile = drawn + 2
    changed = http.request(
        "PATCH", f"/admin/counselors/{walter}", {"version": version, "open_slots": meanwhile}, headers=admin
    )
    assert changed.status == 200, changed.json
    slots.fill(str(drawn + 1))  # the admin's edit, from what the page showed
    desktop.get_by_role("button", name="Save Walter Greene").click()
    desktop.get_by_role("row").filter(has=slots).get_by_role("alert").filter(has_text="changed meanwhile").wait_for()
    assert slots.input_value() == str(meanwhile)
    assert http.request("GET", f"/admin/counselors/{walter}", headers=admin).json["open_slots"] == meanwhile
