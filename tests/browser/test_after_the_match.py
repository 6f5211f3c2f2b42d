"""One client, in a real browser, from the intake form to a match, two check-ins and a rematch, following
the links in the emails the local outbox page shows; staff work the console beside them."""

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from infra.local import demo
from infra.local.stack import RunningStack
from shared.dal.dynamodb import DynamoRepository
from shared.services.bond import send_due_check_ins
from tests.browser.conftest import no_sideways_scroll, screenshot, sent_bodies, small_tap_targets
from tests.browser.intake_flow import fill_intake
from tests.browser.test_console_and_pages import sign_in
from tests.factories import intake_body
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

QUESTIONS = {
    "trust": "I felt I could trust my counselor.",
    "understood": "I felt my counselor understood me.",
    "respected": "I felt respected.",
    "agenda": "We talked about what I wanted to talk about, in a way that worked for me.",
    "overall": "Overall, counseling with this counselor is working for me.",
    "identity": "My counselor understood my values, culture and faith, as far as they matter to me.",
}


def email_link(page: Any, stack: RunningStack, reference: str, kind: str, number: int | None = None) -> str:
    """Opens the local outbox, as a person trying the product would, and returns the newest link of `kind`
    ("status" or "checkin") for this reference, and for a check-in that check-in's number (an earlier check-in's
    link is already in the outbox while the next one is on its way: the notifier sends moments after the change)."""
    pattern = re.compile(rf"{kind}#{reference}\." + (rf"{number}\." if number is not None else ""))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page.goto(f"{stack.base_url}/outbox")
        links = [a for a in page.get_by_role("link").all() if pattern.search(a.get_attribute("href") or "")]
        if links:
            return str(links[0].get_attribute("href"))  # newest first
        page.wait_for_timeout(500)  # the outbox page is static: look again shortly
    raise AssertionError(f"no {kind} email {number or ''} for {reference} in the outbox")


def assert_accessible(page: Any) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def on_screen(locator: Any) -> bool:
    """Whether the element is within the visible part of the page (not scrolled off)."""
    inside = "n => { const r = n.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    return bool(locator.evaluate(inside))


def answer_check_in(page: Any, scores: dict[str, int | None], not_working: str = "") -> None:
    for item, score in scores.items():
        group = page.get_by_role("group", name=QUESTIONS[item])
        if score is None:
            group.get_by_label("Doesn't apply to me").check()
        else:
            group.get_by_label(str(score), exact=True).check()
    if not_working:
        page.get_by_label("Is anything not working for you?").fill(not_working)
    page.get_by_role("button", name="Send my check-in").click()
    page.get_by_role("heading", name="Thank you").wait_for()


