"""A counselor keeps their own profile in the console on a phone: windows, bio and capacity, with the
practice's conflicts and field errors explained; the directory and a client's openings follow. And an admin
invites a counselor to sign in and reads who changed their profile.

A practice where clients book (client-first) gets its own stack: these tests change demo counselors."""

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from infra.local import demo
from infra.local.stack import RunningStack
from tests.browser.conftest import SCREENSHOTS, page_in, screenshot
from tests.browser.test_after_the_match import assert_accessible
from tests.browser.test_console_and_pages import sign_in
from tests.browser.test_shortlist import policy_stack
from tests.factories import intake_body
from tests.stack.conftest import Http
from tests.stack.conftest import sign_in as token_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

MAYA = "c-demo0001"  # the demo counselor sign-in's own profile
PACIFIC = ZoneInfo("America/Los_Angeles")  # the demo counselors' schedule zone


@pytest.fixture(scope="module")
def practice() -> Iterator[RunningStack]:
    yield from policy_stack("client-first")


@pytest.fixture
def wide(browser: Any) -> Iterator[Any]:
    yield from page_in(browser, 1280, 900, False)


def shots(phone: Any, wide: Any, name: str) -> None:
    screenshot(phone, f"{name}-phone")
    if wide is not None:
        screenshot(wide, f"{name}-desktop")


