"""Runs each function the way Lambda does: in its own process, with its own environment from the
template, importing its handler once (cold start) and then serving one event at a time (warm).

Concurrency comes from more processes per function, as Lambda adds execution environments, never from
threads inside one: a handler module's globals are not meant to be shared by concurrent requests.
"""

import contextlib
import multiprocessing
import os
import queue
import sys
import threading
import traceback
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from infra.template import ROOT


def _serve(
    connection: Connection, handler_file: str, attribute: str, function_name: str, env: Mapping[str, str]
) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))  # where shared/ lives (the layer, in Lambda)
    from infra.local.events import LambdaContext
    from infra.template import load_module

    handler = getattr(load_module(Path(handler_file), f"{function_name}_handler"), attribute)
    connection.send(("ready", None))
    while True:
        try:
            event = connection.recv()
        except EOFError:
            return
        if event is None:
            return
        try:
            result = handler(event, LambdaContext(function_name))
            connection.send(("ok", result))
        except Exception as error:  # Lambda reports an unhandled error; the gateway answers 502
            traceback.print_exc()
            connection.send(("error", type(error).__name__))


class FunctionError(Exception):
    pass


class _Worker:
    def __init__(self, name: str, handler_file: Path, attribute: str, env: Mapping[str, str]) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, str(handler_file), attribute, name, dict(env)), daemon=True, name=name
        )
        self.process.start()
        kind, _ = self.connection.recv()  # wait for the cold start to finish
        if kind != "ready":
            raise FunctionError(f"{name} did not start")

    def invoke(self, event: Any) -> Any:
        self.connection.send(event)
        kind, value = self.connection.recv()
        if kind == "error":
            raise FunctionError(value)
        return value

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()


class FunctionPool:
    """Up to `max_workers` warm processes for one function; a request waits for a free one."""

    def __init__(self, name: str, handler_file: Path, attribute: str, env: Mapping[str, str], max_workers: int) -> None:
        self.name = name
        self._args = (name, handler_file, attribute, env)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._max = max_workers
        self._add()

    def _add(self) -> None:
        worker = _Worker(*self._args)
        self._all.append(worker)
        self._idle.put(worker)

    def invoke(self, event: Any) -> Any:
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            with self._lock:
                if len(self._all) < self._max:
                    self._add()
            worker = self._idle.get()
        try:
            return worker.invoke(event)
        finally:
            self._idle.put(worker)

    def stop(self) -> None:
        for worker in self._all:
            worker.stop()
