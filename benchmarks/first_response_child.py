"""One new execution environment for `make bench`'s first_response(), run as `python -I -S` (standard
library only: sys.path holds nothing but what the arguments name).

    function <module> <attribute> <function name> <events.json> <path>...
        imports the handler, answers the first event (the first request after init), then the second
        (the same kind of request, warm)
    bare <table> <path>...
        import boto3, one DynamoDB client, one GetItem: the baseline

Each prints one line, MARKER and JSON, with times from time.monotonic() (CLOCK_MONOTONIC, the same clock in
every process on the machine), so the parent measures from just before the spawn to the first response.
"""

import sys
import time

MARKER = "FIRST-RESPONSE "


class _Context:
    """What a handler reads from Lambda's context object."""

    def __init__(self, function_name: str, request: int) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.aws_request_id = f"00000000-0000-4000-8000-{request:012d}"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "bench"
        self._deadline = time.monotonic() + 10

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def function(module: str, attribute: str, name: str, events: str, paths: list[str]) -> dict[str, object]:
    sys.path[:0] = paths
    started = time.monotonic()
    handler = getattr(__import__(module), attribute)
    imported = time.monotonic()
    import json  # already imported by the handler

    with open(events) as file:
        first_event, warm_event = json.load(file)
    first = handler(first_event, _Context(name, 1))
    answered = time.monotonic()
    warm = handler(warm_event, _Context(name, 2))
    done = time.monotonic()
    return {
        "import_s": imported - started,
        "first_s": answered - imported,
        "warm_s": done - answered,
        "first_response_at": answered,
        "statuses": [first["statusCode"], warm["statusCode"]],
    }


def bare(table: str, paths: list[str]) -> dict[str, object]:
    sys.path[:0] = paths
    import boto3

    reply = boto3.client("dynamodb").get_item(TableName=table, Key={"PK": {"S": "ROSTER"}, "SK": {"S": "META"}})
    return {"first_response_at": time.monotonic(), "statuses": [reply["ResponseMetadata"]["HTTPStatusCode"]]}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    result = function(rest[0], rest[1], rest[2], rest[3], rest[4:]) if mode == "function" else bare(rest[0], rest[1:])
    import json

    print(MARKER + json.dumps(result), flush=True)
