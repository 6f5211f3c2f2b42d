"""`make bench`: cold start, matching speed, AWS work per request, memory, local-stack throughput, and what a
client waits for on a new environment with SnapStart on.

Prints a table with the machine's description and writes the figures to .bench/results.json.
Timings are medians of repeated runs in one process (or side by side, for cold starts); they vary from
machine to machine, so the targets are judged as ratios where the issue says so. Call counts and bytes
are deterministic and are also enforced by tests (tests/integration/test_call_budgets.py).
"""

import contextlib
import io
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


# ---------------------------------------------------------------- first response


FIRST_ROUTES: dict[str, tuple[str, int]] = {
    # route: (function, the status its first and warm responses must have)
    "POST /intakes": ("PublicApiFunction", 201),
    "GET /intakes/{id}/status": ("PublicApiFunction", 200),
    "GET /counselors": ("PublicApiFunction", 200),
    "GET /review/intakes": ("ReviewApiFunction", 200),
    "GET /review/intakes/{id}": ("ReviewApiFunction", 200),
    "POST /review/intakes/{id}/assignment": ("ReviewApiFunction", 200),
    "POST /checkins/{id}/{n}": ("ClientApiFunction", 201),
}
CHILD = Path(__file__).with_name("first_response_child.py")


class _Captured:
    """Stands in for a function behind the local gateway: keeps the event the gateway built (its routing,
    path parameters and the Cognito authorizer's claims, as API Gateway would pass them) instead of running it."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        return {"statusCode": 204, "body": ""}


def gateway_event(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                  as_: str | None = None) -> dict[str, Any]:  # fmt: skip
    """The API Gateway event a request becomes: routed by template.yaml's routes, signed in as `as_` (a token
    name of the test harness's authorizer stand-in: "staff", "admin") where the route needs it."""
    from infra.local.gateway import Gateway
    from tests.integration.harness import ClaimsByToken

    captured = _Captured()
    routes = template.routes()
    gateway = Gateway(routes, dict.fromkeys({r.function for r in routes}, captured), ClaimsByToken())
    sent = dict(headers or {})
    payload = json.dumps(body).encode() if body is not None else b""
    if payload:
        sent["Content-Type"] = "application/json"
    if as_:
        sent["Authorization"] = as_
    status, _, content = gateway.handle(method, path, sent, payload)
    if not captured.events:
        raise RuntimeError(f"the gateway answered {method} {path} itself: {status} {content[:200]!r}")
    return captured.events[0]


def _first_response_events(api: Any, rounds: int) -> dict[str, list[list[dict[str, Any]]]]:
    """Per route, for each round, two events of the same kind: the first request of a new environment and the
    same request warm. Seeds what they need through the API (counselors, intakes to read and to assign,
    check-ins to answer); a request that changes state gets an intake of its own."""
    from tests.factories import counselor_body, intake_body
    from tests.integration.harness import GOOD, check_in_link, deliver_events, expect, sent_emails

    for i in range(4):
        body = counselor_body(name=f"Counselor {i}", open_slots=200, concerns_primary=["anxiety"])
        expect(201, api.post("/admin/counselors", body, as_="admin"))
    counselor = api.get("/admin/counselors", as_="admin").json["items"][0]["counselor_id"]

    def submitted(contact: dict[str, str] | None = None) -> Any:
        body = intake_body(contact=contact or _own_address())
        return expect(201, api.post("/intakes", body, headers={"Idempotency-Key": uuid.uuid4().hex})).json

    def check_in() -> tuple[str, int, str]:
        contact = _own_address()
        reference = submitted(contact)["reference"]
        expect(200, api.post(f"/review/intakes/{reference}/assignment", assignment, as_="staff"))
        expect(200, api.post(f"/review/intakes/{reference}/sessions", as_="staff"))
        deliver_events(api)
        (email,) = [e for e in sent_emails(contact["email"]) if "checkin#" in e.body]
        return check_in_link(email.body)

    # The reason makes any counselor on the roster a valid choice, suggested or not.
    assignment = {"counselor_id": counselor, "reason": "Chosen to measure the first responses"}
    status = submitted()
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "POST /intakes": lambda: gateway_event("POST", "/intakes", intake_body(contact=_own_address()),
                                               {"Idempotency-Key": uuid.uuid4().hex}),
        "GET /intakes/{id}/status": lambda: gateway_event("GET", f"/intakes/{status['reference']}/status",
                                                          headers={"X-Status-Token": status["status_token"]}),
        "GET /counselors": lambda: gateway_event("GET", "/counselors"),
        "GET /review/intakes": lambda: gateway_event("GET", "/review/intakes", as_="staff"),
        "GET /review/intakes/{id}": lambda: gateway_event("GET", f"/review/intakes/{submitted()['reference']}",
                                                          as_="staff"),
        "POST /review/intakes/{id}/assignment": lambda: gateway_event(
            "POST", f"/review/intakes/{submitted()['reference']}/assignment", assignment, as_="staff"),
        "POST /checkins/{id}/{n}": lambda: (lambda link: gateway_event(
            "POST", f"/checkins/{link[0]}/{link[1]}", GOOD, {"X-Check-In-Token": link[2]}))(check_in()),
    }  # fmt: skip
    return {route: [[build(), build()] for _ in range(rounds)] for route, build in builders.items()}


