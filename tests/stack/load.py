"""A bounded load test against the local stack over loopback: many clients submit intakes at once.

Every acknowledged intake must be stored exactly once and no request may get a 5xx. Used by the suite in
a reduced size (tests/stack/test_load.py) and by `make load` in full size, which prints the figures.
"""

import json
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from infra.local.stack import RunningStack
from shared.dal.dynamodb import DynamoRepository
from tests.factories import intake_body
from tests.stack.conftest import Http


@dataclass
class LoadResult:
    submissions: int
    clients: int
    seconds: float
    statuses: dict[int, int]
    acknowledged: int
    stored: int
    duplicates: int
    missing: int
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.submissions / self.seconds

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "per_second": round(self.per_second, 1)}


def run_load(stack: RunningStack, submissions: int, clients: int, retry_every: int = 10) -> LoadResult:
    http = Http(stack.base_url)
    repository = DynamoRepository(stack.aws.table_name, client=stack.aws.client("dynamodb"))
    before = _stored(repository)

    def one(i: int) -> tuple[int, float, str | None]:
        key = uuid.uuid4().hex
        body = intake_body(
            contact={"name": f"Load Client {i}", "email": f"load.client{i}@example.org"},
            safety="yes" if i % 50 == 0 else "no",
        )
        started = time.perf_counter()
        reply = http.request("POST", "/intakes", body, headers={"Idempotency-Key": key})
        if i % retry_every == 0:  # a client that retries: same key, same answers, same reference
            again = http.request("POST", "/intakes", body, headers={"Idempotency-Key": key})
            assert again.status == reply.status, (again.status, reply.status)
            if reply.status == 201:
                assert json.loads(again.body)["reference"] == json.loads(reply.body)["reference"]
        elapsed = time.perf_counter() - started
        reference = json.loads(reply.body)["reference"] if reply.status == 201 else None
        return reply.status, elapsed, reference

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(submissions)))
    seconds = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for status, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    acknowledged = [r for _, _, r in results if r]
    stored = [r for r in _stored(repository) if r not in before]
    latencies = sorted(1000 * t for _, t, _ in results)
    return LoadResult(
        submissions=submissions,
        clients=clients,
        seconds=round(seconds, 2),
        statuses=statuses,
        acknowledged=len(acknowledged),
        stored=len(stored),
        duplicates=len(stored) - len(set(stored)),
        missing=len(set(acknowledged) - set(stored)),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    )


def _stored(repository: DynamoRepository) -> list[str]:
    references: list[str] = []
    for stage in ("open", "waitlisted", "assigned", "closed"):
        cursor = None
        while True:
            page = repository.list_queue(stage, None, 100, cursor)
            references.extend(e.intake_id for e in page.items)
            cursor = page.cursor
            if not cursor:
                break
    return references


def main() -> None:
    import argparse
    from pathlib import Path

    from infra.local.stack import start

    parser = argparse.ArgumentParser(description="Full-size load test against a fresh local stack.")
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=48)
    parser.add_argument("--workers-per-function", type=int, default=2)
    args = parser.parse_args()
    stack = start(port=0, log=lambda line: None, workers_per_function=args.workers_per_function)
    try:
        result = run_load(stack, args.submissions, args.clients)
    finally:
        stack.stop()
    figures = result.as_dict()
    print(json.dumps(figures, indent=2))
    out = Path(".bench")
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(figures, indent=2) + "\n")
    failures = sum(n for s, n in result.statuses.items() if s >= 500)
    if failures or result.duplicates or result.missing or result.stored != result.acknowledged:
        raise SystemExit("load test failed: see the figures above")


if __name__ == "__main__":
    main()
