"""`make bench`: cold start, matching speed, AWS work per request, memory, local-stack throughput, and what a
client waits for on a new environment with SnapStart on.

Prints a table with the machine's description and writes the figures to .bench/results.json.
Timings are medians of repeated runs in one process (or side by side, for cold starts); they vary from
machine to machine, so the targets are judged as ratios where the issue says so. Call counts and bytes
are deterministic and are also enforced by tests (tests/integration/test_call_budgets.py).
"""

import json
import logging
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.generate import counselor_dicts, intake_dicts
from benchmarks.reference_matching import rank_reference
from infra import template
from infra.artifacts import native_stand_in, sam_build
from infra.template import ROOT

RESULTS = ROOT / ".bench" / "results.json"
TOOLS = ROOT / ".tools"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


# ---------------------------------------------------------------- cold start


def cold_start(rounds: int = 21) -> dict[str, Any]:
    """Import each built function in a clean interpreter (no site-packages: only the artifact, the layer and
    the runtime's boto3), side by side with `import boto3` + one DynamoDB client, alternating, medians."""
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        sam_build(build)
        layer = build / "SharedLayer" / "python"
        native = native_stand_in(layer)
        runtime = TOOLS / "lambda-runtime"
        env = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}
        baseline = (
            "import sys, time; sys.path[:0] = sys.argv[1:]; t = time.perf_counter(); import boto3; "
            "boto3.client('dynamodb'); print(time.perf_counter() - t)"
        )
        functions = {}
        for name in template.resources("AWS::Serverless::Function"):
            handler_file, _ = template.function_module(name)
            fn_env = {
                **env,
                **template.function_environment(name, _placeholder_resolver()),
                "DETAILED_TRACING": "false",
            }
            functions[name] = (build / name, handler_file.stem, fn_env)
        timings: dict[str, list[float]] = {"baseline": [], **{n: [] for n in functions}}
        with_client: dict[str, list[float]] = {n: [] for n in functions}
        for _ in range(rounds):
            timings["baseline"].append(_time_import(baseline, [str(runtime)], env, ROOT))
            for name, (directory, module, fn_env) in functions.items():
                paths = [str(native), str(directory), str(layer), str(runtime)]
                timings[name].append(_time_import(
                    f"import sys, time; sys.path[:0] = sys.argv[1:]; t = time.perf_counter(); import {module}; "
                    "print(time.perf_counter() - t)", paths, fn_env, directory))  # fmt: skip
                with_client[name].append(_time_import(
                    f"import sys, time; sys.path[:0] = sys.argv[1:]; t = time.perf_counter(); import {module}; "
                    "from shared.adapters import aws; aws.client('dynamodb'); print(time.perf_counter() - t)",
                    paths, fn_env, directory))  # fmt: skip
    base = statistics.median(timings["baseline"])
    # Ratios are taken within each round (the baseline was measured moments before), then the median: on a
    # shared machine the speed drifts between rounds, and a ratio of two medians would carry that drift.
    per_function = {
        name: {
            "import_ms": round(1000 * statistics.median(values), 1),
            "ratio": round(statistics.median(v / b for v, b in zip(values, timings["baseline"], strict=True)), 2),
            "import_and_first_client_ms": round(1000 * statistics.median(with_client[name]), 1),
            "ratio_with_first_client": round(
                statistics.median(v / b for v, b in zip(with_client[name], timings["baseline"], strict=True)), 2
            ),
        }
        for name, values in timings.items()
        if name != "baseline"
    }
    return {"baseline_ms": round(1000 * base, 1), "functions": per_function}


def _time_import(code: str, paths: list[str], env: dict[str, str], cwd: Path) -> float:
    result = subprocess.run([PYTHON, "-I", "-S", "-c", code, *paths], capture_output=True, text=True, env=env, cwd=cwd)
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return float(result.stdout.strip().splitlines()[-1])


