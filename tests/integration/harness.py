"""Runs the real handlers in this process against moto, behind the same routing the local gateway uses.

Each `InProcessFunction` is one Lambda execution environment: its handler module is imported fresh with
the function's environment from template.yaml. Requests to staff routes carry the claims API Gateway's
Cognito authorizer would pass (real token verification is covered by the local stack tests).
"""

import itertools
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from infra import template
from infra.local.events import LambdaContext
from infra.local.gateway import Gateway
from infra.local.provision import LocalStack
from shared.domain.counselor import CounselorProfile
from tests.factories import intake_body

_modules = itertools.count()


class InProcessFunction:
    def __init__(self, stack: LocalStack, function: str) -> None:
        self.name = function
        handler_file, self.attribute = template.function_module(function)
        env = stack.function_environment(function)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            self.module: ModuleType = template.load_module(handler_file, f"{function}_{next(_modules)}")
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def invoke(self, event: Any) -> Any:
        return getattr(self.module, self.attribute)(event, LambdaContext(self.name))


STAFF = {"sub": "staff-1", "cognito:username": "staff@practice.example", "cognito:groups": "staff"}
ADMIN = {"sub": "admin-1", "cognito:username": "admin@practice.example", "cognito:groups": "staff,admin"}
OUTSIDER = {"sub": "nobody-1", "cognito:username": "someone@example.org", "cognito:groups": ""}
# A counselor-group sign-in linked to no profile (counselor_sign_in gives one that is).
COUNSELOR = {"sub": "counselor-1", "cognito:username": "unlinked@practice.example", "cognito:groups": "counselor"}


class ClaimsByToken:
    """Stands in for the Cognito authorizer: a token names a claims set."""

    tokens: Mapping[str, Mapping[str, str]] = {
        "staff": STAFF,
        "admin": ADMIN,
        "outsider": OUTSIDER,
        "counselor": COUNSELOR,
    }

    def claims(self, token: str) -> dict[str, str] | None:
        found = self.tokens.get(token)
        return dict(found) if found is not None else None


@dataclass
class Reply:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        for key, values in self.headers.items():
            if key.lower() == name.lower():
                return values[0]
        return None


class Api:
    """Sends HTTP-like requests through the template's routes to in-process functions."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.functions = {f: InProcessFunction(stack, f) for f in template.resources("AWS::Serverless::Function")}
        self.gateway = Gateway(template.routes(), self.functions, ClaimsByToken())

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_: str | None = None,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        if payload and raw is None:
            sent.setdefault("Content-Type", "application/json")
        if as_:
            sent["Authorization"] = as_
        status, out_headers, content = self.gateway.handle(method, path, sent, payload)
        return Reply(status, out_headers, content)

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.request("POST", path, body, **kwargs)


def api_with(stack: LocalStack, **parameters: str) -> Api:
    """The functions as deployed with these template parameters (e.g. BookingPolicy="client-first")."""
    return Api(replace(stack, parameters={**stack.parameters, **parameters}))


def deliver_events(api: Api) -> int:
    """What EventBridge does with the notifier's rule: hand each matching event to the notifier."""
    sqs = api.stack.client("sqs")
    delivered = 0
    for _ in range(1000):  # bounded: a notifier that kept raising events would otherwise loop forever
        messages = sqs.receive_message(QueueUrl=api.stack.notifier_queue_url, MaxNumberOfMessages=10)
        if not messages.get("Messages"):
            return delivered
        for message in messages["Messages"]:
            api.functions["NotifierFunction"].invoke(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=api.stack.notifier_queue_url, ReceiptHandle=message["ReceiptHandle"])
            delivered += 1
    raise AssertionError("the notifier's queue never emptied")


def sweep_outbox(api: Api) -> Any:
    """What the notifier's schedule does every five minutes."""
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    return api.functions["NotifierFunction"].invoke(event)


def run_check_in_schedule(api: Api) -> Any:
    """What the check-in schedule does every fifteen minutes."""
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    return api.functions["CheckInScheduleFunction"].invoke(event)


def _ses_sent() -> list[Any]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def sent_emails(to: str | None = None) -> list[Any]:
    """Plain emails SES (moto) accepted, optionally only those to one address (raw ones: `raw_emails`)."""
    sent = [e for e in _ses_sent() if isinstance(e.destinations, dict)]
    return [e for e in sent if to is None or e.destinations["ToAddresses"] == [to]]


def raw_emails(to: str) -> list[Any]:
    """MIME emails SES (moto) accepted for one address (the booking emails, with their invitations), parsed."""
    import email
    from email.policy import default

    sent = [e for e in _ses_sent() if isinstance(e.destinations, list) and to in e.destinations]
    return [email.message_from_string(e.raw_data, policy=default) for e in sent]


def expect(status: int, reply: Reply) -> Reply:
    """The reply, once it is known to have the status a step needs: a setup step that silently failed would let a
    test pass having checked nothing."""
    assert reply.status == status, (status, reply.status, reply.body[:300])
    return reply


def stored_items(stack: LocalStack) -> list[Any]:
    """Every item in the service's tables, in a stable order (test inspection only): equal before and after a
    request means the request changed nothing."""
    client = stack.client("dynamodb")
    items = []
    for table in (stack.table_name, stack.idempotency_table_name):
        items += client.scan(TableName=table)["Items"]
    return sorted(items, key=repr)


