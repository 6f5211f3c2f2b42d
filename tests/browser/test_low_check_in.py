"""A check-in that puts the bond at risk is answered with support on a phone and a desktop: what the page
says, that it repeats none of the answers, tap targets of 44 px, and the emailed status link that opens the
status page at asking for someone else."""

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.stack import RunningStack
from tests.browser.conftest import no_axe_violations, page_in, screenshot, sent_bodies
from tests.browser.test_after_the_match import QUESTIONS
from tests.factories import intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


@pytest.fixture
def wide(browser: object) -> Iterator[object]:
    yield from page_in(browser, 1280, 900, False, timezone_id=None)


def small_tap_targets(page: Any, selector: str) -> list[tuple[str, float, float]]:
    """The visible buttons, links, radios (through their labels) and checkboxes under `selector` that are
    smaller than 44 x 44 CSS px: a radio or checkbox counts as big enough when its label is."""
    return list(
        page.evaluate(
            """(selector) => {
              const root = document.querySelector(selector);
              const small = [];
              const visible = (r) => r.width > 0 && r.height > 0;
              const targets = "a[href], button, input[type=radio], input[type=checkbox], summary";
              for (const node of root.querySelectorAll(targets)) {
                let box = node.getBoundingClientRect();
                if (node.matches("input")) {
                  const label = node.closest("label") || (node.id && root.querySelector(`label[for="${node.id}"]`));
                  if (label) box = label.getBoundingClientRect();
                }
                if (!visible(box) || node.closest("[hidden]")) continue;
                if (box.width < 44 || box.height < 44) small.push([node.outerHTML.slice(0, 80), box.width, box.height]);
              }
              return small;
            }""",
            selector,
        )
    )


def a_matched_client(http: Http, staff_token: str, email: str) -> tuple[str, str]:
    """(reference, check-in fragment) for a client matched and after a first session."""
    body = intake_body(contact={"name": "Robin Sentinelname", "email": email})
    reference = http.request("POST", "/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json["reference"]
    staff = {"Authorization": staff_token}
    best = http.request("GET", f"/review/intakes/{reference}", headers=staff).json["match"]["suggestions"][0]
    assigned = http.request(
        "POST", f"/review/intakes/{reference}/assignment", {"counselor_id": best["counselor_id"]}, headers=staff
    )
    assert assigned.status == 200
    assert http.request("POST", f"/review/intakes/{reference}/sessions", headers=staff).status == 200
    return reference, waited_for(f"checkin#{reference}.").split("checkin#", 1)[1].split()[0]


def waited_for(*texts: str) -> str:
    """The body of an email the local stack sent with all of `texts` in it, once it was sent."""
    deadline = time.monotonic() + 30
    while not (bodies := [b for b in sent_bodies() if all(text in b for text in texts)]):
        assert time.monotonic() < deadline, f"no email with {texts}"
        time.sleep(0.3)  # the notifier runs on its own thread: poll its outbox, bounded by the deadline
    return bodies[-1]


def answer(page: Any, scores: dict[str, int], not_working: str) -> None:
    for item, score in scores.items():
        page.get_by_role("group", name=QUESTIONS[item]).get_by_label(str(score), exact=True).check()
    page.get_by_label("Is anything not working for you?").fill(not_working)
    page.get_by_role("button", name="Send my check-in").click()


LOW = {"trust": 3, "understood": 4, "respected": 7, "agenda": 2, "overall": 3}


@pytest.mark.parametrize("device", ["phone", "wide"])
def test_a_low_check_in_is_answered_with_support_and_an_emailed_way_to_ask_for_someone_else(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http, staff_token: str
) -> None:
    page = request.getfixturevalue(device)
    reference, fragment = a_matched_client(http, staff_token, f"low-{device}-{uuid.uuid4().hex[:8]}@example.org")
    page.goto(f"{stack.base_url}/checkin#{fragment}")
    page.get_by_role("button", name="Send my check-in").wait_for()
    small = small_tap_targets(page, "body")
    assert small == [], "\n".join(map(str, small))
    screenshot(page, f"check-in-form-{device}")

    answer(page, LOW, "Sentinel: we never get to what I came for")
    thanks = page.get_by_role("status").filter(has=page.get_by_role("heading", name="Thank you for telling us"))
    thanks.wait_for()
    text = thanks.inner_text()
    assert "We heard you" in text and "common" in text and "can be put right" in text
    assert "Someone from our team will reach out" in text
    assert "We've emailed you a link where you can ask for someone else." in text
    main = page.locator("main").inner_text()
    assert "Sentinel" not in main and not any(f" {s} " in f" {main} " for s in ("2", "3", "4", "7"))
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert small_tap_targets(page, "body") == []
    screenshot(page, f"check-in-support-{device}")
    no_axe_violations(page)

    # The email's link is a status link, with the place to open at after the token
    email = waited_for(f"status#{reference}.", ".someone-else")
    link = email.split("status#", 1)[1].split()[0]
    assert link.startswith(f"{reference}.") and link.endswith(".someone-else")
    assert "Sentinel" not in email
    page.goto(f"{stack.base_url}/status#{link}")
    page.get_by_role("heading", name="You're matched").wait_for()
    assert page.url == f"{stack.base_url}/status"  # the token left the address bar
    kept = page.evaluate("Object.values({...sessionStorage}).join(' ')")
    assert link.removesuffix(".someone-else") in kept and "someone-else" not in kept  # a reload starts at the top


def test_a_status_link_with_a_place_opens_the_page_there_once_drawn(
    phone: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    reference, fragment = a_matched_client(http, staff_token, f"place-{uuid.uuid4().hex[:8]}@example.org")
    token = fragment.split(".")[2]
    headers = {"X-Check-In-Token": token}
    scores = {**LOW, "identity": None, "not_working": ""}
    assert http.request("POST", f"/checkins/{reference}/1", scores, headers=headers).json["support_email_sent"]
    link = waited_for(f"status#{reference}.", ".someone-else").split("status#", 1)[1].split()[0]
    phone.goto(f"{stack.base_url}/status#{link}")
    phone.get_by_role("heading", name="You're matched").wait_for()
    # The status page's rematch form carries the place's id; if this page does not draw it yet, a late part
    # of the page stands in for it, far below the top
    phone.evaluate(
        """() => {
          if (document.getElementById("someone-else")) return;
          const main = document.querySelector("main");
          main.append(Object.assign(document.createElement("div"), { style: "height: 3000px" }));
          const place = Object.assign(document.createElement("section"), { id: "someone-else" });
          place.append(Object.assign(document.createElement("h2"), { textContent: "Would you like someone else?" }));
          main.append(place, Object.assign(document.createElement("div"), { style: "height: 3000px" }));
        }"""
    )
    phone.wait_for_function(
        """() => {
          const top = document.getElementById("someone-else").getBoundingClientRect().top;
          return top >= -1 && top < window.innerHeight / 2;
        }"""
    )
    assert phone.evaluate("document.getElementById('someone-else').contains(document.activeElement)")
