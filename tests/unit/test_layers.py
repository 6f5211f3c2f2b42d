"""Which package may import which: the language catalogs (shared.i18n) on nothing of ours; the domain on
nothing of ours but itself and them; matching on the domain;
the use cases never on the DynamoDB code (they take ports); and only the data layer and the adapters reach
boto3."""

import ast
from pathlib import Path

import pytest

from infra.template import ROOT


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(Path(path).relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (
            "shared.i18n",
            (
                "shared.domain",
                "shared.matching",
                "shared.services",
                "shared.dal",
                "shared.adapters",
                "shared.api",
                "boto3",
                "botocore",
            ),
        ),
        ("shared.domain", ("shared.matching", "shared.services", "shared.dal", "shared.adapters", "shared.api")),
        ("shared.matching", ("shared.services", "shared.dal", "shared.adapters", "shared.api")),
        ("shared.services", ("shared.dal", "shared.api", "boto3", "botocore")),
        ("shared.dal", ("shared.api", "shared.services.intakes", "shared.services.review", "shared.services.bond")),
    ],
)
def test_a_package_imports_nothing_from_the_layers_it_must_not_depend_on(
    package: str, forbidden: tuple[str, ...]
) -> None:
    offending = {
        module: sorted(name for name in names if name.startswith(forbidden))
        for module, names in imports_of(package).items()
        if any(name.startswith(forbidden) for name in names)
    }
    assert offending == {}
