"""The local stack protects data and refuses oversized bodies as template.yaml and API Gateway do: its tables
have point-in-time recovery and deletion protection, and its gateway answers a body that is too large from
the declared length, before reading it."""

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from infra import template
from infra.local.gateway import API_GATEWAY_BODY_LIMIT, Gateway, listen, serve
from infra.local.provision import LocalStack


def test_the_local_tables_have_the_backups_and_deletion_protection_the_template_declares(aws: LocalStack) -> None:
    dynamodb = aws.client("dynamodb")
    declared = {name: table["Properties"] for name, table in template.resources("AWS::DynamoDB::Table").items()}
    local = {"Table": aws.table_name, "IdempotencyTable": aws.idempotency_table_name}
    assert set(declared) == set(local)
    for logical_id, name in local.items():
        props = declared[logical_id]
        table = dynamodb.describe_table(TableName=name)["Table"]
        assert table["DeletionProtectionEnabled"] is props["DeletionProtectionEnabled"] is True
        backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        recovery = backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert recovery == "ENABLED"
        with pytest.raises(dynamodb.exceptions.ClientError, match="DeletionProtectionEnabled"):
            dynamodb.delete_table(TableName=name)


class _Counting:
    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, event: Any) -> Any:
        self.calls += 1
        return {"statusCode": 201, "headers": {"Content-Type": "application/json"}, "body": "{}"}


class _NoTokens:
    def claims(self, token: str) -> dict[str, str] | None:
        return None


@pytest.fixture
def gateway_port() -> Iterator[tuple[int, _Counting]]:
    function = _Counting()
    pools = {route.function: function for route in template.routes()}
    server = serve(Gateway(template.routes(), pools, _NoTokens()), "127.0.0.1", 0, lambda line: None)
    try:
        yield server.server_address[1], function
    finally:
        server.shutdown()
        server.server_close()


def _send(port: int, content_length: str, body: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(
            b"POST /intakes HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {content_length}\r\n\r\n".encode()
            + body
        )
        # Only part of the declared body is ever sent: a gateway that waits for the rest never answers.
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length_of(answer):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def _length_of(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def test_the_local_gateway_refuses_a_body_over_the_limit_without_reading_it(
    gateway_port: tuple[int, _Counting],
) -> None:
    port, function = gateway_port
    answer = _send(port, str(API_GATEWAY_BODY_LIMIT + 1), b"{" * 1024)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"code":"too_large"' in answer
    assert function.calls == 0


def test_the_local_gateway_refuses_a_length_that_is_not_a_length(gateway_port: tuple[int, _Counting]) -> None:
    port, function = gateway_port
    for declared in ("-1", "12abc"):
        assert _send(port, declared, b"{}").startswith(b"HTTP/1.1 400")
    assert function.calls == 0


def test_the_local_gateway_still_passes_a_body_within_the_limit(gateway_port: tuple[int, _Counting]) -> None:
    port, function = gateway_port
    assert _send(port, "2", b"{}").startswith(b"HTTP/1.1 201")
    assert function.calls == 1


def test_a_connection_the_browser_closed_is_not_reported_as_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A browser leaving a page before its response closes the connection; `make run`'s output should show
    only real errors, which still print with their traceback."""
    server = listen("127.0.0.1", 0)
    try:
        for error in (BrokenPipeError(), ConnectionResetError(), ValueError("a real error")):
            try:
                raise error
            except Exception:
                server.handle_error(server.socket, ("127.0.0.1", 1))
    finally:
        server.server_close()
    printed = capsys.readouterr().err
    assert "BrokenPipeError" not in printed and "ConnectionResetError" not in printed
    assert "ValueError: a real error" in printed