def test_one_client_from_intake_to_match_to_two_check_ins_to_a_rematch(
    phone: Any, desktop: Any, stack: RunningStack, http: Http
) -> None:
    # The client fills in the intake on a phone.
    phone.goto(stack.base_url + "/")
    phone.evaluate("sessionStorage.clear()")
    phone.reload()
    fill_intake(phone, name="Jordan Vale")
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you. We have your answers.").wait_for()
    ref = phone.locator("#reference").inner_text()

    # The confirmation email carries the private status link.
    phone.goto(email_link(phone, stack, ref, "status"))
    phone.get_by_role("heading", name="We have your answers").wait_for()

    # Staff assign the best suggestion in the console.
    sign_in(desktop, stack, *demo.STAFF_USER)
    desktop.goto(f"{stack.base_url}/console#{ref}")
    desktop.get_by_role("heading", name=f"Intake {ref}").wait_for()
    first = desktop.locator("article.card").first
    counselor = first.locator("h3").inner_text().split("\n")[0].rsplit(" ", 1)[0].strip()
    first.get_by_role("button", name="Assign").click()
    desktop.get_by_role("alert").filter(has_text="Assigned.").wait_for()

    # "You're matched": the email's fresh link shows the counselor.
    matched_link = email_link(phone, stack, ref, "status")
    phone.goto(matched_link)
    phone.get_by_role("heading", name="You're matched").wait_for()
    assert counselor in phone.locator("main").inner_text()

    # After the first session the client is sent a check-in, and answers it.
    desktop.get_by_role("button", name="Record a session held").click()
    desktop.get_by_role("alert").filter(has_text="Session 1 recorded. A check-in was emailed").wait_for()
    phone.goto(email_link(phone, stack, ref, "checkin", number=1))
    phone.get_by_text(f"About your sessions with {counselor}").wait_for()
    screenshot(phone, "check-in")
    assert_accessible(phone)
    answer_check_in(phone, {"trust": 9, "understood": 9, "respected": 10, "agenda": 9, "overall": 9, "identity": 9})
    phone.reload()  # the same link again: a check-in is sent once, and the page says so kindly
    phone.get_by_role("heading", name="We already have this check-in").wait_for()

    # Sessions two and three; the third sends the second check-in, which is lower.
    desktop.get_by_role("button", name="Record a session held").click()
    desktop.get_by_role("alert").filter(has_text="Session 2 recorded.").wait_for()
    desktop.get_by_role("button", name="Record a session held").click()
    desktop.get_by_role("alert").filter(has_text="Session 3 recorded. A check-in was emailed").wait_for()
    phone.goto(email_link(phone, stack, ref, "checkin", number=2))
    answer_check_in(
        phone,
        {"trust": 6, "understood": 5, "respected": 8, "agenda": 5, "overall": 5, "identity": None},
        not_working="We keep running out of time for what I came to talk about.",
    )

    # Staff see the warning, the trend and the client's words.
    desktop.goto(f"{stack.base_url}/console#queue?stage=attention")
    desktop.get_by_role("heading", name="Needs attention").wait_for()
    desktop.get_by_role("link", name=ref).click()
    desktop.get_by_role("heading", name="The bond may be at risk").wait_for()
    text = desktop.locator("main").inner_text()
    assert "We keep running out of time" in text
    assert desktop.get_by_role(
        "img", name=re.compile(r"Bond over time: check-in 1: overall 9.*check-in 2: overall 5")
    ).is_visible()
    screenshot(desktop, "console-bond-at-risk")
    assert_accessible(desktop)

    # The client asks for someone else from the status page.
    phone.goto(matched_link)
    phone.get_by_role("heading", name="Would you like a different counselor?").wait_for()
    screenshot(phone, "status-rematch")
    assert_accessible(phone)
    phone.get_by_role("button", name="Ask for a different counselor").click()
    empty = phone.get_by_text("Tell us in a few words")
    empty.wait_for()  # an empty request is caught at the choices, and the message is on screen
    assert on_screen(empty)
    # Their answers named no background: the page asks which, beside the choice, and the refusal is in view.
    phone.get_by_label("Someone who shares my cultural background").check()
    phone.get_by_role("button", name="Ask for a different counselor").click()
    refusal = phone.get_by_text("Choose which background")
    refusal.wait_for()
    assert on_screen(refusal)
    phone.get_by_label("Someone who shares my cultural background").uncheck()
    # What to change is a choice that counts (a must-have next time), with words for staff beside it.
    phone.get_by_label("A different style").check()
    phone.get_by_label("How structured").select_option("structured")
    phone.get_by_label("Other times").check()
    phone.get_by_label("Monday evening").check()
    phone.get_by_label("Thursday evening").check()
    screenshot(phone, "status-rematch-choices")
    assert_accessible(phone)
    assert not small_tap_targets(phone)  # every control a thumb can hit: 44 px or more
    no_sideways_scroll(phone)
    phone.get_by_label("Anything else our team should know?").fill("Someone who keeps more structure to sessions.")
    phone.get_by_role("button", name="Ask for a different counselor").click()
    phone.get_by_role("heading", name="Thank you for telling us").wait_for()
    shown = phone.locator("main").inner_text()
    assert "counts as a must-have in your new match: Other times; A different style" in shown
    # Meanwhile the page says what happens, not "we have your answers" as if nothing had happened.
    phone.get_by_role("heading", name="We're finding you someone else").wait_for()
    assert "we won't suggest the counselor you moved on from again" in phone.locator("main").inner_text()
    screenshot(phone, "status-finding-someone-else")

    # Staff find the intake back in the open queue, with new suggestions that leave the first counselor out.
    desktop.reload()  # the console was showing this intake: load it afresh
    desktop.get_by_role("heading", name=f"Intake {ref}").wait_for()
    text = desktop.locator("main").inner_text()
    assert "The client asked to move on from" in text
    assert "Client asked for a different counselor" in text
    assert "Someone who keeps more structure" in text
    assert "Matched again after the client asked for: Other times; A different style" in text
    assert 'In their words: "Someone who keeps more structure to sessions."' in text
    names = [h.split("\n")[0].rsplit(" ", 1)[0].strip() for h in desktop.locator("article.card h3").all_inner_texts()]
    assert names and counselor not in names


