"""Staff see the client's language in the console (which stays in English): in the queue for a client whose
pages, emails and reasons are not in English, and on every intake."""

from typing import Any

import pytest

from infra.local import demo
from infra.local.stack import RunningStack
from tests.browser.conftest import no_axe_violations, no_sideways_scroll, screenshot
from tests.browser.test_console_and_pages import sign_in, submitted_intake
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_console_shows_the_clients_language_in_english(
    device: str, request: pytest.FixtureRequest, stack: RunningStack, http: Http
) -> None:
    page: Any = request.getfixturevalue(device)
    spanish = submitted_intake(http, locale="es-MX")
    english = submitted_intake(http)
    sign_in(page, stack, *demo.STAFF_USER)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=spanish["reference"]))
    row.get_by_text("Client's language: Spanish").wait_for()
    other = page.get_by_role("row").filter(has=page.get_by_role("link", name=english["reference"]))
    assert "Client's language" not in other.inner_text()  # English is the usual case: not repeated on every row
    screenshot(page, f"console-queue-client-language-{device}")
    no_axe_violations(page, "queue")
    page.get_by_role("link", name=spanish["reference"]).click()
    page.get_by_role("heading", name=f"Intake {spanish['reference']}").wait_for()
    page.get_by_text("Client's language: Spanish").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, f"console-intake-client-language-{device}")
    no_axe_violations(page, "intake")
    if device == "phone":
        no_sideways_scroll(page, "intake")
    page.goto(f"{stack.base_url}/console#{english['reference']}")
    page.get_by_text("Client's language: English").wait_for()