def _placeholder_resolver() -> template.Resolver:
    refs = {name: f"placeholder-{name.lower()}" for name in template.load()["Resources"]}
    return template.Resolver(refs=refs, attributes={"DataKey.Arn": "arn:aws:kms:us-east-1:123456789012:key/x"})


# ---------------------------------------------------------------- matching


def matching(sizes: tuple[int, ...] = (100, 1_000, 10_000, 50_000)) -> dict[str, Any]:
    from shared.domain.counselor import CounselorProfile
    from shared.domain.intake import IntakeAnswers
    from shared.matching.engine import suggest
    from shared.matching.profile import Interner, MatchProfile
    from shared.matching.roster import CompiledRoster

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    intakes = [IntakeAnswers.model_validate(d) for d in intake_dicts(40)]
    dicts = counselor_dicts(max(sizes))
    profiles = [CounselorProfile.model_validate(d) for d in dicts]
    stored = [(p.counselor_id, MatchProfile.from_profile(p).to_compact(), p.open_slots) for p in profiles]
    # Next openings as the roster carries them: a half-hour start within four weeks for most counselors
    # (some already passed at `now`), none for a fifth.
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rng = random.Random(5)
    openings = [None if rng.random() < 0.2 else now + timedelta(minutes=30 * rng.randint(-48, 28 * 48)) for _ in stored]
    out: dict[str, Any] = {"p50_ms": {}, "first_intake_ms": {}, "load_ms": {}}
    for size in sizes:
        started = time.perf_counter()
        intern = Interner()
        roster = CompiledRoster(
            MatchProfile.from_compact(cid, text, slots, intern, next_opening=at)
            for (cid, text, slots), at in zip(stored[:size], openings, strict=False)
        )
        out["load_ms"][str(size)] = round(1000 * (time.perf_counter() - started), 1)
        started = time.perf_counter()
        suggest(intakes[0], roster, now=now)  # the first intake also builds the roster's indexes, once per version
        out["first_intake_ms"][str(size)] = round(1000 * (time.perf_counter() - started), 1)
        samples = []
        for _ in range(3):
            for intake in intakes:
                started = time.perf_counter()
                suggest(intake, roster, now=now)
                samples.append(time.perf_counter() - started)
        out["p50_ms"][str(size)] = round(1000 * statistics.median(samples), 3)
    # The plain reference (validate every profile, loop over every factor) at 10,000, same intakes.
    roster = CompiledRoster.from_compact(stored[:10_000])
    engine, reference = [], []
    for intake in intakes[:8]:
        started = time.perf_counter()
        suggest(intake, roster)
        engine.append(time.perf_counter() - started)
        started = time.perf_counter()
        rank_reference(intake, dicts[:10_000], 3)
        reference.append(time.perf_counter() - started)
    out["reference_ms_10k"] = round(1000 * statistics.median(reference), 1)
    out["speedup_vs_reference_10k"] = round(statistics.median(reference) / statistics.median(engine), 1)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    return out


# ---------------------------------------------------------------- AWS work per request


def _own_address() -> dict[str, str]:
    """A contact of its own for each benchmark intake: past ConfirmationsPerAddressPerDay to one address, a
    submission takes one more call, which is not the path these figures are about."""
    return {"name": "Bench Client", "email": f"bench.{uuid.uuid4().hex[:12]}@example.org"}


@contextmanager
def _aws(prefix: str) -> Iterator[Any]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                       "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_NAMESPACE": "Bench"})  # fmt: skip
    from moto import mock_aws

    from infra.local.emulator import serialize_dynamodb
    from infra.local.provision import provision

    serialize_dynamodb()
    with mock_aws():
        yield provision(prefix=prefix)


