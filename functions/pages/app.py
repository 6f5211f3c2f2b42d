"""Serves the pages (intake form, status, directory, console) and their assets on the API's own origin.

Deliberately tiny and dependency-free: it reads files packaged beside it and fills in the practice's
name and sign-in settings from the environment. Every response carries a strict Content-Security-Policy.
"""

import html
import json
import mimetypes
import os
from functools import cache
from pathlib import Path
from typing import Any

STATIC = Path(__file__).resolve().parent / "static"
PAGES = {
    "": "intake.html",
    "status": "status.html",
    "checkin": "checkin.html",
    "directory": "directory.html",
    "console": "console.html",
}


# Read once at cold start, like every function's configuration.
SETTINGS = {
    "practiceName": os.environ["PRACTICE_NAME"],
    "userPoolId": os.environ["USER_POOL_ID"],
    "userPoolClientId": os.environ["USER_POOL_CLIENT_ID"],
    "cognitoEndpoint": os.environ["COGNITO_ENDPOINT"],
}


def _csp() -> str:
    cognito = SETTINGS["cognitoEndpoint"].rstrip("/")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {cognito}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )


def _response(status: int, content_type: str, body: str, cache_seconds: int = 0) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": content_type,
            "Cache-Control": f"public, max-age={cache_seconds}" if cache_seconds else "no-cache",
            "Content-Security-Policy": _csp(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            "X-Frame-Options": "DENY",
        },
        "body": body,
        "isBase64Encoded": False,
    }


@cache
def _page(name: str) -> str:
    text = (STATIC / name).read_text(encoding="utf-8")
    return text.replace("{{PRACTICE_NAME}}", html.escape(SETTINGS["practiceName"]))


def _not_found() -> dict[str, Any]:
    return _response(404, "text/html; charset=utf-8", _page("not-found.html"))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    parameters = event.get("pathParameters") or {}
    resource = event.get("resource", "")
    if resource == "/assets/{asset}":
        asset = parameters.get("asset", "")
        path = STATIC / "assets" / asset
        if "/" in asset or asset.startswith(".") or not path.is_file():
            return _not_found()
        content_type = mimetypes.guess_type(asset)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "text/javascript"):
            content_type += "; charset=utf-8"
        return _response(200, content_type, path.read_text(encoding="utf-8"), cache_seconds=300)
    page = "" if resource == "/" else parameters.get("page", "")
    if page == "config.json":
        return _response(200, "application/json", json.dumps(SETTINGS))
    if page not in PAGES:
        return _not_found()
    return _response(200, "text/html; charset=utf-8", _page(PAGES[page]))
