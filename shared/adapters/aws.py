"""AWS clients for every adapter: created on first use, from botocore directly.

`import boto3` also imports s3transfer and its thread pools (about 60 ms of every cold start here) for
features this service never uses; botocore alone gives the same clients.
"""

from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def client(service: str) -> Any:
    """A client with the service's retry and timeout policy; region and endpoint come from the environment."""
    return _session().create_client(service, config=_CONFIG)