def a_check_in_through_the_api(stack: RunningStack, http: Http, staff_token: str) -> None:
    """So the report has a check-in to draw, whichever tests ran before on this shared stack."""
    submitted = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex}).json
    reference = submitted["reference"]
    staff = {"Authorization": staff_token}
    best = http.request("GET", f"/review/intakes/{reference}", headers=staff).json["match"]["suggestions"][0]
    assigned = http.request(
        "POST", f"/review/intakes/{reference}/assignment", {"counselor_id": best["counselor_id"]}, headers=staff
    )
    assert assigned.status == 200
    held = http.request("POST", f"/review/intakes/{reference}/sessions", headers=staff)
    assert held.status == 200 and held.json["check_in_sent"] is True
    deadline = time.monotonic() + 30
    while not (links := [b for b in sent_bodies() if f"checkin#{reference}.1." in b]):
        assert time.monotonic() < deadline, "no check-in email"
        time.sleep(0.3)  # the notifier runs on its own thread: poll its outbox, bounded by the deadline
    token = links[0].split("checkin#", 1)[1].split()[0].split(".")[2]
    answers = {"trust": 8, "understood": 8, "respected": 9, "agenda": 8, "overall": 8, "identity": 8}
    assert http.request("POST", f"/checkins/{reference}/1", answers, headers={"X-Check-In-Token": token}).status == 201


def test_the_match_quality_report_draws_its_charts(
    desktop: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    a_check_in_through_the_api(stack, http, staff_token)
    sign_in(desktop, stack, *demo.STAFF_USER)
    desktop.get_by_role("link", name="Match quality").click()
    desktop.get_by_role("heading", name="Match quality").wait_for()
    charts = desktop.get_by_role("img")
    assert charts.count() == 2
    assert "by the match score of the assignment" in (charts.first.get_attribute("aria-label") or "")
    assert "Clients by how long they waited for their first match" in (charts.last.get_attribute("aria-label") or "")
    assert "nothing that rests on fewer than 5 clients is shown" in desktop.locator("main").inner_text()
    screenshot(desktop, "console-report")
    assert_accessible(desktop)


def test_an_unknown_check_in_link_gets_a_clear_page_and_the_page_is_accessible(phone: Any, stack: RunningStack) -> None:
    phone.goto(f"{stack.base_url}/checkin#in-aaaaaaaaaaaaaaaaaaaa.1.token-that-is-long-enough")
    phone.get_by_role("heading", name="We couldn't find this check-in").wait_for()
    assert_accessible(phone)


def test_a_check_in_sent_by_the_day_schedule_says_so_in_the_console(
    desktop: Any, stack: RunningStack, http: Http, staff_token: str
) -> None:
    submitted = http.request("POST", "/intakes", intake_body(), headers={"Idempotency-Key": uuid.uuid4().hex}).json
    reference = submitted["reference"]
    staff = {"Authorization": staff_token}
    best = http.request("GET", f"/review/intakes/{reference}", headers=staff).json["match"]["suggestions"][0]
    assigned = http.request(
        "POST", f"/review/intakes/{reference}/assignment", {"counselor_id": best["counselor_id"]}, headers=staff
    )
    assert assigned.status == 200
    # No session is marked. The schedule's own code runs as it would 15 days from now (the stack's functions
    # cannot be moved in time).
    store = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    later = datetime.now(UTC) + timedelta(days=15)
    run = send_due_check_ins(store, lambda: later, link_days=14, limit=100)
    assert reference in run.sent
    sign_in(desktop, stack, *demo.STAFF_USER)
    desktop.goto(f"{stack.base_url}/console#{reference}")
    desktop.get_by_role("heading", name=f"Intake {reference}").wait_for()
    desktop.get_by_role("cell", name="14 days after the match").wait_for()
