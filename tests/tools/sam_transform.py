"""Transforms a template as CloudFormation would on deploy (the SAM transform). Run with the SAM tool
environment's Python (it needs samtranslator, which the project's environment does not have):

    .tools/sam/bin/python tests/tools/sam_transform.py '{"SnapStart": "on"}' < template.json > transformed.json

Local code paths become placeholder S3 locations, as `sam package` would make them."""

import json
import sys
from typing import Any

from samtranslator.translator.transform import transform  # type: ignore[import-not-found]

REQUIRED = {"PracticeName": "Practice", "IntakeNotificationEmail": "a@b.example", "SenderEmail": "a@b.example"}
PSEUDO = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def main() -> None:
    template: dict[str, Any] = json.load(sys.stdin)
    parameters = {**REQUIRED, **json.loads(sys.argv[1]), **PSEUDO}
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://artifacts/{properties[key]}"
    json.dump(transform(template, parameters, _NoManagedPolicies()), sys.stdout, default=str)


if __name__ == "__main__":
    main()
