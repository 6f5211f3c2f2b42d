"""The waitlist from the client's status page, in a real browser on a phone: join it (and leave it), the
sweep holds a place, the client takes it and is matched. Its own client-first stack, like test_shortlist."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.stack import SCHEDULED_EVENT, RunningStack
from tests.browser.conftest import context, no_sideways_scroll, screenshot, small_tap_targets
from tests.browser.test_after_the_match import assert_accessible
from tests.browser.test_shortlist import ZONE, assert_shortlist_shown, policy_stack
from tests.factories import intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


@pytest.fixture(scope="module")
def client_first() -> Iterator[RunningStack]:
    yield from policy_stack("client-first")


def shots(page: Any, name: str) -> None:
    screenshot(page, name)  # inside the project, beside every browser test's


def test_join_the_waitlist_the_sweep_holds_a_place_and_the_client_takes_it(
    client_phone: Any, browser: Any, client_first: RunningStack
) -> None:
    http = Http(client_first.base_url)
    body = intake_body(contact={"name": "Morgan Hale", "email": "morgan.hale@example.org"})
    submitted = http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json
    client_phone.goto(f"{client_first.base_url}/{submitted['status_link']}")
    assert_shortlist_shown(client_phone)
    waitlist = client_phone.locator("section.waitlist")
    own = {"X-Status-Token": submitted["status_token"]}
    path = f"/intakes/{submitted['reference']}/waitlist"
    # Left from another tab meanwhile: leaving here is refused in plain words, and the page stays usable
    waitlist.get_by_role("button", name="Wait for the first good fit").click()
    client_phone.locator("#waiting-for").wait_for()
    assert http.request("DELETE", path, headers=own).status == 200
    client_phone.get_by_role("button", name="Leave the waitlist").click()
    refused = client_phone.locator("section.waitlist").get_by_role("alert")
    refused.wait_for()
    assert refused.inner_text() == "You are not on the waitlist."
    assert client_phone.get_by_role("button", name="Leave the waitlist").is_enabled()
    client_phone.reload()
    # The client can wait for the first good fit, and leave again
    client_phone.locator("section.waitlist").get_by_role("button", name="Wait for the first good fit").click()
    client_phone.get_by_role("heading", name="Done").wait_for()
    assert "You're waiting for the first good fit" in client_phone.locator("#waiting-for").inner_text()
    client_phone.get_by_role("button", name="Leave the waitlist").click()
    client_phone.get_by_text("You left the waitlist.").wait_for()
    # Then waits for one counselor of the shortlist, named on the button
    name = client_phone.locator("article.shortlist-entry").first.locator("h3").inner_text().split(" (")[0]
    client_phone.get_by_role("button", name=f"Wait for {name}").click()
    waiting = client_phone.locator("#waiting-for")
    waiting.wait_for()
    assert f"You're waiting for {name}, since " in waiting.inner_text()
    assert_accessible(client_phone)
    assert not small_tap_targets(client_phone)
    shots(client_phone, "status-waiting-phone")
    # Joining twice (from another tab, say) is refused
    assert http.request("POST", path, {"counselor_id": None}, headers=own).status == 409
    # The sweep finds the counselor has a place and holds it for this client
    run = client_first.pools["WaitlistSweepFunction"].invoke(SCHEDULED_EVENT)
    assert run["offered"] >= 1
    client_phone.reload()
    client_phone.get_by_role("heading", name="A place is held for you").wait_for()
    held = client_phone.locator("#held-place").inner_text()
    assert f"{name} has a place for you." in held
    assert f"(your time zone: {ZONE})" in held and "EST" in held  # the hold's end in the client's own zone
    assert_accessible(client_phone)
    assert not small_tap_targets(client_phone)  # every control a thumb can hit: 44 px or more
    no_sideways_scroll(client_phone)
    shots(client_phone, "status-place-held-phone")
    wide = context(browser, 1280, 900, False).new_page()
    wide.goto(client_phone.url.split("#")[0] + f"#{submitted['status_link'].split('#', 1)[1]}")
    wide.get_by_role("heading", name="A place is held for you").wait_for()
    shots(wide, "status-place-held-wide")
    wide.close()
    # The client takes the place: they are matched with that counselor
    client_phone.get_by_role("button", name="Take this place").click()
    client_phone.get_by_role("heading", name="The place is yours").wait_for()
    assert client_phone.get_by_role("heading", name="You're matched").count() == 1  # the stage, said once
    assert client_phone.get_by_role("heading", name="Your counselor").count() == 1
    assert name in client_phone.locator("main").inner_text()
    assert client_phone.get_by_role("heading", name="A place is held for you").count() == 0
    assert_accessible(client_phone)
    shots(client_phone, "status-claimed-phone")
    status = http.request("GET", f"/intakes/{submitted['reference']}/status",
                          headers={"X-Status-Token": submitted["status_token"]})  # fmt: skip
    assert status.json["stage"] == "matched"


def test_staff_see_each_counselors_waitlist_in_the_console(
    desktop: Any, browser: Any, client_first: RunningStack
) -> None:
    from infra.local import demo
    from tests.browser.test_console_and_pages import sign_in

    # Given a client waiting for the first counselor of their shortlist, and one waiting for the first good fit
    http = Http(client_first.base_url)
    waiting = []
    for n in ("Quinn", "Reese"):
        body = intake_body(contact={"name": n, "email": f"{n.lower()}@example.org"})
        waiting.append(http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json)
    own = [{"X-Status-Token": w["status_token"]} for w in waiting]
    shortlist = http.request("GET", f"/intakes/{waiting[0]['reference']}/shortlist", headers=own[0]).json
    chosen = shortlist["entries"][0]["counselor"]
    for client, headers, counselor_id in ((waiting[0], own[0], chosen["counselor_id"]), (waiting[1], own[1], None)):
        joined = http.request("POST", f"/intakes/{client['reference']}/waitlist", {"counselor_id": counselor_id},
                              headers=headers)  # fmt: skip
        assert joined.status == 201
    # When staff open that counselor's waitlist in the console
    sign_in(desktop, client_first, *demo.STAFF_USER)
    desktop.goto(f"{client_first.base_url}/console#waitlist")
    desktop.get_by_label("Whose waitlist").select_option(label=chosen["name"])
    desktop.get_by_role("heading", name=f"Waitlist: {chosen['name']}").wait_for()
    # Then the client who waits for them alone is listed by reference, in line, with no hold yet
    rows = desktop.locator("#waitlist-table tbody tr")
    listed = {rows.nth(i).locator("td").nth(1).inner_text(): rows.nth(i).inner_text() for i in range(rows.count())}
    assert waiting[0]["reference"] in listed
    assert f"{chosen['name']} alone" in listed[waiting[0]["reference"]]
    if waiting[1]["reference"] in listed:  # the other waits for any good fit on their own shortlist
        assert "The first good fit" in listed[waiting[1]["reference"]]
    assert "Quinn" not in desktop.locator("main").inner_text()  # references only, never a name
    assert_accessible(desktop)
    shots(desktop, "console-waitlist-desktop")
    phone = context(browser, 390, 844, True).new_page()
    sign_in(phone, client_first, *demo.STAFF_USER)
    phone.goto(f"{client_first.base_url}/console#waitlist/{chosen['counselor_id']}")
    phone.locator("#waitlist-table").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its own box
    shots(phone, "console-waitlist-phone")
    phone.close()
    # and the client who left is no longer there
    assert http.request("DELETE", f"/intakes/{waiting[0]['reference']}/waitlist", headers=own[0]).status == 200
    desktop.reload()
    desktop.get_by_role("heading", name=f"Waitlist: {chosen['name']}").wait_for()
    assert waiting[0]["reference"] not in desktop.locator("main").inner_text()
