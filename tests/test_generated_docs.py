"""Documents generated from the code stay current (regenerate with `make openapi`)."""

import json

from infra import openapi
from infra.template import ROOT


def test_the_committed_openapi_document_matches_the_code() -> None:
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(openapi.build())), "docs/openapi.json is stale: run `make openapi`"


def test_every_route_in_the_template_is_in_the_openapi_document() -> None:
    from infra import template

    document = openapi.build()
    for route in template.routes():
        if route.function == "PagesFunction" or route.method == "OPTIONS":
            continue
        assert route.method.lower() in document["paths"][route.path], route
