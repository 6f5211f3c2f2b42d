"""API Gateway REST (v1) proxy events and a Lambda context, as Lambda delivers them to a handler."""

import base64
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


def rest_api_event(
    *,
    method: str,
    path: str,
    resource: str,
    path_parameters: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    query: str = "",
    body: bytes | str | None = None,
    claims: Mapping[str, str] | None = None,
    source_ip: str = "127.0.0.1",
    stage: str = "local",
) -> dict[str, Any]:
    header_map = dict(headers or {})
    multi_query = parse_qs(query, keep_blank_values=True) if query else None
    is_binary = isinstance(body, bytes)
    if is_binary:
        try:
            text_body: str | None = body.decode("utf-8")  # type: ignore[union-attr]
            is_binary = False
        except UnicodeDecodeError:
            text_body = base64.b64encode(body).decode()  # type: ignore[arg-type]
    else:
        text_body = body  # type: ignore[assignment]
    request_id = str(uuid.uuid4())
    now = time.time()
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": header_map or None,
        "multiValueHeaders": {k: [v] for k, v in header_map.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} if multi_query else None,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "path": f"/{stage}{path}",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": "local",
            "requestTimeEpoch": int(now * 1000),
            "requestId": request_id,
            "identity": {
                "sourceIp": source_ip,
                "userAgent": header_map.get("User-Agent", header_map.get("user-agent")),
            },
            "domainName": "localhost",
            "apiId": "local",
            **({"authorizer": {"claims": dict(claims)}} if claims is not None else {}),
        },
        "body": text_body,
        "isBase64Encoded": is_binary,
    }


@dataclass
class LambdaContext:
    """What a handler may read from its context object."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 10
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default_factory=lambda: 0.0)

    def __post_init__(self) -> None:
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
