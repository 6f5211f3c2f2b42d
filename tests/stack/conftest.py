import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from infra.local import demo
from infra.local.stack import RunningStack, start


@dataclass
class HttpReply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Http:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> HttpReply:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return HttpReply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return HttpReply(error.code, dict(error.headers), error.read())

    def every(self, path: str, headers: dict[str, str] | None = None, pages: int = 100) -> list[Any]:
        """Every item of a paged listing: the stack is shared, so what a test looks for may be on any page."""
        items: list[Any] = []
        cursor = ""
        for _ in range(pages):
            reply = self.request("GET", f"{path}{'&' if '?' in path else '?'}limit=100{cursor}", headers=headers)
            assert reply.status == 200, reply.status
            items += reply.json["items"]
            if not reply.json["next"]:
                return items
            cursor = f"&cursor={reply.json['next']}"
        raise AssertionError(f"{path} has more than {pages} pages")


def sign_in(stack: RunningStack, username: str, password: str) -> str:
    """The console's sign-in: USER_PASSWORD_AUTH against the user pool's endpoint, as a browser sends it."""
    config = json.loads(urllib.request.urlopen(f"{stack.base_url}/config.json", timeout=10).read())
    request = urllib.request.Request(
        config["cognitoEndpoint"],
        data=json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": config["userPoolClientId"],
                "AuthParameters": {"USERNAME": username, "PASSWORD": password},
            }
        ).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
    )
    return str(json.loads(urllib.request.urlopen(request, timeout=10).read())["AuthenticationResult"]["IdToken"])


_stacks = itertools.count()  # the browser suite starts its own stack; in one process each needs its own names


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    running = start(port=0, log=lambda line: None, prefix=f"stack{next(_stacks)}")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def http(stack: RunningStack) -> Http:
    return Http(stack.base_url)


@pytest.fixture(scope="session")
def staff_token(stack: RunningStack) -> str:
    return sign_in(stack, *demo.STAFF_USER)


@pytest.fixture(scope="session")
def admin_token(stack: RunningStack) -> str:
    return sign_in(stack, *demo.ADMIN_USER)


@pytest.fixture(scope="session")
def counselor_token(stack: RunningStack) -> str:
    return sign_in(stack, *demo.COUNSELOR_USER)
