"""The OpenAPI document, generated from the code: every API function's powertools resolver describes its
own routes and models; this merges them and marks the routes that need a staff token (from template.yaml).

`python -m infra.openapi` prints it; `python -m infra.openapi docs/openapi.json` writes it.
"""

import json
import os
import sys
from typing import Any

from infra import template

TITLE = "Counseling intake and matching API"
VERSION = "1.0.0"
_PLACEHOLDER_ENV = {
    "TABLE_NAME": "table",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
    "EVENT_BUS_NAME": "bus",
    "USER_POOL_ID": "us-east-1_placeholder",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "1",
}


def _api_functions() -> list[str]:
    return sorted({route.function for route in template.routes() if route.function != "PagesFunction"})


def build() -> dict[str, Any]:
    os.environ.update({k: v for k, v in _PLACEHOLDER_ENV.items() if k not in os.environ})
    document: dict[str, Any] = {}
    for function in _api_functions():
        path, _ = template.function_module(function)
        module = template.load_module(path, f"openapi_{function}")
        part = json.loads(module.app.get_openapi_json_schema(title=TITLE, version=VERSION))
        if not document:
            document = part
            continue
        document["paths"].update(part.get("paths", {}))
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            document.setdefault("components", {}).setdefault("schemas", {}).setdefault(name, schema)
    document["info"]["description"] = (
        "Public routes need no sign-in. Staff (/review) and admin (/admin) routes need a Cognito ID token in the "
        "Authorization header, from the practice's user pool, for an account in the staff or admin group."
    )
    document.setdefault("components", {})["securitySchemes"] = {
        "staffToken": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Cognito ID token"}
    }
    for route in template.routes():
        operation = document["paths"].get(route.path, {}).get(route.method.lower())
        if operation is not None and route.authorizer:
            operation["security"] = [{"staffToken": []}]
    return document


def main() -> None:
    text = json.dumps(build(), indent=2, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