def first_response(rounds: int = 11) -> dict[str, Any]:
    """Spawn to the first handled response, per API function's main route: a new interpreter (`-I -S`, only the
    built artifact, the layer and the runtime's boto3, as in cold_start()) imports the handler and answers one
    API Gateway event against a moto server in this process; then the same kind of request again, warm. Side by
    side, before each route's run, a bare process: `import boto3`, one client, one GetItem on the same server.
    Ratios are taken per round, then the median."""
    from moto.server import ThreadedMotoServer

    from infra.local.emulator import serialize_dynamodb
    from infra.local.provision import provision
    from infra.local.stack import FAKE_CREDENTIALS
    from tests.integration.harness import Api

    os.environ.update(FAKE_CREDENTIALS)
    serialize_dynamodb()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    saved_endpoint = os.environ.get("AWS_ENDPOINT_URL")
    try:
        stack = provision(endpoint_url=endpoint, prefix="first")
        os.environ["AWS_ENDPOINT_URL"] = endpoint  # the seeding functions in this process use the server too
        with contextlib.redirect_stdout(io.StringIO()):  # their metric lines are not the table
            events = _first_response_events(Api(stack), rounds)
        with tempfile.TemporaryDirectory() as tmp:
            build = Path(tmp) / "build"
            sam_build(build)
            layer = build / "SharedLayer" / "python"
            runtime = str(TOOLS / "lambda-runtime")
            native = str(native_stand_in(layer))
            base_env = {**FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint}
            envs = {fn: {**base_env, **_template_environment(stack, fn), "DETAILED_TRACING": "false"}
                    for fn, _ in FIRST_ROUTES.values()}  # fmt: skip
            samples: dict[str, list[dict[str, Any]]] = {route: [] for route in FIRST_ROUTES}
            bare: dict[str, list[float]] = {route: [] for route in FIRST_ROUTES}
            for number in range(rounds):
                for route, (function, expected) in FIRST_ROUTES.items():
                    bare_run = _spawn(["bare", stack.table_name, runtime], base_env, build)
                    if bare_run["statuses"] != [200]:
                        raise RuntimeError(f"the bare process got {bare_run['statuses']}")
                    bare[route].append(bare_run["spawn_to_first_response_s"])
                    handler_file, attribute = template.function_module(function)
                    events_file = Path(tmp) / "events.json"
                    events_file.write_text(json.dumps(events[route][number]))
                    directory = build / function
                    function_paths = [native, str(directory), str(layer), runtime]
                    arguments = ["function", handler_file.stem, attribute, function, str(events_file)]
                    run = _spawn([*arguments, *function_paths], envs[function], directory)
                    if run["statuses"] != [expected, expected]:
                        raise RuntimeError(f"{route} answered {run['statuses']}, not {expected} twice")
                    samples[route].append(run)
    finally:
        server.stop()
        if saved_endpoint is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = saved_endpoint

    def ms(values: list[float]) -> float:
        return round(1000 * statistics.median(values), 1)

    by_route: dict[str, Any] = {}
    for route, runs in samples.items():
        total = [r["spawn_to_first_response_s"] for r in runs]
        by_route[route] = {
            "function": FIRST_ROUTES[route][0],
            "spawn_to_first_response_ms": ms(total),
            "bare_ms": ms(bare[route]),
            "ratio": round(statistics.median(t / b for t, b in zip(total, bare[route], strict=True)), 2),
            "import_ms": ms([r["import_s"] for r in runs]),
            "first_request_ms": ms([r["first_s"] for r in runs]),
            "warm_request_ms": ms([r["warm_s"] for r in runs]),
            "first_over_warm": round(statistics.median(r["first_s"] / r["warm_s"] for r in runs), 2),
        }
    every_bare = [b for values in bare.values() for b in values]
    return {
        "rounds": rounds,
        "bare_ms": ms(every_bare),
        "bare_range_ms": [round(1000 * min(every_bare)), round(1000 * max(every_bare))],
        "routes": by_route,
        "first_response_ratio": {
            "worst": max(r["ratio"] for r in by_route.values()),
            "by_route": {route: r["ratio"] for route, r in by_route.items()},
        },
        "first_request_after_init_ratio": {
            "worst": max(r["first_over_warm"] for r in by_route.values()),
            "by_route": {route: r["first_over_warm"] for route, r in by_route.items()},
        },
    }


