"""The notifier emails the practice about each new intake, with no client details."""

import json

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.local.provision import NOTIFICATION_EMAIL, SENDER_EMAIL, LocalStack
from tests.integration.conftest import submit
from tests.integration.harness import Api


def sent_emails() -> list:
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def practice_emails() -> list:
    return [e for e in sent_emails() if e.destinations["ToAddresses"] == [NOTIFICATION_EMAIL]]


def deliver_events(api: Api, aws: LocalStack) -> None:
    """What EventBridge does: hand each event the notifier's rule matched to the notifier."""
    sqs = aws.client("sqs")
    for message in sqs.receive_message(QueueUrl=aws.notifier_queue_url, MaxNumberOfMessages=10).get("Messages", []):
        api.functions["NotifierFunction"].invoke(json.loads(message["Body"]))


def test_the_practice_is_emailed_a_reference_and_a_console_link_but_no_client_details(
    api: Api, aws: LocalStack, roster: list
) -> None:
    sentinels = ["Sentinel Marigold", "marigold@example.org", "+1 415 555 0199", "Sentinel worry text"]
    reference = submit(
        api,
        contact={"name": sentinels[0], "email": sentinels[1], "phone": sentinels[2]},
        concerns={"concerns": ["anxiety"], "primary": "anxiety", "details": sentinels[3]},
    ).json["reference"]
    deliver_events(api, aws)
    (email,) = practice_emails()
    assert email.source == SENDER_EMAIL
    assert email.destinations["ToAddresses"] == [NOTIFICATION_EMAIL]
    assert reference in email.subject
    assert not email.subject.startswith("URGENT")
    assert f"{aws.base_url}/console#{reference}" in email.body
    for sentinel in sentinels:
        assert sentinel not in email.subject
        assert sentinel not in email.body


def test_an_urgent_intake_is_flagged_in_the_subject(api: Api, aws: LocalStack, roster: list) -> None:
    submit(api, safety="yes")
    deliver_events(api, aws)
    (email,) = practice_emails()
    assert email.subject.startswith("URGENT - New intake")
    assert "YES" in email.body