class _Meter:
    """Counts AWS calls and the bytes of each DynamoDB response, from botocore's events on every client."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.roster_bytes = 0

    def install(self) -> None:
        import botocore.session

        original = botocore.session.Session.create_client
        meter = self

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            client = original(session, *args, **kwargs)
            client.meta.events.register("before-parameter-build", meter._parameters)
            client.meta.events.register("before-call", meter._before)
            client.meta.events.register("after-call", meter._after)
            return client

        botocore.session.Session.create_client = create_client

    def _parameters(self, model: Any, params: Any, context: Any, **_: Any) -> None:
        context["roster_read"] = model.name == "Query" and params.get("IndexName") == "Roster"

    def _before(self, model: Any, **_: Any) -> None:
        self.calls.append(f"{model.service_model.service_name}.{model.name}")

    def _after(self, http_response: Any, context: Any, **_: Any) -> None:
        if context.get("roster_read"):
            self.roster_bytes += len(http_response.content or b"")

    def during(self, action: Callable[[], Any]) -> tuple[int, int]:
        calls, roster = len(self.calls), self.roster_bytes
        action()
        return len(self.calls) - calls, self.roster_bytes - roster


def aws_work(meter: _Meter) -> dict[str, int]:
    """AWS calls per route on a warm function: each route runs once to warm its function, then is counted."""
    from tests.factories import counselor_body, intake_body
    from tests.integration.harness import Api

    with _aws("calls") as stack:
        api = Api(stack)
        for i in range(3):
            body = counselor_body(name=f"C{i}", open_slots=50, concerns_primary=["anxiety"])
            api.post("/admin/counselors", body, as_="admin")
        counselor = api.get("/admin/counselors", as_="admin").json["items"][0]["counselor_id"]

        def submitted() -> Any:
            return api.post(
                "/intakes", intake_body(contact=_own_address()), headers={"Idempotency-Key": uuid.uuid4().hex}
            ).json

        def fresh(make: Callable[[Any], Any]) -> Callable[[], Callable[[], Any]]:
            """An action on a newly submitted intake (prepared before counting starts)."""

            def prepare() -> Callable[[], Any]:
                intake = submitted()
                return lambda: make(intake)

            return prepare

        def same(action: Callable[[], Any]) -> Callable[[], Callable[[], Any]]:
            return lambda: action

        def matched(make: Callable[[Any], Any]) -> Callable[[], Callable[[], Any]]:
            """An action on a newly submitted and assigned intake (prepared before counting starts)."""

            def prepare() -> Callable[[], Any]:
                intake = submitted()
                api.post(f"/review/intakes/{intake['reference']}/assignment", {"counselor_id": counselor}, as_="staff")
                return lambda: make(intake)

            return prepare

        routes: dict[str, Callable[[], Callable[[], Any]]] = {
            "POST /intakes": same(submitted),
            "GET /intakes/{id}/status": fresh(lambda i: api.get(
                f"/intakes/{i['reference']}/status", headers={"X-Status-Token": i["status_token"]})),
            "GET /counselors": same(lambda: api.get("/counselors")),
            "GET /counselors/{id}": same(lambda: api.get(f"/counselors/{counselor}")),
            "GET /vocabulary": same(lambda: api.get("/vocabulary")),
            "GET /review/intakes": same(lambda: api.get("/review/intakes", as_="staff")),
            "GET /review/intakes/{id}": fresh(lambda i: api.get(f"/review/intakes/{i['reference']}", as_="staff")),
            "POST /review/intakes/{id}/assignment": fresh(lambda i: api.post(
                f"/review/intakes/{i['reference']}/assignment", {"counselor_id": counselor}, as_="staff")),
            "POST /review/intakes/{id}/decision": fresh(lambda i: api.post(
                f"/review/intakes/{i['reference']}/decision", {"decision": "waitlist"}, as_="staff")),
            "POST /review/intakes/{id}/rematch": fresh(lambda i: api.post(
                f"/review/intakes/{i['reference']}/rematch", as_="staff")),
            "GET /admin/counselors": same(lambda: api.get("/admin/counselors", as_="admin")),
            "GET /admin/counselors/{id}": same(lambda: api.get(f"/admin/counselors/{counselor}", as_="admin")),
            "GET /admin/audit": same(lambda: api.get("/admin/audit?day=2026-11-26", as_="admin")),
            "POST /review/intakes/{id}/sessions": matched(lambda i: api.post(
                f"/review/intakes/{i['reference']}/sessions", as_="staff")),
            "POST /intakes/{id}/rematch-request": matched(lambda i: api.post(
                f"/intakes/{i['reference']}/rematch-request", {"what_to_change": "someone else"},
                headers={"X-Status-Token": i["status_token"]})),
            "GET /review/report": same(lambda: api.get("/review/report", as_="staff")),
        }  # fmt: skip
        counts = {}
        for route, prepare in routes.items():
            prepare()()  # warm this route's function
            action = prepare()
            counts[route] = meter.during(action)[0]
        return counts


def booking_work(meter: _Meter) -> dict[str, Any]:
    """The client's shortlist and booking (policy client-first): AWS calls of the shortlist with its openings at
    two roster sizes (bounded: it never reads the roster), and of booking, moving and cancelling, with how many
    of those calls are transactions (booking is exactly one)."""
    from collections import Counter

    from tests.factories import counselor_body, weekday_schedule
    from tests.integration.bookings import book, cancel, reschedule, submitted
    from tests.integration.harness import api_with

    def counted(action: Callable[[], Any]) -> Counter[str]:
        before = len(meter.calls)
        action()
        return Counter(meter.calls[before:])

    with _aws("booking") as stack:
        api = api_with(stack, BookingPolicy="client-first")

        def add(count: int) -> None:
            for _ in range(count):
                body = counselor_body(schedule=weekday_schedule(), open_slots=50, concerns_primary=["anxiety"])
                api.post("/admin/counselors", body, as_="admin")

        def shortlist_calls() -> tuple[Counter[str], dict[str, Any], Any]:
            client = submitted(api)
            path = f"/intakes/{client['reference']}/shortlist"
            headers = {"X-Status-Token": client["status_token"]}
            api.get(path, headers=headers)  # warm
            calls = counted(lambda: api.get(path, headers=headers))
            return calls, client, api.get(path, headers=headers).json

        add(3)
        small, _, _ = shortlist_calls()
        add(97)
        large, client, shown = shortlist_calls()
        entry = shown["entries"][0]
        first, second = entry["openings"]["first_session"][:2]
        booked = counted(lambda: book(api, client, entry["counselor"]["counselor_id"], first))
        moved = counted(lambda: reschedule(api, client, second))
        cancelled = counted(lambda: cancel(api, client))
    return {
        "shortlist_calls": {"3": sum(small.values()), "100": sum(large.values())},
        "booking_calls": sum(booked.values()),
        "booking_transactions": booked["dynamodb.TransactWriteItems"],
        "reschedule_calls": sum(moved.values()),
        "reschedule_transactions": moved["dynamodb.TransactWriteItems"],
        "cancel_calls": sum(cancelled.values()),
        "cancel_transactions": cancelled["dynamodb.TransactWriteItems"],
    }


def roster_bytes(meter: _Meter, sizes: tuple[int, ...] = (1_000, 10_000)) -> dict[str, Any]:
    from shared.domain.counselor import CounselorProfile
    from tests.factories import intake_body
    from tests.integration.harness import Api

    out: dict[str, Any] = {"cold_load_bytes": {}, "warm_bytes_per_submit": {}, "after_one_change_bytes": {},
                           "cold_load_calls": {}}  # fmt: skip
    for size in sizes:
        with _aws(f"bytes{size}") as stack:
            _seed(stack, [CounselorProfile.model_validate(d) for d in counselor_dicts(size)])
            api = Api(stack)

            def submit(api: Api = api) -> Any:
                body = intake_body(client={"jurisdiction": "US-CA"}, contact=_own_address())
                return api.post("/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex}).json

            calls, cold = meter.during(submit)
            out["cold_load_bytes"][str(size)] = cold
            out["cold_load_calls"][str(size)] = calls
            warm = [meter.during(submit)[1] for _ in range(10)]
            out["warm_bytes_per_submit"][str(size)] = round(statistics.mean(warm))
            reference = submit()["reference"]
            detail = api.get(f"/review/intakes/{reference}", as_="staff").json
            chosen = (detail["match"]["suggestions"] or detail["match"]["alternatives"])[0]["counselor_id"]
            api.post(f"/review/intakes/{reference}/assignment", {"counselor_id": chosen}, as_="staff")
            out["after_one_change_bytes"][str(size)] = meter.during(submit)[1]
    return out


def _seed(stack: Any, profiles: list[Any]) -> None:
    """Writes counselors as the repository stores them, in batches (the admin API would take minutes)."""
    from shared.dal.roster import counselor_item

    client = stack.client("dynamodb")
    items = [counselor_item(p, 1) for p in profiles]
    for start in range(0, len(items), 25):
        client.batch_write_item(
            RequestItems={stack.table_name: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
        )
    client.put_item(
        TableName=stack.table_name, Item={"PK": {"S": "ROSTER"}, "SK": {"S": "META"}, "version": {"N": "1"}}
    )


# ---------------------------------------------------------------- memory


def _serve_submissions(endpoint: str, env: dict[str, str], count: int, queue: Any) -> None:
    os.environ.update(env)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    sys.path.insert(0, str(ROOT))
    from infra.local.events import LambdaContext, rest_api_event
    from tests.factories import intake_body

    handler_file, attribute = template.function_module("PublicApiFunction")
    handler = getattr(template.load_module(handler_file, "public_bench"), attribute)
    for _ in range(count):
        body = json.dumps(intake_body(client={"jurisdiction": "US-CA"}, contact=_own_address()))
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        event = rest_api_event(method="POST", path="/intakes", resource="/intakes", body=body, headers=headers)
        assert handler(event, LambdaContext("PublicApiFunction"))["statusCode"] == 201
    queue.put(_peak_rss_mb())


def _peak_rss_mb() -> float:
    """This process's peak resident memory. (Not getrusage: on Linux its maximum survives fork and exec, so a
    spawned child would report its parent's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss(size: int = 10_000, submissions: int = 30) -> float:
    """Peak resident memory of a warm public function (its own process, like a Lambda environment) serving
    submissions against a roster of `size` counselors held by an emulator in another process."""
    import multiprocessing

    from moto.server import ThreadedMotoServer

    from infra.local.emulator import serialize_dynamodb
    from infra.local.provision import provision
    from infra.local.stack import FAKE_CREDENTIALS
    from shared.domain.counselor import CounselorProfile

    os.environ.update(FAKE_CREDENTIALS)
    serialize_dynamodb()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # the system picks a free port
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    try:
        stack = provision(endpoint_url=endpoint, prefix="rss")
        _seed(stack, [CounselorProfile.model_validate(d) for d in counselor_dicts(size)])
        env = {**FAKE_CREDENTIALS, "POWERTOOLS_TRACE_DISABLED": "1", **stack.function_environment("PublicApiFunction")}
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_serve_submissions, args=(endpoint, env, submissions, queue))
        child.start()
        measured = float(queue.get(timeout=600))
        child.join()
    finally:
        server.stop()
    return round(measured, 1)


