"""A real Chromium (Debian's package) driven by Playwright against `make run`'s stack."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local import outbox
from infra.template import ROOT
from tests.stack.conftest import admin_token, http, stack, staff_token  # noqa: F401 - shared fixtures

SCREENSHOTS = ROOT / ".artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        message = "No Chromium found (install Debian's chromium package, or set CHROMIUM): browser tests skipped"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "cannot run, and REQUIRE_BROWSER is set"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


CLIENT_ZONE = "America/New_York"  # a client's own zone, unlike the demo counselors' (Los Angeles)


def context(
    browser: Any,
    width: int,
    height: int,
    mobile: bool,
    timezone_id: str | None = CLIENT_ZONE,
    locale: str | None = None,
) -> Any:
    """A browser context of that size (a touch phone when `mobile`), in `timezone_id` (None: the machine's),
    whose browser prefers `locale` ("es-MX"; None: the machine's)."""
    zone = {"timezone_id": timezone_id} if timezone_id else {}
    language = {"locale": locale} if locale else {}
    viewport = {"width": width, "height": height}
    return browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, **zone, **language)


def page_in(
    browser: Any,
    width: int,
    height: int,
    mobile: bool,
    timezone_id: str | None = CLIENT_ZONE,
    locale: str | None = None,
) -> Iterator[Any]:
    """A page in a fresh context, closed afterwards; a JavaScript error on it fails the test."""
    ctx = context(browser, width, height, mobile, timezone_id, locale)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    yield from page_in(browser, 390, 844, True, timezone_id=None)


@pytest.fixture
def desktop(browser: object) -> Iterator[object]:
    yield from page_in(browser, 1366, 900, False, timezone_id=None)


@pytest.fixture
def client_phone(browser: object) -> Iterator[object]:
    """A client's phone, in the client's own time zone."""
    yield from page_in(browser, 390, 844, True)


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def sent_bodies() -> list[str]:
    """The text of every email the local stack sent: simple ones and raw MIME ones (the booking emails, which
    other tests' bookings leave in the same moto backend) alike."""
    return [outbox.shown(message).body for message in outbox.sent_messages()]


# The controls on the page whose hit area is under `minimum` CSS pixels either way (WCAG 2.5.5's 44). A
# checkbox or radio counts with its label (tapping the label checks it); a link inside a sentence is
# exempt, as the guideline exempts inline links.
_SMALL_TAP_TARGETS = """(minimum) => {
  const small = [];
  const box = (node) => node.getBoundingClientRect();
  const visible = (r) => r.width > 0 && r.height > 0;
  const controls = "main a[href], main button, main summary, main select, main input:not([type=hidden])";
  for (const node of document.querySelectorAll(controls)) {
    let r = box(node);
    if (!visible(r)) continue;
    if (node.tagName === "A") {
      const block = node.closest("p, li");
      if (block && block.textContent.trim() !== node.textContent.trim()) continue;
    }
    if (node.labels && node.labels.length) {
      for (const label of node.labels) {
        const l = box(label);
        if (!visible(l)) continue;
        const left = Math.min(r.left, l.left), top = Math.min(r.top, l.top);
        r = { width: Math.max(r.right, l.right) - left, height: Math.max(r.bottom, l.bottom) - top };
      }
    }
    if (r.width < minimum || r.height < minimum) {
      const what = `${node.tagName.toLowerCase()} ${node.name || node.textContent.trim().slice(0, 30)}`;
      small.push(`${what}: ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return small;
}"""


def small_tap_targets(page: Any, minimum: int = 44) -> list[str]:
    return list(page.evaluate(_SMALL_TAP_TARGETS, minimum))


def no_axe_violations(page: Any, where: str = "") -> None:
    """axe-core finds nothing on the page, whatever the impact."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert not violations, (where, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations])


def no_sideways_scroll(page: Any, where: str = "") -> None:
    """Nothing on the page is wider than the window (the page does not scroll sideways)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{where}: the page scrolls sideways, {widths[0]} px wide in {widths[1]} px"
