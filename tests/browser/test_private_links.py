"""A private link's token leaves the address bar and the tab's history once the page has read it, and the
page keeps working on reload (the token stays in this tab's sessionStorage only)."""

import time
import uuid
from typing import Any

import pytest

from infra.local.stack import RunningStack
from tests.browser.conftest import screenshot, sent_bodies
from tests.factories import intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def submitted(http: Http) -> dict[str, Any]:
    reply = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status == 201
    return dict(reply.json)


def a_check_in_link(http: Http, staff_token: str) -> str:
    """The check-in link's fragment (reference.number.token) for a client matched and after a first session."""
    reference = submitted(http)["reference"]
    staff = {"Authorization": staff_token}
    best = http.request("GET", f"/review/intakes/{reference}", headers=staff).json["match"]["suggestions"][0]
    assigned = http.request(
        "POST", f"/review/intakes/{reference}/assignment", {"counselor_id": best["counselor_id"]}, headers=staff
    )
    assert assigned.status == 200
    assert http.request("POST", f"/review/intakes/{reference}/sessions", headers=staff).status == 200
    deadline = time.monotonic() + 30
    while not (bodies := [b for b in sent_bodies() if f"checkin#{reference}." in b]):
        assert time.monotonic() < deadline, "no check-in email"
        time.sleep(0.3)
    return bodies[0].split("checkin#", 1)[1].split()[0]


def token_anywhere_in_the_tab(page: Any, token: str) -> bool:
    """Whether the address bar (the current history entry) still shows the token."""
    return token in page.url or token in str(page.evaluate("location.href"))


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_status_token_leaves_the_address_bar_and_history_and_the_page_survives_a_reload(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http
) -> None:
    page = request.getfixturevalue(device)
    intake = submitted(http)
    token = intake["status_token"]
    page.goto(f"{stack.base_url}/directory")
    page.goto(f"{stack.base_url}/{intake['status_link']}")
    page.get_by_role("heading", name="We have your answers").wait_for()
    assert page.url == f"{stack.base_url}/status"
    assert not token_anywhere_in_the_tab(page, token)
    screenshot(page, f"status-link-read-{device}")

    page.reload()
    page.get_by_role("heading", name="We have your answers").wait_for()
    shown = page.locator("main").inner_text()
    assert intake["reference"] in shown
    assert "null" not in shown  # parts left out before a match (counselor, rematch form) leave no trace

    # Back and forward: the entry the link opened no longer holds the token.
    page.go_back()
    page.wait_for_url(f"{stack.base_url}/directory")
    page.go_forward()
    page.get_by_role("heading", name="We have your answers").wait_for()
    assert not token_anywhere_in_the_tab(page, token)

    # The token is kept in this tab only: another tab (another browsing session) needs the link.
    other = page.context.browser.new_context().new_page()
    other.goto(f"{stack.base_url}/status")
    other.get_by_text("This page needs the private link").wait_for()
    other.context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_check_in_token_leaves_the_address_bar_and_the_form_survives_a_reload(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http, staff_token: str
) -> None:
    page = request.getfixturevalue(device)
    fragment = a_check_in_link(http, staff_token)
    token = fragment.split(".")[2]
    page.goto(f"{stack.base_url}/checkin#{fragment}")
    page.get_by_role("button", name="Send my check-in").wait_for()
    assert page.url == f"{stack.base_url}/checkin"
    assert not token_anywhere_in_the_tab(page, token)
    screenshot(page, f"check-in-link-read-{device}")

    page.reload()
    page.get_by_role("button", name="Send my check-in").wait_for()


def test_a_wrong_link_is_not_kept_for_the_next_reload(phone: Any, stack: RunningStack, http: Http) -> None:
    phone.goto(f"{stack.base_url}/status#in-aaaaaaaaaaaaaaaaaaaa.{'x' * 43}")
    phone.get_by_text("We couldn't find an intake for this link").wait_for()
    assert phone.url == f"{stack.base_url}/status"
    phone.reload()
    phone.get_by_text("This page needs the private link").wait_for()