# ---------------------------------------------------------------- local stack


def local_stack(concurrency: tuple[int, ...] = (1, 8, 32)) -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    from infra.local import demo
    from infra.local.stack import start
    from tests.factories import intake_body
    from tests.stack.conftest import Http, sign_in

    running = start(port=0, log=lambda line: None)
    try:
        http = Http(running.base_url)
        token = sign_in(running, *demo.STAFF_USER)

        def submit() -> Any:
            return http.request(
                "POST", "/intakes", intake_body(contact=_own_address()), headers={"Idempotency-Key": uuid.uuid4().hex}
            )

        def queue() -> Any:
            return http.request("GET", "/review/intakes", headers={"Authorization": token})

        requests = {"POST /intakes": submit, "GET /review/intakes": queue}
        out: dict[str, Any] = {}
        for route, send in requests.items():
            send()
            for clients in concurrency:
                count = max(40, 6 * clients)

                def timed(_: int, send: Callable[[], Any] = send) -> tuple[int, float]:
                    started = time.perf_counter()
                    reply = send()
                    return reply.status, time.perf_counter() - started

                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=clients) as pool:
                    results = list(pool.map(timed, range(count)))
                elapsed = time.perf_counter() - started
                latencies = sorted(t for _, t in results)
                errors = sum(1 for status, _ in results if status >= 400)
                out[f"{route} x{clients}"] = {
                    "requests": count,
                    "per_second": round(count / elapsed, 1),
                    "p50_ms": round(1000 * statistics.median(latencies), 1),
                    "p95_ms": round(1000 * latencies[int(0.95 * (count - 1))], 1),
                    "errors": errors,
                }
        return out
    finally:
        running.stop()


