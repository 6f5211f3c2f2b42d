"""A local stand-in for API Gateway (REST): routes each request to the function template.yaml names for
it, as a real proxy event, after checking the Cognito token the way the Cognito authorizer does.

It is a thin adapter: handlers cannot tell it from API Gateway. What it does not do (throttling, usage
plans, custom domains) is listed in docs/local-stack.md.
"""

import base64
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

import jwt

from infra.local.events import rest_api_event
from infra.local.lambda_runtime import FunctionError
from infra.template import Route, gateway_response

API_GATEWAY_BODY_LIMIT = 10 * 1024 * 1024


class Invoker(Protocol):
    """Something that runs one function for one event (a pool of warm processes, or a test's in-process copy)."""

    def invoke(self, event: Any) -> Any: ...


class ClaimsSource(Protocol):
    def claims(self, token: str) -> dict[str, str] | None: ...


class CognitoVerifier:
    """Verifies ID tokens against the user pool's published keys: signature, issuer, audience, expiry, use."""

    def __init__(self, endpoint_url: str, region: str, user_pool_id: str, client_id: str) -> None:
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        self._keys = jwt.PyJWKClient(f"{endpoint_url}/{user_pool_id}/.well-known/jwks.json", cache_keys=True)

    def claims(self, token: str) -> dict[str, str] | None:
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud", "sub", "token_use"]},
            )
        except jwt.PyJWTError:
            return None
        if claims.get("token_use") != "id":
            return None
        # API Gateway hands claims to Lambda as strings; lists become comma-separated.
        return {
            name: ",".join(map(str, value)) if isinstance(value, list) else str(value) for name, value in claims.items()
        }


class Gateway:
    def __init__(
        self,
        routes: list[Route],
        pools: Mapping[str, Invoker],
        verifier: ClaimsSource,
        extra: Mapping[str, Callable[[], tuple[int, dict[str, str], bytes]]] | None = None,
    ) -> None:
        self.routes = routes
        self.patterns = [(route, route.pattern()) for route in routes]
        self.pools = pools
        self.verifier = verifier
        self.extra = dict(extra or {})  # local-only pages such as /openapi.json

    def handle(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, list[str]], bytes]:
        split = urlsplit(raw_path)
        path = split.path or "/"
        if method == "GET" and path in self.extra:
            status, plain_headers, content = self.extra[path]()
            return status, {k: [v] for k, v in plain_headers.items()}, content
        matched = [(route, m) for route, pattern in self.patterns if (m := pattern.match(path))]
        # Static path segments win over path parameters, as in API Gateway.
        matched.sort(key=lambda rm: rm[0].path.count("{"))
        route_match = next(((r, m) for r, m in matched if r.method == method), None)
        if route_match is None:
            return _own_response("MISSING_AUTHENTICATION_TOKEN", 403)
        route, match = route_match
        if len(body) > API_GATEWAY_BODY_LIMIT:
            return _own_response("REQUEST_TOO_LARGE", 413)
        claims = None
        if route.authorizer:
            token = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
            claims = self.verifier.claims(token) if token else None
            if claims is None:
                return _own_response("UNAUTHORIZED", 401)
        event = rest_api_event(
            method=method,
            path=path,
            resource=route.path,
            path_parameters=match.groupdict(),
            headers=headers,
            query=split.query,
            body=body or None,
            claims=claims,
        )
        try:
            result = self.pools[route.function].invoke(event)
        except FunctionError:
            return _own_response("DEFAULT_5XX", 502)
        return _from_proxy_result(result)


def _own_response(kind: str, status: int) -> tuple[int, dict[str, list[str]], bytes]:
    """An answer API Gateway gives without calling a function, as template.yaml configures it."""
    response = gateway_response(kind, status)
    return response.status, {k: [v] for k, v in response.headers.items()}, response.body.encode()


def _from_proxy_result(result: Mapping[str, Any]) -> tuple[int, dict[str, list[str]], bytes]:
    headers: dict[str, list[str]] = {}
    for name, value in (result.get("headers") or {}).items():
        headers.setdefault(name, []).append(str(value))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = [str(v) for v in values]
    body = result.get("body") or ""
    content = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    return int(result.get("statusCode", 502)), headers, content


def _declared_length(header: str | None) -> int | None:
    """The body length a request declares (0 without the header), or None when it is not a length."""
    if not header:
        return 0
    if not header.strip().isdigit():
        return None
    return int(header)


def serve(
    gateway: Gateway,
    host: str,
    port: int,
    log: Callable[[str], None],
    listener: ThreadingHTTPServer | None = None,
) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _respond(self) -> None:
            started = time.perf_counter()
            length = _declared_length(self.headers.get("Content-Length"))
            if length is None or length > API_GATEWAY_BODY_LIMIT:
                # Answered from the header alone: the body is never read (a client could declare 10 GB, or
                # a negative length that would read until it hangs up), and the connection is closed.
                status, out_headers, content = (
                    _own_response("DEFAULT_4XX", 400) if length is None else _own_response("REQUEST_TOO_LARGE", 413)
                )
                self.close_connection = True
                out_headers = {**out_headers, "Connection": ["close"]}
            else:
                body = self.rfile.read(length) if length else b""
                headers = dict(self.headers.items())
                status, out_headers, content = gateway.handle(self.command, self.path, headers, body)
            self.send_response(status)
            for name, values in out_headers.items():
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
            # Method, path without the query or fragment, status and time: never a body or header.
            log(f"{self.command} {urlsplit(self.path).path} {status} {1000 * (time.perf_counter() - started):.0f}ms")

        def __getattr__(self, name: str) -> Any:
            # http.server looks for do_<METHOD>; every method goes through the routes, as in API Gateway
            # (an unknown one gets its "no such route" answer, not a 501).
            if name.startswith("do_"):
                return self._respond
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:  # the default logs request lines; _respond does
            return

    server = listener if listener is not None else listen(host, port)
    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True, name="gateway").start()
    return server


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # dozens of clients connecting at once must queue, not be reset
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that leaves a page before its response arrives closes the connection: that is not an
        error of the stack, and printing its traceback would bury the real ones."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _NotServingYet(BaseHTTPRequestHandler):
    pass


def listen(host: str, port: int) -> ThreadingHTTPServer:
    """A bound socket, not yet serving. Port 0 lets the system pick a free port at the moment of binding, so
    no other process can take it between choosing and binding (`server_address` says which)."""
    return _Server((host, port), _NotServingYet)
