"""Makes a race happen the same way on every run, through the real handlers.

A race between two requests is a question of which AWS call lands first. `Interleaving` holds a chosen
call of a chosen thread until another thread's chosen call has returned, so a test can name the order
that broke ("the erasure read the keys, then the assignment wrote, then the erasure deleted") instead of
hoping the scheduler finds it. Each hold happens once per thread: a retry after a failed condition runs
freely, as it would in production. A hold that waits more than a few seconds gives up and lets the call
through, so a changed code path shows up as a failed assertion, never as a hung test.

Every environment is its own warm Lambda (`separate_environments`), so nothing is shared between the
racing requests but the table, as in AWS.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.client import BaseClient

from tests.integration.harness import Api, InProcessFunction

WRITES = frozenset({"TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem", "BatchWriteItem"})
_HOLD_SECONDS = 5.0


@dataclass
class _Hold:
    thread: str
    operations: frozenset[str]
    until: threading.Event | threading.Barrier
    done: set[str] = field(default_factory=set)


@dataclass
class _Signal:
    thread: str
    operations: frozenset[str]
    event: threading.Event


class Interleaving:
    def __init__(self) -> None:
        self._holds: list[_Hold] = []
        self._signals: list[_Signal] = []
        self._arrivals: list[_Signal] = []
        self.calls: list[tuple[str, str]] = []  # (thread, operation), in the order they returned
        self._lock = threading.Lock()

    def after(self, thread: str, operations: frozenset[str] | str) -> threading.Event:
        """An event set when `thread`'s first call of one of `operations` has returned."""
        event = threading.Event()
        self._signals.append(_Signal(thread, _ops(operations), event))
        return event

    def reaching(self, thread: str, operations: frozenset[str] | str) -> threading.Event:
        """An event set when `thread` is about to make its first call of one of `operations` (every call
        before it, its reads say, has returned)."""
        event = threading.Event()
        self._arrivals.append(_Signal(thread, _ops(operations), event))
        return event

    def hold(self, thread: str, operations: frozenset[str] | str, until: threading.Event | threading.Barrier) -> None:
        """`thread`'s first call of one of `operations` waits for `until` (an event, or a barrier to meet)."""
        self._holds.append(_Hold(thread, _ops(operations), until))

    def _before(self, operation: str) -> None:
        me = threading.current_thread().name
        for arrival in self._arrivals:
            if arrival.thread == me and operation in arrival.operations:
                arrival.event.set()
        for hold in self._holds:
            if hold.thread == me and operation in hold.operations and me not in hold.done:
                hold.done.add(me)
                if isinstance(hold.until, threading.Barrier):
                    with suppress(threading.BrokenBarrierError):
                        hold.until.wait(timeout=_HOLD_SECONDS)
                else:
                    hold.until.wait(timeout=_HOLD_SECONDS)

    def _after(self, operation: str) -> None:
        me = threading.current_thread().name
        with self._lock:
            self.calls.append((me, operation))
        for signal in self._signals:
            if signal.thread == me and operation in signal.operations:
                signal.event.set()

    @contextmanager
    def installed(self, monkeypatch: pytest.MonkeyPatch) -> Iterator["Interleaving"]:
        """Installs the holds. In AWS each environment is a process of its own; here they share one, and
        powertools' resolvers share state between instances (two requests at once in one process can see each
        other's bodies). So handler code runs one request at a time, as in separate processes, and only the
        AWS calls, where every race of the service lives, overlap."""
        original_call = BaseClient._make_api_call
        original_invoke = InProcessFunction.invoke
        handler_code = threading.Lock()
        in_handler = threading.local()

        def call(client: Any, operation: str, params: Any) -> Any:
            holding = getattr(in_handler, "holding", False)
            if holding:
                handler_code.release()
            try:
                self._before(operation)
                try:
                    return original_call(client, operation, params)
                finally:
                    self._after(operation)
            finally:
                if holding:
                    handler_code.acquire()

        def invoke(function: InProcessFunction, event: Any) -> Any:
            with handler_code:
                in_handler.holding = True
                try:
                    return original_invoke(function, event)
                finally:
                    in_handler.holding = False

        monkeypatch.setattr(BaseClient, "_make_api_call", call)
        monkeypatch.setattr(InProcessFunction, "invoke", invoke)
        yield self


def _ops(operations: frozenset[str] | str) -> frozenset[str]:
    return frozenset({operations}) if isinstance(operations, str) else operations


def separate_environments(api: Api, function: str, count: int) -> list[Api]:
    """`count` gateways that each send `function`'s requests to a warm environment of its own."""
    apis = []
    for _ in range(count):
        other = Api.__new__(Api)
        other.stack = api.stack
        other.functions = {**api.functions, function: InProcessFunction(api.stack, function)}
        other.gateway = type(api.gateway)(api.gateway.routes, other.functions, api.gateway.verifier)
        apis.append(other)
    return apis


def run_together(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Runs each call in a thread of its name; returns what each returned. An exception in a thread fails."""
    results: dict[str, Any] = {}
    errors: dict[str, BaseException] = {}

    def run(name: str, call: Callable[[], Any]) -> None:
        try:
            results[name] = call()
        except BaseException as error:
            errors[name] = error

    threads = [threading.Thread(target=run, args=(name, call), name=name) for name, call in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [t.name for t in threads if t.is_alive()], "a racing request did not finish"
    if errors:
        raise next(iter(errors.values()))
    return results
