"""The client's emails in the client's language, through the real handlers and moto: the language is stored
with the intake when it is sent, queued with each email in the same transaction as the change, and every
email, link and invitation follows it."""

from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from shared.i18n import Locale
from tests.integration.harness import Api, expect, partition_items, submit

CLIENT = "cliente@example.org"


def test_a_queued_email_carries_the_language_of_the_intake_and_one_queued_without_reads_english(
    api: Api, aws: LocalStack, roster: list[CounselorProfile]
) -> None:
    # Given one intake sent from Spanish pages and one from English pages
    spanish = expect(201, submit(api, contact={"name": "Ana", "email": CLIENT}, locale="es-MX")).json["reference"]
    english = expect(201, submit(api, contact={"name": "Sam", "email": "sam@example.org"})).json["reference"]

    # Then each confirmation waits in the outbox with its intake's language
    ((spanish_item,), (english_item,)) = (partition_items(aws, f"OUTBOX#{r}") for r in (spanish, english))
    assert spanish_item["locale"] == {"S": "es"}
    assert english_item["locale"] == {"S": "en"}
    outbox = api.functions["NotifierFunction"].module.outbox()
    assert [p.email.locale for p in outbox.pending_emails(spanish)] == [Locale.ES]

    # And an entry queued before emails had a language reads as English
    aws.client("dynamodb").update_item(
        TableName=aws.table_name,
        Key={"PK": spanish_item["PK"], "SK": spanish_item["SK"]},
        UpdateExpression="REMOVE #locale",
        ExpressionAttributeNames={"#locale": "locale"},
    )
    assert [p.email.locale for p in outbox.pending_emails(spanish)] == [Locale.EN]


def test_the_submit_response_links_to_the_status_page_in_the_language_sent(
    api: Api, roster: list[CounselorProfile]
) -> None:
    spanish = expect(201, submit(api, locale="es")).json
    assert spanish["status_link"] == f"status?lang=es#{spanish['reference']}.{spanish['status_token']}"
    for code in ("en", "fr", "klingon"):  # English, and an unknown language read as English: no parameter
        english = expect(201, submit(api, locale=code)).json
        assert english["status_link"] == f"status#{english['reference']}.{english['status_token']}"