def _template_environment(stack: Any, function: str) -> dict[str, str]:
    """The function's environment as deployed: the bench's LOCAL_LOG_LEVEL quiets only this process's functions
    (the children's output is captured, never printed), so it must not change what a child logs."""
    quiet = os.environ.pop("LOCAL_LOG_LEVEL", None)
    try:
        environment: dict[str, str] = stack.function_environment(function)
        return environment
    finally:
        if quiet is not None:
            os.environ["LOCAL_LOG_LEVEL"] = quiet


def _spawn(arguments: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Runs first_response_child.py in a clean interpreter; its output (the functions' log and metric lines)
    is kept from the table. Adds the time from just before the spawn to the first response."""
    started = time.monotonic()
    result = subprocess.run([PYTHON, "-I", "-S", str(CHILD), *arguments], env=env, cwd=cwd, capture_output=True,
                            text=True, timeout=120, check=False)  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("FIRST-RESPONSE ")]
    if result.returncode or not lines:
        raise RuntimeError(f"{arguments[:2]} failed: {result.stderr[-2000:]}")
    measured: dict[str, Any] = json.loads(lines[-1].removeprefix("FIRST-RESPONSE "))
    measured["spawn_to_first_response_s"] = measured["first_response_at"] - started
    return measured


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


# ---------------------------------------------------------------- the roster for a cold function


def roster_cold(size: int = 10_000, rounds: int = 9, rounds_before: int = 3) -> dict[str, Any]:
    """A cold function's roster at `size` counselors, through the RosterCache a cold function uses, against
    moto in this process: from a current snapshot (the version and the snapshot in one read, the columns
    decoded: indexes ready), from a snapshot one change behind (plus the query of the changes since it), and as
    before the snapshot (every counselor from the Roster index, parsed into profiles, indexed by the first
    match), in alternating rounds; medians, with the bytes of every DynamoDB response read. Each is timed to the
    end of the first match too, which builds the tie-break counters either way. `rounds_before` is small: moto
    takes about a minute to page through 10,000 counselors. The time inside the AWS calls (request to parsed
    response: moto and botocore) is reported apart: moto answers a query by reading the whole partition, which
    DynamoDB does not."""
    from shared.dal.dynamodb import DynamoRepository
    from shared.dal.roster import counselor_item, roster_bump, slot_change
    from shared.domain.counselor import CounselorProfile
    from shared.domain.intake import IntakeAnswers
    from shared.matching.engine import suggest
    from shared.matching.profile import Interner, MatchProfile
    from shared.matching.roster import CompiledRoster
    from shared.services.roster_cache import RosterCache
    from shared.services.roster_snapshot import write_roster_snapshot

    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rng = random.Random(5)
    profiles = [CounselorProfile.model_validate(d) for d in counselor_dicts(size)]
    openings = [
        None if rng.random() < 0.2 else now + timedelta(minutes=30 * rng.randint(-48, 28 * 48)) for _ in profiles
    ]
    intake = IntakeAnswers.model_validate(intake_dicts(1)[0])
    with _aws(f"cold{size}") as stack:
        client = stack.client("dynamodb")
        items = [counselor_item(p, 1, at) for p, at in zip(profiles, openings, strict=True)]
        for start in range(0, len(items), 25):
            client.batch_write_item(
                RequestItems={stack.table_name: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
            )
        client.put_item(
            TableName=stack.table_name, Item={"PK": {"S": "ROSTER"}, "SK": {"S": "META"}, "version": {"N": "1"}}
        )
        read = [0]
        in_calls = [0.0, 0.0]  # time inside the emulator's calls; when the current call started
        client.meta.events.register("before-call", lambda **_: in_calls.__setitem__(1, time.perf_counter()))
        client.meta.events.register("after-call", lambda http_response, **_: (
            read.__setitem__(0, read[0] + len(http_response.content or b"")),
            in_calls.__setitem__(0, in_calls[0] + time.perf_counter() - in_calls[1])))  # fmt: skip
        store = DynamoRepository(stack.table_name, client=client)
        written = write_roster_snapshot(store, RosterCache(), None)

        def snapshot() -> tuple[float, float, int, float]:
            read[0], in_calls[0] = 0, 0.0
            started = time.perf_counter()
            roster = RosterCache().current(store)
            loaded = time.perf_counter() - started
            spent = in_calls[0]
            suggest(intake, roster, now=now)
            return loaded, time.perf_counter() - started, read[0], spent

        def before() -> tuple[float, float, int, float]:
            read[0], in_calls[0] = 0, 0.0
            started = time.perf_counter()
            intern = Interner()
            entries = store.roster_changes(since=0).entries
            roster = CompiledRoster(
                MatchProfile.from_compact(e.counselor_id, e.compact_profile, e.open_slots, intern, e.understanding,
                                          e.next_opening)
                for e in entries
            )  # fmt: skip
            loaded = time.perf_counter() - started
            spent = in_calls[0]
            suggest(intake, roster, now=now)
            return loaded, time.perf_counter() - started, read[0], spent

        runs: dict[str, list[tuple[float, float, int, float]]] = {"snapshot": [], "before": [], "behind": []}
        for i in range(rounds):
            runs["snapshot"].append(snapshot())
            if i < rounds_before:
                runs["before"].append(before())
        # One change after the snapshot (a counselor's slot, as an assignment moves it): the cold load queries it.
        changed = profiles[0].counselor_id
        client.transact_write_items(TransactItems=[
            slot_change(store.table, changed, 2, taking=None), roster_bump(store.table, 1)])  # fmt: skip
        for _ in range(rounds):
            runs["behind"].append(snapshot())

    def median(name: str, at: int) -> float:
        return round((1 if at == 2 else 1000) * statistics.median(r[at] for r in runs[name]), 1)

    def figures(name: str) -> dict[str, float]:
        return {"ms": median(name, 0), "first_match_ms": median(name, 1), "bytes": median(name, 2),
                "in_aws_calls_ms": median(name, 3), "rounds": len(runs[name])}  # fmt: skip

    return {
        "roster_cold_ms_10k": median("snapshot", 0),
        "roster_cold_bytes_10k": median("snapshot", 2),
        "ms_range": [
            round(1000 * min(r[0] for r in runs["snapshot"]), 1),
            round(1000 * max(r[0] for r in runs["snapshot"]), 1),
        ],
        "current": figures("snapshot"),
        "one_change_behind": figures("behind"),
        "before": figures("before"),
        "snapshot_bytes_stored": written.size,
    }


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


def _no_function_output() -> Any:
    """The functions run in this process print their metric lines (and warnings) to stdout: not the table."""
    return contextlib.redirect_stdout(io.StringIO())


def main() -> None:
    started = time.time()
    os.environ["LOCAL_LOG_LEVEL"] = "WARNING"  # the functions' request logs would bury the table
    meter = _Meter()
    meter.install()
    print("Measuring cold starts (sam build, then clean interpreters)...", flush=True)
    cold = cold_start()
    print("Measuring first responses (new interpreters against a moto server)...", flush=True)
    first = first_response()
    print("Measuring matching...", flush=True)
    match = matching()
    print("Measuring AWS calls and bytes per request...", flush=True)
    with _no_function_output():
        calls = aws_work(meter)
        booking = booking_work(meter)
        sizes = roster_bytes(meter)
    print("Measuring the roster for a cold function...", flush=True)
    with _no_function_output():
        cold_roster = roster_cold()
    print("Measuring memory...", flush=True)
    rss = peak_rss()
    print("Measuring the local stack...", flush=True)
    with _no_function_output():
        stack = local_stack()
    print("Measuring SnapStart's first responses (fresh interpreters)...", flush=True)
    snapstart = snapstart_first_response()
    worst = max(cold["functions"].items(), key=lambda item: item[1]["ratio"])
    results = {
        "machine": machine(),
        "cold_start_ratio": worst[1]["ratio"],
        "cold_start_worst_function": worst[0],
        "cold_start": cold,
        "first_response_ratio": first["first_response_ratio"],
        "first_request_after_init_ratio": first["first_request_after_init_ratio"],
        "first_response": first,
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
        "roster_cold_ms_10k": cold_roster["roster_cold_ms_10k"],
        "roster_cold_bytes_10k": cold_roster["roster_cold_bytes_10k"],
        "roster_cold": cold_roster,
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
    _print_first_response(r["first_response"])
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
    c = r["roster_cold"]
    print("\nThe roster for a cold function, 10,000 counselors, against moto (medians, alternating rounds)")
    print(f"  {'':<30}{'loaded+indexed':>15}{'in calls':>10}{'first match':>13}{'bytes read':>12}{'rounds':>8}")
    for name, label in (("before", "before (every counselor)"), ("current", "snapshot, current"),
                        ("one_change_behind", "snapshot + 1 change since")):  # fmt: skip
        f = c[name]
        print(f"  {label:<30}{f['ms']:>12} ms{f['in_aws_calls_ms']:>7} ms{f['first_match_ms']:>10} ms"
              f"{int(f['bytes']):>12}{f['rounds']:>8}")  # fmt: skip
    print(f"  target <= 150 ms, <= 2 MB; snapshot stored: {c['snapshot_bytes_stored']} B")
    print(f"\nPeak RSS of a warm public function, 10,000 counselors: {r['peak_rss_mb_10k']} MB (limit 256)\n")
    print("Local stack through the gateway")
    for name, s in r["local_stack"].items():
        figures = f"{s['per_second']:>8}/s  p50 {s['p50_ms']:>8} ms  p95 {s['p95_ms']:>8} ms  errors {s['errors']}"
        print(f"  {name:<28}{figures}")
    _print_snapstart(r["snapstart"])
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} ({r['seconds']} s)")


def _print_first_response(first: dict[str, Any]) -> None:
    print("First response: spawn of a clean interpreter to the first handled API Gateway event (moto server in")
    print(f"  another process), against import boto3 + one client + one GetItem ({first['bare_ms']} ms, "
          f"{first['bare_range_ms'][0]}-{first['bare_range_ms'][1]}); {first['rounds']} rounds, medians")  # fmt: skip
    heading = f"{'spawn ms':>9}{'ratio':>7}{'import':>8}{'first':>7}{'warm':>7}{'first/warm':>11}"
    print(f"  {'route':<38}{heading}")
    for route, f in first["routes"].items():
        row = (
            f"{f['spawn_to_first_response_ms']:>9}{f['ratio']:>7}{f['import_ms']:>8}{f['first_request_ms']:>7}"
            f"{f['warm_request_ms']:>7}{f['first_over_warm']:>11}"
        )
        print(f"  {route:<38}{row}")
    print(f"  worst ratio to the bare process: {first['first_response_ratio']['worst']} (target <= 1.6); "
          f"worst first/warm: {first['first_request_after_init_ratio']['worst']} (target <= 1.5)\n")  # fmt: skip


def first_only() -> None:
    """`python -m benchmarks.run first`: only the first-response figures, merged into .bench/results.json."""
    os.environ["LOCAL_LOG_LEVEL"] = "WARNING"
    first = first_response()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"machine": machine()}
    results.update({
        "first_response_ratio": first["first_response_ratio"],
        "first_request_after_init_ratio": first["first_request_after_init_ratio"],
        "first_response": first,
    })  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    _print_first_response(first)


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
    if sys.argv[1:] == ["first"]:
        first_only()
    else:
        main()
