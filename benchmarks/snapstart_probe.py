"""One new function environment for `make bench`'s SnapStart figures (benchmarks/run.py:
snapstart_first_response): imports the function, primes it or not, then times the first request and the
warm ones. A module of its own, importing only what any Python process has loaded at start, and run as
`python -m benchmarks.snapstart_probe`, so that nothing the function imports is loaded before its clock
starts (benchmarks/run.py itself imports pydantic and the domain models; infra/ imports dataclasses and yaml).

Reads {"handler_file", "attribute", "function", "primed", "events"} as JSON on stdin (the events already
built as API Gateway sends them); writes the figures, in seconds, as JSON on stdout."""

import importlib.util
import json
import os
import sys
import time


class _Context:
    """What a handler may read from its Lambda context (infra/local/events.py has the full stand-in)."""

    def __init__(self, function: str) -> None:
        self.function_name = function
        self.memory_limit_in_mb = 512
        self.function_version = "$LATEST"
        self.log_group_name = f"/aws/lambda/{function}"
        self.log_stream_name = "local"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
        self.aws_request_id = os.urandom(16).hex()
        self._deadline = time.monotonic() + 10

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main() -> None:
    spec = json.load(sys.stdin)
    out = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # the functions' log and metric lines, not the table
    started = time.perf_counter()
    module_spec = importlib.util.spec_from_file_location("snapstart_probe_function", spec["handler_file"])
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    handler = getattr(module, spec["attribute"])
    imported = time.perf_counter()
    from shared import snapstart

    figures: dict[str, float] = {}
    if spec["primed"]:
        snapstart.run_before_snapshot()
        snapshot = time.perf_counter()
        figures |= {"primed_import": imported - started, "before_snapshot": snapshot - imported}
        started = time.perf_counter()
        snapstart.run_after_restore()
        figures["after_restore"] = time.perf_counter() - started
    else:
        figures["import"] = imported - started
    timings = []
    for event in spec["events"]:
        context = _Context(spec["function"])
        started = time.perf_counter()
        reply = handler(event, context)
        timings.append(time.perf_counter() - started)
        if reply["statusCode"] >= 300:
            raise RuntimeError(f"{event['httpMethod']} {event['path']}: {reply['statusCode']}")
    warm = sorted(timings[1:])
    if spec["primed"]:
        figures |= {"primed_first": timings[0], "primed_warm": warm[len(warm) // 2]}
    else:
        figures["first"] = timings[0]
    out.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
