"""Logging hygiene and tracing, shared by every function.

Tracing: every function runs with Lambda's active tracing (template.yaml `Tracing: Active`), which records
each invocation and its cold start in X-Ray at no import cost. The powertools Tracer adds a subsegment per
AWS call, but importing the X-Ray SDK it needs costs about 100 ms of cold start (it creates its own
clients), so it is opt-in: the `DetailedTracing` template parameter sets DETAILED_TRACING=true.
Either way, traces never capture responses or errors (they can hold client data).
"""

import logging
import os
import warnings
from collections.abc import Callable
from typing import Any, cast

# An invocation that records no metric (a read, a schedule run with nothing to do) is normal; powertools
# would warn on each of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")


def quiet_library_loggers() -> None:
    """Libraries log request content at DEBUG: the AWS SDK whole requests and responses (answers, status
    tokens), powertools' event handler the arguments of each route (the intake). Whatever log level a
    function is given, those loggers never go below WARNING. The function's own Logger is not affected."""
    for name in ("boto3", "botocore", "urllib3", "s3transfer", "aws_lambda_powertools"):
        logging.getLogger(name).setLevel(logging.WARNING)


def traced[F: Callable[..., Any]](handler: F) -> F:
    """The handler, wrapped by the powertools Tracer when detailed tracing is on."""
    if os.environ.get("DETAILED_TRACING", "false").lower() != "true":
        return handler
    from aws_lambda_powertools import Tracer  # imports the X-Ray SDK: only when asked for

    wrapped = Tracer().capture_lambda_handler(handler, capture_response=False, capture_error=False)
    return cast(F, wrapped)
