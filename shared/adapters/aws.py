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


def load_service_model(service: str) -> None:
    """Loads a service's model and endpoint rules into the session, without credentials or a connection: an
    unsigned client is made and dropped (SnapStart's priming, shared/snapstart.py). The models stay in the
    session; no credentials are resolved (they would be the publishing environment's, kept in the snapshot)."""
    from botocore import UNSIGNED

    _session().create_client(service, config=Config(signature_version=UNSIGNED))