# ---------------------------------------------------------------- SnapStart


def snapstart_first_response(rounds: int = 7, warm_repeats: int = 5) -> dict[str, Any]:
    """What a client waits for on a new environment with SnapStart on: the init (import and before-snapshot
    priming) ran when the version was published, so only the after-restore hooks and the first request
    count. Each round, each route gets a fresh interpreter that imports and primes the function untimed,
    then times the after-restore hooks and the first request, then the same request warm; beside it, in
    another fresh interpreter, the same route on demand (import and first request, no priming), alternating
    (benchmarks/snapstart_probe.py). The emulator runs in this process. Lambda's own restore of the snapshot
    (outside the function: the REPORT line's Restore Duration) is not measured here."""
    import io
    from contextlib import redirect_stdout

    from moto.server import ThreadedMotoServer

    from infra.local.emulator import serialize_dynamodb
    from infra.local.events import rest_api_event
    from infra.local.provision import provision
    from infra.local.stack import FAKE_CREDENTIALS
    from shared.domain.counselor import CounselorProfile
    from tests.factories import intake_body
    from tests.integration.harness import STAFF, Api

    os.environ.update(FAKE_CREDENTIALS)
    serialize_dynamodb()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    saved_endpoint = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    try:
        stack = provision(endpoint_url=endpoint, prefix="snap")
        _seed(stack, [CounselorProfile.model_validate(d) for d in counselor_dicts(200)])
        with redirect_stdout(io.StringIO()):  # the function's log and metric lines
            intake = Api(stack).post("/intakes", intake_body(contact=_own_address()),
                                     headers={"Idempotency-Key": uuid.uuid4().hex}).json  # fmt: skip
        status = {"X-Status-Token": intake["status_token"]}

        def submits(count: int) -> list[dict[str, Any]]:
            return [{"method": "POST", "path": "/intakes", "resource": "/intakes",
                     "body": json.dumps(intake_body(contact=_own_address())),
                     "headers": {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}}
                    for _ in range(count)]  # fmt: skip

        def same(count: int, request: dict[str, Any]) -> list[dict[str, Any]]:
            return [request] * count

        routes: dict[str, tuple[str, Callable[[int], list[dict[str, Any]]]]] = {
            "POST /intakes": ("PublicApiFunction", submits),
            "GET /intakes/{id}/status": ("PublicApiFunction", lambda n: same(n, {
                "method": "GET", "path": f"/intakes/{intake['reference']}/status",
                "resource": "/intakes/{intake_id}/status", "path_parameters": {"intake_id": intake["reference"]},
                "headers": status})),
            "GET /counselors": ("PublicApiFunction", lambda n: same(n, {
                "method": "GET", "path": "/counselors", "resource": "/counselors"})),
            "GET /review/intakes": ("ReviewApiFunction", lambda n: same(n, {
                "method": "GET", "path": "/review/intakes", "resource": "/review/intakes", "claims": STAFF})),
        }  # fmt: skip
        samples: dict[str, dict[str, list[float]]] = {route: {} for route in routes}
        for _ in range(rounds):
            for route, (function, requests) in routes.items():
                handler_file, attribute = template.function_module(function)
                env = {**os.environ, **FAKE_CREDENTIALS, "POWERTOOLS_TRACE_DISABLED": "1",
                       "AWS_ENDPOINT_URL": endpoint, **stack.function_environment(function)}  # fmt: skip
                for primed in (True, False):
                    events = [rest_api_event(**r) for r in requests(1 + warm_repeats)]
                    spec = {"function": function, "handler_file": str(handler_file), "attribute": attribute,
                            "primed": primed, "events": events}  # fmt: skip
                    # A new interpreter of its own (not multiprocessing's spawn, which would import this module,
                    # and with it pydantic and the domain models, before the function's clock starts).
                    result = subprocess.run([PYTHON, "-m", "benchmarks.snapstart_probe"], input=json.dumps(spec),
                                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)  # fmt: skip
                    if result.returncode:
                        raise RuntimeError(result.stderr[-2000:])
                    for name, value in json.loads(result.stdout.strip().splitlines()[-1]).items():
                        samples[route].setdefault(name, []).append(value)
    finally:
        server.stop()
        if saved_endpoint is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = saved_endpoint

    def ms(values: list[float]) -> float:
        return round(1000 * statistics.median(values), 1)

    def ratio(top: list[float], bottom: list[float]) -> float:
        return round(statistics.median(t / b for t, b in zip(top, bottom, strict=True)), 2)

    out: dict[str, Any] = {"rounds": rounds, "routes": {}}
    for route, s in samples.items():
        restored = [a + f for a, f in zip(s["after_restore"], s["primed_first"], strict=True)]
        on_demand = [i + f for i, f in zip(s["import"], s["first"], strict=True)]
        out["routes"][route] = {
            "init_ms": ms(s["primed_import"]),
            "before_snapshot_ms": ms(s["before_snapshot"]),
            "after_restore_ms": ms(s["after_restore"]),
            "first_request_after_restore_ms": ms(s["primed_first"]),
            "client_waits_snapstart_ms": ms(restored),
            "client_waits_on_demand_ms": ms(on_demand),
            "warm_ms": ms(s["primed_warm"]),
            "snapstart_to_warm_ratio": ratio(restored, s["primed_warm"]),
            "snapstart_to_on_demand_ratio": ratio(restored, on_demand),
        }
    out["worst_snapstart_to_warm_ratio"] = max(r["snapstart_to_warm_ratio"] for r in out["routes"].values())
    return out


