"""A client whose counselor leaves the practice after the match, on a phone and a desktop: the status page
says so plainly and still lets them ask for someone else."""

import uuid
from typing import Any

import pytest

from infra.local.stack import RunningStack
from tests.browser.conftest import screenshot
from tests.browser.test_after_the_match import assert_accessible
from tests.factories import counselor_body, intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def matched_with_a_counselor_who_then_leaves(http: Http, staff_token: str, admin_token: str) -> str:
    """The status link (relative) of a client matched with a counselor who was deactivated afterwards."""
    admin, staff = {"Authorization": admin_token}, {"Authorization": staff_token}
    created = http.request("POST", "/admin/counselors", counselor_body(name="Leaving Counselor"), headers=admin)
    assert created.status == 201
    counselor = created.json
    submitted = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex})
    assert submitted.status == 201
    reference = submitted.json["reference"]
    assigned = http.request(
        "POST",
        f"/review/intakes/{reference}/assignment",
        {"counselor_id": counselor["counselor_id"], "reason": "Chosen for the test"},
        headers=staff,
    )
    assert assigned.status == 200, assigned.json
    path = f"/admin/counselors/{counselor['counselor_id']}"
    version = http.request("GET", path, headers=admin).json["version"]  # the assignment took a slot
    left = http.request("PATCH", path, {"version": version, "active": False}, headers=admin)
    assert left.status == 200, left.json
    return str(submitted.json["status_link"])


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_client_whose_counselor_left_is_told_plainly_and_can_ask_for_someone_else(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http, staff_token: str, admin_token: str
) -> None:
    page: Any = request.getfixturevalue(device)
    link = matched_with_a_counselor_who_then_leaves(http, staff_token, admin_token)
    page.goto(f"{stack.base_url}/{link}")
    page.get_by_role("heading", name="Your counselor is no longer available").wait_for()
    shown = page.locator("main").inner_text()
    assert "no longer taking sessions with" in shown
    assert "Leaving Counselor" not in shown and "null" not in shown
    assert "link" not in shown.lower()  # never "we couldn't find an intake for this link"
    assert_accessible(page)
    screenshot(page, f"status-counselor-left-{device}")

    page.get_by_label("Anything else our team should know?").fill("My counselor left")
    page.get_by_role("button", name="Ask for a new counselor").click()
    page.get_by_role("heading", name="Thank you for telling us").wait_for()
    screenshot(page, f"status-counselor-left-rematched-{device}")
