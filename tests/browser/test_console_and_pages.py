"""Staff sign in, review and assign in the console; the client then sees the match; admins edit the
roster; the directory; and an automated accessibility scan of every page."""

import uuid
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from infra.local import demo
from infra.local.stack import RunningStack
from tests.browser.conftest import screenshot
from tests.factories import intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def submitted_intake(http: Http, **changes: Any) -> dict[str, Any]:
    reply = http.request("POST", "/intakes", intake_body(**changes), headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status == 201
    return reply.json


def sign_in(page: Any, stack: RunningStack, username: str, password: str) -> None:
    page.goto(stack.base_url + "/console")
    page.get_by_role("textbox", name="Email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Intake queue").wait_for()


def test_staff_sign_in_review_and_assign_then_the_client_sees_the_match(
    desktop: Any, phone: Any, stack: RunningStack, http: Http
) -> None:
    intake = submitted_intake(
        http,
        values={"values": ["family"], "importance": "important"},
        faith={"tradition": "christian", "role": "integrate", "importance": "important"},
    )
    sign_in(desktop, stack, *demo.STAFF_USER)
    desktop.get_by_role("link", name=intake["reference"]).wait_for()
    screenshot(desktop, "console-queue")
    desktop.get_by_role("link", name=intake["reference"]).click()
    desktop.get_by_role("heading", name=f"Intake {intake['reference']}").wait_for()
    suggestions = desktop.locator("article.card")
    first = suggestions.first
    name = first.locator("h3").inner_text().split("\n")[0].rsplit(" ", 1)[0].strip()
    assert "Integrates Christian faith - client rated faith important" in first.inner_text()
    first.get_by_text("Score breakdown").click()
    assert "Client's rating" in first.inner_text()
    screenshot(desktop, "console-intake")
    first.get_by_role("button", name="Assign").click()
    desktop.get_by_role("alert").filter(has_text="Assigned.").wait_for()
    phone.goto(f"{stack.base_url}/{intake['status_link']}")
    phone.get_by_role("heading", name="You're matched").wait_for()
    assert name in phone.locator("main").inner_text()
    screenshot(phone, "status-matched")


def test_a_slot_taken_meanwhile_is_explained_not_crashed(
    desktop: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    intake = submitted_intake(http)
    sign_in(desktop, stack, *demo.STAFF_USER)
    desktop.goto(f"{stack.base_url}/console#{intake['reference']}")
    desktop.get_by_role("heading", name=f"Intake {intake['reference']}").wait_for()
    chosen = desktop.locator("article.card").first.locator("p.muted").inner_text().split("·")[-1].strip()
    # Meanwhile, colleagues give that counselor's remaining slots to other clients (a profile holds at most 200)
    for _ in range(201):
        other = submitted_intake(http)["reference"]
        reply = http.request(
            "POST",
            f"/review/intakes/{other}/assignment",
            {"counselor_id": chosen, "reason": "A colleague assigned this client by phone."},
            headers={"Authorization": staff_token},
        )
        if reply.status == 409:
            break
        assert reply.status == 200
    else:
        raise AssertionError("the counselor never ran out of slots")
    desktop.locator("article.card").first.get_by_role("button", name="Assign").click()
    desktop.get_by_role("alert").filter(has_text="This slot was just taken").wait_for()
    assert desktop.get_by_role("button", name="Re-run matching").is_visible()
    screenshot(desktop, "console-slot-taken")


def test_an_admin_changes_a_counselors_capacity_in_the_roster(
    desktop: Any, stack: RunningStack, http: Http, admin_token: str
) -> None:
    sign_in(desktop, stack, *demo.ADMIN_USER)
    desktop.get_by_role("link", name="Roster").click()
    desktop.get_by_role("heading", name="Roster").wait_for()
    screenshot(desktop, "console-roster")
    slots = desktop.get_by_label("Open slots for Walter Greene")
    slots.fill("7")
    desktop.get_by_role("row").filter(has=slots).get_by_role("button", name="Save").click()
    desktop.get_by_role("alert").filter(has_text="Saved Walter Greene.").wait_for()
    assert (
        http.request("GET", "/admin/counselors/c-demo0020", headers={"Authorization": admin_token}).json["open_slots"]
        == 7
    )
    desktop.get_by_role("link", name="Walter Greene").click()
    desktop.get_by_label("Bio (optional)").fill("Retirement, caregiving and loss.")
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_role("heading", name="Roster").wait_for()
    assert http.request("GET", "/admin/counselors/c-demo0020", headers={"Authorization": admin_token}).json["bio"] == (
        "Retirement, caregiving and loss."
    )


def test_a_wrong_password_gets_a_clear_message(desktop: Any, stack: RunningStack) -> None:
    desktop.goto(stack.base_url + "/console")
    desktop.get_by_role("textbox", name="Email").fill(demo.STAFF_USER[0])
    desktop.get_by_label("Password").fill("not-the-password")
    desktop.get_by_role("button", name="Sign in").click()
    desktop.get_by_role("alert").filter(has_text="don't match an account").wait_for()


def test_the_directory_shows_public_profiles(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/directory")
    phone.get_by_role("heading", name="Maya Okafor").wait_for()
    text = phone.locator("main").inner_text()
    assert "Can bring faith into counseling" in text
    assert "LPC-" not in text and "open slot" not in text.lower()
    screenshot(phone, "directory")


@pytest.mark.parametrize(
    "path", ["/", "/directory", "/console", "/status#in-aaaaaaaaaaaaaaaaaaaa.token-that-is-long-enough"]
)
def test_every_public_page_has_no_serious_accessibility_violations(phone: Any, stack: RunningStack, path: str) -> None:
    phone.goto(stack.base_url + path)
    phone.wait_for_load_state("networkidle")
    results = Axe().run(phone)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_the_signed_in_console_pages_have_no_serious_accessibility_violations(
    desktop: Any, stack: RunningStack, http: Http
) -> None:
    intake = submitted_intake(http, safety="yes")
    sign_in(desktop, stack, *demo.ADMIN_USER)
    for fragment, heading in (
        (f"#{intake['reference']}", f"Intake {intake['reference']}"),
        ("#queue", "Intake queue"),
        ("#roster", "Roster"),
        ("#roster/c-demo0001", "Edit Maya Okafor"),
    ):
        desktop.goto(f"{stack.base_url}/console{fragment}")
        desktop.get_by_role("heading", name=heading).wait_for()
        results = Axe().run(desktop)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, (fragment, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious])


def test_every_intake_step_has_no_serious_accessibility_violations(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    phone.locator("#progress .counter").wait_for()
    for step in range(9):
        phone.evaluate(f"document.querySelectorAll('form > section').forEach((s, i) => s.hidden = i !== {step})")
        results = Axe().run(phone)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, (step, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious])
