"""The whole product on this machine: an in-memory AWS endpoint (moto), the resources template.yaml
declares, a demo roster and staff accounts, every function in its own warm process, the notifier fed by
the EventBridge rule, and a gateway serving pages and API on one origin.

    python -m infra.local.stack            # what `make run` does (PORT=3000 by default)
"""

import json
import logging
import os
import signal
import subprocess  # nosec B404 - runs this project's own OpenAPI generator, fixed arguments
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.server import ThreadedMotoServer

from infra import template
from infra.local import demo, outbox
from infra.local.emulator import serialize_dynamodb
from infra.local.gateway import CognitoVerifier, Gateway, listen, serve
from infra.local.lambda_runtime import FunctionError, FunctionPool
from infra.local.provision import REGION, LocalStack, provision
from infra.template import ROOT
from shared.dal.dynamodb import DynamoRepository

FAKE_CREDENTIALS = {  # the emulator accepts anything; these are not secrets  # nosec B105
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # nosec B105
    "AWS_SESSION_TOKEN": "local",  # nosec B105
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


def _openapi_document() -> bytes:
    """Generated from the code in a separate interpreter, so the gateway never imports handler modules."""
    return subprocess.run(  # nosec B603 - fixed argv, no shell
        [sys.executable, "-m", "infra.openapi"], cwd=ROOT, check=True, capture_output=True, env={**os.environ}
    ).stdout


@dataclass
class RunningStack:
    base_url: str
    aws: LocalStack
    moto: ThreadedMotoServer
    pools: dict[str, FunctionPool]
    server: Any
    _stop: threading.Event = field(default_factory=threading.Event)
    _background: list[threading.Thread] = field(default_factory=list)
    _endpoint: tuple[str, str | None] = ("", None)  # (this stack's AWS endpoint, the process's before it)

    def stop(self) -> None:
        """Stops the gateway, then waits for the event delivery and the schedules to finish what they were
        doing (a schedule run ends; a wait for events ends within a second) before the functions and the
        endpoint go: a run left going would fail on tables already gone."""
        self._stop.set()
        self.server.shutdown()
        for thread in self._background:
            thread.join(timeout=60)
        for pool in self.pools.values():
            pool.stop()
        self.moto.stop()
        mine, before = self._endpoint
        if os.environ.get("AWS_ENDPOINT_URL") == mine:  # the process's clients no longer point at a stopped endpoint
            if before is None:
                os.environ.pop("AWS_ENDPOINT_URL")
            else:
                os.environ["AWS_ENDPOINT_URL"] = before


def _drain_notifications(
    stack: LocalStack, notifier: FunctionPool, stop: threading.Event, log: Callable[[str], None]
) -> None:
    """What EventBridge does with the notifier's rule: deliver matching events to the function."""
    sqs = stack.client("sqs")
    while not stop.is_set():
        try:
            messages = sqs.receive_message(QueueUrl=stack.notifier_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        except Exception:  # the endpoint is shutting down
            if stop.is_set():
                return
            time.sleep(0.5)
            continue
        for message in messages.get("Messages", []):
            event = json.loads(message["Body"])
            event.setdefault("account", "123456789012")
            try:
                notifier.invoke(event)
            except FunctionError:
                log("notifier failed; EventBridge would retry, then park the event in the dead-letter queue")
            sqs.delete_message(QueueUrl=stack.notifier_queue_url, ReceiptHandle=message["ReceiptHandle"])


SCHEDULED_EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}, "account": "123456789012"}


def _run_schedules(
    scheduled: list[FunctionPool], stop: threading.Event, every: float, log: Callable[[str], None]
) -> None:
    """What the template's schedules do: send the check-ins due by days after the match, retry client
    emails that could not be sent, offer freed slots to the waitlist, and write the roster snapshot."""
    while not stop.wait(every):
        for function in scheduled:
            try:
                function.invoke(SCHEDULED_EVENT)
            except FunctionError:
                log(f"{function.name} failed on its schedule; the next run retries")


def _quiet_endpoint_logs() -> None:
    # The emulator's web server logs every AWS call; the gateway logs what matters.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)