# ---------------------------------------------------------------- report


def main() -> None:
    started = time.time()
    os.environ["LOCAL_LOG_LEVEL"] = "WARNING"  # the functions' request logs would bury the table
    meter = _Meter()
    meter.install()
    print("Measuring cold starts (sam build, then clean interpreters)...", flush=True)
    cold = cold_start()
    print("Measuring matching...", flush=True)
    match = matching()
    print("Measuring AWS calls and bytes per request...", flush=True)
    calls = aws_work(meter)
    booking = booking_work(meter)
    sizes = roster_bytes(meter)
    print("Measuring memory...", flush=True)
    rss = peak_rss()
    print("Measuring the local stack...", flush=True)
    stack = local_stack()
    print("Measuring SnapStart's first responses (fresh interpreters)...", flush=True)
    snapstart = snapstart_first_response()
    worst = max(cold["functions"].items(), key=lambda item: item[1]["ratio"])
    results = {
        "machine": machine(),
        "cold_start_ratio": worst[1]["ratio"],
        "cold_start_worst_function": worst[0],
        "cold_start": cold,
        "match_ms_p50": match["p50_ms"],
        "match_first_intake_ms": match["first_intake_ms"],
        "match_roster_load_ms": match["load_ms"],
        "match_reference_ms_10k": match["reference_ms_10k"],
        "match_speedup_vs_reference": match["speedup_vs_reference_10k"],
        "aws_calls": calls,
        "booking": booking,
        "roster_bytes_read_per_submit": sizes["warm_bytes_per_submit"],
        "roster_bytes_cold_load": sizes["cold_load_bytes"],
        "roster_calls_cold_load": sizes["cold_load_calls"],
        "roster_bytes_after_one_change": sizes["after_one_change_bytes"],
        "peak_rss_mb_10k": rss,
        "local_stack": stack,
        "snapstart": snapstart,
        "seconds": round(time.time() - started),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    _print(results)


def _print(r: dict[str, Any]) -> None:
    m = r["machine"]
    cold = r["cold_start"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['system']}\n")
    print("Cold start: import of each built handler in a clean interpreter, against")
    print(f"  import boto3 + one DynamoDB client ({cold['baseline_ms']} ms)")
    print(f"  {'function':<20}{'import ms':>10}{'ratio':>8}{'+ client ms':>13}{'ratio':>8}")
    for name, f in cold["functions"].items():
        row = (
            f"{f['import_ms']:>10}{f['ratio']:>8}{f['import_and_first_client_ms']:>13}{f['ratio_with_first_client']:>8}"
        )
        print(f"  {name:<20}{row}")
    print(f"  worst import ratio: {r['cold_start_ratio']} ({r['cold_start_worst_function']}); target <= 1.35\n")
    print("Matching one intake, one core (median of 120; warm roster)")
    for size, ms in r["match_ms_p50"].items():
        extra = f"first intake {r['match_first_intake_ms'][size]} ms, loading {r['match_roster_load_ms'][size]} ms"
        print(f"  {int(size):>6} counselors: {ms:>8} ms   ({extra})")
    print(f"  reference at 10,000: {r['match_reference_ms_10k']} ms; speed-up x{r['match_speedup_vs_reference']}\n")
    print("AWS calls per request (warm)")
    for route, count in r["aws_calls"].items():
        print(f"  {route:<40}{count:>3}")
    b = r["booking"]
    print("\nThe client's shortlist and booking (AWS calls)")
    shortlist = b["shortlist_calls"]
    print(f"  shortlist with openings: {shortlist['3']} at 3 counselors, {shortlist['100']} at 100")
    for action in ("booking", "reschedule", "cancel"):
        print(f"  {action:<10}{b[action + '_calls']:>3} calls, {b[action + '_transactions']} transaction")
    print("\nRoster bytes read per submission")
    for size in r["roster_bytes_read_per_submit"]:
        print(
            f"  {int(size):>6} counselors: warm {r['roster_bytes_read_per_submit'][size]} B; "
            f"cold load {r['roster_bytes_cold_load'][size]} B in {r['roster_calls_cold_load'][size]} calls; "
            f"after one change {r['roster_bytes_after_one_change'][size]} B"
        )
    print(f"\nPeak RSS of a warm public function, 10,000 counselors: {r['peak_rss_mb_10k']} MB (limit 256)\n")
    print("Local stack through the gateway")
    for name, s in r["local_stack"].items():
        figures = f"{s['per_second']:>8}/s  p50 {s['p50_ms']:>8} ms  p95 {s['p95_ms']:>8} ms  errors {s['errors']}"
        print(f"  {name:<28}{figures}")
    _print_snapstart(r["snapstart"])
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} ({r['seconds']} s)")


def _print_snapstart(snap: dict[str, Any]) -> None:
    print(f"\nSnapStart: what the client waits for on a new environment ({snap['rounds']} rounds, medians, ms)")
    print(f"  {'route':<26}{'restored':>10}{'on demand':>11}{'warm':>8}{'to warm':>9}{'after-restore hooks':>21}")
    for route, f in snap["routes"].items():
        row = (
            f"{f['client_waits_snapstart_ms']:>10}{f['client_waits_on_demand_ms']:>11}{f['warm_ms']:>8}"
            f"{f['snapstart_to_warm_ratio']:>9}{f['after_restore_ms']:>21}"
        )
        print(f"  {route:<26}{row}")
    print("  restored: after-restore hooks + first request (init and priming ran at publish); on demand: import +")
    print("  first request. Lambda's own restore of the snapshot is not in these figures.")


if __name__ == "__main__":
    main()
