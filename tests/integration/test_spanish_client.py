"""A client who writes in Spanish, through the real handlers: the reasons are written in Spanish when the match
is made and stored so; the shortlist's other words follow the page's `?lang=` (or else the intake's
language); responses about the intake say which language it is in; staff see it in the queue and the
detail. An unknown language is English, never an error."""

from typing import Any

import pytest

from infra.local.provision import LocalStack
from shared.domain.labels import LABELS
from tests.factories import counselor_body, weekday_schedule
from tests.integration.harness import Api, api_with, expect, submit

ENGLISH_CLIENT_WORDS = frozenset(text for table in LABELS.values() for text in table.values())


@pytest.fixture
def client_first(aws: LocalStack) -> Api:
    return api_with(aws, BookingPolicy="client-first")


def shortlist(api: Api, submitted: dict[str, Any], query: str = "") -> dict[str, Any]:
    reply = api.get(
        f"/intakes/{submitted['reference']}/shortlist{query}", headers={"X-Status-Token": submitted["status_token"]}
    )
    return dict(expect(200, reply).json)


def spanish_client(api: Api, locale: str = "es") -> dict[str, Any]:
    for name, fee in (("Maya Okafor", 120), ("Daniel Reyes", 260)):
        body = counselor_body(
            name=name,
            schedule=weekday_schedule(),
            fee_per_session=fee,
            languages=["en", "es"],
            concerns_primary=["anxiety"],
            lgbtq_affirming=True,
        )
        expect(201, api.post("/admin/counselors", body, as_="admin"))
    return dict(
        expect(
            201,
            submit(
                api,
                locale=locale,
                languages={"languages": ["es"], "importance": "must_have"},
                identity={"wants_affirming": True, "importance": "important"},
            ),
        ).json
    )


def test_a_spanish_intake_reads_its_shortlist_in_spanish(client_first: Api) -> None:
    # Given a client who sent the intake from the Spanish pages
    submitted = spanish_client(client_first, "es-MX")
    # When they read their shortlist on a Spanish page
    body = shortlist(client_first, submitted, "?lang=es&time_zone=America/Chicago")
    # Then every word the service wrote for them is Spanish
    assert body["open"] is True and body["locale"] == "es"
    cheaper, dearer = sorted(body["entries"], key=lambda e: e["cost"]["fee_per_session"])
    assert cheaper["reasons"] == [
        "Se especializa en ansiedad",
        "Ofrece sesiones en español",
        "Afirmativo con personas LGBTQ+",
        "La tarifa está dentro de lo que usted puede pagar",
    ]
    assert cheaper["cost"]["summary"] == "$120 por sesión, dentro de los $200 que usted dijo que puede pagar."
    assert dearer["cost"]["summary"] == "$260 por sesión, más de los $200 que usted dijo que puede pagar."
    topics = {w["factor"]: w["topic"] for w in cheaper["wishes"]}
    assert topics["primary_concern"] == "Su motivo principal de consulta"
    assert topics["language"] == "Su idioma"
    for entry in body["entries"]:
        for words in [*entry["reasons"], entry["cost"]["summary"], *(w["topic"] for w in entry["wishes"])]:
            assert words not in ENGLISH_CLIENT_WORDS, words
    # and the status page knows the language its reasons are in
    status = client_first.get(
        f"/intakes/{submitted['reference']}/status", headers={"X-Status-Token": submitted["status_token"]}
    )
    assert expect(200, status).json["locale"] == "es"


def test_an_english_page_gets_its_own_words_and_is_told_the_reasons_language(client_first: Api) -> None:
    # Given a Spanish intake, read from an English page
    submitted = spanish_client(client_first)
    body = shortlist(client_first, submitted, "?lang=en")
    cheaper = min(body["entries"], key=lambda e: e["cost"]["fee_per_session"])
    # Then the words written now are English, the stored reasons stay Spanish, and `locale` says so
    assert cheaper["cost"]["summary"] == "$120 a session, within the $200 you said you can pay."
    assert {w["topic"] for w in cheaper["wishes"]} >= {"Your main concern", "Your language"}
    assert cheaper["reasons"][0] == "Se especializa en ansiedad"
    assert body["locale"] == "es"
    # and without `lang` the words follow the intake's language
    unasked = shortlist(client_first, submitted)["entries"][0]["cost"]["summary"]
    assert unasked.endswith("que usted dijo que puede pagar.")


def test_staff_see_the_clients_language_in_the_queue_and_the_detail(client_first: Api) -> None:
    submitted = spanish_client(client_first)
    english = expect(201, submit(client_first)).json
    queue = expect(200, client_first.get("/review/intakes", as_="staff")).json["items"]
    languages = {item["reference"]: item["locale"] for item in queue}
    assert languages[submitted["reference"]] == "es"
    assert languages[english["reference"]] == "en"
    detail = expect(200, client_first.get(f"/review/intakes/{submitted['reference']}", as_="staff")).json
    assert detail["locale"] == "es"
    # staff reasons stay in English for the staff's console
    assert detail["match"]["suggestions"][0]["reasons"][0].startswith("Specializes in anxiety")


@pytest.mark.parametrize("code", ["xx", "klingon", "", "e" * 40])
def test_an_unknown_language_reads_as_english_without_an_error(client_first: Api, code: str) -> None:
    submitted = spanish_client(client_first, code)
    body = shortlist(client_first, submitted, f"?lang={code}")
    assert body["locale"] == "en"
    assert min(body["entries"], key=lambda e: e["cost"]["fee_per_session"])["reasons"][0] == "Specializes in anxiety"
