"""The directory on a phone and a desktop: honest copy, filters by insurance, language, faith, format and
accepting new clients, counted for screen readers, a kind empty result with a way back, compact cards with
the rest of each profile behind a button, and 44-pixel tap targets."""

from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.stack import RunningStack
from tests.browser.conftest import no_axe_violations, page_in, screenshot
from tests.browser.test_low_check_in import small_tap_targets
from tests.stack.conftest import Http

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


@pytest.fixture
def wide(browser: object) -> Iterator[object]:
    yield from page_in(browser, 1280, 900, False, timezone_id=None)


def shown_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("ul.directory-list > li:not([hidden]) article h2").all_inner_texts()]


def name_of(c: dict[str, Any]) -> str:
    return f"{c['name']} ({c['pronouns']})" if c["pronouns"] else str(c["name"])


@pytest.mark.parametrize("device", ["phone", "wide"])
def test_the_directory_filters_the_team_by_what_each_counselor_lists(
    request: pytest.FixtureRequest, device: str, stack: RunningStack, http: Http
) -> None:
    page = request.getfixturevalue(device)
    team = list(http.every("/counselors"))
    page.goto(stack.base_url + "/directory")
    count = page.get_by_role("status")
    count.filter(has_text=f"{len(team)} counselors.").wait_for()
    assert len(shown_names(page)) == len(team)  # everyone, on one page: no "show more"
    lead = page.locator("p.lead").inner_text()
    assert "Every counselor here works from your values" not in lead
    assert "they don't match you with anyone" in lead and "our intake team will suggest" in lead
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    small = small_tap_targets(page, "body")
    assert small == [], "\n".join(map(str, small))
    screenshot(page, f"directory-{device}")
    no_axe_violations(page)

    # Each filter keeps exactly the counselors whose public profile lists the choice, and they add up
    page.get_by_label("Speaks").select_option(label="Spanish")
    spanish = sorted(name_of(c) for c in team if "es" in c["languages"])
    assert 0 < len(spanish) < len(team)
    count.filter(has_text=f"{len(spanish)} of {len(team)} counselors").wait_for()
    assert sorted(shown_names(page)) == spanish
    page.get_by_label("Meets").select_option(label="In person")
    page.get_by_label("Only those accepting new clients").check()
    both = sorted(
        name_of(c)
        for c in team
        if "es" in c["languages"] and "in_person" in c["formats"] and c["accepting_new_clients"]
    )
    count.filter(has_text=f"{len(both)} of {len(team)} counselor").wait_for()
    assert sorted(shown_names(page)) == both
    screenshot(page, f"directory-filtered-{device}")
    no_axe_violations(page)

    # Insurance and faith read the profile's own lists
    page.get_by_role("button", name="Clear filters").click()
    count.filter(has_text=f"{len(team)} counselors.").wait_for()
    carrier = next(c["insurance_panels"][0] for c in team if c["insurance_panels"])
    insured = sorted(name_of(c) for c in team if carrier in c["insurance_panels"])
    insurance = page.get_by_label("Takes my insurance")
    insurance.select_option(value=carrier)
    count.filter(has_text=f"{len(insured)} of {len(team)}").wait_for()
    assert sorted(shown_names(page)) == insured
    faith = next(c["faith_integration"][0] for c in team if c["faith_integration"])
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_label("Can bring this faith into counseling").select_option(value=faith)
    with_faith = sorted(name_of(c) for c in team if faith in c["faith_integration"])
    count.filter(has_text=f"{len(with_faith)} of {len(team)}").wait_for()
    assert sorted(shown_names(page)) == with_faith

    # Nobody fits: the page says so kindly, and one button clears every filter
    languages = {lang for c in team for lang in c["languages"]}
    rare = next(
        lang
        for lang in sorted(languages)
        if not any(lang in c["languages"] and faith in c["faith_integration"] for c in team)
    )
    page.get_by_label("Speaks").select_option(value=rare)
    count.filter(has_text="No counselors match these filters").wait_for()
    assert shown_names(page) == []
    empty = page.locator(".empty-result")
    assert "No counselor lists all of these" in empty.inner_text()
    screenshot(page, f"directory-empty-{device}")
    no_axe_violations(page)
    empty.get_by_role("button", name="Clear all filters").click()
    count.filter(has_text=f"{len(team)} counselors.").wait_for()
    assert (
        page.get_by_label("Speaks").input_value() == ""
        and not page.get_by_label("Only those accepting new clients").is_checked()
    )


def test_a_phone_sees_compact_cards_with_each_profile_behind_a_button(phone: Any, stack: RunningStack) -> None:
    phone.goto(stack.base_url + "/directory")
    phone.get_by_role("heading", name="Maya Okafor").wait_for()
    height = phone.evaluate("document.documentElement.scrollHeight")
    cards = phone.locator("ul.directory-list article").evaluate_all("cards => cards.map(c => c.offsetHeight)")
    print(f"directory at 390 px: {height} px for {len(cards)} cards, the tallest {max(cards)} px")
    # a full card was over 1,100 px on a phone (22,583 px for the first twenty of the demo team)
    assert max(cards) <= 360
    card = phone.locator("article", has=phone.get_by_role("heading", name="Maya Okafor"))
    more = card.get_by_text("More about Maya Okafor")
    assert not card.get_by_text("Specialties").is_visible()
    more.click()
    assert card.get_by_text("Specialties").is_visible()
    screenshot(phone, "directory-card-open")
    no_axe_violations(phone)