def counselor_signs_in(page: Any, stack: RunningStack) -> None:
    page.goto(stack.base_url + "/console")
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    assert "staff and counselors" in page.locator("main").inner_text()
    page.get_by_role("textbox", name="Email").fill(demo.COUNSELOR_USER[0])
    page.get_by_label("Password").fill(demo.COUNSELOR_USER[1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My profile").wait_for()


def admin_sets(http: Http, token: str, counselor_id: str, **changes: Any) -> dict[str, Any]:
    path = f"/admin/counselors/{counselor_id}"
    current = http.request("GET", path, headers={"Authorization": token}).json
    body = {k: v for k, v in current.items() if k != "counselor_id"} | changes
    reply = http.request("PUT", path, body, headers={"Authorization": token})
    assert reply.status == 200, reply.json
    return dict(reply.json)


def save(page: Any) -> None:
    page.get_by_role("button", name="Save my profile").click()


def test_a_counselor_on_a_phone_changes_windows_and_bio_and_the_directory_and_openings_follow(
    client_phone: Any, wide: Any, practice: RunningStack
) -> None:
    http = Http(practice.base_url)
    admin = token_for(practice, *demo.ADMIN_USER)
    admin_sets(http, admin, MAYA, max_open_slots=4)
    phone = client_phone
    # The counselor signs in on a phone and lands on their own page, with only what they may use
    counselor_signs_in(phone, practice)
    nav = phone.get_by_role("navigation", name="Console")
    assert nav.get_by_role("link", name="My profile").count() == 1
    for staff_only in ("Queue", "Needs attention", "Match quality", "Waitlists", "Roster"):
        assert nav.get_by_role("link", name=staff_only).count() == 0, staff_only
    # The practice's fields are shown as text, never as inputs; the maximum is said at open slots
    practice_set = phone.get_by_role("region", name="Set by the practice's admin")
    assert "LMFT" in practice_set.inner_text() and "California" in practice_set.inner_text()
    for admin_only in ("Credentials", "License numbers", "Most new clients they may offer"):
        assert phone.get_by_label(admin_only).count() == 0, admin_only
    assert phone.get_by_role("group", name="Licensed in").count() == 0
    assert phone.get_by_role("group", name="Active").count() == 0
    assert "At most 4, set by the practice." in phone.locator('[data-field="open_slots"]').inner_text()
    assert "None booked yet." in phone.get_by_role("region", name="Upcoming first conversations").inner_text()
    rating = phone.get_by_role("region", name="How clients rate your understanding").inner_text()
    assert re.search(r"Shown once at least \d+ clients have rated it\.", rating), rating
    assert_accessible(phone)
    wide_signed_in = wide
    counselor_signs_in(wide_signed_in, practice)
    shots(phone, wide, "console-me-loaded")
    phone.screenshot(path=str(SCREENSHOTS / "console-me-loaded-phone-top.png"))  # what the counselor sees first

    # A window that ends before it starts: the server's error beside the windows
    phone.get_by_label("Weekly windows").fill("sat 10:00-09:00")
    save(phone)
    windows_error = phone.locator('[data-field="schedule.windows"] .field-error')
    windows_error.first.wait_for()
    assert "ends after it starts" in windows_error.first.inner_text()
    # More open slots than the practice allows: refused at open slots
    phone.get_by_label("Weekly windows").fill("sat 09:00-12:00")
    phone.get_by_label("Open slots for new clients").fill("5")
    save(phone)
    slots_error = phone.locator('[data-field="open_slots"] .field-error')
    slots_error.first.wait_for()
    assert "at most 4" in slots_error.first.inner_text()
    assert phone.locator('[data-field="schedule.windows"] .field-error').count() == 0
    assert_accessible(phone)
    wide.get_by_label("Open slots for new clients").fill("5")
    save(wide)
    wide.locator('[data-field="open_slots"] .field-error').first.wait_for()
    shots(phone, wide, "console-me-field-error")

    # Fixed: only Saturday mornings, no dates off, a new bio; saved, and said so
    bio = "Trauma care at your pace, now on Saturday mornings."
    phone.get_by_label("Open slots for new clients").fill("3")
    phone.get_by_label("Dates off").fill("")
    phone.get_by_label("Bio").fill(bio)
    save(phone)
    phone.get_by_role("alert").filter(has_text="Saved.").wait_for()
    assert phone.get_by_label("Bio").input_value() == bio
    assert phone.get_by_label("Weekly windows").input_value() == "sat 09:00-12:00"
    # and the profile's history holds just what they changed, by them (the admin-only fields never sent)
    changes = http.request("GET", f"/admin/counselors/{MAYA}/changes", headers={"Authorization": admin}).json
    assert changes["items"][0]["by"] == "counselor"
    assert set(changes["items"][0]["fields"]) == {"bio", "open_slots", "schedule"}
    assert_accessible(phone)

    # The directory shows the new bio
    phone.goto(f"{practice.base_url}/directory#{MAYA}")
    phone.get_by_role("region", name="The counselor in your link").filter(has_text=bio).wait_for()

    # A client's shortlist offers them only on Saturday mornings, Pacific time
    body = intake_body(
        concerns={"concerns": ["trauma", "racial_stress"], "primary": "trauma"},
        culture={"backgrounds": ["african_american"], "counselor_preference": "shares", "importance": "important"},
    )
    submitted = http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json
    client = wide
    client.goto(f"{practice.base_url}/{submitted['status_link']}")
    client.get_by_role("heading", name="Choose your counselor").wait_for()
    entry = client.locator(f'article.shortlist-entry[aria-labelledby="choice-{MAYA}"]')
    starts = [datetime.fromisoformat(b.get_attribute("data-start")) for b in entry.locator("button.time").all()]
    assert starts
    local = {(s.astimezone(PACIFIC).strftime("%a"), s.astimezone(PACIFIC).hour) for s in starts}
    assert {day for day, _ in local} == {"Sat"} and all(9 <= hour < 12 for _, hour in local), local

    # The client books one: it is on the counselor's page, in their zone, in words, with the reference
    chosen = entry.locator("button.time").first
    chosen.click()
    client.get_by_role("heading", name="You're booked").wait_for()
    phone.goto(practice.base_url + "/console")  # the tab keeps the sign-in: straight to their page, afresh
    phone.get_by_role("heading", name="My profile").wait_for()
    upcoming = phone.get_by_role("region", name="Upcoming first conversations").inner_text()
    assert submitted["reference"] in upcoming
    assert "Times in your time zone: America/Los_Angeles." in upcoming
    assert "Sat" in upcoming and ("PST" in upcoming or "PDT" in upcoming)
    assert any(kind in upcoming for kind in ("A free consult call", "A first session"))
    assert any(form in upcoming for form in ("Video call", "Phone call", "In person"))


@pytest.mark.parametrize("device", ["client_phone", "wide"])
def test_a_counselor_saving_after_someone_else_is_told_and_can_reload(
    request: pytest.FixtureRequest, device: str, practice: RunningStack
) -> None:
    page: Any = request.getfixturevalue(device)
    name = "phone" if device == "client_phone" else "desktop"
    counselor_signs_in(page, practice)
    # Meanwhile the practice's admin changes the profile
    admin_sets(Http(practice.base_url), token_for(practice, *demo.ADMIN_USER), MAYA, pronouns=f"they/them ({name})")
    page.get_by_label("Bio").fill("A change made on an old copy.")
    save(page)
    alert = page.get_by_role("alert").filter(has_text="Someone changed your profile since you opened it")
    alert.wait_for()
    assert_accessible(page)
    screenshot(page, f"console-me-conflict-{name}")
    # Reloaded: the admin's change is there, theirs is not; saving again works
    alert.get_by_role("button", name="Reload my profile").click()
    expect(page.get_by_label("Pronouns")).to_have_value(f"they/them ({name})")
    assert page.get_by_label("Bio").input_value() != "A change made on an old copy."
    page.get_by_label("Pronouns").fill("she/her")
    save(page)
    page.get_by_role("alert").filter(has_text="Saved.").wait_for()
    expect(page.get_by_label("Pronouns")).to_have_value("she/her")
    assert_accessible(page)
    screenshot(page, f"console-me-saved-{name}")


def test_an_admin_invites_a_counselor_and_reads_their_change_history(
    wide: Any, client_phone: Any, practice: RunningStack
) -> None:
    desktop = wide
    sign_in(desktop, practice, *demo.ADMIN_USER)
    desktop.goto(f"{practice.base_url}/console#roster/c-demo0002")
    desktop.get_by_role("heading", name="Edit Daniel Reyes").wait_for()
    # The admin sets the most new clients the counselor may offer, and a bio
    desktop.get_by_label("Most new clients they may offer").fill("6")
    desktop.get_by_label("Bio").fill("Family therapy in Spanish or English.")
    desktop.get_by_role("button", name="Save", exact=True).click()
    desktop.get_by_role("heading", name="Roster").wait_for()
    token = token_for(practice, *demo.ADMIN_USER)
    saved = Http(practice.base_url).request("GET", "/admin/counselors/c-demo0002", headers={"Authorization": token})
    assert saved.json["max_open_slots"] == 6
    # Then invites the counselor to sign in
    desktop.goto(f"{practice.base_url}/console#roster/c-demo0002")
    invite = desktop.get_by_role("form", name="Invite to sign in")
    invite.get_by_label("Their email address").fill("daniel.reyes@practice.example")
    invite.get_by_role("button", name="Invite to sign in").click()
    sent = "Invitation sent: they get an email with a temporary password."
    invite.get_by_role("alert").filter(has_text=sent).wait_for()
    # A second invitation is refused, and says why
    invite.get_by_label("Their email address").fill("daniel.second@practice.example")
    invite.get_by_role("button", name="Invite to sign in").click()
    invite.get_by_role("alert").filter(has_text="already has a sign-in").wait_for()
    # The change history: when, who, and which fields in the form's words
    history = desktop.get_by_role("region", name="Change history")
    latest = history.locator("li").first.inner_text()
    assert "admin@practice.example (an admin)" in latest
    # only what the admin changed (a list the form left alone is not listed)
    assert "Changed Bio, Most new clients they may offer, by admin@practice.example (an admin)." in latest
    assert "max_open_slots" not in history.inner_text()
    assert "Family therapy" not in history.inner_text()  # never the values
    assert "Created the profile" in history.locator("li").last.inner_text()
    assert_accessible(desktop)
    screenshot(desktop, "console-invite-history-desktop")
    invite.screenshot(path=str(SCREENSHOTS / "console-invite-desktop-part.png"))
    history.screenshot(path=str(SCREENSHOTS / "console-history-desktop-part.png"))
    phone = client_phone
    sign_in(phone, practice, *demo.ADMIN_USER)
    phone.goto(f"{practice.base_url}/console#roster/c-demo0002")
    phone.get_by_role("region", name="Change history").locator("li").first.wait_for()
    assert_accessible(phone)
    screenshot(phone, "console-invite-history-phone")


def test_a_counselor_who_is_also_staff_sees_both_the_staff_pages_and_their_own(
    wide: Any, practice: RunningStack
) -> None:
    # Given a counselor invited by the admin, whom the practice also put in the staff group
    email, password = "priya.raman@practice.example", "Both-Roles-Pass-2026"
    http = Http(practice.base_url)
    invited = http.request(
        "POST",
        "/admin/counselors/c-demo0003/sign-in",
        {"email": email},
        headers={"Authorization": token_for(practice, *demo.ADMIN_USER)},
    )
    assert invited.status == 201, invited.json
    cognito, pool = practice.aws.client("cognito-idp"), practice.aws.user_pool_id
    (user,) = cognito.list_users(UserPoolId=pool, Filter=f'email = "{email}"')["Users"]
    cognito.admin_set_user_password(UserPoolId=pool, Username=user["Username"], Password=password, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=user["Username"], GroupName="staff")
    # When they sign in, they land on the queue, and the nav has both the staff pages and their own
    sign_in(wide, practice, email, password)
    nav = wide.get_by_role("navigation", name="Console")
    for link in ("My profile", "Queue", "Needs attention", "Match quality", "Waitlists"):
        assert nav.get_by_role("link", name=link).count() == 1, link
    assert nav.get_by_role("link", name="Roster").count() == 0  # not an admin
    nav.get_by_role("link", name="My profile").click()
    wide.get_by_role("heading", name="My profile").wait_for()
    assert "Priya Raman" in wide.locator("main").inner_text()