# ---------------------------------------------------------------- intakes and after the match


def submit(api: Api, body: dict[str, Any] | None = None, key: str | None = None, **changes: Any) -> Any:
    return api.post(
        "/intakes",
        body if body is not None else intake_body(**changes),
        headers={"Idempotency-Key": key or uuid.uuid4().hex},
    )


CLIENT = "client@example.org"
GOOD = {"trust": 9, "understood": 9, "respected": 10, "agenda": 9, "overall": 9, "identity": 9}


def status_link(text: str) -> tuple[str, str]:
    found = re.findall(r"status#(in-[a-z2-7]{20})\.([A-Za-z0-9_\-]+)", text)
    assert found, "no status link in the email"
    return found[-1]


def check_in_link(text: str) -> tuple[str, int, str]:
    (found,) = re.findall(r"checkin#(in-[a-z2-7]{20})\.(\d+)\.([A-Za-z0-9_\-]+)", text)
    return found[0], int(found[1]), found[2]


def matched_client(api: Api, counselor: CounselorProfile, **changes: Any) -> str:
    """Submits an intake and assigns `counselor` to it; returns the reference."""
    reference: str = matched_submission(api, counselor, **changes)["reference"]
    return reference


def hold_session(api: Api, reference: str) -> dict[str, Any]:
    reply = api.post(f"/review/intakes/{reference}/sessions", as_="staff")
    assert reply.status == 200, reply.json
    body: dict[str, Any] = reply.json
    return body


def latest_check_in(api: Api) -> tuple[str, int, str]:
    deliver_events(api)
    invitations = [e for e in sent_emails(CLIENT) if "checkin#" in e.body]
    return check_in_link(invitations[-1].body)


def send_check_in(api: Api, link: tuple[str, int, str], **answers: Any) -> Any:
    reference, number, token = link
    return api.post(f"/checkins/{reference}/{number}", {**GOOD, **answers}, headers={"X-Check-In-Token": token})


def rated_by(api: Api, counselor: CounselorProfile, ratings: int, identity: int) -> None:
    for _ in range(ratings):
        reference = matched_client(api, counselor)
        hold_session(api, reference)
        assert send_check_in(api, latest_check_in(api), identity=identity).status == 201


# ---------------------------------------------------------------- what is stored (inspection only)


def partition_items(stack: LocalStack, pk: str) -> list[dict[str, Any]]:
    """Every stored item of one partition, read straight from the table."""
    client = stack.client("dynamodb")
    found: list[dict[str, Any]] = []
    query: dict[str, Any] = {
        "TableName": stack.table_name,
        "KeyConditionExpression": "PK = :pk",
        "ExpressionAttributeValues": {":pk": {"S": pk}},
        "ConsistentRead": True,
    }
    while True:
        page = client.query(**query)
        found.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return found
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def stored_counselor(stack: LocalStack, counselor_id: str) -> dict[str, Any]:
    (item,) = [i for i in partition_items(stack, f"COUNSELOR#{counselor_id}") if i["SK"]["S"] == "PROFILE"]
    return item


def new_counselor(api: Api, **changes: Any) -> CounselorProfile:
    """A counselor created through the admin API (the factory's defaults fit the default intake)."""
    from tests.factories import counselor_body

    reply = api.post("/admin/counselors", counselor_body(**changes), as_="admin")
    assert reply.status == 201, reply.json
    return CounselorProfile.model_validate(reply.json)


def matched_submission(api: Api, counselor: CounselorProfile, email: str = CLIENT, **changes: Any) -> dict[str, Any]:
    """Submits an intake and assigns `counselor` to it; returns the submit response (reference and token)."""
    submitted: dict[str, Any] = expect(201, submit(api, contact={"name": "Sam Rivera", "email": email}, **changes)).json
    expect(
        200,
        api.post(
            f"/review/intakes/{submitted['reference']}/assignment",
            {"counselor_id": counselor.counselor_id, "reason": "Chosen for the tests in this module"},
            as_="staff",
        ),
    )
    return submitted


def counselor_sign_in(api: Api, counselor: CounselorProfile, email: str | None = None) -> str:
    """Invites the counselor through the admin API (a real user pool account, in the counselor group) and
    returns a token name whose claims are that account's, as the Cognito authorizer would pass them."""
    address = email or f"{counselor.counselor_id}@practice.example"
    reply = api.post(f"/admin/counselors/{counselor.counselor_id}/sign-in", {"email": address}, as_="admin")
    assert reply.status == 201, reply.json
    user = api.stack.client("cognito-idp").admin_get_user(UserPoolId=api.stack.user_pool_id, Username=address)
    sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    token = f"counselor:{counselor.counselor_id}"
    ClaimsByToken.tokens = {
        **ClaimsByToken.tokens,
        token: {"sub": sub, "email": address, "cognito:groups": "counselor"},
    }
    return token


# What the client's status response may carry, written out here (not read from the model), so a field added to
# the response fails the allow-list tests until it is added on purpose.
STATUS_FIELDS = {"reference", "stage", "updated_at", "counselor", "can_request_rematch", "booking", "urgent", "locale"}
