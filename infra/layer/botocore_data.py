"""Keeps only the botocore models of the AWS services the functions call, in the built layer.

A function's first client makes botocore list every service folder it ships (about 450, each with its API
versions) to check the service exists; with the four the functions use, that listing costs almost nothing.
A test checks the code creates clients only for the services named here (tests/tools/test_sam.py).

Usage (from infra/layer/Makefile): python botocore_data.py <layer>/botocore/data
"""

import shutil
import sys
from pathlib import Path

SERVICES = ("cognito-idp", "dynamodb", "events", "ses")
"""Every service a function creates a client for (shared/adapters; the idempotency layer uses the DynamoDB one)."""


def keep_only(data: Path, services: tuple[str, ...] = SERVICES) -> None:
    missing = [s for s in services if not (data / s).is_dir()]
    if missing:
        raise SystemExit(f"botocore has no model for {missing}")
    for entry in data.iterdir():
        if entry.is_dir() and entry.name not in services:
            shutil.rmtree(entry)


if __name__ == "__main__":
    keep_only(Path(sys.argv[1]))