def start(
    port: int = 3000,
    moto_port: int | None = None,
    seed: bool = True,
    workers_per_function: int = 2,
    log: Callable[[str], None] = print,
    prefix: str = "local",
    parameters: Mapping[str, str] | None = None,
) -> RunningStack:
    """Starts the stack. `prefix` names its tables, pool, bus and queue: moto keeps one set of resources per
    process, so two stacks in one process (as in a test session) need different prefixes.

    Port 0 (the API) or no `moto_port` (the AWS endpoint): the system picks a free port as the socket is bound,
    so nothing can take it in between (tests and benchmarks run stacks side by side). `parameters` sets
    template parameters as a deployment would (e.g. {"BookingPolicy": "client-first"})."""
    os.environ.update(FAKE_CREDENTIALS)
    _quiet_endpoint_logs()
    serialize_dynamodb()
    listener = listen("127.0.0.1", port)
    port = int(listener.server_address[1])
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port or 0, verbose=False)
    moto.start()
    moto_port = moto.get_host_and_port()[1]
    endpoint = f"http://127.0.0.1:{moto_port}"
    base_url = f"http://127.0.0.1:{port}"
    stack = provision(endpoint_url=endpoint, base_url=base_url, prefix=prefix, parameters=parameters)
    endpoint_before = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint  # every boto3 client in this process and its children

    if seed:
        repository = DynamoRepository(stack.table_name, client=stack.client("dynamodb"))
        demo.seed_roster(repository)
        demo.seed_users(stack.client("cognito-idp"), stack.user_pool_id, repository)

    pools: dict[str, FunctionPool] = {}
    for function in template.resources("AWS::Serverless::Function"):
        handler_file, attribute = template.function_module(function)
        env = {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "POWERTOOLS_TRACE_DISABLED": "1",  # no X-Ray daemon here
            **stack.function_environment(function),
        }
        pools[function] = FunctionPool(function, handler_file, attribute, env, workers_per_function)

    openapi = _openapi_document()
    gateway = Gateway(
        template.routes(),
        pools,
        CognitoVerifier(endpoint, REGION, stack.user_pool_id, stack.user_pool_client_id),
        extra={"/openapi.json": lambda: (200, {"Content-Type": "application/json"}, openapi), "/outbox": outbox.page},
    )
    server = serve(gateway, "127.0.0.1", port, log, listener)
    running = RunningStack(
        base_url=base_url, aws=stack, moto=moto, pools=pools, server=server, _endpoint=(endpoint, endpoint_before)
    )
    if seed:  # the first snapshot of the demo roster, as the schedule would write it within a minute
        pools["RosterSnapshotFunction"].invoke(SCHEDULED_EVENT)
    sweep_every = float(os.environ.get("LOCAL_SWEEP_SECONDS", "60"))  # the template says 5 minutes
    scheduled = [pools["CheckInScheduleFunction"], pools["WaitlistSweepFunction"], pools["NotifierFunction"],
                 pools["RosterSnapshotFunction"]]  # fmt: skip
    running._background = [
        threading.Thread(
            target=_drain_notifications, args=(stack, pools["NotifierFunction"], running._stop, log), daemon=True
        ),
        threading.Thread(target=_run_schedules, args=(scheduled, running._stop, sweep_every, log), daemon=True),
    ]
    for thread in running._background:
        thread.start()
    return running


def main() -> None:
    port = int(os.environ.get("PORT", "3000"))
    print(f"Starting the local stack on http://127.0.0.1:{port} ...", flush=True)
    # BOOKING_POLICY=client-first make run: the practice's booking policy (template parameter BookingPolicy)
    policy = {"BookingPolicy": os.environ["BOOKING_POLICY"]} if os.environ.get("BOOKING_POLICY") else {}
    running = start(port=port, moto_port=int(os.environ["MOTO_PORT"]) if os.environ.get("MOTO_PORT") else None,
                    log=lambda line: print(line, flush=True), parameters=policy)  # fmt: skip
    url = running.base_url
    print(
        f"""
Ready.
  Intake form        {url}/
  Counselor directory {url}/directory
  Console (staff, admins, counselors) {url}/console
  Local outbox       {url}/outbox  (every email the stack sent, with working links)
  API (OpenAPI)      {url}/openapi.json
  AWS endpoint       {running.aws.endpoint_url} (moto, in memory: stopping the stack forgets everything)

Demo sign-ins (local only):
  staff   {demo.STAFF_USER[0]} / {demo.STAFF_USER[1]}
  admin   {demo.ADMIN_USER[0]} / {demo.ADMIN_USER[1]}
  counselor {demo.COUNSELOR_USER[0]} / {demo.COUNSELOR_USER[1]}  ({demo.ROSTER[0]["name"]}'s own page)

Press Ctrl-C to stop.""",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


if __name__ == "__main__":
    main()
